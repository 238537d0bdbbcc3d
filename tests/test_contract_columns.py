"""The declarative data contract: one entry per column, everything else derived from it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

import arbetstyngd as at
from arbetstyngd import contracts
from arbetstyngd._contract import columns
from arbetstyngd.io import columns as io_columns

DOCS = Path(__file__).parents[1] / "docs" / "data-contract.md"


@pytest.mark.parametrize("table", columns.TABLES)
def test_the_documented_column_tables_are_generated_from_the_contract(table):
    assert columns.markdown_table(table) in DOCS.read_text(encoding="utf-8")


def test_each_column_is_declared_once_with_labels_in_both_languages():
    keys = [(c.table, c.name) for c in columns.CONTRACT]
    assert len(keys) == len(set(keys))
    for c in columns.CONTRACT:
        assert c.sv and c.en, c
        assert not c.synonyms or c.synonyms[0] == c.name, c


def test_the_readers_use_the_contracts_synonyms_and_columns():
    assert io_columns.SYNONYMS is columns.SYNONYMS
    assert io_columns.CANONICAL["workers"] == columns.WORKER_COLUMNS


def test_the_fte_interval_is_written_once_and_used_by_engine_and_schema():
    fte = columns.column("workers", "fte")
    assert fte.interval() == "(0, 1.5]"
    assert fte.contains(1.5) and not fte.contains(0.0) and not fte.contains(1.51)
    wl = at.datasets.make_municipality(n_workers=4, n_teams=1, seed=0).score()
    bad = wl.workers.assign(fte=2.0)
    with pytest.raises(pandera.errors.SchemaErrors, match=r"fte in \(0, 1.5\]"):
        contracts.WORKERS.validate(bad, lazy=True)


def test_an_unknown_column_is_a_key_error():
    with pytest.raises(KeyError, match="no canonical column 'nope'"):
        columns.column("workers", "nope")


def test_required_columns_come_from_the_contract():
    assert columns.required_columns("workers") == ("worker_id", "fte", "team_id")
    assert columns.REQUIRED["reductions"] == ("worker_id", "share")
    assert isinstance(columns.markdown_table("teams"), str)
    assert pd.Series(columns.CASE_COLUMNS).is_unique
