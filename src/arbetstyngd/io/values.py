"""Dates, shares and numbers as Swedish exports write them, each bad cell a rejected row.

Readers accept these forms (see :mod:`.parse` for the details):

* **dates** (``opened``, ``closed``, ``profession_start``): ``2026-02-03``,
  ``2026-02-03 00:00``, ``20260203``, ``3/2 2026`` and ``3/2/2026`` (day first;
  ``date_order="mdy"`` reads a whole file month first), ``3.2.2026``, Excel date cells and
  serial numbers (``46056``); a value that can only be month first is rejected
  (``not_a_date``).
* **shares** (``fte``, ``reduction``): ``0,75``, ``0.75``, ``75``, ``75 %``; a column whose
  values are above 1.5 is read as per cent (``fte_unit="auto"``), ``fte_unit="percent"`` or
  ``"share"`` decides; a value that could be either is rejected (``percent_ambiguous``).
* **numbers**: ``1,5``, ``1.5``, ``1 234,5`` (space or thin space between thousands).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._contract.columns import column
from ..errors import Phrase, Said
from . import personnummer as pnr
from .columns import CANONICAL
from .parse import (
    DATE_HELP,
    dates_and_conflicts,
    distinct,
    parse_numbers,
    parse_share,
    text_column,
)
from .reading import Reading
from .rejections import shown

__all__ = [
    "DATES",
    "ID_COLUMNS",
    "NUMBERS",
    "SHARES",
    "is_number_column",
    "parse_values",
    "parsed_columns",
]

DATES = {"cases": ("opened", "closed"), "workers": ("profession_start",), "teams": ()}
SHARES = {"cases": (), "workers": ("fte", "reduction"), "teams": ()}
# the engine's ranges (the data contract), here for values written in per cent
_SHARE_RANGE = {
    c: (*(column("workers", c).bounds or ()), column("workers", c).closed[1])
    for c in ("fte", "reduction")
}
_SHARE_TEXT = {"fte": "above 0 % and at most 150 %", "reduction": "from 0 % up to below 100 %"}
_SHARE_CODE = {"fte": "fte_out_of_range", "reduction": "reduction_out_of_range"}
NUMBERS = {
    "cases": (),
    "workers": ("experience_years",),
    "teams": ("span_of_control", "supervision_hours", "support_score"),
}
ID_COLUMNS = {"case_id", "worker_id", "team_id", "manager_id", "subject_id"}


def parsed_columns(kind: str) -> set[str]:
    """The columns of ``kind`` read as dates, shares or numbers."""
    return set(DATES[kind]) | set(SHARES[kind]) | set(NUMBERS[kind])


def parse_values(r: Reading, *, date_order: str, fte_unit: str) -> None:
    """Parse the date, share and number columns of ``r.frame`` in place; reject bad cells."""
    for col in DATES[r.kind]:
        if col in r.frame.columns:
            _parse_dates(r, col, date_order)
    for col in SHARES[r.kind]:
        if col in r.frame.columns:
            _parse_share(r, col, fte_unit)
    for col in NUMBERS[r.kind]:
        if col in r.frame.columns:
            numbers, mask = parse_numbers(r.frame[col])
            r.reject(
                mask,
                col,
                r.frame[col],
                f"'{col}' is not a number; write it as 1,5 or 1.5",
                "not_a_number",
            )
            r.frame[col] = numbers
    _extra_numbers(r.frame, r.kind)


def _parse_dates(r: Reading, col: str, date_order: str) -> None:
    frame = r.frame
    dates, mask, other = dates_and_conflicts(frame[col], order=date_order)
    if mask.any() and not is_number_column(frame[col]):
        unparsed = np.flatnonzero(mask)
        number = np.zeros(len(mask), dtype=bool)
        number[unparsed] = pnr.whole_number_identity(frame[col].iloc[unparsed], stripped=True)[0]
        r.reject(
            number,
            col,
            None,
            f"'{col}' holds what looks like a personal identity number; the value is "
            "not shown. Check the column mapping",
            "unreadable_value",
        )
        mask &= ~number
    if date_order == "mdy":
        why = (
            f"'{col}' can only be read day first (the first number is above 12), but "
            "date_order='mdy' reads dates month first; write it as YYYY-MM-DD or leave "
            "out date_order"
        )
    else:
        why = (
            f"'{col}' reads as month first (the second number is above 12, so it is "
            "no month); dates are read day first, D/M YYYY. Write it as YYYY-MM-DD, "
            "or pass date_order='mdy' if the whole file is month first"
        )
    r.reject(other & mask, col, frame[col], why, "not_a_date")
    r.reject(
        mask & ~other,
        col,
        frame[col],
        f"'{col}' is not a date; write it as {DATE_HELP}",
        "not_a_date",
    )
    frame[col] = dates


def _parse_share(r: Reading, col: str, fte_unit: str) -> None:
    frame = r.frame
    shares, nan_bad, ambiguous, unit = parse_share(frame[col], fte_unit)
    r.reject(
        nan_bad,
        col,
        frame[col],
        f"'{col}' is not a number; write it as 0,75 or 75 %",
        "not_a_number",
    )
    r.reject(
        ambiguous,
        col,
        frame[col],
        f"'{col}' is ambiguous: the column is in per cent but this value is at most "
        "1.5 (one per cent or a share?); write it as a per cent or set fte_unit",
        "percent_ambiguous",
    )
    if unit == "percent":
        r.notes.append(
            Said("note.percent", column=col, example=_percent_example(frame[col], shares))
        )
        # out-of-range values are named as written (75 %, -1), not as the share
        # they became, and the engine's percentage hint would be wrong here
        low, high, closed_high = _SHARE_RANGE[col]
        outside = ~np.isnan(shares) & ~(
            (shares >= low if col == "reduction" else shares > low)
            & (shares <= high if closed_high else shares < high)
        )
        r.reject(
            outside,
            col,
            frame[col],
            f"'{col}' must be {_SHARE_TEXT[col]} of full time (the column is in per cent)",
            _SHARE_CODE[col],
        )
    frame[col] = shares


def is_number_column(s: pd.Series) -> bool:
    """Numbers (not booleans), as stored in Excel cells or Parquet columns."""
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _percent_example(values: pd.Series, shares: np.ndarray) -> Phrase:
    """``for example '80' → 0.8``, from the first value of the column that was converted."""
    text = text_column(values)
    ok = np.flatnonzero(~np.isnan(shares) & text.fillna("").ne("").to_numpy(dtype=bool))
    if not len(ok):
        return Phrase("note.for_example", {"value": "75", "share": "0.75"})
    i = int(ok[0])
    return Phrase(
        "note.for_example", {"value": repr(shown(text.iloc[i])), "share": f"{shares[i]:g}"}
    )


def _extra_numbers(frame: pd.DataFrame, kind: str) -> None:
    """Unmapped columns whose every value is a Swedish-written number become numbers."""
    known = set(CANONICAL[kind]) | ID_COLUMNS
    for col in frame.columns:
        if col in known:
            continue
        s = frame[col]
        if not pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
            continue
        text = text_column(s)
        # judged on the distinct values: each of them is some cell's value
        uniques = pd.Series(distinct(text)[1], dtype=text.dtype)
        present = uniques.ne("")
        if not present.any():
            continue
        # leading zeros mark codes (postcodes, ids), not quantities
        if uniques[present].str.match(r"^0\d").any():
            continue
        values, bad = parse_numbers(text)
        if not bad.any():
            frame[col] = values
