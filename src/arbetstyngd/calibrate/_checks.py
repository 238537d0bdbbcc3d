"""Warnings and small input checks shared by the calibrators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .._contract.problems import row_labels
from ..scheme import Scheme

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "CalibrationWarning",
    "resolve_scheme",
    "rows_text",
    "target_rows",
    "today",
    "values_text",
]


class CalibrationWarning(UserWarning):
    """The data can be used, but part of the result is weak: the message says what to collect."""


def resolve_scheme(scheme: Any) -> Scheme | None:
    """A Scheme from a Scheme, a built-in name or a TOML path; ``None`` stays ``None``."""
    if scheme is None or isinstance(scheme, Scheme):
        return scheme
    from ..schemes import load_scheme

    return load_scheme(scheme)


def today() -> dt.date:
    return dt.date.today()


def plain_float(value: Any) -> float:
    """A Python float rounded for reports and TOML (``nan`` stays ``nan``)."""
    out = float(value)
    return out if not np.isfinite(out) else float(f"{out:.6g}")


def target_rows(y: Any, X: Any, n: int) -> np.ndarray | None:
    """The row a person can find for each of the ``n`` targets, ``None`` for plain arrays.

    The library's rule (``row_labels`` of the data contract): a ``source_row`` column set by
    arbetstyngd's readers (the row seen in the file, header = row 1), else the index label of a
    DataFrame or Series. ``y``'s labels come first, then X's.
    """
    for table in (y, X):
        if isinstance(table, pd.Series) and len(table) == n:
            return row_labels(table.to_frame())
        if isinstance(table, pd.DataFrame) and len(table) == n:
            return row_labels(table)
    return None


def rows_text(labels: Any, *, limit: int = 5) -> str:
    """``"row 3"``, ``"rows 3, 7, 9 …"``: the first ``limit`` of some row labels."""
    shown = [str(v) for v in list(labels)[:limit]]
    more = " …" if len(labels) > limit else ""
    return ("row " if len(shown) == 1 else "rows ") + ", ".join(shown) + more


def values_text(
    positions: np.ndarray, values: np.ndarray, labels: np.ndarray | None, *, limit: int = 5
) -> str:
    """``"row 3: 9, row 7: 4 …"`` (labelled rows) or ``"y[1]: 9"`` (a plain array)."""
    parts = [
        (f"row {labels[i]}" if labels is not None else f"y[{i}]") + f": {values[i]:g}"
        for i in positions[:limit]
    ]
    return ", ".join(parts) + (" …" if len(positions) > limit else "")


def _redact_frame(frame: Any) -> Any:
    from ..io import redact

    if not isinstance(frame, pd.DataFrame):
        return frame
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(redact, na_action="ignore")
    return out


def no_identity_numbers(func: F) -> F:
    """Keep identity numbers out of what a calibration entry point says.

    Time logs, ratings and panels come straight from people's files; a personnummer typed into
    a worker id or a period must not reach an error message, a warning or a rejection table.
    """
    import functools
    import warnings

    from ..errors import DataError
    from ..io import redact

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except DataError as exc:
                failures = _redact_frame(exc.failures)
                raise type(exc)(redact(str(exc)), failures=failures) from None
            except ValueError as exc:
                message = redact(str(exc))
                if message == str(exc):
                    raise
                raise ValueError(message) from None
            finally:
                said = [(redact(str(w.message)), w.category) for w in caught]
        for message, category in said:
            warnings.warn(message, category, stacklevel=2)
        if hasattr(result, "log_rejected_"):
            result.log_rejected_ = _redact_frame(result.log_rejected_)
        return result

    return wrapper  # type: ignore[return-value]
