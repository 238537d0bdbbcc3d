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


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    """A third of the case rows cannot be scored (unknown case types)."""
    town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=8)
    folder = tmp_path_factory.mktemp("bad")
    cases = town.cases.copy()
    cases.loc[cases.index % 3 == 0, "case_type"] = "okänd_typ"
    paths = {name: folder / f"{name}.csv" for name in ("cases", "workers", "teams")}
    cases.to_csv(paths["cases"], index=False)
    town.workers.to_csv(paths["workers"], index=False)
    town.teams.to_csv(paths["teams"], index=False)
    return {**paths, "n_cases": len(cases), "n_bad": int((cases.index % 3 == 0).sum())}  # type: ignore[dict-item]


def _score(files, tmp_path, *extra: str):  # type: ignore[no-untyped-def]
    args = ["score", str(files["cases"]), str(files["workers"]), "--teams", str(files["teams"])]
    return runner.invoke(app, [*args, "--out", str(tmp_path / "out"), *extra])


def _no_python_reprs(output: str) -> None:
    assert "<Workload" not in output and "{'" not in output and "Timestamp(" not in output


def test_score_says_loudly_when_figures_are_incomplete(bad_files, tmp_path) -> None:
    result = _score(bad_files, tmp_path)
    assert result.exit_code == 0, result.output  # the exit status does not change
    out = result.stdout
    _no_python_reprs(out)
    n, total = bad_files["n_bad"], bad_files["n_cases"]
    share = f"{round(100 * n / total)}\u00a0%"
    assert f"Ärenden: {n} av {total} rader kunde inte beräknas ({share})." in out
    assert "*** SIFFRORNA ÄR OFULLSTÄNDIGA ***" in out
    # the banner comes before the team table
    assert out.index("OFULLSTÄNDIGA") < out.index("Belastningsgrad")
    english = _score(bad_files, tmp_path, "--lang", "en")
    assert "*** FIGURES INCOMPLETE ***" in english.stdout
    assert f"Cases: {n} of {total} rows could not be scored" in english.stdout
    _no_python_reprs(english.stdout)


def test_threshold_and_fail_on_rejected_keep_their_meanings(bad_files, tmp_path) -> None:
    lenient = _score(bad_files, tmp_path, "--incomplete-threshold", "0.9")
    assert lenient.exit_code == 0
    assert "OFULLSTÄNDIGA" not in lenient.stdout and "kunde inte beräknas" in lenient.stdout
    strict = _score(bad_files, tmp_path, "--fail-on-rejected")
    assert strict.exit_code == 1
    bad = _score(bad_files, tmp_path, "--incomplete-threshold", "2")
    assert bad.exit_code == 2


def test_clean_data_prints_no_rejection_block(files, tmp_path) -> None:
    result = _score(files, tmp_path)
    assert result.exit_code == 0
    _no_python_reprs(result.stdout)
    assert "kunde inte beräknas" not in result.stdout and "OFULLSTÄNDIGA" not in result.stdout
    assert result.stdout.startswith("Ärendeläget vid uttaget")


def test_report_file_name_follows_the_language(files, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["report", str(files["cases"]), str(files["workers"]), "--lang", "en"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.html").exists() and not (tmp_path / "rapport.html").exists()
    _no_python_reprs(result.stdout)
    assert "The report is in:" in result.stdout


@pytest.mark.parametrize(
    "args",
    [["score", "--no-such-option"], ["report", "a.csv", "b.csv", "--lang", "fi"], ["score"]],
)
def test_usage_errors_have_the_one_error_style(args: list[str]) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "from arbetstyngd.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("error: "), done.stderr
    assert "Error:" not in done.stderr and "Traceback" not in done.stderr
