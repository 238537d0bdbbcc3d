"""Decisions on top of the engine: impact of a new case, suggested allocation, staffing need,
what-if scenarios (and the forecast, where present).

Every figure here is the engine's: hypothetical cases and changed inputs are scored with
:func:`arbetstyngd.score`; nothing re-implements points or capacity.
"""

from __future__ import annotations

import importlib
from typing import Any

from .allocation import Allocation, allocate
from .changes import (
    AddManager,
    Change,
    ChangeFte,
    ChangeNormalLoad,
    ChangeReduction,
    ChangeWeight,
    Hire,
    Inflow,
    Leave,
    MoveCases,
)
from .impacts import impact
from .rules import Rules
from .scenario import Inputs, Scenario
from .staffing import need_fte, staff_need
from .whatif import WhatIf, what_if

__all__ = [
    "AddManager",
    "Allocation",
    "Change",
    "ChangeFte",
    "ChangeNormalLoad",
    "ChangeReduction",
    "ChangeWeight",
    "Hire",
    "Inflow",
    "Inputs",
    "Leave",
    "MoveCases",
    "Rules",
    "Scenario",
    "WhatIf",
    "allocate",
    "impact",
    "need_fte",
    "staff_need",
    "what_if",
]

# --- forecast: helper "forecast" owns decide/forecast*.py and decide/_survival*.py ------------
# `forecast` and `backtest` are exported from `.forecast` on first use, only when that module
# exists, so this package works with or without it. At merge: nothing to change here; add
# "forecast"/"backtest" to arbetstyngd/__init__.py if the forecast module provides them.
_FORECAST_NAMES = ("forecast", "backtest")


def __getattr__(name: str) -> Any:
    if name in _FORECAST_NAMES:
        try:
            module = importlib.import_module(".forecast", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.forecast":
                raise
            raise AttributeError(
                f"arbetstyngd.decide has no {name!r} (no forecast module)"
            ) from None
        value = getattr(module, name)
        # importing the submodule bound the name "forecast" to the module; the function wins
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
