"""The forecast's one door into the engine: validated cases, points and capacity.

Everything the forecast knows about points and capacity comes from here, and this module
only calls the engine (validation, value keys, the capacity chain); it computes neither.
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._contract.coerce import NAT_DAY, to_day
from .._engine.scoring import capacity_parts, prepare, warn_rejected
from ..errors import MissingColumnWarning
from ..scheme import Scheme

__all__ = ["NAT_DAY", "CaseArrays", "read_cases", "team_capacity", "to_day", "warn_rejected"]

_NO_CASES = pd.DataFrame(
    {"case_id": [], "worker_id": [], "case_type": [], "opened": pd.to_datetime([])}
)


@attrs.frozen(eq=False)
class CaseArrays:
    """The valid cases as the engine sees them, one entry per case.

    ``team`` indexes ``team_ids`` (the team of the case's worker), ``case_type`` indexes
    ``types``; ``points`` are the engine's points of the case's value key ``key``; dates are
    whole days since 1970-01-01 with ``NAT_DAY`` for a case not closed.
    """

    team: np.ndarray
    case_type: np.ndarray
    phase: Any  # text per case (an Arrow-backed array: factorized where needed, not boxed)
    key: np.ndarray
    points: np.ndarray
    opened: np.ndarray
    closed: np.ndarray
    types: list[str]
    team_ids: list[Any]
    rejected: pd.DataFrame
    row: np.ndarray  # position of each valid case in the input table
    case_id: Any  # as phase
    roster: Any  # the engine's roster of the workers, for their capacity


def read_cases(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme,
    teams: pd.DataFrame | None,
    reductions: pd.DataFrame | None,
) -> CaseArrays:
    """Validate the inputs with the engine and return each valid case's team and points."""
    prep = prepare(cases, workers, scheme, teams, reductions=reductions)
    table, roster = prep.cases, prep.roster
    team_codes, team_ids = pd.factorize(pd.Series(roster.team_ids, dtype=object), sort=True)
    return CaseArrays(
        team=team_codes[table.worker].astype(np.intp),
        case_type=np.asarray(table.key_type, dtype=np.intp)[table.key],
        phase=table.columns.text("phase"),
        key=np.asarray(table.key, dtype=np.intp),
        points=np.asarray(table.key_points, dtype=float)[table.key],
        opened=np.asarray(table.opened, dtype=np.int64),
        closed=np.asarray(table.closed, dtype=np.int64),
        types=list(table.types),
        team_ids=list(team_ids),
        rejected=prep.rejected,
        row=np.arange(len(cases))[table.columns.pos],
        case_id=table.columns.text("case_id"),
        roster=roster,
    )


def team_capacity(
    workers: pd.DataFrame,
    scheme: Scheme,
    teams: pd.DataFrame | None,
    reductions: pd.DataFrame | None,
    days: np.ndarray,
    roster: Any = None,
) -> pd.DataFrame:
    """Capacity per team (rows) and day (columns), from the engine's capacity chain.

    Dated reductions apply on the days they are in force and experience is counted to each
    day, so a worker passing one of the scheme's experience breaks gains capacity that day.
    ``roster`` is :attr:`CaseArrays.roster` of the same inputs, when at hand (it spares
    validating the workers again).
    """
    if roster is None:
        with warnings.catch_warnings():
            # the empty case table only carries the roster through; it has no flags to miss
            warnings.simplefilter("ignore", MissingColumnWarning)
            roster = prepare(_NO_CASES, workers, scheme, teams, reductions=reductions).roster
    _, _, capacity = capacity_parts(scheme, roster, np.asarray(days, dtype=np.int64))
    codes, ids = pd.factorize(pd.Series(roster.team_ids, dtype=object), sort=True)
    per_team = np.zeros((len(ids), len(days)))
    np.add.at(per_team, codes, capacity)
    return pd.DataFrame(per_team, index=pd.Index(ids, name="team_id"))
