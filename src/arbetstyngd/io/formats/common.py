"""What every format's loader shares: the raw table it returns, bytes, the header row.

A loader (one module per format in this package) goes from bytes to a :class:`Raw` table:
every cell as written, the row numbers a person sees, blank rows counted and dropped, and
the rows it could not split into fields already rejected.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..._contract.columns import required_columns
from ...errors import Both, InputFileError, Said, kind_words
from ...labels import fmt_number
from .. import personnummer as pnr
from ..columns import SYNONYMS, header_score
from ..parse import text_column
from ..rejections import Rejections
from ..sniff import Sniffed

__all__ = [
    "HEADER_SCAN",
    "Raw",
    "bytes_of",
    "cell_text",
    "decode",
    "drop_blank",
    "header_index",
    "source_name",
    "unique",
]

#: Rows searched for the header (exports often start with title lines).
HEADER_SCAN = 30


@attrs.define
class Raw:
    """A loaded table before its headers are mapped: cells as written, one row per data row."""

    frame: pd.DataFrame
    rows: np.ndarray
    sniffed: Sniffed
    sheet: str | None
    header_row: int
    blank: int
    rejected: Rejections
    #: the header cells as written, one per column (duplicates not yet told apart)
    headers: list[str] | None = None


def source_name(source: Any) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    return str(getattr(source, "name", "<buffer>"))


def bytes_of(source: Any, kind: str, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        if not path.exists():
            raise InputFileError(Said("err.no_file", kind=kind_words(kind), path=repr(str(path))))
        if path.is_dir():
            raise InputFileError(Said("err.folder", kind=kind_words(kind), path=repr(str(path))))
        size = path.stat().st_size
        if size > max_bytes:
            raise InputFileError(too_large(size, max_bytes, kind))
        data = path.read_bytes()
    elif hasattr(source, "read"):
        left = remaining(source)
        if left is not None and left > max_bytes:
            raise InputFileError(too_large(left, max_bytes, kind))
        data = source.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes):
            raise InputFileError(f"the {kind} buffer gave {type(data).__name__}, not bytes")
    else:
        raise TypeError(
            f"'path_or_buffer' must be a path, bytes, a file object or a DataFrame "
            f"(got {type(source).__name__})"
        )
    if len(data) > max_bytes:
        raise InputFileError(too_large(len(data), max_bytes, kind))
    return data


def remaining(source: Any) -> int | None:
    """Bytes (characters for a text buffer) left in a seekable buffer; None if unknown."""
    try:
        if not source.seekable():
            return None
        here = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(here)
    except (AttributeError, OSError, ValueError):
        return None
    return int(end - here)


def size_text(n: int, lang: str = "en") -> str:
    """``300 bytes``, ``4.9 KiB``, ``3.0 MiB``, ``1.0 GiB``: never a rounded-away ``0 MiB``;
    in Swedish ``300 byte``, ``4,9 KiB``."""
    if n < 1024:
        return f"{n:,} bytes" if lang == "en" else f"{fmt_number(n, lang, 0)} byte"
    for unit, power in (("KiB", 1), ("MiB", 2), ("GiB", 3)):
        if n < 1024 ** (power + 1) or unit == "GiB":
            shown = n / 1024**power
            return f"{shown:,.1f} {unit}" if lang == "en" else f"{fmt_number(shown, lang)} {unit}"
    raise AssertionError("unreachable")


def too_large(size: int, limit: int, kind: str) -> Said:
    return Said(
        "err.too_large",
        kind=kind_words(kind),
        size=Both(size_text(size, "sv"), size_text(size)),
        limit=Both(size_text(limit, "sv"), size_text(limit)),
    )


def decode(data: bytes, encoding: str) -> str:
    if encoding.startswith("utf-16"):
        # Excel's "Unicode text": the byte-order mark (if any) is not part of the header
        return data.decode(encoding, errors="replace").removeprefix("\ufeff")
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = "cp1252"  # a late non-UTF-8 byte: the sample was misleadingly plain
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("latin-1")


def header_index(
    rows: list[list[Any]], kind: str, user: Mapping[str, str], forced: int | None
) -> int:
    if kind not in SYNONYMS:
        # a table read as written (not one of the canonical tables): the header is row 1
        forced = 1 if forced is None else forced
    if forced is not None:
        if forced < 1 or forced > len(rows):
            raise InputFileError(Said("err.header_row", row=str(forced), rows=str(len(rows))))
        return forced - 1
    scores = [header_score([str(c) for c in row], kind, user) for row in rows[:HEADER_SCAN]]
    if not scores or max(scores) == 0:
        first = next((r for r in rows if any(str(c).strip() for c in r)), [])
        shown = [pnr.redact(str(c))[:40] for c in first if str(c).strip()][:12]
        expected = ", ".join(
            words[1] if len(words) > 1 else words[0]
            for col, words in SYNONYMS[kind].items()
            if col in required_columns(kind)
        )
        raise InputFileError(
            Said(
                "err.no_header",
                kind=kind_words(kind),
                required=", ".join(repr(c) for c in required_columns(kind)),
                rows=str(min(len(rows), HEADER_SCAN)),
                shown=str(shown),
                expected=expected,
            )
        )
    return int(np.argmax(scores))


def drop_blank(frame: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, int]:
    if not len(frame.columns) or not len(frame):
        return frame, rows, 0

    def blank(s: pd.Series) -> np.ndarray:
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            return text_column(s).fillna("").eq("").to_numpy(dtype=bool)
        return s.isna().to_numpy()

    # a blank row is blank in its first column: test the other columns on those rows only
    empty = blank(frame.iloc[:, 0])
    candidates = np.flatnonzero(empty)
    if not len(candidates):
        return frame, rows, 0
    sub = frame.iloc[candidates]
    keep_blank = np.ones(len(candidates), dtype=bool)
    for col in range(1, frame.shape[1]):
        keep_blank &= blank(sub.iloc[:, col])
    empty = np.zeros(len(frame), dtype=bool)
    empty[candidates[keep_blank]] = True
    if not empty.any():
        return frame, rows, 0
    keep = ~empty
    return frame.loc[keep].reset_index(drop=True), rows[keep], int(empty.sum())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out
