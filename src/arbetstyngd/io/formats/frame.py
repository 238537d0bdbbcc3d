"""A pandas DataFrame given instead of a file: its columns are the header."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..rejections import Rejections
from ..sniff import Sniffed
from .common import Raw, unique

__all__ = ["load_frame"]


def load_frame(frame: pd.DataFrame, kind: str, sniffed: Sniffed) -> Raw:
    """The frame's rows; a ``source_row`` column, if any, keeps the row numbers it gives."""
    frame = frame.reset_index(drop=True)
    if "source_row" in frame.columns:
        rows = pd.to_numeric(frame["source_row"], errors="coerce").to_numpy(dtype=float)
        rows = np.where(np.isnan(rows), np.arange(2, len(frame) + 2), rows).astype(np.int64)
        frame = frame.drop(columns="source_row")
    else:
        rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    headers = [str(c) for c in frame.columns]
    frame.columns = unique(headers)
    return Raw(frame, rows, sniffed, None, 1, 0, Rejections(kind), headers)
