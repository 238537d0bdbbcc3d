"""The HTML report with an archive: monthly trends, long runs above high, perceived load."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.archive import Archive
from arbetstyngd.archive.report_section import months_above_high
from arbetstyngd.cli import app

MONTHS = pd.date_range("2026-01-31", periods=4, freq="ME")


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=12, n_teams=3, seed=8, mean_utilisation=1.1)


@pytest.fixture
def filled(archive_url, town):
    with Archive(archive_url) as archive:
        for on in MONTHS:
            wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=on)
            archive.record(wl)
        ids = wl.workers["worker_id"]
        archive.record_ratings(
            pd.DataFrame(
                {
                    "worker_id": ids,
                    "period": "2026-04-01",
                    "rating": 1,
                    "comment": "hemlig kommentar",
                }
            ),
            scale="1-5",
        )
        yield archive, wl


def test_report_inside_the_unit_shows_trends_runs_and_perceived(filled):
    archive, wl = filled
    page = wl.to_html(history=archive, why=False, lang="en")
    assert "Monthly follow-up from the archive" in page
    assert "The unit&#39;s utilisation by month" in page or "utilisation by month" in page
    for month in ("2026-01", "2026-04"):
        assert month in page
    high = archive.history("worker")
    long_runs = months_above_high(high, wl.scheme.bands.high)
    for wid in long_runs["worker_id"]:
        assert str(wid) in page
    # everyone rated "far too little": whoever is measured high or critical is on the list
    measured_high = wl.workers[wl.workers["band"].isin(["high", "critical"])]
    assert len(measured_high)
    perceived = page.split("Perceived and measured load")[1].split("</section>")[0]
    for wid in measured_high["worker_id"]:
        assert f">{wid}<" in perceived
    for wid in wl.workers[wl.workers["band"] == "low"]["worker_id"]:
        assert f">{wid}<" not in perceived
    assert "hemlig kommentar" not in page


def test_report_for_outside_the_unit_names_nobody(filled):
    archive, wl = filled
    page = wl.to_html(history=archive, why=False, min_group=5)
    assert "Månadsuppföljning ur arkivet" in page
    for wid in wl.workers["worker_id"]:
        assert f">{wid}<" not in page
    assert "Utveckling per handläggare" not in page
    assert "hemlig kommentar" not in page
    tiny = wl.to_html(history=archive, why=False, min_group=100)
    assert "Dolt: färre än 100 handläggare." in tiny


def test_report_command_with_an_archive(tmp_path, town):
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        for on in MONTHS[:2]:
            archive.record(at.score(town.cases, town.workers, town.scheme, on=on))
    c, w = tmp_path / "cases.csv", tmp_path / "workers.csv"
    town.cases.to_csv(c, index=False)
    town.workers.to_csv(w, index=False)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app,
        ["report", str(c), str(w), "--on", "2026-02-28", "--archive", str(path), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "Månadsuppföljning ur arkivet" in out.read_text(encoding="utf-8")


def test_history_that_is_neither_a_frame_nor_an_archive_is_refused(town):
    wl = at.score(town.cases, town.workers, town.scheme, on=MONTHS[0])
    with pytest.raises(TypeError, match="DataFrame from timeline"):
        wl.to_html(history=[1, 2, 3], why=False)


def test_a_scheme_change_is_marked_in_the_report(archive_url, town):
    new = town.scheme.evolve(version="2", capacity=town.scheme.capacity * 1.1)
    with Archive(archive_url) as archive:
        for on, scheme in zip(MONTHS[:3], [town.scheme, town.scheme, new], strict=True):
            wl = at.score(town.cases, town.workers, scheme, on=on)
            archive.record(wl)
        page = wl.to_html(history=archive, why=False, lang="en")
    assert f"Scheme changed: 2026-03 → {town.scheme.name} 2" in page
    assert page.count('stroke="#888"') == 1


def test_each_worker_row_shows_its_trend_from_the_archive(filled):
    # hand-checked: the row's trend is the worker's last recorded utilisations, oldest first
    archive, wl = filled
    page = wl.to_html(history=archive, why=False, lang="en")
    history = archive.history("worker").sort_values("measured_on")
    for wid in wl.workers["worker_id"]:
        mine = history[history["worker_id"] == wid]["utilisation"].tail(4)
        expected = " → ".join(f"{100 * u:.0f}" for u in mine) + " %"
        row = page.split(f'<th scope="row">{wid}</th>')[1].split("</tr>")[0]
        assert f">{expected}</div>" in row, (wid, expected)


def test_a_report_for_outside_the_unit_has_no_worker_trends(filled):
    archive, wl = filled
    page = wl.to_html(history=archive, why=False, lang="en", min_group=5)
    assert 'class="trend"' not in page
