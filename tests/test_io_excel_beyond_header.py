"""Excel rows with a value to the right of the header: rejected, never cut off in silence.

A CSV row with more fields than the header is rejected (``malformed_row``); a sheet row with
a filled cell beyond the header's last column is the same problem and gets the same code.
Empty cells there (a formatted but empty column) are fine, like a trailing delimiter.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app

KEY = "k" * 32
runner = CliRunner()


def _workbook(path: Path, rows: list[list[Any]], title: str | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if title is not None:
        ws.append([title])  # a title line above the header, as exports write
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _read(reader: Any, path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reader(path, key=KEY)


def _rejected(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.attrs["rejected"])


CASES = [
    ["Dnr", "Handläggare", "Ärendetyp", "Aktualiseringsdatum"],
    ["A-1", "H1", "bou_lvu", "2026-01-05"],
    # the worker's cell was pasted one column to the right: every value sits a cell over
    ["A-2", None, "H2", "bou_lvu", "2026-01-06"],
    ["A-3", "H1", "bou_lvu", "2026-01-07", None, "  "],  # empty and blank cells beyond: fine
    [None, None, None, None, None, "anteckning"],  # only a note beyond the header
    ["A-5", "H2", "bou_utredning", "2026-01-08"],
]


def test_cases_row_with_a_value_beyond_the_header_is_rejected(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "cases.xlsx", CASES, title="Aktiva ärenden")
    cases = _read(at.read_cases, path)
    assert cases["case_id"].tolist() == ["A-1", "A-3", "A-5"]
    assert cases["source_row"].tolist() == [3, 5, 7]
    # nothing after the fourth column was kept under some other name
    assert [c for c in cases.columns if c.startswith(("column", "surplus", "unnamed"))] == []
    rejected = _rejected(cases)
    assert rejected[["row", "column", "value", "code"]].to_dict("records") == [
        {"row": 4, "column": "(row)", "value": "2026-01-06", "code": "malformed_row"},
        {"row": 6, "column": "(row)", "value": "anteckning", "code": "malformed_row"},
    ]
    assert "value in column E" in rejected["reason"].iloc[0]
    assert "column D ('Aktualiseringsdatum')" in rejected["reason"].iloc[0]
    assert "column F" in rejected["reason"].iloc[1]
    info = cases.attrs["read"]
    # the row with only a note is rejected, not counted as blank
    assert info.blank_rows == 0 and info.rows_read == 5 and info.rows_rejected == 2


def test_workers_row_with_a_value_beyond_the_header_is_rejected(tmp_path: Path) -> None:
    rows = [
        ["Handläggar-id", "Enhet", "Tjänstgöringsgrad"],
        ["H1", "T1", 1],
        ["H2", "T1", 0.5, 0.25],  # a share pasted beside the header: which is the fte?
        ["H3", "T2", 0.75, None, None],
    ]
    workers = _read(at.read_workers, _workbook(tmp_path / "workers.xlsx", rows))
    assert workers[["worker_id", "fte"]].to_dict("records") == [
        {"worker_id": "H1", "fte": 1.0},
        {"worker_id": "H3", "fte": 0.75},
    ]
    rejected = _rejected(workers)
    assert rejected[["row", "value", "code"]].to_dict("records") == [
        {"row": 3, "value": "0.25", "code": "malformed_row"}
    ]


def test_teams_row_with_a_value_beyond_the_header_is_rejected(tmp_path: Path) -> None:
    rows = [["Enhet", "Handledning"], ["T1", 2], ["T2", 1, 5, "x"], ["T3", 3]]
    teams = _read(at.read_teams, _workbook(tmp_path / "teams.xlsx", rows))
    assert teams["team_id"].tolist() == ["T1", "T3"]
    assert _rejected(teams)[["row", "code"]].to_dict("records") == [
        {"row": 3, "code": "malformed_row"}
    ]
    assert teams.attrs["read"].blank_rows == 0


def test_empty_cells_beyond_the_header_are_fine(tmp_path: Path) -> None:
    rows = [
        ["Enhet", "Handledning"],
        ["T1", 2, None, ""],
        ["T2", 1, " ", None],
    ]
    teams = _read(at.read_teams, _workbook(tmp_path / "teams.xlsx", rows))
    assert teams["team_id"].tolist() == ["T1", "T2"]
    assert len(_rejected(teams)) == 0


def test_excel_and_csv_reject_the_same_rows(tmp_path: Path) -> None:
    """The same table as a workbook and as CSV: the same rows read, the same rejected."""
    rows = [["Enhet", "Handledning"], ["T1", 2], ["T2", 1, 5], ["T3", 3]]
    xlsx = _read(at.read_teams, _workbook(tmp_path / "teams.xlsx", rows))
    csv = tmp_path / "teams.csv"
    csv.write_text("\n".join(";".join(str(v) for v in r) for r in rows) + "\n", encoding="utf-8")
    text = _read(at.read_teams, csv)
    assert xlsx["team_id"].tolist() == text["team_id"].tolist() == ["T1", "T3"]
    for frame in (xlsx, text):
        assert _rejected(frame)[["row", "column", "code"]].to_dict("records") == [
            {"row": 3, "column": "(row)", "code": "malformed_row"}
        ]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_cli_lists_the_rows_with_a_value_beyond_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from arbetstyngd._contract.reasons import reason_label

    monkeypatch.setenv("ARBETSTYNGD_KEY", KEY)
    cases = _workbook(tmp_path / "cases.xlsx", CASES)
    workers = _workbook(
        tmp_path / "workers.xlsx",
        [
            ["Handläggar-id", "Enhet", "Tjänstgöringsgrad", "Erfarenhet (år)"],
            ["H1", "T1", 1, 4],
            ["H2", "T1", 1, 6, "x"],
        ],
    )
    teams = _workbook(tmp_path / "teams.xlsx", [["Enhet", "Handledning"], ["T1", 2], ["T2", 1, 5]])
    out = tmp_path / "res"
    result = runner.invoke(
        app,
        [
            *("score", str(cases), str(workers), "--teams", str(teams)),
            *("--out", str(out), "--lang", lang, "--format", "excel"),
        ],
    )
    assert result.exit_code == 0, result.output
    # every rejected row is listed on the console with its reason, in the language asked for
    said = {"sv": "Raden kunde inte läsas", "en": "to the right of the header's last column"}
    assert result.output.count(said[lang]) == 4
    book = pd.read_excel(out / "arbetstyngd.xlsx", sheet_name=None, engine="openpyxl")
    names = {
        "sv": ("Avvisade rader", "Tabell", "Orsak", ["Ärenden", "Ärenden", "Handläggare", "Team"]),
        "en": ("Rejected rows", "Table", "Reason", ["Cases", "Cases", "Caseworkers", "Teams"]),
    }
    sheet, table, reason, tables = names[lang]
    rows = book[sheet][book[sheet]["code"].eq("malformed_row")]
    assert rows[table].tolist() == tables
    if lang == "sv":
        assert set(rows[reason]) == {reason_label("malformed_row", "sv")}
    else:
        assert rows[reason].str.contains("to the right of the header's last column").all()

    check = runner.invoke(app, ["validate", "--lang", "en", str(teams), "--kind", "teams"])
    assert check.exit_code == 1, check.output
    assert "value in column C" in check.output and "malformed_row" in check.output
