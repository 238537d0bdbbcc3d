"""Swedish personal identity numbers: recognise, validate, normalise and make synthetic ones.

A personnummer is ``YYMMDD-NNNC`` (10 digits) or ``YYYYMMDDNNNC`` (12 digits). The separator
is ``-``, or ``+`` from the year a person turns 100; ``C`` is a Luhn check digit over the
10-digit form. A samordningsnummer (coordination number) adds 60 to the day. Some registers
use interim numbers with a letter in the first serial position (``YYMMDD-T123``); these carry
no Luhn digit that can be checked.

Everything here works on whole columns at once (regular expressions and numpy), because an
export has one number per row and may have a million rows.

Examples
--------
>>> from arbetstyngd.io.personnummer import synthetic_personnummer, is_valid
>>> numbers = synthetic_personnummer(3, seed=1)
>>> all(is_valid(n) for n in numbers)
True
>>> wrong_check_digit = numbers[0][:-1] + str((int(numbers[0][-1]) + 1) % 10)
>>> is_valid(wrong_check_digit)
False
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .pnr_scan import arrow_text, luhn, scan

__all__ = [
    "AGE_BANDS",
    "PNR_PATTERN",
    "age_band_and_sex",
    "contains_personnummer",
    "is_valid",
    "luhn_check_digit",
    "normalise",
    "normalise_match",
    "redact",
    "synthetic_personnummer",
    "validate",
    "whole_number_identity",
]

# Groups: century, year, month, day, separator, serial (3: first may be a letter), check digit.
# Digits on either side must not continue the number: a 13-digit case number is not a match.
PNR_PATTERN = (
    r"(?<![0-9])(?P<cc>1[89]|20)?(?P<yy>[0-9]{2})(?P<mm>0[1-9]|1[0-2])"
    r"(?P<dd>0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])(?P<sep>[-+ ]?)"
    r"(?P<serial>[0-9A-Za-z][0-9]{2})(?P<check>[0-9])(?![0-9])"
)
_PNR = re.compile(PNR_PATTERN)
# The core without look-arounds, so that pyarrow's RE2 engine can run it in C: anchors do the
# work of the look-arounds for whole values, and explicit non-digit guards for searches.
_CORE = PNR_PATTERN.removeprefix("(?<![0-9])").removesuffix("(?![0-9])")
_FULL_RE2 = r"^\s*" + _CORE + r"\s*$"
_SEARCH_RE2 = "(?:^|[^0-9])" + re.sub(r"\(\?P<\w+>", "(?:", _CORE) + "(?:[^0-9]|$)"

#: Age bands used by social services statistics (barn, ungdom, unga vuxna, vuxna, äldre).
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 5, "0-5"),
    (6, 12, "6-12"),
    (13, 17, "13-17"),
    (18, 20, "18-20"),
    (21, 64, "21-64"),
    (65, 79, "65-79"),
    (80, 200, "80+"),
)

REDACTED = "<personnummer>"

# A whole number written as digits (a BI tool's integer column, an Excel number cell, a float
# column written as text): 7 to 12 digits and an optional ".0".
# Forms that cannot be a number (8 digits not starting 10-12, so never a YYYYMMDD date, and
# 11 digits) are left out here, so that a column of compact dates costs one C-speed scan.
_WHOLE_RE2 = (
    r"^\s*([0-9]{7}|1[0-2][0-9]{6}|[0-9]{9}|[0-9]{10}|(?:1[89]|20)[0-9]{10})(?:[.,]0+)?\s*$"
)
# Free text: a run of exactly nine digits may be a 10-digit number that lost its leading zero.
_NINE = re.compile(r"(?<![0-9])[0-9]{9}(?![0-9])")
#: Share of a column's whole numbers that must be valid identity numbers before 7- and 8-digit
#: numbers in it are read as numbers of people born in 2000 (see :func:`whole_number_identity`).
SHORT_FORM_EVIDENCE = 0.5


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit of the first nine digits of a 10-digit personnummer.

    Examples
    --------
    >>> luhn_check_digit("811218987")
    6
    """
    digits = np.frombuffer(nine_digits.encode("ascii"), dtype=np.uint8) - 48
    return int(luhn(digits[None, :])[0])


