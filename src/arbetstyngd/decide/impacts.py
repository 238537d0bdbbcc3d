"""What one new case would do to each worker who may take it.

A case's points are the same for every worker (type, phase, flags); its impact on worker *i*
is ``(L_i + p) / K_i``, shown the way the probation workload tools show it: "84 % → 92 %".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, Said, kind_words
from ._engine import Workload, case_points
from .eligibility import allowed, pool_of
from .rules import Rules
from .words import check_lang, percent, say

__all__ = ["as_cases", "impact"]


def as_cases(cases: Any, what: str = "new cases") -> pd.DataFrame:
    """One case (a mapping) or several (a DataFrame or a list of mappings) as a DataFrame."""
    if isinstance(cases, Mapping):
        cases = pd.DataFrame([dict(cases)])
    elif isinstance(cases, list | tuple):
        if not all(isinstance(c, Mapping) for c in cases):
            raise DataError(f"{what}: give a DataFrame, a mapping or a list of mappings")
        cases = pd.DataFrame([dict(c) for c in cases])
    if not isinstance(cases, pd.DataFrame):
        raise DataError(
            f"{what}: expected a mapping like {{'case_type': 'bou_utredning'}} or a DataFrame "
            f"(got {type(cases).__name__})"
        )
    if len(cases) == 0:
        raise DataError(Said("err.new_cases_empty", what=kind_words(what, "err.what")))
    if "case_id" not in cases.columns:
        cases = cases.assign(case_id=[f"new-{i + 1}" for i in range(len(cases))])
    return cases


def impact(
    wl: Workload,
    cases: Any,
    *,
    rules: Rules | Mapping[str, Any] | None = None,
    lang: str = "sv",
) -> pd.DataFrame:
    """Points, load, utilisation and band before and after, per case and eligible worker.

    Parameters
    ----------
    wl : Workload
        The caseload as scored today.
    cases : mapping, DataFrame or list of mappings
        The candidate case(s): ``case_type``, optional ``phase``, flag columns, ``case_id``.
    rules : Rules or dict, optional
        Who may take the case (team case types, experience, paused). The ceiling is not
        applied here: the table shows what a case would do, including crossing it.
    lang : {"sv", "en"}
        Language of the ``change`` column.

    Returns
    -------
    DataFrame
        One row per (case, eligible worker), most room first: ``case_id``, ``worker_id``,
        ``team_id``, ``points``, ``load_before``, ``load_after``, ``capacity``,
        ``utilisation_before``, ``utilisation_after``, ``band_before``, ``band_after``,
        ``change`` ("84 % → 92 %").

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=6, n_teams=1, seed=2)
    >>> wl = at.score(town.cases, town.workers, town.scheme, on=town.on)
    >>> t = wl.impact({"case_type": "bou_utredning"})
    >>> bool((t.load_after - t.load_before == 10.0).all())
    True
    """
    check_lang(lang)
    frame = as_cases(cases)
    points = case_points(frame, wl.scheme)
    the_rules = Rules.coerce(rules)
    the_rules.check(wl)
    pool = pool_of(wl, the_rules)
    types = frame["case_type"].astype(str).tolist()
    ok = allowed(pool, types, the_rules)
    case_pos, worker_pos = np.nonzero(ok)
    load_after = pool.load[worker_pos] + points[case_pos]
    capacity = pool.capacity[worker_pos]
    before = pool.utilisation[worker_pos]
    after = load_after / capacity
    bands = wl.scheme.bands
    out = pd.DataFrame(
        {
            "case_id": frame["case_id"].to_numpy(dtype=object)[case_pos],
            "worker_id": wl.workers["worker_id"].to_numpy()[worker_pos],
            "team_id": wl.workers["team_id"].to_numpy()[worker_pos],
            "points": points[case_pos],
            "load_before": pool.load[worker_pos],
            "load_after": load_after,
            "capacity": capacity,
            "utilisation_before": before,
            "utilisation_after": after,
            "band_before": bands.classify(before),
            "band_after": bands.classify(after),
            "change": [
                say("change", lang, before=percent(b, lang), after=percent(a, lang))
                for b, a in zip(before, after, strict=True)
            ],
        }
    )
    order = np.lexsort((out["worker_id"].astype(str), after, case_pos))
    return out.iloc[order].reset_index(drop=True)
