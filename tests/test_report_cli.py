"""`arbetstyngd report` and the HTML report written by `arbetstyngd demo`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _key(monkeypatch) -> None:
    # the readers pseudonymise identity numbers with a keyed HMAC; a fixed test key
    monkeypatch.setenv("ARBETSTYNGD_KEY", "report-cli-test-key-0123456789abcdef")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    town = at.datasets.make_municipality(n_workers=10, n_teams=2, seed=8)
    folder = tmp_path_factory.mktemp("export")
    paths = {name: folder / f"{name}.csv" for name in ("cases", "workers", "teams")}
    town.cases.to_csv(paths["cases"], index=False)
    town.workers.to_csv(paths["workers"], index=False)
    town.teams.to_csv(paths["teams"], index=False)
    return paths


def test_report_command_writes_html(files, tmp_path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(
        app,
        [
            "report",
            str(files["cases"]),
            str(files["workers"]),
            "--teams",
            str(files["teams"]),
            "--on",
            "2026-06-30",
            "--lang",
            "en",
            "--out",
            str(out),
            "--history-start",
            "2026-03-01",
        ],
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Unit overview" in page and "Over time" in page
    assert str(out.resolve()) in result.output


def test_report_command_min_group_and_bad_input(files, tmp_path) -> None:
    out = tmp_path / "r.html"
    args = ["report", str(files["cases"]), str(files["workers"]), "--out", str(out)]
    assert runner.invoke(app, [*args, "--min-group", "50"]).exit_code == 0
    assert "Döljs: färre än 50" in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, [*args, "--history-start", "2030-01-01", "--on", "2026-01-01"])
    assert bad.exit_code == 2 and "history-start" in bad.output
    assert runner.invoke(app, [*args, "--lang", "fi"]).exit_code != 0


def test_demo_writes_the_report(tmp_path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = tmp_path / "rapport.html"
    assert report.exists() and str(report.resolve()) in result.output
    page = report.read_text(encoding="utf-8")
    assert "Utveckling över tid" in page
