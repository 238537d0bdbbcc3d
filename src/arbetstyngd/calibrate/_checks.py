"""Warnings and small input checks shared by the calibrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from ..scheme import Scheme

__all__ = ["CalibrationWarning", "resolve_scheme", "today"]


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
