"""Who may take a new case under the rules, and why nobody may (shared by impact and
allocation)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ._engine import Scheme, Workload
from .rules import Rules
from .words import say

__all__ = ["Pool", "allowed", "ceiling_of", "pool_of", "why_none"]


@attrs.frozen(eq=False)
class Pool:
    """The scored workers as arrays, in the Workload's worker order."""

    ids: np.ndarray
    team: np.ndarray
    load: np.ndarray
    capacity: np.ndarray
    utilisation: np.ndarray
    experience: np.ndarray | None
    available: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def pool_of(wl: Workload, rules: Rules) -> Pool:
    w = wl.workers
    capacity = w["capacity"].to_numpy(dtype=float)
    ids = w["worker_id"].astype(str).to_numpy(dtype=object)
    paused = np.isin(ids, np.asarray(rules.paused, dtype=object))
    return Pool(
        ids=ids,
        team=w["team_id"].astype(str).to_numpy(dtype=object),
        load=w["load"].to_numpy(dtype=float),
        capacity=capacity,
        utilisation=w["utilisation"].to_numpy(dtype=float),
        experience=(
            w["experience_years"].to_numpy(dtype=float) if "experience_years" in w.columns else None
        ),
        # no capacity (a reduction of 100 %, absence) means no new cases, listed or not
        available=(capacity > 0) & np.isfinite(capacity) & ~paused,
    )


def ceiling_of(scheme: Scheme, band: str | None) -> float:
    """The utilisation no new case may reach (the lower edge of the ceiling band)."""
    return np.inf if band is None else float(getattr(scheme.bands, band))


def _team_ok(pool: Pool, case_type: str, rules: Rules) -> np.ndarray:
    ok = np.ones(len(pool), dtype=bool)
    for team, kinds in rules.team_case_types.items():
        if case_type not in kinds:
            ok &= pool.team != team
    return ok


def _experience_ok(pool: Pool, case_type: str, rules: Rules) -> np.ndarray:
    need = rules.min_experience.get(case_type)
    if need is None or pool.experience is None:
        return np.ones(len(pool), dtype=bool)
    return np.nan_to_num(pool.experience, nan=-1.0) >= need


def allowed(pool: Pool, types: Sequence[str], rules: Rules) -> np.ndarray:
    """(case, worker) pairs the rules allow, leaving room aside: team, experience, paused."""
    out = np.empty((len(types), len(pool)), dtype=bool)
    by_type = {t: _team_ok(pool, t, rules) & _experience_ok(pool, t, rules) for t in set(types)}
    for i, t in enumerate(types):
        out[i] = by_type[t] & pool.available
    return out


def why_none(case_type: str, pool: Pool, rules: Rules, lang: str, *, batch: bool = False) -> str:
    """Why no worker may take a case of this type, most basic reason first."""
    team = _team_ok(pool, case_type, rules)
    if not team.any():
        return say("no_team", lang, case_type=case_type)
    experienced = team & _experience_ok(pool, case_type, rules)
    if not experienced.any():
        return say("no_experience", lang, years=rules.min_experience[case_type])
    if not (experienced & pool.available).any():
        return say("all_paused", lang)
    band = rules.ceiling or "critical"
    return say("no_room_batch" if batch else "no_room", lang, band=band)
