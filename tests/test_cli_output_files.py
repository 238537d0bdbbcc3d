"""The files `arbetstyngd score` writes, as an analyst opens them in Swedish Excel.

Figures without float noise, a CSV Swedish Excel opens in columns, rejected rows in the order
of the files, and a team sheet that ends with the unit's total.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARBETSTYNGD_KEY", "output-files-test-key-0123456789")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A town's export with bad rows in two tables, spread over the files."""
    town = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=3)
    folder = tmp_path_factory.mktemp("export")
    cases = town.cases.copy()
    cases.loc[cases.index[[2, 9, 17]], "case_type"] = "okänd_typ"
    workers = town.workers.copy()
    workers["fte"] = workers["fte"].astype(object)
    workers.loc[workers.index[5], "fte"] = "heltid"  # rejected, and every case of this worker
    paths = {name: folder / f"{name}.csv" for name in ("cases", "workers", "teams")}
    cases.to_csv(paths["cases"], index=False)
    workers.to_csv(paths["workers"], index=False)
    town.teams.to_csv(paths["teams"], index=False)
    return paths


def _score(files: dict[str, Path], out: Path, *extra: str) -> None:
    args = ["score", str(files["cases"]), str(files["workers"]), "--teams", str(files["teams"])]
    result = runner.invoke(app, [*args, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output


def test_figures_in_the_csv_files_have_no_float_noise(files: dict[str, Path], tmp_path) -> None:
    _score(files, tmp_path)
    for name in ("cases", "workers", "teams"):
        text = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        noisy = re.findall(r"(?<![\w.])-?\d+\.\d{5,}(?![\w.])", text)
        assert not noisy, (name, noisy[:5])


def test_rejected_csv_is_in_table_and_row_order(files: dict[str, Path], tmp_path) -> None:
    _score(files, tmp_path)
    rejected = pd.read_csv(tmp_path / "rejected.csv")
    assert set(rejected["table"]) == {"cases", "workers"}
    order = {"cases": 0, "workers": 1, "teams": 2}
    keys = list(zip(rejected["table"].map(order), rejected["row"], strict=True))
    assert keys == sorted(keys)


def test_excel_friendly_csv_for_swedish_excel(files: dict[str, Path], tmp_path) -> None:
    _score(files, tmp_path, "--excel-friendly", "--lang", "sv")
    raw = (tmp_path / "workers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads å, ä, ö right
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert len(header.split(";")) >= 6
    assert re.search(r";\d+,\d+;", first), first  # decimal comma
    assert "Belastningsgrad" in header


def test_excel_team_sheet_ends_with_the_unit_total(files: dict[str, Path], tmp_path) -> None:
    _score(files, tmp_path, "--format", "excel")
    book = openpyxl.load_workbook(tmp_path / "arbetstyngd.xlsx")
    rows = [[c.value for c in row] for row in book["Team"].iter_rows()]
    header, *teams, last = rows
    assert len(teams) == 2
    assert last[0] == "Alla"  # the unit, as the console table names it
    n_cases = header.index(next(h for h in header if "rende" in str(h)))
    assert last[n_cases] == sum(t[n_cases] for t in teams)
