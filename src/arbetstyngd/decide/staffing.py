"""Staffing need: the full-time equivalents that bring utilisation to a target.

At target utilisation τ, with load ``L`` (points) and normal load ``P`` (points per
reference FTE)::

    reference FTE needed   L / (τ · P)
    as staffed             L / (τ · P · ḡ),  ḡ = K / (P · effective FTE)

where ``K`` is today's capacity and the effective FTE is ``Σ fte · (1 − reduction)``: ḡ is
the team's current mean adjustment (experience, support). With no adjustments and no
reductions, ḡ = 1 and both are the weighted-caseload formula Σ cases × weight / capacity per
FTE. The gaps compare each with today: reference FTE today is ``K / P``; effective FTE today
is the time available for cases.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Said
from ._engine import Scheme, Workload, team_timeline

__all__ = ["need_fte", "staff_need"]


def _target(value: Any) -> float:
    try:
        target = float(value)
    except (TypeError, ValueError):
        target = math.nan
    if isinstance(value, bool) or not math.isfinite(target) or target <= 0:
        raise ValueError(Said("err.staff_target", value=repr(value)))
    return target


def need_fte(
    load: Any, capacity: Any, effective_fte: Any, normal_load: float, target: float = 1.0
) -> dict[str, np.ndarray]:
    """The staffing columns from load, capacity and effective FTE (arrays of one shape).

    Examples
    --------
    >>> out = need_fte([300.0], [150.0], [1.0], normal_load=150.0, target=1.0)
    >>> float(out["need_reference"][0]), float(out["gap_reference"][0])
    (2.0, 1.0)
    """
    target = _target(target)
    load = np.asarray(load, dtype=float)
    capacity = np.asarray(capacity, dtype=float)
    effective = np.asarray(effective_fte, dtype=float)
    reference_now = capacity / normal_load
    need_reference = load / (target * normal_load)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_adjustment = np.where(effective > 0, capacity / (normal_load * effective), np.nan)
        need_staffed = need_reference / mean_adjustment
    return {
        "reference_fte": reference_now,
        "need_reference": need_reference,
        "gap_reference": need_reference - reference_now,
        "mean_adjustment": mean_adjustment,
        "need_staffed": need_staffed,
        "gap_staffed": need_staffed - effective,
    }


def _from_workload(wl: Workload, target: float) -> pd.DataFrame:
    w = wl.workers
    effective = w["fte"].to_numpy(dtype=float) * (1.0 - w["reduction"].to_numpy(dtype=float))
    by_team = pd.Series(effective).groupby(w["team_id"].to_numpy(), sort=True).sum()
    teams = wl.teams
    unit = wl.unit
    frame = pd.DataFrame(
        {
            "level": ["team"] * len(teams) + ["unit"],
            "team_id": [*teams["team_id"].tolist(), None],
            "n_workers": [*teams["n_workers"].tolist(), int(unit["n_workers"])],
            "load": [*teams["load"].tolist(), float(unit["load"])],
            "capacity": [*teams["capacity"].tolist(), float(unit["capacity"])],
            "utilisation": [*teams["utilisation"].tolist(), float(unit["utilisation"])],
            "fte": [*teams["fte"].tolist(), float(unit["fte"])],
            "effective_fte": [
                *by_team.reindex(teams["team_id"].to_numpy()).tolist(),
                float(effective.sum()),
            ],
        }
    )
    return frame


def _from_timeline(frame: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    if "worker_id" in frame.columns:
        frame = team_timeline(frame, scheme)
    missing = {"date", "team_id", "load", "capacity"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"a timeline for staff_need needs the columns date, team_id, load and capacity "
            f"(missing {sorted(missing)})"
        )
    teams = frame.assign(level="team")
    sums = {"load": "sum", "capacity": "sum"}
    if "effective_fte" in frame.columns:
        sums["effective_fte"] = "sum"
    unit = frame.groupby("date", sort=True).agg(sums).reset_index()
    unit = unit.assign(level="unit", team_id=None)
    out = pd.concat([teams, unit], ignore_index=True).sort_values(
        ["date", "level"], kind="stable", ignore_index=True
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["utilisation"] = out["load"] / out["capacity"]
    if "effective_fte" not in out.columns:
        out["effective_fte"] = np.nan
    keep = ["date", "level", "team_id", "load", "capacity", "utilisation", "effective_fte"]
    return out[keep]


def staff_need(
    source: Workload | pd.DataFrame,
    target: float = 1.0,
    *,
    scheme: Scheme | None = None,
) -> pd.DataFrame:
    """Full-time equivalents needed per team and for the unit to reach ``target``.

    Parameters
    ----------
    source : Workload or DataFrame
        A scored Workload, or a timeline (:func:`arbetstyngd.timeline`, worker or team
        level; a forecast frame with ``date``, ``team_id``, ``load``, ``capacity`` and
        optionally ``effective_fte`` works too).
    target : float, default 1.0
        The utilisation to staff for (1.0 = the agreed normal load).
    scheme : Scheme
        Needed for a timeline (its normal load ``P``); a Workload knows its scheme.

    Returns
    -------
    DataFrame
        Per team and a ``level == "unit"`` row (per date for a timeline): ``load``,
        ``capacity``, ``utilisation``, ``effective_fte``, ``reference_fte`` (today's capacity
        in reference FTE, ``K / P``), ``need_reference``, ``gap_reference``,
        ``mean_adjustment``, ``need_staffed``, ``gap_staffed`` (positive = short of staff).
        For a timeline without ``effective_fte``, the as-staffed columns are empty.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1)
    >>> wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    >>> need = wl.staff_need(target=1.0)
    >>> unit = need[need.level == "unit"].iloc[0]
    >>> bool(abs(unit.need_reference - unit.load / wl.scheme.capacity) < 1e-12)
    True
    """
    target = _target(target)
    if isinstance(source, Workload):
        frame, scheme = _from_workload(source, target), source.scheme
    elif isinstance(source, pd.DataFrame):
        if not isinstance(scheme, Scheme):
            raise ValueError(
                "staff_need on a timeline needs the scheme (scheme=...) for its normal load"
            )
        frame = _from_timeline(source, scheme)
    else:
        raise TypeError(
            f"'source' must be a Workload or a timeline DataFrame (got {type(source).__name__})"
        )
    cols = need_fte(
        frame["load"], frame["capacity"], frame["effective_fte"], scheme.capacity, target
    )
    for name, values in cols.items():
        frame[name] = values
    frame["target"] = target
    return frame
