"""Personal data first: identity numbers become keyed pseudonyms before anything is shown.

Every value of ``subject_id``, every personnummer inside any other text column, every valid
number stored as a number (integers lose leading zeros; see
:func:`.personnummer.whole_number_identity`) becomes a pseudonym; a column that is parsed
(dates, shares, numbers) and holds one has the value blanked and the row rejected.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from . import personnummer as pnr
from .parse import arrow_of, distinct, parse_dates, text_column
from .pseudonym import Pseudonymiser
from .reading import Reading
from .values import DATES, is_number_column, parsed_columns

__all__ = ["pseudonymise_cells"]

# values sampled to judge whether a column repeats enough to be checked on its distinct values
_SAMPLE = 20_000
# tables from this many rows pseudonymise the subject column in a thread of its own
_THREADED_ROWS = 200_000
# the HMAC loop and two column passes
_THREADS = 3

IDENTITY_REASON = (
    "'{col}' holds what looks like a personal identity number; the value is not shown. "
    "Check the column mapping"
)


def pseudonymise_cells(
    r: Reading, pseudo: Pseudonymiser, *, demographics: bool, date_order: str
) -> tuple[dict[str, int], dict[str, Any]]:
    """Replace identity numbers in ``r.frame``; reject parsed cells that hold one.

    Returns the cells pseudonymised per column and the demographic columns to add (age band
    and sex, from ``subject_id`` before it is replaced, when ``demographics``).
    """
    frame, kind = r.frame, r.kind
    pseudonymised: dict[str, int] = {}
    out: dict[str, Any] = {}
    if "subject_id" in frame.columns:
        subject = _identity_text(frame["subject_id"])
        if demographics:
            on = None
            if "opened" in frame.columns:
                on, _ = parse_dates(frame["opened"], order=date_order)
            demo = pnr.age_band_and_sex(subject, on)
            out["subject_age_band"] = demo["age_band"].to_numpy(dtype=object)
            out["subject_sex"] = demo["sex"].to_numpy(dtype=object)
        pseudonymised["subject_id"] = 0  # first in the report, counted below
    parsed = parsed_columns(kind)
    hidden_cells: dict[str, np.ndarray] = {}
    threaded = _side_by_side(pseudo, len(frame))
    columns = [c for c in frame.columns if c != "subject_id"]
    series = [frame[c] for c in columns]

    def one(i: int) -> tuple[pd.Series | None, np.ndarray | None, int]:
        col = columns[i]
        return _pseudonymise_column(series[i], col in parsed, col in DATES[kind], pseudo)

    with ThreadPoolExecutor(_THREADS) as pool:
        # The HMAC loop holds the GIL; the column passes spend most of their time in Arrow
        # kernels that release it, so on a large table they run side by side. Each pass only
        # reads its column; the frame is written here, in order.
        tokens = (
            pool.submit(pseudo.identifiers, subject)
            if "subject_id" in frame.columns and threaded
            else None
        )
        done_columns = (
            pool.map(one, range(len(columns))) if threaded else map(one, range(len(columns)))
        )
        for col, (values, hit, cells) in zip(columns, done_columns, strict=True):
            if values is not None:
                frame[col] = values
            if hit is not None:
                hidden_cells[col] = hit
            if cells:
                pseudonymised[col] = cells
        if "subject_id" in frame.columns:
            done = pseudo.identifiers(subject) if tokens is None else tokens.result()
            pseudonymised["subject_id"] = int(done.notna().sum())
            frame["subject_id"] = done.astype("str")
    # rejected only now, so that the row's id shown with them is already pseudonymised
    for col, hit in hidden_cells.items():
        r.reject(hit, col, None, IDENTITY_REASON.format(col=col), "unreadable_value")
    return pseudonymised, out


def _side_by_side(pseudo: Pseudonymiser, rows: int) -> bool:
    """Pseudonymise the subject column in a thread of its own (large tables, threads allowed).

    Not with a random key: its warning is raised where the caller can catch it.
    """
    import pyarrow as pa

    return rows >= _THREADED_ROWS and pseudo.source != "random" and pa.cpu_count() > 1


def _pseudonymise_column(
    s: pd.Series, parsed: bool, is_date: bool, pseudo: Pseudonymiser
) -> tuple[pd.Series | None, np.ndarray | None, int]:
    """One column: ``(its new values or None if unchanged, cells of a parsed column that held
    an identity number, cells replaced)``."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if is_number_column(s):
        # BI tools and Parquet files keep identity numbers as integers
        whole, forms = pnr.whole_number_identity(s)
        if parsed:
            return (s.mask(whole) if whole.any() else s), whole, 0
        if whole.any():
            text = _number_text(s)
            text[whole] = pseudo.identifiers(pd.Series(forms[whole])).to_numpy(dtype=object)
            return text.astype("str"), None, int(whole.sum())
        return None, None, 0
    if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
        return None, None, 0
    text = text_column(s)
    if _nothing_to_find(text, parsed, is_date):
        return text, None, 0
    if parsed:
        hit = pnr.contains_personnummer(text)
        if not is_date:
            # dates: a whole number of 7-12 digits is never a date, so only the values
            # that fail to parse are checked (when dates are parsed), not the whole column
            hit |= pnr.whole_number_identity(text, stripped=True)[0]
        return text.mask(hit, ""), hit, 0
    whole, forms = pnr.whole_number_identity(text, stripped=True)
    replaced, cells = pseudo.in_text(text)
    if whole.any():
        replaced = replaced.astype(object)
        replaced[whole] = pseudo.identifiers(pd.Series(forms[whole])).to_numpy(dtype=object)
        cells = int((whole | text.ne(replaced).fillna(False).to_numpy(dtype=bool)).sum())
    return (replaced.astype("str") if cells else text), None, cells


