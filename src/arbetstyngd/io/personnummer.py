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
from typing import Any

import numpy as np
import pandas as pd

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


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit of the first nine digits of a 10-digit personnummer.

    Examples
    --------
    >>> luhn_check_digit("811218987")
    6
    """
    digits = np.frombuffer(nine_digits.encode("ascii"), dtype=np.uint8) - 48
    return int(_luhn(digits[None, :])[0])


def _luhn(digits: np.ndarray) -> np.ndarray:
    """Check digits for an ``(n, 9)`` array of digits (weights 2, 1, 2, 1 …)."""
    weights = np.array([2, 1, 2, 1, 2, 1, 2, 1, 2], dtype=np.int64)
    products = digits.astype(np.int64) * weights
    total = (products // 10 + products % 10).sum(axis=1)
    return (10 - total % 10) % 10


def _arrow_text(values: pd.Series) -> Any:
    import pyarrow as pa

    if values.dtype == "str" and hasattr(values.array, "__arrow_array__"):
        arrow = pa.array(values.array)
        if pa.types.is_large_string(arrow.type) or pa.types.is_string(arrow.type):
            return arrow
    if values.dtype == object:
        values = values.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    text = values.astype("str").tolist()
    return pa.array([v if isinstance(v, str) else None for v in text], type=pa.string())


def _parts(values: pd.Series) -> pd.DataFrame:
    """Regex groups of whole values shaped like a personnummer (missing where not)."""
    import pyarrow.compute as pc

    groups = ("cc", "yy", "mm", "dd", "sep", "serial", "check")
    if not len(values):
        empty = {g: pd.Series(dtype=object) for g in groups}
        empty |= {f"{g}_n": pd.Series(dtype=float) for g in ("cc", "yy", "mm", "dd", "check")}
        return pd.DataFrame(empty, index=values.index)
    extracted = pc.extract_regex(_arrow_text(values), _FULL_RE2)
    out = {}
    for g in groups:
        field = extracted.field(g).to_numpy(zero_copy_only=False)
        out[g] = pd.Series(field, index=values.index, dtype=object)
    # a value that did not match is a null struct whose fields hold filler: make them missing
    unmatched = ~extracted.is_valid().to_numpy(zero_copy_only=False)
    for g in ("cc", "yy", "mm", "dd", "check"):
        # numbers cast in arrow: far cheaper than to_numeric over Python strings
        field = extracted.field(g)
        number = pc.cast(pc.if_else(pc.equal(field, ""), None, field), "int64")
        values_n = number.to_numpy(zero_copy_only=False).astype(float)
        values_n[unmatched] = np.nan
        out[f"{g}_n"] = pd.Series(values_n, index=values.index)
    frame = pd.DataFrame(out)
    frame.loc[unmatched, list(groups)] = None
    # an optional group that did not take part comes back as "": make it missing
    frame["cc"] = frame["cc"].replace("", None)
    return frame


def _reference_year(today: dt.date | None) -> int:
    return (today or dt.date.today()).year


def _frame_from_parts(parts: pd.DataFrame, today: dt.date | None) -> pd.DataFrame:
    """Birth year (century resolved), month, day, 9-digit Luhn input, validity per row."""
    matched = parts["yy"].notna().to_numpy()
    yy = np.nan_to_num(parts["yy_n"].to_numpy(dtype=float)).astype(np.int64)
    cc = parts["cc_n"].to_numpy(dtype=float)
    plus = parts["sep"].fillna("").eq("+").to_numpy()
    this_year = _reference_year(today)
    # Without a century: the person is under 100 unless the separator is '+'.
    guess = np.where(2000 + yy > this_year, 1900 + yy, 2000 + yy) - np.where(plus, 100, 0)
    year = np.where(np.isnan(cc), guess, np.nan_to_num(cc) * 100 + yy).astype(np.int64)
    month = np.nan_to_num(parts["mm_n"].to_numpy(dtype=float), nan=1).astype(np.int64)
    day_raw = np.nan_to_num(parts["dd_n"].to_numpy(dtype=float), nan=1).astype(np.int64)
    samordning = day_raw > 60
    day = np.where(samordning, day_raw - 60, day_raw)
    born = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    date_ok = born.notna().to_numpy() & matched
    serial = parts["serial"].fillna("000").str.upper()
    interim = serial.str[0].str.isalpha().fillna(False).to_numpy(dtype=bool)
    nine = (
        parts["yy"].fillna("00")
        + parts["mm"].fillna("00")
        + parts["dd"].fillna("00")
        + serial.where(~interim, "000")
    )
    digits = np.frombuffer("".join(nine.tolist()).encode("ascii"), dtype=np.uint8)
    digits = (digits.reshape(len(parts), 9) if len(parts) else digits.reshape(0, 9)) - 48
    check = np.nan_to_num(parts["check_n"].to_numpy(dtype=float), nan=-1)
    luhn_ok = (_luhn(digits) == check) | interim
    return pd.DataFrame(
        {
            "matched": matched,
            "year": year,
            "month": month,
            "day": day,
            "born": born,
            "samordning": samordning & matched,
            "interim": interim & matched,
            "date_ok": date_ok,
            "valid": date_ok & luhn_ok,
            "serial": serial.to_numpy(dtype=object),
            "check": parts["check"].fillna("").to_numpy(dtype=object),
        },
        index=parts.index,
    )


def validate(values: Sequence[Any] | pd.Series, *, today: dt.date | None = None) -> pd.DataFrame:
    """Check whole values as personnummer / samordningsnummer, vectorised.

    Returns one row per value with ``matched`` (has the shape of a number), ``valid`` (a real
    date and a correct Luhn digit, or an interim number with a real date), ``samordning``,
    ``interim`` and ``normalised`` (the 12-digit form ``YYYYMMDDNNNC``, or ``None``).

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
    info = _frame_from_parts(_parts(series), today)
    info["normalised"] = _normalised(info).where(info["matched"], None)
    return info[["matched", "valid", "samordning", "interim", "normalised"]]


