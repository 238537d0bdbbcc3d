"""Identity numbers read from their bytes: shape, date and Luhn digit for a whole column at once.

A value is a personnummer-shaped number when, with ``[ \\t\\n\\f\\r]`` trimmed from both ends,
it matches :data:`arbetstyngd.io.personnummer.PNR_PATTERN` as a whole. Its length alone then
says where each part sits, because the century (2 characters) and the separator (1) are the
only optional parts:

====== ==================
length layout
====== ==================
10     ``YYMMDDNNNC``
11     ``YYMMDD-NNNC``
12     ``CCYYMMDDNNNC``
13     ``CCYYMMDD-NNNC``
====== ==================

So each value of one length is a row of a fixed-width byte matrix gathered straight from the
Arrow buffer, and every check is a comparison on a column of that matrix: no regular
expression, no Python string per value. The tests keep a scalar regular-expression version
as the oracle this must agree with on every input.

Examples
--------
>>> from arbetstyngd.io.personnummer import synthetic_personnummer
>>> n = synthetic_personnummer(1, seed=3, form="10")[0]
>>> found = scan(pd.Series([n, "hello", None]))
>>> found.matched.tolist(), found.valid.tolist()
([True, False, False], [True, False, False])
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
import pandas as pd

__all__ = ["Scan", "arrow_text", "luhn", "scan", "scan_digits"]

# RE2's \s: the pattern allowed these (and only these) around a number
_TRIM = " \t\n\f\r"
# per length: where the century, the six date digits, the separator and the serial start
_LAYOUT = {10: (None, 0, None, 6), 11: (None, 0, 6, 7), 12: (0, 2, None, 8), 13: (0, 2, 8, 9)}
# per length, the byte of the value that goes in each place of the layout (-1: none)
_SOURCE = np.full((14, 13), -1, dtype=np.int64)
for _size, (_cc, _body, _sep, _serial) in _LAYOUT.items():
    if _cc is not None:
        _SOURCE[_size, 0:2] = [_cc, _cc + 1]
    _SOURCE[_size, 2:8] = np.arange(_body, _body + 6)
    if _sep is not None:
        _SOURCE[_size, 8] = _sep
    _SOURCE[_size, 9:13] = np.arange(_serial, _serial + 4)
_CHUNK = 1 << 18
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_SEPARATORS = np.frombuffer(b"-+ ", dtype=np.uint8)
# a digit doubled, its two digits summed (Luhn); indexed by any byte, so no clipping is needed
_DOUBLED = np.zeros(256, dtype=np.int16)
_DOUBLED[:10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]


def luhn(digits: np.ndarray) -> np.ndarray:
    """Check digits for an ``(n, 9)`` array of digits (weights 2, 1, 2, 1 …).

    Examples
    --------
    >>> int(luhn(np.array([[8, 1, 1, 2, 1, 8, 9, 8, 7]]))[0])
    6
    """
    digits = np.asarray(digits).astype(np.intp)
    total = _DOUBLED[digits[:, 0::2]].sum(axis=1) + digits[:, 1::2].sum(axis=1)
    return (10 - total % 10) % 10


def arrow_text(values: pd.Series) -> Any:
    """A column as an Arrow string array (other values as their text, missing as null)."""
    import pyarrow as pa

    if values.dtype == "str" and hasattr(values.array, "__arrow_array__"):
        arrow = pa.array(values.array)
        if pa.types.is_large_string(arrow.type) or pa.types.is_string(arrow.type):
            return arrow
    if values.dtype == object:
        values = values.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    text = values.astype("str").tolist()
    return pa.array([v if isinstance(v, str) else None for v in text], type=pa.string())


@attrs.frozen(eq=False)
class Scan:
    """What :func:`scan` found, one entry per value (numpy arrays).

    ``normalised`` holds the 12-byte form ``YYYYMMDDNNNC`` of every matched value (zeros in
    other rows); ``born`` is the date of birth where the date is real (``NaT`` elsewhere).
    """

    matched: np.ndarray
    valid: np.ndarray
    samordning: np.ndarray
    interim: np.ndarray
    born: np.ndarray
    serial: np.ndarray
    normalised: np.ndarray

    def normalised_text(self) -> np.ndarray:
        """``normalised`` as Python text in matched rows, ``None`` elsewhere (object array)."""
        out = np.full(len(self.matched), None, dtype=object)
        if self.matched.any():
            forms = np.ascontiguousarray(self.normalised[self.matched]).view("S12").ravel()
            out[self.matched] = forms.astype("U12").astype(object)
        return out


def _canonical(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's bytes in the layout of ``CCYYMMDD-NNNC`` (absent parts zero) and its
    trimmed length in bytes (0 for a missing value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    canon = np.zeros((n, 13), dtype=np.uint8)
    arrow = arrow_text(values)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    if not n:
        return canon, np.zeros(0, dtype=np.int64)
    arrow = pc.utf8_trim(arrow, characters=_TRIM)
    length = pc.binary_length(arrow).fill_null(0).to_numpy(zero_copy_only=False)
    length = length.astype(np.int64)
    if not ((length >= 10) & (length <= 13)).any():
        return canon, length
    wide = pa.types.is_large_string(arrow.type)
    _, offset_buffer, data_buffer = arrow.buffers()
    all_offsets = np.frombuffer(offset_buffer, dtype=np.int64 if wide else np.int32)
    offsets: np.ndarray = all_offsets[arrow.offset : arrow.offset + n].astype(np.int64)
    raw = np.frombuffer(data_buffer, dtype=np.uint8)
    size = int(length[0])
    if 10 <= size <= 13 and (length == size).all() and offsets[-1] - offsets[0] == (n - 1) * size:
        # one width, values back to back (an export's usual identity column): the buffer
        # itself is the byte matrix, and each part is a column of it
        matrix = raw[offsets[0] : offsets[0] + n * size].reshape(n, size)
        present = _SOURCE[size] >= 0
        canon[:, present] = matrix[:, _SOURCE[size][present]]
        return canon, length
    # one zero byte after the data stands in for every part a layout does not have
    data = np.append(raw, np.uint8(0))
    sizes = np.where((length >= 10) & (length <= 13), length, 0)
    for lo in range(0, n, _CHUNK):  # chunks bound the (rows, 13) index array's memory
        hi = min(n, lo + _CHUNK)
        source = _SOURCE[sizes[lo:hi]]
        where = np.where(source >= 0, offsets[lo:hi, None] + source, len(data) - 1)
        canon[lo:hi] = data[where]
    return canon, length


def scan(values: pd.Series, *, today: dt.date | None = None) -> Scan:
    """Shape, date (day + 60 for a samordningsnummer) and Luhn digit of every value.

    Without a century, a number belongs to someone under 100 unless its separator is ``+``;
    ``today`` (default: today) fixes the year that is counted from.
    """
    canon, length = _canonical(values)
    return _evaluate(canon, length, (today or dt.date.today()).year)


def scan_digits(numbers: np.ndarray, widths: np.ndarray, *, today: dt.date | None = None) -> Scan:
    """:func:`scan` of whole numbers written with ``widths`` digits (leading zeros kept).

    Examples
    --------
    >>> from arbetstyngd.io.personnummer import synthetic_personnummer
    >>> n = synthetic_personnummer(1, seed=1, form="10", sep="", born=(2005, 2005))[0]
    >>> bool(scan_digits(np.array([int(n)]), np.array([10])).valid[0])
    True
    """
    numbers = np.asarray(numbers, dtype=np.int64)
    widths = np.asarray(widths, dtype=np.int64)
    # the digits of each number, right-aligned in 13 places, then moved into the layout
    places = 10 ** np.arange(12, -1, -1, dtype=np.int64)
    digits = (numbers[:, None] // places % 10).astype(np.uint8) + 48
    canon = np.zeros((len(numbers), 13), dtype=np.uint8)
    twelve = widths == 12
    canon[twelve, 0:8] = digits[twelve, 1:9]
    canon[twelve, 9:13] = digits[twelve, 9:13]
    ten = widths == 10
    canon[ten, 2:8] = digits[ten, 3:9]
    canon[ten, 9:13] = digits[ten, 9:13]
    usable = np.where(ten | twelve, widths, 0)
    return _evaluate(canon, usable, (today or dt.date.today()).year)


def _two(d: np.ndarray, at: int) -> np.ndarray:
    """The two-digit number at columns ``at`` and ``at + 1`` (garbage where not digits)."""
    return d[:, at].astype(np.int16) * 10 + d[:, at + 1]


def _evaluate(canon: np.ndarray, length: np.ndarray, this_year: int) -> Scan:
    n = len(canon)
    d = canon - np.uint8(48)  # a digit's value; any other byte wraps to 10 or more
    digit = d < 10
    folded = canon[:, 9] | np.uint8(0x20)  # ASCII letters to lower case
    letter = (folded >= 97) & (folded <= 122)  # the serial's first place may hold a letter
    cc, yy, mm, dd = _two(d, 0), _two(d, 2), _two(d, 4), _two(d, 6)
    has_cc = length >= 12
    has_sep = (length == 11) | (length == 13)
    matched = (length >= 10) & (length <= 13)
    matched &= digit[:, 2:8].all(axis=1) & digit[:, 10:13].all(axis=1)
    matched &= digit[:, 9] | letter
    matched &= ~has_cc | (digit[:, 0] & digit[:, 1] & (cc >= 18) & (cc <= 20))
    matched &= ~has_sep | np.isin(canon[:, 8], _SEPARATORS)
    matched &= (mm >= 1) & (mm <= 12) & (((dd >= 1) & (dd <= 31)) | ((dd >= 61) & (dd <= 91)))

    plus = has_sep & (canon[:, 8] == ord("+"))
    yy64 = yy.astype(np.int64)
    guess = np.where(2000 + yy64 > this_year, 1900 + yy64, 2000 + yy64) - np.where(plus, 100, 0)
    year = np.where(has_cc, cc.astype(np.int64) * 100 + yy64, guess)
    samordning = matched & (dd > 60)
    day = np.where(dd > 60, dd - 60, dd)
    month = np.clip(mm, 1, 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _DAYS_IN_MONTH[month - 1] + ((month == 2) & leap)
    date_ok = matched & (day >= 1) & (day <= last_day)

    interim = matched & letter
    # Luhn over YYMMDDNNN; an interim number's letter counts as nothing (it has no check)
    serial_first = np.where(interim, 0, d[:, 9])
    total = _DOUBLED[d[:, 2]] + _DOUBLED[d[:, 4]] + _DOUBLED[d[:, 6]] + _DOUBLED[serial_first]
    total += _DOUBLED[d[:, 11]]
    total += d[:, 3].astype(np.int16) + d[:, 5] + d[:, 7] + d[:, 10]
    luhn_ok = ((10 - total % 10) % 10 == d[:, 12]) | interim
    valid = date_ok & luhn_ok

    born = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if date_ok.any():
        months = (year[date_ok] - 1970) * 12 + (month[date_ok] - 1)
        born[date_ok] = months.astype("datetime64[M]").astype("datetime64[D]") + (day[date_ok] - 1)

    serial = canon[:, 9:12].copy()
    serial[:, 0] = np.where(letter, canon[:, 9] & 0xDF, canon[:, 9])  # upper case
    normalised = np.zeros((n, 12), dtype=np.uint8)
    if matched.any():
        y = year[matched]
        normalised[matched, 0:4] = (
            np.stack([y // 1000, y // 100 % 10, y // 10 % 10, y % 10], 1) + 48
        )
        normalised[matched, 4:8] = canon[matched, 4:8]
        normalised[matched, 8:11] = serial[matched]
        normalised[matched, 11] = canon[matched, 12]
    return Scan(matched, valid, samordning, interim, born, serial, normalised)
