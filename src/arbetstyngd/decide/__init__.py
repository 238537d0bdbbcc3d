"""Decisions on top of the engine: impact of a new case, suggested allocation, staffing need,
what-if scenarios and the forecast.

Every figure here is the engine's: hypothetical cases and changed inputs are scored with
:func:`arbetstyngd.score`; nothing re-implements points or capacity.
"""

from __future__ import annotations

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
from .forecast import Backtest, Forecast, backtest, forecast
from .impacts import impact
from .rules import Rules
from .scenario import Inputs, Scenario
from .staffing import need_fte, staff_need
from .whatif import WhatIf, what_if

__all__ = [
    "AddManager",
    "Allocation",
    "Backtest",
    "Change",
    "ChangeFte",
    "ChangeNormalLoad",
    "ChangeReduction",
    "ChangeWeight",
    "Forecast",
    "Hire",
    "Inflow",
    "Inputs",
    "Leave",
    "MoveCases",
    "Rules",
    "Scenario",
    "WhatIf",
    "allocate",
    "backtest",
    "forecast",
    "impact",
    "need_fte",
    "staff_need",
    "what_if",
]
