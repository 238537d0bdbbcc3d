"""The formatted Excel workbook."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import arbetstyngd as at

INJECTION = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=9, n_teams=2, seed=5)


@pytest.fixture(scope="module")
def book(town, tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xl") / "a.xlsx"
    town.score().to_excel(path, team_names=town.teams)
    return openpyxl.load_workbook(path)


def test_sheets_and_swedish_headers(book) -> None:
    assert book.sheetnames == [
        "Översikt",
        "Team",
        "Handläggare",
        "Ärenden",
        "Avvisade rader",
        "Schema",
    ]
    headers = [c.value for c in book["Handläggare"][1]]
    assert headers[:3] == ["Handläggare", "Team", "Teamnamn"]
    assert "Belastningsgrad" in headers and "Nivå" in headers
    assert "Ärendetyp (namn)" in [c.value for c in book["Ärenden"][1]]


def test_english_headers(town, tmp_path) -> None:
    path = town.score().to_excel(tmp_path / "en.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[2] == "Caseworkers"
    assert "Utilisation" in [c.value for c in wb["Caseworkers"][1]]


def test_frozen_header_filters_widths_and_formats(book, town) -> None:
    ws = book["Handläggare"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref.startswith("A1:")
    headers = [c.value for c in ws[1]]
    util = headers.index("Belastningsgrad") + 1
    assert ws.cell(2, util).number_format == "0%"
    assert isinstance(ws.cell(2, util).value, float)
    assert all(ws.column_dimensions[c].width >= 6 for c in "ABC")
    assert ws[1][0].font.bold
    # band names translated and coloured by conditional formatting
    band_col = headers.index("Nivå") + 1
    values = {ws.cell(r, band_col).value for r in range(2, ws.max_row + 1)}
    assert values <= {"låg", "balanserad", "hög", "kritisk"}
    assert len(ws.conditional_formatting) >= 1


def test_numbers_match_the_result(book, town) -> None:
    wl = town.score()
    got = pd.DataFrame(book["Handläggare"].values)
    got.columns = got.iloc[0]
    got = got.iloc[1:]
    loads = got["Poäng (belastning)"].astype(float).tolist()
    assert loads == pytest.approx(wl.workers["load"].tolist())


def test_formula_injection_is_neutralised(town, tmp_path) -> None:
    teams = town.teams.copy()
    teams.loc[0, "name"] = INJECTION
    cases = town.cases.copy()
    cases.loc[0, "case_type"] = INJECTION  # rejected: unknown case type, value kept
    with pytest.warns(at.RejectedRowsWarning):
        wl = at.score(cases, town.workers, town.scheme, teams=teams, on=town.on)
    path = wl.to_excel(tmp_path / "x.xlsx", team_names=teams)
    wb = openpyxl.load_workbook(path)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    assert not cell.value.startswith("=")
                    found += 1
    assert found >= 2  # the team name and the rejected value are both there, as text


def test_scheme_sheet_lists_weights(book, town) -> None:
    ws = book["Schema"]
    assert ws.freeze_panes is not None
    names = [c.value for c in ws["B"]]
    for w in town.scheme.weights:
        assert w.case_type in names


def test_tables_longer_than_a_sheet_continue_on_more_sheets(tmp_path, monkeypatch):
    import arbetstyngd.report.excel as excel

    monkeypatch.setattr(excel, "EXCEL_ROWS", 300)
    wl = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=1).score()
    sheets = pd.read_excel(wl.to_excel(tmp_path / "r.xlsx"), sheet_name=None, engine="calamine")
    parts = [name for name in sheets if name.startswith("Ärenden")]
    assert len(parts) == -(-len(wl.cases) // 300) > 1
    assert sum(len(sheets[p]) for p in parts) == len(wl.cases)
