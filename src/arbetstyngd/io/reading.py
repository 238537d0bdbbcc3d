"""The state of one read as it passes through the reader's steps."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .parse import text_column
from .rejections import Rejections

__all__ = ["ID_COLUMN", "Reading"]

#: The column that identifies a row of each table.
ID_COLUMN = {"cases": "case_id", "workers": "worker_id", "teams": "team_id"}


class Reading:
    """A table being read: its canonical frame, the file's row numbers and the rows rejected.

    Each step replaces columns of :attr:`frame` and rejects rows with :meth:`reject`; a row
    rejected by any step is left out of the result, and listed once per problem.
    """

    def __init__(
        self, frame: pd.DataFrame, rows: np.ndarray, kind: str, rejections: Rejections
    ) -> None:
        self.frame = frame
        self.rows = rows
        self.kind = kind
        self.rejections = rejections
        self.bad = np.zeros(len(frame), dtype=bool)
        self.notes: list[str] = []

    def reject(self, mask: np.ndarray, column: str, values: Any, reason: Any, code: str) -> None:
        """Reject the rows of ``mask``; ``values`` and a per-row ``reason`` are full length."""
        if not mask.any():
            return
        vals = None if values is None else np.asarray(values, dtype=object)[mask]
        why = reason if isinstance(reason, str) else np.asarray(reason, dtype=object)[mask]
        id_col = ID_COLUMN[self.kind]
        # only the rejected rows' ids become Python strings, not a million of them
        ids = np.asarray(
            text_column(self.frame[id_col].iloc[np.flatnonzero(mask)]).tolist(), dtype=object
        )
        self.rejections.add(self.rows[mask], ids, column, vals, why, code)
        self.bad |= mask
