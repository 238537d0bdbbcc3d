"""Writing back: formula injection neutralised, no float noise, Excel-friendly CSV, order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.io import writers
from arbetstyngd.io.writers import (
    DECIMALS,
    round_figures,
    safe_cell,
    safe_frame,
    sorted_rejections,
    write_csv,
    write_workload,
)


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
    cases.loc[cases.index[3], "case_type"] = "no such type"
    cases.loc[cases.index[1], "case_type"] = "nor this"
    return at.score(cases, town.workers, town.scheme, teams=town.teams, on=town.on)


def test_excel_friendly_csv(tmp_path: Path) -> None:
    wl = _workload()
    paths = write_workload(wl, tmp_path, excel_friendly=True)
    workers = next(p for p in paths if p.name == "workers.csv")
    raw = workers.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert ";" in header and "," in first
    # for people: Swedish headers and band names
    assert header.startswith("Handläggare;Team") and "Belastningsgrad" in header
    cases = (tmp_path / "cases.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in cases and "\n=HYPERLINK" not in cases


def test_plain_csv_keeps_the_library_column_names(tmp_path: Path) -> None:
    wl = _workload()
    wl.to_csv(tmp_path / "plain")
    wl.to_csv(tmp_path / "en", lang="en")
    plain = pd.read_csv(tmp_path / "plain" / "workers.csv")
    assert list(plain.columns) == list(wl.workers.columns)
    english = pd.read_csv(tmp_path / "en" / "workers.csv")
    assert "Utilisation" in english.columns and "Caseworker" in english.columns
    assert set(english["Band"]) <= {"low", "balanced", "high", "critical"}


def test_round_figures_removes_float_noise() -> None:
    noisy = pd.DataFrame(
        {
            "load": [13.700000000000001, 0.1 + 0.2],
            "utilisation": [1.0666666666, 0.123456789],
            "tolk_factor": [1.2000000000000002, 1.0],
            "n_cases": [3, 4],
            "other": [0.1 + 0.2, 1.0],
        }
    )
    out = round_figures(noisy)
    assert out["load"].tolist() == [13.7, 0.3]
    assert out["utilisation"].tolist() == [1.0667, 0.1235]
    assert out["tolk_factor"].tolist() == [1.2, 1.0]
    assert out["n_cases"].tolist() == [3, 4]
    assert out["other"].iloc[0] == 0.1 + 0.2  # not a documented figure: left alone
    assert noisy["load"].iloc[0] == 13.700000000000001  # the input is not modified
    assert DECIMALS["load"] == DECIMALS["capacity"] == DECIMALS["points"] == 2


def test_csv_has_no_float_noise_but_parquet_keeps_precision(tmp_path: Path) -> None:
    wl = at.datasets.make_municipality(n_workers=12, n_teams=2, seed=2).score()
    wl.to_csv(tmp_path / "csv")
    wl.to_parquet(tmp_path / "pq")
    for name in ("cases", "workers", "teams"):
        text = (tmp_path / "csv" / f"{name}.csv").read_text(encoding="utf-8")
        # no number with more than four decimals
        assert not pd.Series(text.split(",")).str.fullmatch(r"-?\d+\.\d{5,}").any(), name
    back = pd.read_parquet(tmp_path / "pq" / "workers.parquet")
    assert back["capacity"].tolist() == wl.workers["capacity"].tolist()
    csv = pd.read_csv(tmp_path / "csv" / "workers.csv")
    assert csv["load"].tolist() == wl.workers["load"].round(2).tolist()


def test_rejected_csv_is_sorted_by_table_and_row(tmp_path: Path) -> None:
    wl = _workload()
    shuffled = wl.rejected.sample(frac=1.0, random_state=3)
    ordered = sorted_rejections(shuffled)
    assert ordered["row"].tolist() == sorted(ordered["row"].tolist())
    mixed = pd.DataFrame(
        {"table": ["workers", "cases", "teams", "cases"], "row": [2, 25, 3, 7], "reason": "x"}
    )
    back = sorted_rejections(mixed)
    assert list(zip(back["table"], back["row"], strict=True)) == [
        ("cases", 7),
        ("cases", 25),
        ("workers", 2),
        ("teams", 3),
    ]
    wl.to_csv(tmp_path)
    written = pd.read_csv(tmp_path / "rejected.csv")
    assert written["row"].tolist() == sorted(written["row"].tolist())


@pytest.mark.parametrize("excel_friendly", [False, True])
def test_write_csv_quotes_a_lone_carriage_return(tmp_path: Path, excel_friendly: bool) -> None:
    frame = pd.DataFrame({"reason": ["fine", "a\r=1+1", "b\n@SUM(1)"], "row": [2, 3, 4]})
    path = write_csv(frame, tmp_path / "r.csv", excel_friendly=excel_friendly)
    raw = path.read_bytes()
    # every record ends in CRLF; the lone CR and LF are inside quotes
    assert b'"a\r=1+1"' in raw and b'"b\n@SUM(1)"' in raw
    sep = ";" if excel_friendly else ","
    back = pd.read_csv(path, sep=sep, encoding="utf-8-sig")
    assert back["reason"].tolist() == frame["reason"].tolist()


def test_dead_excel_writer_is_gone() -> None:
    assert not hasattr(writers, "write_workload_excel")
    assert not hasattr(at.io, "write_workload_excel")


def test_parquet(tmp_path: Path) -> None:
    wl = _workload()
    paths = write_workload(wl, tmp_path / "pq", format="parquet")
    assert any(p.suffix == ".parquet" for p in paths)
    with pytest.raises(ValueError, match="'format' must be"):
        write_workload(wl, tmp_path, format="xlsx")  # type: ignore[arg-type]
