"""Restating the history under another scheme, through the engine.

Each measurement kept its counts of active cases per worker and value key and the capacity
inputs (fte, reduction, covariates). From them a minimal caseload (one row per counted case,
opened on the measurement date) and roster are built and scored with :func:`arbetstyngd.score`,
so a restated figure is the engine's figure, never a second implementation of points or
capacity. A month whose keys or covariates the new scheme cannot price is listed instead.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._engine.scoring import score
from ..errors import RejectedRowsWarning
from ..result import Workload
from ..scheme import Scheme

__all__ = ["Restatement", "inputs_for", "restate_one"]


@attrs.frozen(eq=False)
class Restatement:
    """The archive's history recomputed under ``scheme``.

    Attributes
    ----------
    scheme : Scheme
    workers, teams, unit : DataFrame
        Shaped like :meth:`Archive.history` for each level, figures under the new scheme.
    not_restated : DataFrame
        ``measurement_id``, ``measured_on``, ``label``, ``reason``: the months that could not
        be restated and why (a case type, phase, flag or covariate the new scheme needs but
        the measurement does not have).
    """

    scheme: Scheme
    workers: pd.DataFrame
    teams: pd.DataFrame
    unit: pd.DataFrame
    not_restated: pd.DataFrame

    def history(self, level: str = "worker") -> pd.DataFrame:
        """The restated figures of one level (``worker``, ``team`` or ``unit``)."""
        frames = {"worker": self.workers, "team": self.teams, "unit": self.unit}
        if level not in frames:
            raise ValueError(f"'level' must be worker, team or unit (got {level!r})")
        return frames[level]


def _missing(scheme: Scheme, keys: pd.DataFrame, flags: list[str], values: set[str]) -> str:
    types = sorted(set(keys["case_type"]) - set(scheme.case_types))
    if types:
        return f"the scheme has no weight for case type(s) {types}"
    new_flags = sorted(set(scheme.flags) - set(flags))
    if new_flags:
        return f"the measurement did not record complexity flag(s) {new_flags}"
    covariates = sorted({a.covariate for a in scheme.adjustments} - values)
    if covariates:
        return f"the measurement did not record covariate(s) {covariates}"
    return ""


def inputs_for(
    keys: pd.DataFrame, workers: pd.DataFrame, flags: list[str], scheme: Scheme
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """A caseload, roster and reductions table that score to the stored counts and capacity."""
    n = keys["n_cases"].to_numpy(dtype=np.int64)
    pick = np.repeat(np.arange(len(keys)), n)
    phase = keys["phase"].to_numpy(dtype=object)[pick]
    cases = pd.DataFrame(
        {
            "case_id": np.arange(len(pick)),
            "worker_id": keys["worker_id"].to_numpy(dtype=object)[pick],
            "case_type": keys["case_type"].to_numpy(dtype=object)[pick],
            "phase": pd.Series(phase, dtype=object).replace("", None).to_numpy(dtype=object),
        }
    )
    sets = [set(f.split(",")) if f else set() for f in keys["flags"]]
    for flag in flags:
        cases[flag] = np.array([flag in s for s in sets], dtype=bool)[pick]
    roster = pd.DataFrame(
        {
            "worker_id": workers["worker_id"].astype(str).to_numpy(dtype=object),
            "team_id": workers["team_id"].astype(str).to_numpy(dtype=object),
            "fte": workers["fte"].to_numpy(dtype=float),
        }
    )
    for cov in dict.fromkeys(a.covariate for a in scheme.adjustments):
        roster[cov] = workers[cov].to_numpy(dtype=float)
    share = workers["reduction"].to_numpy(dtype=float)
    # a reduction (up to the whole time) goes in as an undated reduction in force: the same
    # integer millionths as the original, and a full reduction (1.0) is allowed there
    reductions = None
    if (share > 0).any():
        reductions = pd.DataFrame({"worker_id": roster["worker_id"], "share": share})
        reductions = reductions[share > 0]
    return cases, roster, reductions


def restate_one(
    scheme: Scheme,
    measured_on: Any,
    keys: pd.DataFrame,
    workers: pd.DataFrame,
    flags_json: str,
) -> tuple[Workload | None, str]:
    """Score one measurement's stored counts under ``scheme``; or say why it cannot be."""
    flags = json.loads(flags_json)
    why = _missing(scheme, keys, flags, set(workers.columns))
    if why:
        return None, why
    cases, roster, reductions = inputs_for(keys, workers, flags, scheme)
    cases["opened"] = pd.Timestamp(measured_on)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RejectedRowsWarning)
        wl = score(cases, roster, scheme, reductions=reductions, on=measured_on)
    if len(wl.rejected):
        what = sorted(set(wl.rejected["column"].astype(str)))
        return None, f"the scheme cannot price some stored keys (column(s) {what})"
    return wl, ""
