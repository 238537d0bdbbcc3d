"""Validators of the roster side: teams, workers and dated reductions.

Each returns the valid rows for the engine and records a rejection row for every problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from .._engine.tables import DatedReductions, Roster
from ..errors import ColumnsError
from ..scheme import Scheme
from .coerce import MICRO, NAT_DAY, align_ids, ids, missing_text, to_days, to_numbers
from .columns import REQUIRED
from .problems import Flagger, Problems, row_labels
from .suggest import Suggester

__all__ = [
    "check_columns",
    "checked_number",
    "needed_covariates",
    "unique_labels",
    "validate_reductions",
    "validate_teams",
    "validate_workers",
]

# --- table-level checks ----------------------------------------------------------------------


_READERS = {"cases", "workers", "teams"}


def check_columns(frame: Any, kind: str, required: Iterable[str]) -> pd.DataFrame:
    """Raise one clear error when ``frame`` is not a table or lacks required columns."""
    how = (
        f"; read files with at.read_{kind}(path), which maps Swedish headers"
        if kind in _READERS
        else ""
    )
    if not isinstance(frame, pd.DataFrame):
        raise ColumnsError(f"{kind} must be a pandas DataFrame (got {type(frame).__name__}){how}")
    present = [str(c) for c in frame.columns]
    repeated = sorted({c for c in present if present.count(c) > 1})
    if repeated:
        raise ColumnsError(
            f"the {kind} table has more than one column named {', '.join(map(repr, repeated))}; "
            "keep one of each (or rename the others)"
        )
    missing = [c for c in required if c not in frame.columns]
    if missing:
        hints = []
        for m in missing:
            close = difflib.get_close_matches(m, present, n=1, cutoff=0.6)
            hints.append(f"'{m}'" + (f" (is '{close[0]}' meant?)" if close else ""))
        raise ColumnsError(
            f"the {kind} table lacks required column(s) {', '.join(hints)}; "
            f"it has {present}. Rename the columns{how}."
        )
    return frame


def unique_labels(values: Iterable[Hashable]) -> list[Hashable]:
    return list(dict.fromkeys(values))


def needed_covariates(scheme: Scheme) -> list[str]:
    return unique_labels(a.covariate for a in scheme.adjustments)  # type: ignore[return-value]


def _interval(lo: float, hi: float, lo_closed: bool, hi_closed: bool) -> str:
    return f"{'[' if lo_closed else '('}{lo:g}, {hi:g}{']' if hi_closed else ')'}"


def checked_number(
    flag: Flagger,
    series: pd.Series,
    column: str,
    *,
    bounds: tuple[float, float],
    closed: tuple[bool, bool],
    example: str,
    missing: str | None,
) -> np.ndarray:
    """A numeric column whose values must lie in an interval; every problem is flagged.

    A value above the upper bound of a share gets a hint that it may be a percentage.
    """
    values, not_number = to_numbers(series)
    flag(not_number, column, series, f"'{column}' must be a number such as {example}")
    if missing is not None:
        flag(np.isnan(values) & ~not_number, column, None, missing)
    lo, hi = bounds
    above_lo = values >= lo if closed[0] else values > lo
    below_hi = values <= hi if closed[1] else values < hi
    outside = ~np.isnan(values) & ~(above_lo & below_hi)
    reason = np.full(len(values), "", dtype=object)
    reason[outside] = [
        f"'{column}' must be in {_interval(lo, hi, *closed)} (got {v:g})"
        + ("; if it is a percentage, divide by 100" if v > hi and hi <= 1.5 else "")
        for v in values[outside]
    ]
    flag(outside, column, values, reason)
    return values


def validate_teams(teams: pd.DataFrame, scheme: Scheme, problems: Problems) -> pd.DataFrame:
    """Valid team rows, indexed by team_id; problems for the others."""
    check_columns(teams, "teams", REQUIRED["teams"])
    labels = row_labels(teams)
    team_id = ids(teams["team_id"])
    flag = Flagger(problems, "teams", labels, lambda mask: team_id[mask])
    miss = missing_text(team_id)
    flag(miss, "team_id", None, "team_id is missing")
    dup = team_id.duplicated(keep=False).to_numpy() & ~miss
    flag(dup, "team_id", team_id, "team_id appears on more than one row of the teams table")
    out = pd.DataFrame({"team_id": team_id})
    for col in teams.columns:
        if col in ("team_id", "source_row"):
            continue
        if col in needed_covariates(scheme) or col in ("span_of_control", "supervision_hours"):
            values, nan_bad = to_numbers(teams[col])
            flag(nan_bad, col, teams[col], f"'{col}' must be a number")
            flag((values < 0) & ~np.isnan(values), col, values, f"'{col}' must be >= 0")
            out[col] = values
        else:
            out[col] = teams[col].to_numpy()
    out["row"] = labels
    out = out[~flag.bad]
    return out.set_index("team_id", drop=False)


def validate_workers(
    workers: pd.DataFrame,
    scheme: Scheme,
    teams: pd.DataFrame | None,
    problems: Problems,
    all_team_ids: pd.Series | None = None,
) -> tuple[Roster, pd.DataFrame]:
    """The roster of valid workers and a table of rejected workers with their reasons.

    ``teams`` is the output of :func:`validate_teams` (valid rows) or ``None``.
    """
    check_columns(workers, "workers", REQUIRED["workers"])
    labels = row_labels(workers)
    wid = ids(workers["worker_id"])
    local = Problems()
    flag = Flagger(local, "workers", labels, lambda mask: wid[mask])

    miss = missing_text(wid)
    flag(miss, "worker_id", None, "worker_id is missing")
    dup = wid.duplicated(keep=False).to_numpy() & ~miss
    flag(dup, "worker_id", wid, "worker_id appears on more than one row of the roster")

    fte = checked_number(
        flag,
        workers["fte"],
        "fte",
        bounds=(0, 1.5),
        closed=(False, True),
        example="0.75",
        missing="fte (tjänstgöringsgrad) is missing",
    )
    if "reduction" in workers.columns:
        reduction = checked_number(
            flag,
            workers["reduction"],
            "reduction",
            bounds=(0, 1),
            closed=(True, False),
            example="0.1",
            missing=None,
        )
        reduction = np.where(np.isnan(reduction), 0.0, reduction)
    else:
        reduction = np.zeros(len(workers))

    team_id = ids(workers["team_id"])
    tmiss = missing_text(team_id)
    flag(tmiss, "team_id", None, "team_id is missing")
    team_pos = None
    if teams is not None:
        wt, tt = align_ids(team_id, teams["team_id"])
        team_pos = pd.Index(tt).get_indexer(wt)
        unknown = (team_pos < 0) & ~tmiss
        if unknown.any():
            suggest = Suggester(tt)
            rejected_teams = (
                set() if all_team_ids is None else set(align_ids(all_team_ids, tt)[0].dropna())
            ) - set(tt)
            why = np.full(len(wt), "", dtype=object)
            why[unknown] = [
                f"team {v!r}'s row in the teams table was rejected"
                if v in rejected_teams
                else f"team {v!r} is not in the teams table{suggest(v)}"
                for v in wt[unknown]
            ]
            flag(unknown, "team_id", team_id, why)

    start_days = None
    if "profession_start" in workers.columns:
        start_days, start_bad = to_days(workers["profession_start"])
        flag(
            start_bad,
            "profession_start",
            workers["profession_start"],
            "'profession_start' is not a date; write it as YYYY-MM-DD",
        )

    static: dict[str, np.ndarray] = {}
    for adj in scheme.adjustments:
        cov = adj.covariate
        if cov in static:
            continue
        values = np.full(len(workers), np.nan)
        if cov in workers.columns:
            values, vbad = to_numbers(workers[cov])
            flag(vbad, cov, workers[cov], f"'{cov}' must be a number")
        if teams is not None and cov in teams.columns and team_pos is not None:
            from_team = np.full(len(workers), np.nan)
            found = team_pos >= 0
            from_team[found] = teams[cov].to_numpy(dtype=float)[team_pos[found]]
            values = np.where(np.isnan(values), from_team, values)
        if cov == "span_of_control":
            values = np.where(np.isnan(values), _span_of_control(wid, team_id, teams), values)
        if cov in ("experience_years", "span_of_control"):
            neg = values < 0
            flag(neg, cov, values, f"'{cov}' must be >= 0")
        still = np.isnan(values)
        if cov == "experience_years" and start_days is not None:
            still &= start_days == NAT_DAY
        where = (
            "give experience_years or profession_start"
            if cov == "experience_years"
            else ("give it in the workers or teams table")
        )
        flag(
            still & ~tmiss,
            cov,
            None,
            f"no value for '{cov}', which adjustment '{adj.name}' needs; {where}",
        )
        static[cov] = values

    valid = ~flag.bad
    roster = Roster(
        ids=pd.Index(wid[valid].to_numpy()),
        rows=labels[valid],
        team_ids=team_id[valid].to_numpy(dtype=object),
        fte=fte[valid],
        reduction=reduction[valid],
        static={k: v[valid] for k, v in static.items()},
        start_days=None if start_days is None else start_days[valid],
        teams=teams,
    )
    rejected = local.frame()
    return roster, rejected


def _span_of_control(
    worker_id: pd.Series, team_id: pd.Series, teams: pd.DataFrame | None
) -> np.ndarray:
    """Workers per first-line manager (per team when no manager is known) from the roster."""
    group = team_id.astype(object)
    if teams is not None and "manager_id" in teams.columns:
        wt, tt = align_ids(team_id, teams["team_id"])
        pos = pd.Index(tt).get_indexer(wt)
        manager = np.full(len(pos), None, dtype=object)
        manager[pos >= 0] = teams["manager_id"].to_numpy(dtype=object)[pos[pos >= 0]]
        group = pd.Series(manager, index=team_id.index).where(lambda s: s.notna(), group)
    g, groups = pd.factorize(group)
    w, workers = pd.factorize(worker_id)
    both = (g >= 0) & (w >= 0)
    # a worker listed twice still counts once towards the manager's span
    pairs = np.unique(g[both].astype(np.int64) * max(len(workers), 1) + w[both])
    size = np.bincount(pairs // max(len(workers), 1), minlength=len(groups)).astype(float)
    return np.where(g >= 0, np.append(size, np.nan)[g], np.nan)


def validate_reductions(
    reductions: pd.DataFrame,
    roster: Roster,
    all_worker_ids: pd.Series,
    problems: Problems,
) -> DatedReductions:
    """Check a dated reductions table against the roster; attach nothing, return valid rows."""
    check_columns(reductions, "reductions", REQUIRED["reductions"])
    labels = row_labels(reductions)
    wid = ids(reductions["worker_id"])
    flag = Flagger(problems, "reductions", labels, lambda mask: wid[mask])

    miss = missing_text(wid)
    flag(miss, "worker_id", None, "worker_id is missing")
    left, right = align_ids(wid, pd.Series(roster.ids))
    worker = pd.Index(right).get_indexer(left)
    _, all_ids = align_ids(wid, all_worker_ids)
    known = set(all_ids.dropna())
    unknown = (worker < 0) & ~miss
    why = np.full(len(wid), "", dtype=object)
    suggest = Suggester(all_ids)
    why[unknown] = [
        f"worker {w!r}'s roster row was rejected"
        if w in known
        else f"worker {w!r} is not in the roster{suggest(w)}"
        for w in left[unknown]
    ]
    flag(unknown, "worker_id", wid, why)

    share = checked_number(
        flag,
        reductions["share"],
        "share",
        bounds=(0, 1),
        closed=(False, True),
        example="0.25",
        missing="share is missing",
    )

    dates = {}
    for col in ("start", "end"):
        if col in reductions.columns:
            dates[col], dbad = to_days(reductions[col])
            flag(dbad, col, reductions[col], f"'{col}' is not a date; write it as YYYY-MM-DD")
        else:
            dates[col] = np.full(len(reductions), NAT_DAY, dtype=np.int64)
    start, end = dates["start"], dates["end"]
    flag(
        (start != NAT_DAY) & (end != NAT_DAY) & (end < start),
        "end",
        reductions.get("end"),
        "end before start; check both dates",
    )
    valid = ~flag.bad
    return DatedReductions(
        worker=worker[valid],
        units=np.round(share[valid] * MICRO).astype(np.int64),
        start=start[valid],
        end=end[valid],
    )
