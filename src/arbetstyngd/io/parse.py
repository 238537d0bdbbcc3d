"""Numbers and dates as Swedish exports write them, parsed column by column.

Each parser returns the parsed values and a mask of values that are present but could not be
parsed: those rows are rejected with the value shown, never guessed. A column is parsed on its
distinct values and mapped back (``pandas.factorize``), so a million rows with a few thousand
distinct dates cost a few thousand parses.

Examples
--------
>>> import pandas as pd
>>> values, bad = parse_numbers(pd.Series(["0,75", "1 234,5", "x", ""]))
>>> values.tolist()[:2], bad.tolist()
([0.75, 1234.5], [False, False, True, False])
>>> text = pd.Series(["2025-03-01", "20250302", "3/4 2025", "45000", "31/2 2025"])
>>> dates, bad = parse_dates(text)
>>> [d.date().isoformat() for d in dates[:4]], bad.tolist()
(['2025-03-01', '2025-03-02', '2025-04-03', '2023-03-15'], [False, False, False, False, True])
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DATE_HELP",
    "arrow_of",
    "dates_and_conflicts",
    "distinct",
    "forget_distinct",
    "order_conflicts",
    "parse_dates",
    "parse_numbers",
    "parse_share",
    "text_column",
]

#: The date forms the readers accept, for messages.
DATE_HELP = "YYYY-MM-DD, YYYYMMDD, YYYY-MM-DD HH:MM, D/M YYYY (day first) or an Excel date number"

# Excel's day 0 is 1899-12-30 (it counts 1900-02-29, which never existed, so serials from
# 1900-03-01 on are right with this origin). Serials outside 1950..2100 are not dates of cases.
_EXCEL_ORIGIN = np.datetime64("1899-12-30", "D")
_SERIAL_MIN, _SERIAL_MAX = 18264, 73051  # 1950-01-01, 2100-01-01

_SPACES = "[\\s\u00a0\u202f\u2009']"
_NUMBER = r"^[+-]?(?:\d+|\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+)(?:[.,]\d+)?(?:[eE][+-]?\d+)?$"


# The Arrow arrays text_column has made, by id: already stripped, so a column passed again
# (each step of a read strips the columns it reads) costs nothing the second time. Weak, so
# an array that is gone frees its entry, and an id reused by a new array is not mistaken.
_STRIPPED: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def text_column(series: pd.Series) -> pd.Series:
    """Values as stripped text (missing stays missing), whatever the column's dtype."""
    arrow = arrow_of(series)
    if arrow is not None and _STRIPPED.get(id(arrow)) is arrow:
        return series.copy(deep=False)
    if series.dtype == object:
        series = series.map(lambda v: v if v is None or isinstance(v, str) else _to_text(v))
    out = series.astype("str").str.strip()
    arrow = arrow_of(out)
    if arrow is not None:
        _STRIPPED[id(arrow)] = arrow
    return out


def arrow_of(series: pd.Series) -> Any:
    """The Arrow array behind a ``str`` column (None for other dtypes and storage)."""
    if series.dtype != "str":
        return None
    to_arrow = getattr(series.array, "__arrow_array__", None)
    return None if to_arrow is None else to_arrow()


