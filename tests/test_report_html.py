"""The HTML report: content, languages, escaping, small-group suppression, history."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.report import high_streaks, html_report

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=14, n_teams=3, seed=7)


@pytest.fixture(scope="module")
def wl(town: at.datasets.Municipality) -> at.Workload:
    return town.score()


def _text(page: str) -> str:
    """The page without tags (roughly what a reader sees)."""
    return re.sub(r"<[^>]+>", " ", page)


def test_report_has_overview_teams_and_scheme(wl: at.Workload, town) -> None:
    page = html_report(wl, team_names=town.teams, why=False)
    assert page.startswith("<!DOCTYPE html>")
    assert "Översikt för enheten" in page
    assert wl.scheme.id in page
    # every team has a section with its name
    for name in town.teams["name"]:
        assert f"Team {name}" in page
    # every worker appears
    for wid in wl.workers["worker_id"]:
        assert wid in page
    # band names are written out next to colours
    assert {"låg", "balanserad", "hög", "kritisk"} <= set(re.findall(r"[a-zåäö]+", _text(page)))


def test_unit_utilisation_is_ratio_of_sums_in_swedish_format(wl: at.Workload) -> None:
    page = html_report(wl, why=False)
    u = wl.workers["load"].sum() / wl.workers["capacity"].sum()
    assert f"{round(u * 100):d}\u00a0%" in page
    # decimal comma for points with one decimal
    total = f"{wl.workers['load'].sum():.1f}".replace(".", ",")
    whole, frac = total.split(",")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    assert f"{grouped},{frac}" in page


def test_english_report(wl: at.Workload) -> None:
    page = html_report(wl, lang="en", why=False)
    assert "Unit overview" in page and "Översikt" not in page
    assert 'lang="en"' in page
    u = wl.workers["load"].sum() / wl.workers["capacity"].sum()
    assert f"{round(u * 100):d}%" in page


def test_unknown_language_is_refused(wl: at.Workload) -> None:
    with pytest.raises(ValueError, match="'lang' must be one of"):
        html_report(wl, lang="de")


def test_data_text_is_escaped(town) -> None:
    workers = town.workers.copy()
    workers["team_id"] = workers["team_id"].replace({"T1": EVIL})
    teams = town.teams.copy()
    teams["team_id"] = teams["team_id"].replace({"T1": EVIL})
    teams.loc[teams["team_id"] == EVIL, "name"] = EVIL
    wl = at.score(town.cases, workers, town.scheme, teams=teams, on=town.on)
    page = html_report(wl, team_names=teams, why=False)
    assert EVIL not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # the only script is the print helper, allowed by hash in the CSP
    assert page.count("<script") == 1
    assert "script-src 'sha256-" in page


def test_min_group_hides_small_groups_and_individuals(wl: at.Workload, town) -> None:
    sizes = wl.teams.set_index("team_id")["n_workers"]
    limit = int(sizes.sort_values().iloc[1])  # at least one team below, one at or above
    page = html_report(wl, team_names=town.teams, min_group=limit, why=False)
    small = sizes[sizes < limit]
    assert len(small) >= 1
    assert page.count("Döljs: färre än") == len(small)
    # no figures per worker leave the unit
    for wid in wl.workers["worker_id"]:
        assert wid not in page
    # a small team's utilisation is not printed
    for tid in small.index:
        u = wl.teams.set_index("team_id").loc[tid, "utilisation"]
        row = re.search(rf"\({tid}\)</span></th>(.*?)</tr>", page, re.S)
        assert row is not None
        assert f"{round(u * 100):d}\u00a0%" not in row.group(1)


def test_min_group_larger_than_unit_hides_unit_figures(wl: at.Workload) -> None:
    page = html_report(wl, min_group=len(wl.workers) + 1, why=False)
    u = wl.workers["load"].sum() / wl.workers["capacity"].sum()
    assert f'kpi-value">{round(u * 100):d}\u00a0%' not in page
    assert page.count("Döljs: färre än") == len(wl.teams)
    assert "<svg" not in page


@pytest.mark.parametrize("bad", [0, -1, True])
def test_min_group_must_be_positive(wl: at.Workload, bad) -> None:
    with pytest.raises(ValueError, match="min_group"):
        html_report(wl, min_group=bad)


def test_why_charts_and_svg_ids_are_unique(wl: at.Workload) -> None:
    page = html_report(wl)
    assert page.count('<details class="why">') == len(wl.workers)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert "<?xml" not in page
    # nothing is fetched from anywhere: no external sources, links or stylesheets
    for pattern in ('src="http', 'href="http', "url(http", "@import", "<link", "<img"):
        assert pattern not in page


def test_history_section_and_streaks(town, wl: at.Workload) -> None:
    dates = pd.date_range(end=town.on, periods=10, freq="7D")
    tl = at.timeline(town.cases, town.workers, town.scheme, teams=town.teams, dates=dates)
    page = html_report(wl, history=tl, why=False)
    assert "Utveckling över tid" in page
    runs = high_streaks(tl, town.scheme, min_weeks=4)
    for wid in runs["worker_id"]:
        assert wid in page
    assert page.count('class="chart team-history"') == len(wl.teams)


def test_history_must_be_a_timeline(wl: at.Workload) -> None:
    with pytest.raises(ValueError, match="timeline"):
        html_report(wl, history=pd.DataFrame({"date": []}))


def test_to_html_writes_file(wl: at.Workload, tmp_path) -> None:
    path = tmp_path / "sub" / "r.html"
    page = wl.to_html(path, lang="en", why=False)
    assert path.read_text(encoding="utf-8") == page


def test_high_streaks_counts_consecutive_weeks() -> None:
    dates = pd.date_range("2026-01-04", periods=8, freq="7D")
    u = [1.2, 1.2, 1.2, 0.5, 1.3, 1.3, 1.3, 1.3]
    h = pd.DataFrame({"date": dates, "worker_id": "H1", "team_id": "T", "utilisation": u})
    other = h.assign(worker_id="H2", utilisation=1.5)
    runs = high_streaks(pd.concat([h, other]), at.Bands(), min_weeks=3)
    assert runs[["worker_id", "weeks", "ongoing"]].values.tolist() == [
        ["H2", 8.0, True],
        ["H1", 4.0, True],
        ["H1", 3.0, False],
    ]
    # a run does not continue from one worker into the next
    split = pd.concat([h.assign(utilisation=[0.5] * 7 + [1.3]), other.assign(utilisation=1.3)])
    assert high_streaks(split, at.Bands(), min_weeks=1)["weeks"].tolist() == [8.0, 1.0]


def test_notebook_summary_is_compact_and_escaped(town) -> None:
    workers = town.workers.replace({"team_id": {"T1": EVIL}})
    wl = at.score(town.cases, workers, town.scheme, on=town.on)
    summary = wl._repr_html_()
    assert EVIL not in summary and "&lt;script&gt;" in summary
    assert summary.count("<tr>") == len(wl.teams) + 1
    assert "unit utilisation" in summary