def _normalised(info: pd.DataFrame) -> pd.Series:
    # The stored day stays +60 for a samordningsnummer: it is a different number.
    day = info["day"] + np.where(info["samordning"], 60, 0)
    return pd.Series(
        info["year"].astype(str).str.zfill(4)
        + info["month"].astype(str).str.zfill(2)
        + pd.Series(day, index=info.index).astype(str).str.zfill(2)
        + info["serial"].astype(str)
        + info["check"].astype(str),
        index=info.index,
        dtype=object,
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
    longest = pc.max(pc.utf8_length(_arrow_text(values))).as_py()
    return longest is not None and longest >= 10


def contains_personnummer(values: pd.Series) -> np.ndarray:
    """True where a text value contains something shaped like a personnummer.

    Shape means a real-looking date part (day 1-31 or 61-91) and the serial digits; the check
    digit is not required, because a mistyped number is still somebody's number.
    """
    if not len(values):
        return np.zeros(0, dtype=bool)
    import pyarrow.compute as pc

    arrow = _arrow_text(values)
    # the shortest number has ten characters: most columns (types, phases, short ids) are done
    longest = pc.max(pc.utf8_length(arrow)).as_py()
    if longest is None or longest < 10:
        return np.zeros(len(values), dtype=bool)
    hit = pc.match_substring_regex(arrow, _SEARCH_RE2)
    return hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


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
    return _PNR.sub(REDACTED, text)


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
    info = _frame_from_parts(_parts(series), today)
    if on is None:
        on_dates = pd.Series(pd.Timestamp(today or dt.date.today()), index=info.index)
    elif isinstance(on, pd.Series):
        on_dates = pd.to_datetime(on.reset_index(drop=True), errors="coerce")
    else:
        on_dates = pd.Series(pd.Timestamp(on), index=info.index)
    born = info["born"]
    years = on_dates.dt.year - born.dt.year
    before_birthday = (on_dates.dt.month < born.dt.month) | (
        (on_dates.dt.month == born.dt.month) & (on_dates.dt.day < born.dt.day)
    )
    age = (years - before_birthday.astype(int)).where(info["valid"])
    band = pd.Series(np.full(len(info), None, dtype=object), index=info.index)
    for low, high, label in AGE_BANDS:
        band[(age >= low) & (age <= high)] = label
    last = pd.to_numeric(info["serial"].str[2], errors="coerce")
    sex = pd.Series(np.where(last % 2 == 1, "man", "kvinna"), index=info.index, dtype=object).where(
        info["valid"] & ~info["interim"] & last.notna(), None
    )
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
    check = _luhn(nine)
    out = []
    for y, m, d, s, c in zip(year, month, day, serial, check, strict=True):
        head = f"{y:04d}" if form == "12" else f"{y % 100:02d}"
        out.append(f"{head}{m:02d}{d:02d}{sep}{s:03d}{c}")
    return out
