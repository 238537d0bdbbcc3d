"""Excel workbooks (.xlsx, .xls), read with calamine: the sheet with the header, cells as typed."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..._contract.columns import required_columns
from ..._contract.suggest import Suggester
from ...errors import InputFileError, Phrase, Said, kind_words
from .. import personnummer as pnr
from ..columns import SYNONYMS, header_score
from ..options import ReadOptions
from ..rejections import Rejections
from ..sniff import Sniffed
from .common import HEADER_SCAN, Raw, cell_text, drop_blank, header_index, unique

__all__ = ["load_excel"]


def load_excel(
    data: bytes,
    kind: str,
    sniffed: Sniffed,
    user: Mapping[str, str],
    options: ReadOptions,
) -> Raw:
    """The given sheet, else the first with a recognisable header, as cells were typed."""
    sheet, forced = options.sheet, options.header_row
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged workbooks
        raise InputFileError(
            Said("err.excel_broken", kind=kind_words(kind), error=type(exc).__name__)
        ) from None
    if not names:
        raise InputFileError(Said("err.no_sheets", kind=kind_words(kind)))
    candidates = _candidates(names, sheet)
    best: tuple[int, str, list[list[Any]]] | None = None
    for name in candidates:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # damaged sheet XML
            raise InputFileError(
                Said(
                    "err.sheet_unreadable",
                    sheet=repr(name),
                    kind=kind_words(kind),
                    error=type(exc).__name__,
                )
            ) from None
        score = (
            max(
                (header_score([str(c) for c in r], kind, user) for r in rows[:HEADER_SCAN]),
                default=0,
            )
            if kind in SYNONYMS
            else 0
        )
        if best is None or score > best[0]:
            best = (score, name, rows)
        if sheet is None and (kind not in SYNONYMS or score >= len(required_columns(kind))):
            break
    assert best is not None
    _, name, rows = best
    h = header_index(rows, kind, user, forced)
    header = [cell_text(c) for c in rows[h]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = [c or f"column {i + 1}" for i, c in enumerate(header[:width])]
    body = [r[:width] for r in rows[h + 1 :]]
    frame = pd.DataFrame(body, columns=unique(header), dtype=object)
    frame = frame.replace({"": None})
    rows_n = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    rejected = Rejections(kind)
    frame, rows_n = _beyond_header(frame, rows_n, rows[h + 1 :], header, rejected)
    frame, rows_n, blank = drop_blank(frame, rows_n)
    return Raw(frame, rows_n, sniffed, name, h + 1, blank, rejected, header)


def _candidates(names: list[str], sheet: str | int | None) -> list[str]:
    """The sheets to look for the header in: the one asked for, else all in order."""
    if sheet is not None:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                shown = [pnr.redact(n) for n in names]
                raise InputFileError(Said("err.sheet_number", sheet=str(sheet), sheets=str(shown)))
            return [names[sheet]]
        elif sheet in names:
            return [sheet]
        else:
            close = Suggester(names).closest(sheet, n=1)
            # sheet names are typed by people and may hold an identity number
            hint = Phrase("err.meant", {"close": repr(pnr.redact(close[0]))}) if close else ""
            shown = [pnr.redact(n) for n in names]
            raise InputFileError(
                Said(
                    "err.no_sheet",
                    sheet=repr(pnr.redact(str(sheet))),
                    hint=hint,
                    sheets=str(shown),
                )
            )
    return list(names)


def _beyond_header(
    frame: pd.DataFrame,
    rows_n: np.ndarray,
    body: list[list[Any]],
    header: list[str],
    rejected: Rejections,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Reject rows with a value to the right of the header's last cell, as the CSV reader does.

    Such a value has no column to be read under: cut off, it would be lost without a word,
    and it often means the row's values were moved one cell over (a pasted row, a delimiter
    split by Excel). Empty cells there are fine, like a trailing delimiter in a CSV file.
    """
    width = len(header)
    if not width:
        return frame, rows_n
    # calamine gives a rectangle as wide as the sheet's used range: usually nothing beyond
    found = [(i, _first_value(r, width)) for i, r in enumerate(body) if len(r) > width]
    found = [(i, j) for i, j in found if j >= 0]
    if not found:
        return frame, rows_n
    at = np.array([i for i, _ in found], dtype=np.int64)
    last = f"{_column_letter(width - 1)} ({pnr.redact(header[-1])!r})"
    rejected.add(
        rows_n[at],
        None,
        "(row)",
        np.array([cell_text(body[i][j]) for i, j in found], dtype=object),
        [
            f"the row has a value in column {_column_letter(j)}, to the right of the header's "
            f"last column {last}; it may have moved out of its own column. Give the column a "
            "header, or move or clear the value"
            for _, j in found
        ],
        "malformed_row",
    )
    beyond = np.zeros(len(frame), dtype=bool)
    beyond[at] = True
    keep = ~beyond
    return frame.loc[keep].reset_index(drop=True), rows_n[keep]


def _first_value(row: list[Any], width: int) -> int:
    """The index of the first non-empty cell of ``row`` from ``width`` on, or -1."""
    for j in range(width, len(row)):
        value = row[j]
        if value is not None and value != "" and cell_text(value):
            return j
    return -1


def _column_letter(index: int) -> str:
    """Excel's name of the 0-based column ``index``: A … Z, AA …"""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