def _number_text(s: pd.Series) -> pd.Series:
    """Numbers as text: whole values without ``.0``, so ids keep the form they were written in."""
    if pd.api.types.is_integer_dtype(s.dtype):
        return s.astype("str").astype(object).where(s.notna(), None)
    numbers = s.to_numpy(dtype=float, na_value=np.nan)
    out = np.full(len(s), None, dtype=object)
    finite = np.isfinite(numbers)
    whole = finite & (numbers == np.floor(np.where(finite, numbers, 0)))
    out[whole] = numbers[whole].astype(np.int64).astype(str)
    out[finite & ~whole] = numbers[finite & ~whole].astype(str)
    return pd.Series(out, index=s.index, dtype=object)


def _identity_text(subject: pd.Series) -> pd.Series:
    """A subject column as text in which identity numbers stored as numbers have their zeros
    back, so that a 10-digit number of someone born 2000–2009 stored as an integer (which
    lost its leading zero) and the same number as text get the same pseudonym."""
    if isinstance(subject.dtype, pd.CategoricalDtype):
        subject = subject.astype(object)
    # Text as written (the pseudonymiser strips it): one pass over the column less. Every
    # subject value is pseudonymised anyway; restoring zeros only makes the pseudonym match
    # the text form, so a number with stray spaces around it need not be looked for.
    if is_number_column(subject):
        text = _number_text(subject)
    else:
        text = text_column(subject) if subject.dtype == object else subject.astype("str")
    text = text.astype("str")
    # on the distinct values (the pseudonymiser's pass finds them again at no cost)
    codes, uniques = distinct(text)
    u = pd.Series(uniques, dtype=text.dtype)
    whole_u, forms_u = pnr.whole_number_identity(u, stripped=True, weights=_cells(codes, len(u)))
    if whole_u.any():
        whole = np.append(whole_u, False)[codes]
        text = text.astype(object)
        text[whole] = forms_u[codes[whole]]
    return text.astype("str")


def _nothing_to_find(text: pd.Series, parsed: bool, is_date: bool) -> bool:
    """True when no cell of ``text`` (stripped) holds anything the column pass would replace.

    Decided on the distinct values (a column of case types or dates has a few hundred in a
    million rows), with the same checks, so the answer is exact; a column with few repeats,
    or one where something is found, gets the whole-column pass (the oracle of this one).
    """
    import pyarrow.compute as pc

    arrow = arrow_of(text)
    if arrow is None or not len(arrow):
        return False
    longest = pc.max(pc.binary_length(arrow)).as_py()
    if longest is None or longest < 7 or not _any_digit(arrow):
        return True  # a number needs digits: 7 at least for a whole number, 10 written
    sample = arrow.slice(0, _SAMPLE)
    if pc.count_distinct(sample).as_py() > len(sample) // 2:
        return False
    codes, uniques = distinct(text)
    u = pd.Series(uniques, dtype=text.dtype)
    if pnr.contains_personnummer(u).any():
        return False
    if parsed and is_date:
        return True
    return not pnr.whole_number_identity(u, stripped=True, weights=_cells(codes, len(u)))[0].any()


def _any_digit(arrow: Any) -> bool:
    """Whether any value of an Arrow string column has an ASCII digit (from its bytes)."""
    import pyarrow as pa

    for chunk in arrow.chunks:
        if len(chunk) == 0:
            continue
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        _, offset_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(
            offset_buffer, width, count=len(chunk) + 1, offset=chunk.offset * width.itemsize
        )
        low, high = int(offsets[0]), int(offsets[-1])
        if high > low and data_buffer is not None:
            raw = np.frombuffer(data_buffer, np.uint8, count=high - low, offset=low)
            if ((raw >= 0x30) & (raw <= 0x39)).any():
                return True
    return False


def _cells(codes: np.ndarray, n: int) -> np.ndarray:
    """Cells per distinct value, from codes (-1, missing, not counted)."""
    return np.bincount(codes + 1, minlength=n + 1)[1:]