def _to_text(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def distinct(series: pd.Series) -> tuple[np.ndarray, Any]:
    """``pandas.factorize(series, use_na_sentinel=True)``, kept while the column lives.

    Several steps of a read factorise the same column (the identity check, dates, numbers);
    an Arrow-backed column is factorised once, and its codes are kept until the column's
    array is gone. The codes are read-only (shared).
    """
    arrow = arrow_of(series)
    if arrow is None:
        return pd.factorize(series, use_na_sentinel=True)
    kept = _DISTINCT.get(id(arrow))
    if kept is not None and kept[0]() is arrow:
        return kept[1], kept[2].copy()  # the Arrow data is shared, not the array object
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes.flags.writeable = False
    _DISTINCT[id(arrow)] = (weakref.ref(arrow), codes, uniques)
    weakref.finalize(arrow, _DISTINCT.pop, id(arrow), None)
    return codes, uniques.copy()


_DISTINCT: dict[int, tuple[Any, np.ndarray, Any]] = {}


def forget_distinct() -> None:
    """Drop the kept codes (a read calls this when its steps are done: a column the caller
    keeps would otherwise keep its codes too). Only speed depends on what is kept."""
    _DISTINCT.clear()


def _factorised(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    codes, uniques = distinct(series)
    return codes, pd.Series(uniques, dtype="string")


def gather(codes: np.ndarray, values: Any, fill: Any = None) -> np.ndarray:
    """``values[codes]`` as an object array, ``fill`` where a code is -1 (missing)."""
    out = np.full(len(codes), fill, dtype=object)
    ok = codes >= 0
    out[ok] = np.asarray(values, dtype=object)[codes[ok]]
    return out


def _spread(codes: np.ndarray, values: np.ndarray, fill: Any) -> np.ndarray:
    # code -1 (missing) takes the fill appended at the end: one gather, no mask
    return np.append(values, np.array([fill], dtype=values.dtype))[codes]


def parse_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers with decimal comma or point and space / NBSP / apostrophe thousands separators.

    A trailing ``%`` is allowed and dropped (see :func:`parse_share` for what it means).

    Returns
    -------
    values : numpy.ndarray of float
        NaN where missing or unparseable.
    bad : numpy.ndarray of bool
        Present but not a number.
    """
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float), np.zeros(len(series), dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(series), dtype=bool)
    codes, uniques = _factorised(text_column(series))
    u = uniques.str.replace(r"\s*%$", "", regex=True)
    # "1.234,5": point thousands, comma decimal (the last separator is the decimal one)
    both = u.str.contains(",", regex=False) & u.str.contains(".", regex=False)
    comma_last = u.str.rfind(",") > u.str.rfind(".")
    u = u.mask(both & comma_last, u.str.replace(".", "", regex=False))
    u = u.mask(both & ~comma_last, u.str.replace(",", "", regex=False))
    # U+2212 is the minus sign Excel writes in some locales
    u = u.str.replace("\u2212", "-", regex=False)
    shaped = u.str.match(_NUMBER).fillna(False)
    cleaned = u.str.replace(_SPACES, "", regex=True).str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(cleaned.where(shaped), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    empty = uniques.eq("").fillna(True).to_numpy(dtype=bool)
    u_bad = np.isnan(parsed) & ~empty
    values = _spread(codes, parsed, np.nan).astype(float)
    bad = _spread(codes, u_bad, False).astype(bool)
    return values, bad


def parse_share(
    series: pd.Series, unit: str = "auto"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """A share of full time (or of working time): ``0,75``, ``75``, ``75 %`` → 0.75.

    Parameters
    ----------
    unit : {"auto", "percent", "share"}
        ``auto``: a value written with ``%`` is a percentage; a column whose numbers exceed
        1.5 is a percentage column. In a percentage column a value of at most 1.5 is
        ambiguous (is ``1`` one per cent or full time?) and is rejected, not guessed.

    Returns
    -------
    values, bad, ambiguous, unit_used
    """
    values, bad = parse_numbers(series)
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        has_pct = np.zeros(len(series), dtype=bool)
    else:
        has_pct = text_column(series).str.endswith("%").fillna(False).to_numpy(dtype=bool)
    finite = ~np.isnan(values)
    if unit not in ("auto", "percent", "share"):
        raise ValueError(f"'unit' must be 'auto', 'percent' or 'share' (got {unit!r})")
    if unit == "auto":
        unit = "percent" if (has_pct.any() or (values[finite] > 1.5).any()) else "share"
    ambiguous = np.zeros(len(values), dtype=bool)
    if unit == "percent":
        ambiguous = finite & ~has_pct & (values > 0) & (values <= 1.5)
        values = np.where(ambiguous, np.nan, values / 100.0)
    else:
        values = np.where(has_pct, values / 100.0, values)
    return values, bad, ambiguous, unit


_ISO = (
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?$"
)
_COMPACT = r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})$"
_DMY = (
    r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.\-]|\s+)(?P<y>\d{4})"
    r"(?:\s+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_SERIAL = r"^\d{5}(?:[.,]\d+)?$"


def _assemble(parts: pd.DataFrame, y: str, m: str, d: str) -> pd.Series:
    frame = pd.DataFrame(
        {
            "year": pd.to_numeric(parts[y], errors="coerce"),
            "month": pd.to_numeric(parts[m], errors="coerce"),
            "day": pd.to_numeric(parts[d], errors="coerce"),
            "hour": pd.to_numeric(parts["H"], errors="coerce") if "H" in parts else 0,
            "minute": pd.to_numeric(parts["M"], errors="coerce") if "M" in parts else 0,
            "second": pd.to_numeric(parts["S"], errors="coerce") if "S" in parts else 0,
        },
        index=parts.index,
    ).fillna({"hour": 0, "minute": 0, "second": 0})
    ok = frame[["year", "month", "day"]].notna().all(axis=1)
    out = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = pd.to_datetime(frame[ok], errors="coerce")
    return out


def _date_order(order: str) -> str:
    if order not in ("auto", "dmy", "mdy"):
        raise ValueError(f"'order' must be 'auto', 'dmy' or 'mdy' (got {order!r})")
    return "mdy" if order == "mdy" else "dmy"


def parse_dates(series: pd.Series, *, order: str = "auto") -> tuple[pd.Series, np.ndarray]:
    """Dates in the forms of :data:`DATE_HELP`, as ``datetime64[ns]``; and a bad-value mask.

    Parameters
    ----------
    order : {"auto", "dmy", "mdy"}
        Order of day and month in slash dates. ``auto`` and ``dmy`` read them day first, the
        Swedish order, whatever the other values of the column are: ``3/4 2026`` is 3 April.
        A value that can only be month first (``4/13/2026``) is bad, not a reason to reread
        the column; :func:`order_conflicts` tells those apart for the message. ``mdy`` reads
        every slash date month first (for a file known to come from a US-configured tool).

    Examples
    --------
    >>> values, bad = parse_dates(pd.Series(["3/4 2026", "13/4 2026", "4/13/2026"]))
    >>> [v.date().isoformat() for v in values[:2]], bad.tolist()
    (['2026-04-03', '2026-04-13'], [False, False, True])
    """
    values, bad, _ = dates_and_conflicts(series, order=order)
    return values, bad


def dates_and_conflicts(
    series: pd.Series, *, order: str = "auto"
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """:func:`parse_dates` and :func:`order_conflicts` in one pass over the distinct values."""
    use = _date_order(order)
    index = series.index
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = series
        if getattr(series.dt, "tz", None) is not None:
            out = series.dt.tz_localize(None)
        none = np.zeros(len(series), dtype=bool)
        return out.astype("datetime64[ns]"), none, none.copy()
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        whole_text = np.array([f"{v:.0f}" for v in np.nan_to_num(numbers)], dtype=object)
        whole_text[np.isnan(numbers)] = None
        as_text = pd.Series(whole_text, index=index, dtype="object")
        whole = np.isnan(numbers) | (numbers == np.floor(np.nan_to_num(numbers)))
        # fractional serials carry a time of day: keep the value for the serial branch
        series = as_text.where(whole, pd.Series(numbers, index=index).astype(str))
    codes, uniques = _factorised(text_column(series))
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")

    iso = uniques.str.extract(_ISO)
    m_iso = iso["y"].notna()
    if m_iso.any():
        parsed[m_iso] = _assemble(iso[m_iso], "y", "m", "d")
    compact = uniques.str.extract(_COMPACT)
    m_c = compact["y"].notna() & ~m_iso
    if m_c.any():
        parsed[m_c] = _assemble(compact[m_c], "y", "m", "d")
    dmy = uniques.str.extract(_DMY)
    m_d = dmy["y"].notna()
    u_conflict = np.zeros(len(uniques), dtype=bool)
    if m_d.any():
        day, month = ("a", "b") if use == "dmy" else ("b", "a")
        parsed[m_d] = _assemble(dmy[m_d], "y", month, day)
        first = pd.to_numeric(dmy[day], errors="coerce")
        second = pd.to_numeric(dmy[month], errors="coerce")
        # impossible as a month in the order used, a possible month the other way round
        u_conflict = (m_d & (second > 12) & (first >= 1) & (first <= 12)).to_numpy(dtype=bool)
    serial = uniques.str.match(_SERIAL).fillna(False) & ~m_c
    if serial.any():
        number = pd.to_numeric(uniques[serial].str.replace(",", ".", regex=False))
        in_range = (number >= _SERIAL_MIN) & (number < _SERIAL_MAX)
        stamp = pd.Series(pd.NaT, index=number.index, dtype="datetime64[ns]")
        stamp[in_range] = pd.Timestamp(str(_EXCEL_ORIGIN)) + pd.to_timedelta(
            number[in_range], unit="D"
        )
        parsed[serial] = stamp
    empty = uniques.eq("").fillna(True)
    u_bad = (parsed.isna() & ~empty).to_numpy(dtype=bool)
    stamps = parsed.to_numpy(dtype="datetime64[ns]")
    result = _spread(codes, stamps, np.datetime64("NaT", "ns"))
    bad = _spread(codes, u_bad, False).astype(bool)
    u_conflict &= u_bad
    conflicts = (
        _spread(codes, u_conflict, False).astype(bool)
        if u_conflict.any()
        else np.zeros(len(codes), dtype=bool)
    )
    return pd.Series(result, index=index, dtype="datetime64[ns]"), bad, conflicts


def order_conflicts(series: pd.Series, *, order: str = "auto") -> np.ndarray:
    """Slash dates that are impossible in ``order`` but would be dates in the other order.

    Day first (``auto``, ``dmy``): ``4/13/2026`` (13 is no month). Month first (``mdy``):
    ``13/4 2026``. Readers reject these like any bad date, but say why, so that a file that
    really is month first gets ``date_order="mdy"`` rather than a fix of every row.

    Examples
    --------
    >>> order_conflicts(pd.Series(["4/13/2026", "13/4 2026", "3/4 2026", "x"])).tolist()
    [True, False, False, False]
    """
    return dates_and_conflicts(series, order=order)[2]
