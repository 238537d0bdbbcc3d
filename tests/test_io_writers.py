"""Writing back: formula injection neutralised, Swedish characters kept, Excel-friendly CSV."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

import arbetstyngd as at
from arbetstyngd.io.writers import safe_cell, safe_frame, write_workload, write_workload_excel


def test_safe_cell_and_frame() -> None:
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("+46") == "'+46" and safe_cell("-x") == "'-x" and safe_cell("Åsa") == "Åsa"
    assert safe_cell(-1) == -1 and safe_cell(None) is None
    frame = pd.DataFrame({"=h": ["=cmd|' /C calc'!A0", "ok"], "n": [1, 2]})
    out = safe_frame(frame)
    assert out.columns.tolist() == ["'=h", "n"] and out.iloc[0, 0].startswith("'=")
    assert frame.iloc[0, 0].startswith("=")  # the input is not modified


def _workload() -> at.Workload:
    town = at.datasets.make_municipality(n_workers=6, seed=1)
    cases = town.cases.copy()
    cases.loc[cases.index[0], "phase"] = '=HYPERLINK("http://x")'
    return at.score(cases, town.workers, town.scheme, teams=town.teams, on=town.on)


def test_excel_friendly_csv(tmp_path: Path) -> None:
    wl = _workload()
    paths = write_workload(wl, tmp_path, excel_friendly=True)
    workers = next(p for p in paths if p.name == "workers.csv")
    raw = workers.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert ";" in text.splitlines()[0] and "," in text.splitlines()[1]
    cases = (tmp_path / "cases.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in cases and "\n=HYPERLINK" not in cases


def test_excel_and_parquet(tmp_path: Path) -> None:
    wl = _workload()
    path = write_workload_excel(wl, tmp_path / "r.xlsx")
    values = [c.value for row in openpyxl.load_workbook(path)["cases"].iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    paths = write_workload(wl, tmp_path / "pq", format="parquet")
    assert any(p.suffix == ".parquet" for p in paths)
