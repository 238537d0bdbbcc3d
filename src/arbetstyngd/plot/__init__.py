"""Matplotlib charts of workload results, timelines, explanations and calibrations.

Every function draws on ``ax`` when given (else on a new figure) and returns the Axes, so an
analyst can adjust titles, limits or sizes afterwards. Words come from the neutral label table
:mod:`arbetstyngd.labels` (``lang="sv"`` or ``"en"``); bands are always named as well as
coloured, so the charts read without colour. Importing this package loads neither the HTML
report nor jinja2.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import arbetstyngd as at
>>> from arbetstyngd import plot
>>> wl = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1).score()
>>> ax = plot.utilisation(wl, lang="en")
>>> ax.get_xlabel(), ax.get_title(loc="left")
('Utilisation', 'Utilisation by caseworker')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._calibration import predicted_vs_observed, weights_with_intervals
from ._common import case_type_colours
from ._forecast import forecast
from ._results import case_mix, explain, teams, utilisation
from ._time import timeline

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..result import Workload

__all__ = [
    "case_mix",
    "case_type_colours",
    "explain",
    "forecast",
    "predicted_vs_observed",
    "teams",
    "timeline",
    "utilisation",
    "weights_with_intervals",
    "workload",
]

_KINDS: dict[str, Callable[..., Axes]] = {
    "utilisation": utilisation,
    "teams": teams,
    "case_mix": case_mix,
}


def workload(
    wl: Workload,
    kind: str = "utilisation",
    *,
    ax: Axes | None = None,
    lang: str = "sv",
    team: Any = None,
    team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
    title: str | bool = True,
    share: bool = False,
    top: int = 8,
    annotate: bool = True,
) -> Axes:
    """The chart ``kind`` of a result: ``"utilisation"``, ``"teams"`` or ``"case_mix"``.

    This is what :meth:`arbetstyngd.Workload.plot` calls; the parameters are those of
    :func:`utilisation`, :func:`teams` and :func:`case_mix` (``share`` and ``top`` for the
    case mix, ``annotate`` for the bars of utilisation).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import arbetstyngd as at
    >>> wl = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1).score()
    >>> type(wl.plot("teams")).__name__
    'Axes'
    """
    if kind not in _KINDS:
        raise ValueError(f"'kind' must be one of {sorted(_KINDS)} (got {kind!r})")
    common: dict[str, Any] = {"ax": ax, "lang": lang, "team_names": team_names, "title": title}
    if kind == "utilisation":
        return utilisation(wl, team=team, annotate=annotate, **common)
    if kind == "teams":
        return teams(wl, annotate=annotate, **common)
    return case_mix(
        wl, by="team" if team is None else "worker", team=team, share=share, top=top, **common
    )
