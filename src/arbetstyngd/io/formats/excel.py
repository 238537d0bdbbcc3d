"""Excel workbooks (.xlsx, .xls), read with calamine: the sheet with the header, cells as typed."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..._contract.columns import required_columns
from ..._contract.suggest import Suggester
from ...errors import InputFileError
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
            f"the {kind} file looks like an Excel workbook but cannot be opened "
            f"({type(exc).__name__}); open it in Excel and save it again"
        ) from None
    if not names:
        raise InputFileError(f"the {kind} workbook has no sheets")
    if sheet is not None:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                shown = [pnr.redact(n) for n in names]
                raise InputFileError(f"'sheet' {sheet} is not in the workbook: sheets {shown}")
            candidates = [names[sheet]]
        elif sheet in names:
            candidates = [sheet]
        else:
            close = Suggester(names).closest(sheet, n=1)
            # sheet names are typed by people and may hold an identity number
            hint = f" (is {pnr.redact(close[0])!r} meant?)" if close else ""
            shown = [pnr.redact(n) for n in names]
            raise InputFileError(
                f"no sheet {pnr.redact(str(sheet))!r} in the workbook{hint}; sheets: {shown}"
            )
    else:
        candidates = names
    best: tuple[int, str, list[list[Any]]] | None = None
    for name in candidates:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # damaged sheet XML
            raise InputFileError(
                f"sheet {name!r} of the {kind} workbook cannot be read ({type(exc).__name__})"
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
    frame, rows_n, blank = drop_blank(frame, rows_n)
    return Raw(frame, rows_n, sniffed, name, h + 1, blank, Rejections(kind), header)
