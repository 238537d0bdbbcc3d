"""`arbetstyngd validate` makes the checks `score` makes, or says which it left out."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app
from arbetstyngd.io.personnummer import synthetic_personnummer

runner = CliRunner()

# a case-type label, a misspelt type, an unknown worker, closed before opened, a bad date
CASES = (
    "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Avslutsdatum\n"
    "A-1;H1;Barnavårdsutredning;2026-01-05;\n"
    "A-2;H1;bou_utreding;2026-01-06;\n"
    "A-3;H9;bou_lvu;2026-01-07;\n"
    "A-4;H2;bou_lvu;2026-02-07;2026-01-01\n"
    "A-5;H2;bou_lvu;inte ett datum;\n"
    "A-6;H2;bou_lvu;2026-01-09;\n"
)
WORKERS = "Handläggar-id;Enhet;Tjänstgöringsgrad;Erfarenhet år\nH1;T1;100;5\nH2;T1;80;2\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"cases": tmp_path / "cases.csv", "workers": tmp_path / "workers.csv"}
    paths["cases"].write_text(CASES, encoding="utf-8")
    paths["workers"].write_text(WORKERS, encoding="utf-8")
    return paths


def _rows(frame: pd.DataFrame, table: str) -> list[int]:
    return sorted(int(r) for r in frame.loc[frame["table"] == table, "row"].unique())


def test_with_scheme_and_roster_the_same_rows_as_score(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARBETSTYNGD_KEY", "validate-key-0123456789")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workers = at.read_workers(files["workers"])
        cases = at.read_cases(files["cases"], scheme="barn-och-unga", roster=workers)
        wl = at.score(cases, workers, "barn-och-unga")
    assert _rows(wl.rejected, "cases") == [3, 4, 5, 6]
    problems = tmp_path / "problems.csv"
    result = runner.invoke(
        app,
        [
            "validate",
            "--lang",
            "en",
            str(files["cases"]),
            "--scheme",
            "barn-och-unga",
            "--roster",
            str(files["workers"]),
            "--report",
            str(problems),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "6 read, 2 usable, 4 rejected" in result.output
    assert _rows(pd.read_csv(problems), "cases") == [3, 4, 5, 6]
    assert "Checks not made" not in result.output


def test_without_scheme_it_names_the_checks_it_skipped(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", "--lang", "en", str(files["cases"])])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "1 rejected" in out  # only the date the reader cannot parse
    assert "Checks not made" in out and "--scheme" in out and "--roster" in out


def test_workers_with_scheme_checks_capacity_inputs(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("Handläggar-id;Enhet;Tjänstgöringsgrad\nH1;T1;100\n", encoding="utf-8")
    plain = runner.invoke(app, ["validate", "--lang", "en", str(path), "--kind", "workers"])
    assert plain.exit_code == 0, plain.output
    checked = runner.invoke(
        app,
        ["validate", "--lang", "en", str(path), "--kind", "workers", "--scheme", "barn-och-unga"],
    )
    # a covariate the scheme needs that no table has is an error that says what to do
    assert checked.exit_code == 2, checked.output
    assert "experience_years" in checked.output and "profession_start" in checked.output


def test_missing_id_column_shows_the_column_table_first(tmp_path: Path) -> None:
    path = tmp_path / "personal.csv"
    path.write_text(
        "Enhet;Anställningsdatum;Tjänstgöringsgrad\nT1;2020-01-01;100\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", "--lang", "en", str(path), "--kind", "workers"])
    assert result.exit_code == 2
    out = result.output
    assert "Columns:" in out and "Anställningsdatum" in out
    assert out.index("Columns:") < out.index("error:")
    assert "Traceback" not in out


def test_key_note_printed_once(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARBETSTYNGD_KEY", raising=False)
    monkeypatch.delenv("ARBETSTYNGD_KEY_FILE", raising=False)
    # identity numbers in a note column: pseudonyms are made, with a random key
    numbers = synthetic_personnummer(6, seed=1)
    lines = CASES.splitlines()
    text = "\n".join(
        [lines[0] + ";Anteckning"]
        + [f"{r};ring {n}" for r, n in zip(lines[1:], numbers, strict=True)]
    )
    files["cases"].write_text(text + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "validate",
            "--lang",
            "en",
            str(files["cases"]),
            "--scheme",
            "barn-och-unga",
            "--roster",
            str(files["workers"]),
        ],
    )
    key = "note: no pseudonymisation key"
    notes = [line for line in result.output.splitlines() if line.startswith(key)]
    assert len(notes) == 1, result.output
    # the scheme's flags with no column are said too, once (issue 10: shown by validate)
    flags = [ln for ln in result.output.splitlines() if "no column for the complexity" in ln]
    assert len(flags) == 1, result.output


def test_report_quotes_a_lone_carriage_return(tmp_path: Path) -> None:
    # issue 10 #14: an unquoted CR in the problem report starts a new row in Excel, whose
    # first cell could be a formula
    path = tmp_path / "cases.csv"
    path.write_bytes(
        b"case_id;worker_id;case_type;opened\r\n"
        b'A1;H1;bou_utredning;"x\r=1+1"\r\n'
        b"A2;H1;bou_utredning;2026-01-01\r\n"
    )
    report = tmp_path / "problems.csv"
    result = runner.invoke(app, ["validate", "--lang", "en", str(path), "--report", str(report)])
    assert result.exit_code == 1, result.output
    data = report.read_bytes()
    assert b"\r=" not in data.replace(b'"x\r', b"")  # the CR only ever inside quotes
    lines = data.split(b"\r\n")
    assert all(not line.startswith(b"=") for line in lines)
    assert b'"x\r' in data or b"'=1+1" in data
