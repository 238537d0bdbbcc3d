"""The report's decision sections: who has room for new cases, and the staffing need.

Both are the engine's figures: room is the capacity a worker has left below the normal load,
and the staffing need is :meth:`arbetstyngd.Workload.staff_need` (the weighted-caseload
formula when no adjustments apply).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..labels import team_label

if TYPE_CHECKING:
    from ..result import Workload

__all__ = ["room_rows", "staffing_rows", "typical_cases"]


def typical_cases(wl: Workload) -> pd.DataFrame:
    """Per team, its most common active case type and the mean points of one such case.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> wl = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=4).score()
    >>> sorted(typical_cases(wl).columns)
    ['case_type', 'points', 'team_id']
    """
    active = wl.cases[wl.cases["active"]]
    if active.empty:
        return pd.DataFrame({"team_id": [], "case_type": [], "points": []})
    stats = (
        active.groupby(["team_id", "case_type"], sort=True)["points"]
        .agg(["size", "mean"])
        .reset_index()
        .sort_values(["team_id", "size", "case_type"], ascending=[True, False, True])
    )
    top = stats.drop_duplicates("team_id")
    return pd.DataFrame(
        {"team_id": top["team_id"], "case_type": top["case_type"], "points": top["mean"]}
    ).reset_index(drop=True)


def room_rows(wl: Workload, lang: str, names: Mapping[Any, str]) -> list[dict[str, Any]]:
    """Workers below the normal load, most room first: spare points (capacity − load) and
    how many typical cases of their team's most common type that is."""
    w = wl.workers
    spare = (w["capacity"] - w["load"]).to_numpy(dtype=float)
    top = typical_cases(wl)
    typical = dict(
        zip(
            top["team_id"],
            zip(top["case_type"], top["points"].to_numpy(dtype=float), strict=True),
            strict=True,
        )
    )
    rows = []
    for i in np.argsort(-np.nan_to_num(spare, nan=-np.inf), kind="stable"):
        if not spare[i] > 0:
            break
        team = w["team_id"].iat[i]
        kind, per_case = typical.get(team, (None, np.nan))
        rows.append(
            {
                "id": str(w["worker_id"].iat[i]),
                "team": team_label(team, names),
                "utilisation": w["utilisation"].iat[i],
                "spare": spare[i],
                "n_typical": int(spare[i] // per_case) if per_case > 0 else None,
                "typical": None if kind is None else wl.scheme.label(str(kind), lang),
            }
        )
    return rows


def staffing_rows(
    wl: Workload, names: Mapping[Any, str], hidden: set[Any], target: float = 1.0
) -> list[dict[str, Any]]:
    """Per shown team and the unit: FTE today, FTE needed at ``target`` (reference and with
    the team's current mix of experience and support) and the gaps."""
    need = wl.staff_need(target)
    rows = []
    for r in need.itertuples(index=False):
        unit = r.level == "unit"
        if not unit and r.team_id in hidden:
            continue
        rows.append(
            {
                "unit": unit,
                "team": None if unit else team_label(r.team_id, names),
                "effective_fte": r.effective_fte,
                "need_reference": r.need_reference,
                "gap_reference": r.gap_reference,
                "need_staffed": r.need_staffed,
                "gap_staffed": r.gap_staffed,
            }
        )
    return rows
