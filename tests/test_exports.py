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
