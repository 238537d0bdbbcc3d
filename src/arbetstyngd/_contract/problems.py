"""The rejection table: one row per problem, with the row a person can find and a reason.

Every check is vectorised and collects *all* problems at once (the way pandera's lazy
validation does) into one rejection table. Nothing drops a row silently: each input row is
either returned as valid or appears in the rejection table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "REJECTED_COLUMNS",
    "Flagger",
    "Problems",
    "empty_rejections",
    "row_labels",
    "with_codes",
]

#: Columns of every rejection table: ``code`` is a stable reason code (see
#: :mod:`arbetstyngd._contract.reasons`), ``reason`` the problem in words.
REJECTED_COLUMNS: tuple[str, ...] = ("table", "row", "id", "column", "value", "code", "reason")


class Problems:
    """Collects rejection rows from vectorised checks; one row per problem."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        table: str,
        rows: Sequence[Any] | np.ndarray | pd.Index,
        ids: Sequence[Any] | np.ndarray | pd.Series,
        column: str,
        values: Sequence[Any] | np.ndarray | pd.Series | None,
        reasons: str | Sequence[str] | np.ndarray,
        codes: str | Sequence[str] | np.ndarray,
    ) -> None:
        n = len(rows)
        if n == 0:
            return
        self._parts.append(
            pd.DataFrame(
                {
                    "table": table,
                    "row": np.asarray(rows, dtype=object),
                    "id": np.asarray(ids, dtype=object),
                    "column": column,
                    "value": (
                        np.full(n, None, dtype=object)
                        if values is None
                        else np.asarray([show_value(v) for v in values], dtype=object)
                    ),
                    "code": codes if isinstance(codes, str) else list(codes),
                    "reason": reasons if isinstance(reasons, str) else list(reasons),
                }
            )
        )

    def extend(self, frame: pd.DataFrame | None) -> None:
        """Add rows already in the rejection shape (for example from a reader)."""
        if frame is not None and len(frame):
            self._parts.append(with_codes(frame))

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return empty_rejections()
        out = pd.concat(self._parts, ignore_index=True)
        return out.astype({"table": object, "column": object, "code": object, "reason": object})

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)


class Flagger:
    """Records problems for one table and remembers which rows have any.

    ``flag(mask, column, values, reason, code)`` adds one rejection row per true entry of
    ``mask``; ``values`` and a per-row ``reason`` or ``code`` are full-length and picked by the
    mask, so callers never format messages for rows that are fine.
    """

    def __init__(
        self,
        problems: Problems,
        table: str,
        labels: np.ndarray,
        ids_of: Callable[[np.ndarray], Any],
    ) -> None:
        self.problems = problems
        self.table = table
        self.labels = labels
        self.ids_of = ids_of
        self.bad = np.zeros(len(labels), dtype=bool)

    def __call__(self, mask: np.ndarray, column: str, values: Any, reason: Any, code: Any) -> None:
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        # pick the flagged rows before any conversion: a column may hold a million values
        vals = None if values is None else pick(values, rows)
        why = reason if isinstance(reason, str) else pick(reason, rows)
        kind = code if isinstance(code, str) else pick(code, rows)
        self.problems.add(self.table, self.labels[mask], self.ids_of(mask), column, vals, why, kind)
        self.bad |= mask


def with_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the rejection shape, a code on every row.

    A row without a code (from a reader that sets none) gets ``malformed_row`` when it names
    no column (``"(row)"``) and ``unreadable_value`` otherwise.
    """
    part = frame.reindex(columns=list(REJECTED_COLUMNS))
    no_code = part["code"].isna().to_numpy()
    if no_code.any():
        fallback = np.where(part["column"].eq("(row)"), "malformed_row", "unreadable_value")
        part["code"] = np.where(no_code, fallback, part["code"].to_numpy(dtype=object))
    return part


def pick(values: Any, rows: np.ndarray) -> np.ndarray:
    if isinstance(values, pd.Series | pd.Index):
        return np.asarray(values.take(rows).to_numpy(dtype=object), dtype=object)
    if isinstance(values, np.ndarray):
        return np.asarray(values[rows], dtype=object)
    return np.asarray(values, dtype=object)[rows]


def empty_rejections() -> pd.DataFrame:
    # a copy of one empty table: most scores reject nothing, and building the frame anew
    # costs more than the rest of the bookkeeping
    return _EMPTY.copy()


_EMPTY = pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})


def show_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def row_labels(frame: pd.DataFrame) -> np.ndarray:
    """The row a person can find: ``source_row`` when a reader set it, else the index label."""
    if "source_row" in frame.columns:
        return frame["source_row"].to_numpy(dtype=object)
    if frame.index.is_unique:
        return frame.index.to_numpy(dtype=object)
    return np.arange(len(frame), dtype=object)