def validate(values: Sequence[Any] | pd.Series, *, today: dt.date | None = None) -> pd.DataFrame:
    """Check whole values as personnummer / samordningsnummer, vectorised.

    Returns one row per value with ``matched`` (has the shape of a number), ``valid`` (a real
    date and a correct Luhn digit, or an interim number with a real date), ``samordning``,
    ``interim`` and ``normalised`` (the 12-digit form ``YYYYMMDDNNNC``, or ``None``). The
    values are read from their bytes (:mod:`.pnr_scan`).

    Examples
    --------
    >>> from arbetstyngd.io.personnummer import synthetic_personnummer
    >>> n = synthetic_personnummer(1, seed=3, form="10")[0]
    >>> validate([n, "hello"])[["matched", "valid"]].to_numpy().tolist()
    [[True, True], [False, False]]
    """
    series = (
        values.reset_index(drop=True)
        if isinstance(values, pd.Series)
        else pd.Series(list(values), dtype=object)
    )
    found = scan(series, today=today)
    return pd.DataFrame(
        {
            "matched": found.matched,
            "valid": found.valid,
            "samordning": found.samordning,
            "interim": found.interim,
            "normalised": pd.Series(found.normalised_text(), dtype=object),
        },
        index=series.index,
    )


def is_valid(value: str, *, today: dt.date | None = None) -> bool:
    """True when ``value`` is a valid personnummer, samordningsnummer or interim number."""
    return bool(validate([value], today=today)["valid"].iloc[0])


def normalise(value: str, *, today: dt.date | None = None) -> str | None:
    """The 12-digit form ``YYYYMMDDNNNC`` of a number in any accepted form (``None`` if none).

    Examples
    --------
    >>> from arbetstyngd.io.personnummer import synthetic_personnummer
    >>> ten = synthetic_personnummer(1, seed=5, form="10", sep="-")[0]
    >>> len(normalise(ten))
    12
    """
    result = validate([value], today=today)["normalised"].iloc[0]
    return None if result is None else str(result)


def normalise_match(match: re.Match[str], this_year: int | None = None) -> str:
    """The 12-digit form of one regex match of :data:`PNR_PATTERN` (no validation)."""
    g = match.groupdict()
    yy = int(g["yy"])
    if g["cc"]:
        year = int(g["cc"]) * 100 + yy
    else:
        ref = this_year or dt.date.today().year
        year = (1900 + yy if 2000 + yy > ref else 2000 + yy) - (100 if g["sep"] == "+" else 0)
    return f"{year:04d}{g['mm']}{g['dd']}{g['serial'].upper()}{g['check']}"


def may_contain_personnummer(values: pd.Series) -> bool:
    """Cheap test: False when no value is long enough to hold a number (ten characters)."""
    import pyarrow.compute as pc

    if not len(values):
        return False
    longest = pc.max(pc.utf8_length(arrow_text(values))).as_py()
    return longest is not None and longest >= 10


