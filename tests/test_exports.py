"""Exports: CSV, Parquet, Excel; safe against formula injection."""

from __future__ import annotations

import json

import pandas as pd

import arbetstyngd as at


def test_csv_and_parquet_round_trip(tmp_path):
    wl = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=3).score()
    wl.to_csv(tmp_path / "csv")
    wl.to_parquet(tmp_path / "pq")
    for name in ("teams", "workers", "cases", "rejected", "weights"):
        assert (tmp_path / "csv" / f"{name}.csv").exists()
    back = pd.read_parquet(tmp_path / "pq" / "workers.parquet")
    assert back["load"].tolist() == wl.workers["load"].tolist()
    meta = json.loads((tmp_path / "csv" / "meta.json").read_text())
    assert meta["scheme"] == "barn-och-unga@2026.1" and meta["on"] == "2026-06-30"
    assert at.Scheme.from_toml(tmp_path / "csv" / "scheme.toml") == wl.scheme


def test_formula_injection_is_neutralised(tmp_path, cases, workers, mini):
    evil = cases.copy()
    evil["case_id"] = evil["case_id"].astype(object)
    evil.loc[0, "case_id"] = '=HYPERLINK("http://x","y")'
    evil.loc[1, "case_id"] = "@SUM(A1)"
    wl = at.score(evil, workers, mini, on="2026-03-01")
    wl.to_csv(tmp_path)
    text = (tmp_path / "cases.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_excel_has_a_sheet_per_table(tmp_path):
    wl = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=3).score()
    sv = pd.read_excel(wl.to_excel(tmp_path / "sv.xlsx"), sheet_name=None, engine="calamine")
    assert list(sv) == ["Översikt", "Team", "Handläggare", "Ärenden", "Avvisade rader", "Schema"]
    en = pd.read_excel(
        wl.to_excel(tmp_path / "en.xlsx", lang="en"), sheet_name=None, engine="calamine"
    )
    assert list(en) == ["Overview", "Teams", "Caseworkers", "Cases", "Rejected rows", "Scheme"]


def test_categorical_and_carriage_return_cells_are_safe(tmp_path, mini):
    cases = pd.DataFrame(
        {
            "case_id": ["c1", "c2"],
            "worker_id": ["@SUM(1+1)", "@SUM(1+1)"],
            "case_type": ["A", "nope"],
            "opened": ["2026-01-01", "\r=1+1"],
        }
    )
    workers = pd.DataFrame(
        {
            "worker_id": ["@SUM(1+1)"],
            "fte": [1.0],
            "team_id": ['=HYPERLINK("http://x")'],
            "experience_years": [3.0],
        }
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        wl = at.score(cases, workers, mini, on="2026-03-01")
    wl.to_csv(tmp_path / "a")
    wl.to_csv(tmp_path / "b", excel_friendly=True)
    for folder, sep in (("a", ","), ("b", ";")):
        for name in ("cases", "workers", "teams", "rejected"):
            text = (tmp_path / folder / f"{name}.csv").read_text(encoding="utf-8-sig")
            for line in text.split("\r\n"):
                for cell in line.split(sep):
                    assert not cell.lstrip('"').startswith(("=", "+", "@")), (name, cell)
        parsed = pd.read_csv(tmp_path / folder / "rejected.csv", sep=sep, encoding="utf-8-sig")
        assert len(parsed) == len(wl.rejected)  # the CR stayed inside its quoted field
    book = wl.to_excel(tmp_path / "plain.xlsx")
    import openpyxl

    for sheet in openpyxl.load_workbook(book).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_no_excel_writer_leaves_a_formula_in_a_cell(tmp_path, cases, workers):
    """A scheme name is text a person typed: in any workbook it stays text, never a formula."""
    import inspect

    import openpyxl

    from arbetstyngd.io import writers

    toml = (
        'name = "=HYPERLINK(\\"http://x\\",\\"y\\")"\nversion = "1"\ncapacity = 100\n'
        '[provenance]\nmethod = "manual"\nnote = "=1+1"\n'
        '[[weights]]\ncase_type = "A"\nweight = 10\n[[weights]]\ncase_type = "B"\nweight = 4\n'
    )
    wl = at.score(cases, workers, at.Scheme.from_toml(toml), on="2026-03-01")
    books = [wl.to_excel(tmp_path / "result.xlsx")]
    # every Excel writer the io package has, the old write_workload_excel among them
    for name, function in inspect.getmembers(writers, inspect.isfunction):
        if "excel" in name and function.__module__ == writers.__name__:
            books.append(function(wl, tmp_path / f"{name}.xlsx"))
    for path in books:
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, ws.title, cell.coordinate)
