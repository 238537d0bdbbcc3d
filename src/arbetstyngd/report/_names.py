"""Which team names a report shows: the ones given, else the ones the result remembers."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from ..labels import team_name_map

if TYPE_CHECKING:
    from ..result import Workload

__all__ = ["resolve_team_names"]


def resolve_team_names(wl: Workload, team_names: Any, teams: Any = None) -> dict[Any, str]:
    """Team names given, else (the deprecated ``teams=``), else those the result remembers."""
    if teams is not None:
        warnings.warn(
            "'teams=' is deprecated: pass the names as 'team_names=' (or score with teams=, "
            "which the result remembers)",
            FutureWarning,
            stacklevel=3,
        )
        if team_names is None:
            team_names = teams
    return team_name_map(team_names) if team_names is not None else dict(wl.team_names)
