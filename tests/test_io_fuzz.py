"""Fuzz: whatever bytes arrive, a reader returns a table or raises the library's own error."""

from __future__ import annotations

import io
import warnings

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import arbetstyngd as at
from arbetstyngd.errors import DataError
from arbetstyngd.io.rejections import READ_REJECTED_COLUMNS

KEY = "fuzz-test-key-0123456789"

HEADERS = ["Dnr", "Handläggare", "Ärendetyp", "Startdatum", "Pnr", "Fas", "Tjg-grad", "Enhet", "x"]
cell = st.one_of(
    st.sampled_from(["", "ja", "1,5", "2025-01-01", "3/2 2025", "45000", '"', "a;b", "\t", "="]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
)


def check(data: bytes | str, reader) -> None:  # type: ignore[no-untyped-def]
    source = io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame = reader(source, key=KEY)
        except DataError:
            return
    assert isinstance(frame, pd.DataFrame)
    assert "source_row" in frame.columns
    assert list(frame.attrs["rejected"].columns) == list(READ_REJECTED_COLUMNS)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    check(data, at.read_cases)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    st.lists(st.lists(cell, max_size=7), max_size=6),
    st.sampled_from([";", ",", "\t", "|"]),
    st.sampled_from([at.read_cases, at.read_workers, at.read_teams]),
    st.booleans(),
)
def test_random_csvish_text(header, rows, delim, reader, as_cp1252) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(delim.join(r) for r in [header, *rows])
    # one read per example (a read has a fixed cost of some 20 ms): text or cp1252 bytes
    check(text.encode("cp1252", errors="replace") if as_cp1252 else text, reader)