def contains_personnummer(values: pd.Series) -> np.ndarray:
    """True where a text value contains something shaped like a personnummer.

    Shape means a real-looking date part (day 1-31 or 61-91) and the serial digits; the check
    digit is not required, because a mistyped number is still somebody's number.
    """
    if not len(values):
        return np.zeros(0, dtype=bool)
    import pyarrow.compute as pc

    arrow = arrow_text(values)
    # the shortest number has ten characters: most columns (types, phases, short ids) are done
    longest = pc.max(pc.utf8_length(arrow)).as_py()
    if longest is None or longest < 10:
        return np.zeros(len(values), dtype=bool)
    hit = pc.match_substring_regex(arrow, _SEARCH_RE2)
    return hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def whole_number_identity(
    values: pd.Series,
    *,
    today: dt.date | None = None,
    stripped: bool = False,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cells that are whole numbers and, read as identity numbers, valid ones.

    BI tools and Parquet files often store identity numbers as integers, and Excel stores them
    as number cells. A 12-digit integer is ``YYYYMMDDNNNC``, a 10-digit one ``YYMMDDNNNC``.
    An integer drops leading zeros, so a person born in 2000-2009 (or 1900-1909) has a
    10-digit number that arrives with 9 digits, and one born in 2000 with 8 or 7 (``YY`` is
    ``00``, and ``MM`` loses its zero in January-September). The rules:

    * 9, 10 and 12 digits (9 padded with one zero): taken when the number is *valid*: a real
      date (day + 60 for a samordningsnummer) and a right Luhn digit. About 0.7 % of arbitrary
      9-digit numbers pass; pseudonymising those is the safe mistake, leaking a child's number
      is not.
    * 7 and 8 digits (padded to 10): taken only in a column where at least
      :data:`SHORT_FORM_EVIDENCE` of the whole numbers of 7 to 12 digits are valid identity
      numbers, because about 6 % of arbitrary 7-digit numbers (amounts, counts) pass.
    * 11 digits: never (no written form loses exactly one leading digit of 12).

    Unlike the free-text search, a mistyped check digit is not taken: a column of numbers is
    not somebody's writing, and most 10-digit numbers are date-shaped by chance.

    Parameters
    ----------
    values : pandas.Series
        Any dtype: integers, floats (whole values), objects (Excel cells) or text of digits
        (``503151234`` or ``503151234.0``).
    stripped : bool
        Text values have no surrounding spaces already (the readers strip every column), so
        the scan can skip stripping them again.
    weights : numpy.ndarray of int, optional
        Cells per value, when ``values`` are the distinct values of a column: the share of
        valid numbers that admits 7- and 8-digit forms is a share of the column's cells.

    Returns
    -------
    mask : numpy.ndarray of bool
        The cells that are identity numbers.
    forms : numpy.ndarray of object
        Their 10- or 12-digit written form (zeros restored), ``None`` elsewhere; give these to
        :meth:`Pseudonymiser.identifiers` to get the pseudonym the text form gets.

    Examples
    --------
    >>> n = synthetic_personnummer(1, seed=1, sep="", born=(2005, 2005))[0]   # 2005MMDDNNNC
    >>> mask, forms = whole_number_identity(pd.Series([int(n[2:]), 42]))
    >>> mask.tolist(), forms[0] == n[2:]
    ([True, False], True)
    """
    n = len(values)
    mask = np.zeros(n, dtype=bool)
    forms = np.full(n, None, dtype=object)
    if not n or pd.api.types.is_bool_dtype(values.dtype):
        return mask, forms
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            where = (numbers >= 1e6) & (numbers < 1e12) & (numbers == np.floor(numbers))
        where &= np.isfinite(numbers)
        if not where.any():
            return mask, forms
        digits = numbers[where].astype(np.int64).astype(str).astype(object)
        positions = np.flatnonzero(where)
    elif pd.api.types.is_datetime64_any_dtype(values.dtype) or isinstance(
        values.dtype, pd.CategoricalDtype | pd.IntervalDtype | pd.PeriodDtype
    ):
        if isinstance(values.dtype, pd.CategoricalDtype):
            return whole_number_identity(
                values.astype(object), today=today, stripped=stripped, weights=weights
            )
        return mask, forms
    else:
        text = _whole_digits_in_text(values, stripped)
        if text is None:
            return mask, forms
        digits, positions = text
    codes, uniques = pd.factorize(pd.Series(digits, dtype=object))
    u = pd.Series(uniques, dtype=object).astype(str)
    length = u.str.len()
    padded = u.where(~length.isin([7, 8, 9]), u.str.zfill(10))
    candidate = length.isin([7, 8, 9, 10, 12]).to_numpy()
    valid = np.zeros(len(u), dtype=bool)
    if candidate.any():
        checked = validate(padded[candidate], today=today)
        valid[candidate] = checked["valid"].to_numpy(dtype=bool)
        if length.eq(12).any():
            # a 12-digit number must carry its century (18, 19 or 20), not a 10-digit form
            # preceded by two digits of something else
            valid &= ~(length.eq(12) & ~u.str.match(r"^(?:1[89]|20)")).to_numpy()
    short = length.isin([7, 8]).to_numpy()
    if (valid & short).any():
        cells = np.ones(len(codes), dtype=np.int64) if weights is None else weights[positions]
        cells_valid = int(cells[valid[codes]].sum())
        cells_candidate = int(cells[candidate[codes]].sum())
        evidence = cells_valid / max(cells_candidate, 1)
        if evidence < SHORT_FORM_EVIDENCE:
            valid &= ~short
    taken = valid[codes]
    mask[positions[taken]] = True
    forms[positions[taken]] = padded.to_numpy(dtype=object)[codes[taken]]
    return mask, forms


def _whole_digits_in_text(
    values: pd.Series, stripped: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """The digits of the text cells that are whole numbers, and their positions (or None)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.dtype == object:
        values = values.map(lambda v: v if v is None or isinstance(v, str) else _whole_text(v))
    arrow = arrow_text(values)
    longest = pc.max(pc.utf8_length(arrow)).as_py() if len(arrow) else None
    if longest is None or longest < 7:
        return None
    if not stripped:
        arrow = pc.utf8_trim_whitespace(arrow)
    # Cheap kernels before the regular expression: a whole number is all digits, or ends
    # in a zero (``503151234.0``). Most text columns (ids with letters, dates with
    # dashes, words) have few such values.
    maybe = pc.or_(pc.ascii_is_decimal(arrow), pc.ends_with(arrow, "0")).fill_null(False)
    if not pc.any(maybe).as_py():
        return None
    where = maybe.to_numpy(zero_copy_only=False).astype(bool)
    subset = pc.filter(arrow, maybe)
    hit = pc.match_substring_regex(subset, _WHOLE_RE2).fill_null(False)
    if not pc.any(hit).as_py():
        return None
    positions = np.flatnonzero(where)[hit.to_numpy(zero_copy_only=False).astype(bool)]
    found = pc.extract_regex(pc.filter(subset, hit), _WHOLE_RE2.replace("(", "(?P<d>", 1))
    if isinstance(found, pa.ChunkedArray):  # large columns arrive in chunks
        found = found.combine_chunks()
    digits = found.field("d").to_numpy(zero_copy_only=False).astype(object)
    return digits, positions


def _whole_text(value: Any) -> Any:
    """Text of one cell of an object column: whole numbers without a decimal part."""
    if isinstance(value, float | np.floating | Decimal):
        try:
            whole = int(value)
        except (ValueError, OverflowError):  # NaN, infinity
            return None
        return str(whole) if whole == value else str(value)
    return str(value)


def redact(text: Any) -> Any:
    """Replace every personnummer-shaped part of a text with ``<personnummer>``.

    Examples
    --------
    >>> from arbetstyngd.io.personnummer import synthetic_personnummer
    >>> redact("barnet " + synthetic_personnummer(1, seed=2)[0] + " flyttade")
    'barnet <personnummer> flyttade'
    """
    if not isinstance(text, str):
        return text
    text = _PNR.sub(REDACTED, text)
    if _NINE.search(text) is None:
        return text
    # a 10-digit number whose leading zero was lost on the way through a number column
    return _NINE.sub(lambda m: REDACTED if _valid_ten("0" + m.group()) else m.group(), text)


def _valid_ten(digits: str) -> bool:
    """A 10-digit string (YYMMDDNNNC) with a real date (either century) and a right Luhn digit."""
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    dd = dd - 60 if dd > 60 else dd
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        return False
    for century in (1900, 2000):
        try:
            dt.date(century + yy, mm, dd)
        except ValueError:
            continue
        return True
    return False


def age_band_and_sex(
    values: pd.Series, on: pd.Series | dt.date | None = None, *, today: dt.date | None = None
) -> pd.DataFrame:
    """Age band (at ``on``, default today) and legal sex read from identity numbers.

    The ninth digit (last of the serial) is odd for men and even for women. Values that are not
    valid numbers give missing values. Interim numbers give an age band but no sex.

    Examples
    --------
    >>> import datetime as dt
    >>> n = synthetic_personnummer(1, seed=4, born=(2010, 2010))[0]
    >>> age_band_and_sex(pd.Series([n]), dt.date(2025, 6, 1))["age_band"].iloc[0]
    '13-17'
    """
    series = values.reset_index(drop=True)
    found = scan(series, today=today)
    if on is None:
        on_dates = pd.Series(pd.Timestamp(today or dt.date.today()), index=series.index)
    elif isinstance(on, pd.Series):
        on_dates = pd.to_datetime(on.reset_index(drop=True), errors="coerce")
    else:
        on_dates = pd.Series(pd.Timestamp(on), index=series.index)
    born = pd.Series(found.born.astype("datetime64[ns]"), index=series.index)
    valid = pd.Series(found.valid, index=series.index)
    years = on_dates.dt.year - born.dt.year
    before_birthday = (on_dates.dt.month < born.dt.month) | (
        (on_dates.dt.month == born.dt.month) & (on_dates.dt.day < born.dt.day)
    )
    age = (years - before_birthday.astype(int)).where(valid)
    band = pd.Series(np.full(len(series), None, dtype=object), index=series.index)
    for low, high, label in AGE_BANDS:
        band[(age >= low) & (age <= high)] = label
    last = found.serial[:, 2].astype(np.int64) - 48
    man = pd.Series(np.where(last % 2 == 1, "man", "kvinna"), index=series.index, dtype=object)
    sex = man.where(found.valid & ~found.interim, None)
    return pd.DataFrame({"age_band": band, "sex": sex}, index=values.index)


def synthetic_personnummer(
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    form: str = "12",
    sep: str = "-",
    samordning: bool = False,
    born: tuple[int, int] = (1930, 2020),
) -> list[str]:
    """Luhn-valid synthetic numbers for tests and examples (never use real ones).

    Parameters
    ----------
    n : int
        How many numbers.
    seed : int or numpy.random.Generator, optional
        Randomness, for reproducible tests.
    form : {"12", "10"}
        ``YYYYMMDD-NNNC`` or ``YYMMDD-NNNC``.
    sep : {"-", "+", ""}
        Separator before the serial.
    samordning : bool
        Samordningsnummer (day + 60).
    born : (int, int)
        Range of birth years (inclusive).

    Examples
    --------
    >>> synthetic_personnummer(2, seed=0, form="10", sep="")[0].isdigit()
    True
    """
    if form not in ("10", "12"):
        raise ValueError(f"'form' must be '10' or '12' (got {form!r})")
    if sep not in ("-", "+", ""):
        raise ValueError(f"'sep' must be '-', '+' or '' (got {sep!r})")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    start = np.datetime64(f"{born[0]:04d}-01-01")
    days = int((np.datetime64(f"{born[1] + 1:04d}-01-01") - start).astype(int))
    dates = pd.DatetimeIndex(start + rng.integers(0, days, size=n).astype("timedelta64[D]"))
    year = dates.year.to_numpy()
    month = dates.month.to_numpy()
    day = dates.day.to_numpy() + (60 if samordning else 0)
    serial = rng.integers(0, 1000, size=n)
    nine = np.stack(
        [
            (year // 10) % 10,
            year % 10,
            month // 10,
            month % 10,
            day // 10,
            day % 10,
            serial // 100,
            (serial // 10) % 10,
            serial % 10,
        ],
        axis=1,
    )
    check = luhn(nine)
    out = []
    for y, m, d, s, c in zip(year, month, day, serial, check, strict=True):
        head = f"{y:04d}" if form == "12" else f"{y % 100:02d}"
        out.append(f"{head}{m:02d}{d:02d}{sep}{s:03d}{c}")
    return out
