"""The scalar oracle for identity numbers and pseudonyms: one value at a time, in plain Python.

This is what the vectorised readers did before they read numbers from their bytes (a regular
expression over the trimmed value, a calendar date, the Luhn sum, one ``hmac.digest`` per
identifier). The tests check that the fast paths agree with it on every input.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Any

# RE2's \s (the pattern's surroundings) is ASCII: [\t\n\f\r ]
_FULL = re.compile(
    r"[\t\n\f\r ]*(?P<cc>1[89]|20)?(?P<yy>[0-9]{2})(?P<mm>0[1-9]|1[0-2])"
    r"(?P<dd>0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])(?P<sep>[-+ ]?)"
    r"(?P<serial>[0-9A-Za-z][0-9]{2})(?P<check>[0-9])[\t\n\f\r ]*",
    re.ASCII,
)


def luhn(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def check(value: Any, this_year: int) -> dict[str, Any]:
    """matched, valid, samordning, interim and the 12-digit form of one value."""
    none = {"matched": False, "valid": False, "samordning": False, "interim": False}
    if not isinstance(value, str):
        return {**none, "normalised": None}
    m = _FULL.fullmatch(value)
    if m is None:
        return {**none, "normalised": None}
    g = m.groupdict()
    yy, mm, dd = int(g["yy"]), int(g["mm"]), int(g["dd"])
    if g["cc"]:
        year = int(g["cc"]) * 100 + yy
    else:
        year = (1900 + yy if 2000 + yy > this_year else 2000 + yy) - (100 if g["sep"] == "+" else 0)
    samordning = dd > 60
    try:
        dt.date(year, mm, dd - 60 if samordning else dd)
        date_ok = True
    except ValueError:
        date_ok = False
    serial = g["serial"].upper()
    interim = serial[0].isalpha()
    luhn_ok = interim or luhn(g["yy"] + g["mm"] + g["dd"] + serial) == int(g["check"])
    return {
        "matched": True,
        "valid": date_ok and luhn_ok,
        "samordning": samordning,
        "interim": interim,
        "normalised": f"{year:04d}{g['mm']}{g['dd']}{serial}{g['check']}",
    }


def pseudonym(key: bytes, value: Any, this_year: int) -> str | None:
    """The pseudonym of one identifier: ``None`` for a missing or empty one."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if not text:
        return None
    found = check(text, this_year)
    message = "pnr:" + found["normalised"] if found["matched"] else "id:" + text
    return "ps_" + hmac.digest(key, message.encode("utf-8"), "sha256").hex()[:16]
