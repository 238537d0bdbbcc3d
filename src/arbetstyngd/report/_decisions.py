"""The report's decision sections: who has room for new cases, and the staffing need.

Both are the engine's figures: room is the capacity a worker has left below the normal load,
and the staffing need is :meth:`arbetstyngd.Workload.staff_need` (the weighted-caseload
formula when no adjustments apply).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import plot
from ..labels import fmt_date, team_label, text
from ._charts import chart

if TYPE_CHECKING:
    from ..result import Workload

__all__ = ["forecast_block", "room_rows", "staffing_rows", "typical_cases"]


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


def forecast_block(
    fc: Any, lang: str, names: Mapping[Any, str], hidden: set[Any]
) -> dict[str, Any]:
    """The forecast's chart for the unit and, per shown team and the unit, the median
    utilisation on the last date with its 80 % band."""
    drawn = chart(
        partial(plot.forecast, fc, lang=lang),
        7.5,
        3.6,
        text("report.forecast_caption", lang, paths=fc.n_paths),
        "c-forecast",
    )
    util = fc.measure("utilisation")
    last = util[util["date"] == util["date"].max()]
    rows = []
    for r in last.itertuples(index=False):
        unit = r.level == "unit"
        if not unit and r.team_id in hidden:
            continue
        rows.append(
            {
                "unit": unit,
                "team": None if unit else team_label(r.team_id, names),
                "median": r.median,
                "low80": r.low80,
                "high80": r.high80,
            }
        )
    rows.sort(key=lambda r: r["unit"])
    return {"chart": drawn, "rows": rows, "date": fmt_date(fc.dates[-1], lang)}
