"""The ``arbetstyngd archive`` commands, on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.archive import Archive
from arbetstyngd.cli import app

runner = CliRunner()
KEY = "cli-archive-key-" + "k" * 24


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("export")
    town = at.datasets.make_municipality(n_workers=10, n_teams=2, seed=4)
    paths = {k: folder / f"{k}.csv" for k in ("cases", "workers", "teams")}
    town.cases.to_csv(paths["cases"], index=False)
    town.workers.to_csv(paths["workers"], index=False)
    town.teams.to_csv(paths["teams"], index=False)
    (folder / "key").write_text(KEY)
    survey = folder / "survey.csv"
    survey.write_text(
        "Namn;Månad;Skattning;Flexsaldo\n"
        f"{town.workers['worker_id'][0]};2026-03;5;10\n"
        f"{town.workers['worker_id'][1]};2026-03;2;-1,5\nOkänd Person;2026-03;3;\n",
        encoding="utf-8",
    )
    return {
        **{k: str(v) for k, v in paths.items()},
        "key": str(folder / "key"),
        "survey": str(survey),
    }


def run(*args: str) -> str:
    result = runner.invoke(app, ["archive", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_record_show_history_restate_purge_forget(archive_url, files, tmp_path):
    db = ["--db", archive_url]
    base = [files["cases"], files["workers"], "--teams", files["teams"], "--key", files["key"]]
    for on in ("2026-01-31", "2026-02-28", "2026-03-31"):
        assert "measurement" in run("record", *base, "--on", on, *db)
    shown = run("show", *db)
    assert "2026-02-28" in shown and "barn-och-unga" in shown
    assert "2026-03-31" in run("history", "--level", "team", *db)
    out = tmp_path / "h.csv"
    run("history", "--level", "worker", "--out", str(out), *db)
    assert len(pd.read_csv(out)) == 30
    stored = run("ratings", files["survey"], "--scale", "1-5", "--roster", files["workers"], *db)
    assert "stored 2 rating(s)" in stored and "Okänd Person" in stored
    restated = run("restate", "--scheme", "barn-och-unga", *db)
    assert "utilisation_restated" in restated
    run("forget-worker", "H0001", "--yes", *db)
    with Archive(archive_url) as archive:
        assert "H0001" not in set(archive.history("worker")["worker_id"])
    assert "deleted 1 measurement(s)" in run("purge", "--before", "2026-02-01", "--yes", *db)


def test_recording_the_same_export_twice_adds_nothing(tmp_path, files):
    db = ["--db", str(tmp_path / "a.db")]
    base = [files["cases"], files["workers"], "--key", files["key"], "--on", "2026-01-31"]
    run("record", *base, *db)
    again = runner.invoke(app, ["archive", "record", *base, *db])
    assert again.exit_code == 0
    assert "already in the archive" in again.output
    with Archive(tmp_path / "a.db") as archive:
        assert len(archive.measurements()) == 1


def test_not_an_archive_is_one_line_and_exit_code_2(tmp_path):
    path = tmp_path / "x.db"
    path.write_text("not a database " * 100)
    result = runner.invoke(app, ["archive", "show", "--db", str(path)])
    assert result.exit_code == 2
    assert "not an arbetstyngd archive" in result.output
    assert "Traceback" not in result.output


def test_show_on_an_empty_archive_and_a_bad_level(tmp_path):
    db = ["--db", str(tmp_path / "e.db")]
    assert "no measurements yet" in run("show", *db)
    bad = runner.invoke(app, ["archive", "history", "--level", "person", *db])
    assert bad.exit_code == 2 and "'level' must be one of" in bad.output
