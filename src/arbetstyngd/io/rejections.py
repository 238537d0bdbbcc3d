"""The rows a reader cannot use: collected with the engine's collector, each with a code.

A reader rejects a row with its row number (as a person sees it in the file), the column,
the value as written (identity numbers redacted), a reason a person understands and a stable
``code`` (see ``shared reason codes``: ``malformed_row``, ``not_a_date`` …) that programs and
reports can group by.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._contract.problems import REJECTED_COLUMNS, Problems
from . import personnummer as pnr

__all__ = ["READ_REJECTED_COLUMNS", "RejectedRows", "Rejections", "shown"]

#: The columns of a reader's rejection table: the engine's, with ``code`` (last, unless the
#: engine's table already places it).
READ_REJECTED_COLUMNS: tuple[str, ...] = (
    tuple(REJECTED_COLUMNS) if "code" in REJECTED_COLUMNS else (*REJECTED_COLUMNS, "code")
)


class RejectedRows(pd.DataFrame):
    """The rejection table a reader leaves in ``frame.attrs["rejected"]``.

    A plain DataFrame, except that ``==`` against another DataFrame answers one bool (are the
    tables equal): pandas compares ``attrs`` when it concatenates frames, and an elementwise
    answer would make ``pd.concat`` of two read tables fail.
    """

    @property
    def _constructor(self) -> type[RejectedRows]:
        return RejectedRows

    def __eq__(self, other: object) -> Any:
        if isinstance(other, pd.DataFrame):
            return bool(self.shape == other.shape and self.equals(other))
        return super().__eq__(other)

    def __ne__(self, other: object) -> Any:
        if isinstance(other, pd.DataFrame):
            return not self.__eq__(other)
        return super().__ne__(other)

    __hash__ = None


def shown(value: Any) -> Any:
    """A value as a rejection row shows it: text, identity numbers redacted; None if missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return pnr.redact(str(value))


class Rejections:
    """One reader's rejections: :class:`arbetstyngd._contract.problems.Problems` for one table.

    Examples
    --------
    >>> r = Rejections("cases")
    >>> r.add(np.array([4]), None, "opened", np.array(["31/2"]), "not a date", "not_a_date")
    >>> r.table()[["row", "column", "value", "code"]].to_dict("records")
    [{'row': 4, 'column': 'opened', 'value': '31/2', 'code': 'not_a_date'}]
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._problems = Problems()
        self._n = 0

    def add(
        self,
        rows: np.ndarray,
        ids: np.ndarray | None,
        column: str,
        values: np.ndarray | None,
        reasons: str | list[str] | np.ndarray,
        code: str,
    ) -> None:
        """One rejection row per entry of ``rows``; ``values`` are shown as :func:`shown`."""
        n = len(rows)
        if n == 0:
            return
        self._problems.add(
            self.kind,
            np.asarray(rows, dtype=object),
            np.full(n, None, dtype=object) if ids is None else np.asarray(ids, dtype=object),
            column,
            None if values is None else np.array([shown(v) for v in values], dtype=object),
            reasons,
            code,
        )
        self._n += n

    def __len__(self) -> int:
        return self._n

    def table(self) -> RejectedRows:
        """Every rejection, sorted by row (stable), in :data:`READ_REJECTED_COLUMNS`."""
        frame = self._problems.frame().reindex(columns=list(READ_REJECTED_COLUMNS))
        if len(frame):
            frame = frame.sort_values("row", kind="stable", ignore_index=True)
        return RejectedRows(frame.astype(object))
