"""Validators of the roster side: teams, workers and dated reductions.

Each returns the valid rows for the engine and records a rejection row for every problem.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from .._engine.tables import DatedReductions, Roster
from ..errors import ColumnsError, DataError, Phrase, Said
from ..scheme import Scheme
from .coerce import ISO_ONLY, MICRO, NAT_DAY, align_ids, ids, missing_text, to_days, to_numbers
from .columns import DERIVED_COVARIATES, REQUIRED, Column, column, columns_of
from .problems import Flagger, Problems, row_labels
from .suggest import Suggester

__all__ = [
    "check_columns",
    "check_covariates",
    "checked_number",
    "needed_covariates",
    "not_a_date",
    "span_of_control",
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
            close = Suggester(present).closest(m, n=1)
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


def not_a_date(name: str) -> str:
    """The reason for a value of a date column that is not a date."""
    return f"'{name}' is not a date; write it as YYYY-MM-DD{ISO_ONLY}"


def checked_number(
    flag: Flagger,
    series: pd.Series,
    col: Column,
    *,
    missing: str | None,
    out_of_range: str,
) -> np.ndarray:
    """A numeric column whose values must lie in the contract's interval; every problem flagged.

    A value above the upper bound of a share gets a hint that it may be a percentage.
    """
    name, example = col.name, col.example
    values, not_number = to_numbers(series)
    flag(not_number, name, series, f"'{name}' must be a number such as {example}", "not_a_number")
    if missing is not None:
        flag(np.isnan(values) & ~not_number, name, None, missing, "missing_value")
    assert col.bounds is not None
    lo, hi = col.bounds
    above_lo = values >= lo if col.closed[0] else values > lo
    below_hi = values <= hi if col.closed[1] else values < hi
    outside = ~np.isnan(values) & ~(above_lo & below_hi)
    reason = np.full(len(values), "", dtype=object)
    reason[outside] = [
        f"'{name}' must be in {col.interval()} (got {v:g})"
        + ("; if it is a percentage, divide by 100" if v > hi and col.kind == "share" else "")
        for v in values[outside]
    ]
    flag(outside, name, values, reason, out_of_range)
    return values


#: Team columns checked as numbers >= 0 even when no adjustment uses them (from the contract).
_BOUNDED_TEAM_NUMBERS = frozenset(
    c.name for c in columns_of("teams") if c.kind == "number" and c.bounds is not None
)


def validate_teams(teams: pd.DataFrame, scheme: Scheme, problems: Problems) -> pd.DataFrame:
    """Valid team rows, indexed by team_id; problems for the others."""
    check_columns(teams, "teams", REQUIRED["teams"])
    labels = row_labels(teams)
    team_id = ids(teams["team_id"])
    flag = Flagger(problems, "teams", labels, lambda mask: team_id[mask])
    miss = missing_text(team_id)
    flag(miss, "team_id", None, "team_id is missing", "missing_value")
    dup = team_id.duplicated(keep=False).to_numpy() & ~miss
    flag(
        dup,
        "team_id",
        team_id,
        "team_id appears on more than one row of the teams table",
        "duplicate_team_id",
    )
    out = pd.DataFrame({"team_id": team_id})
    for col in teams.columns:
        if col in ("team_id", "source_row"):
            continue
        if col in needed_covariates(scheme) or col in _BOUNDED_TEAM_NUMBERS:
            values, nan_bad = to_numbers(teams[col])
            flag(nan_bad, col, teams[col], f"'{col}' must be a number", "not_a_number")
            negative = (values < 0) & ~np.isnan(values)
            flag(negative, col, values, f"'{col}' must be >= 0", "negative_value")
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

    ``teams`` is the output of :func:`validate_teams` (valid rows) or ``None``. A covariate
    the scheme needs that no table has (and the engine cannot derive) raises a
    :class:`~arbetstyngd.DataError`, as a missing required column does.
    """
    check_columns(workers, "workers", REQUIRED["workers"])
    check_covariates(workers, teams, scheme)
    labels = row_labels(workers)
    wid = ids(workers["worker_id"])
    local = Problems()
    flag = Flagger(local, "workers", labels, lambda mask: wid[mask])

    miss = missing_text(wid)
    flag(miss, "worker_id", None, "worker_id is missing", "missing_value")
    dup = wid.duplicated(keep=False).to_numpy() & ~miss
    flag(
        dup,
        "worker_id",
        wid,
        "worker_id appears on more than one row of the roster",
        "duplicate_worker_id",
    )
    fte = checked_number(
        flag,
        workers["fte"],
        column("workers", "fte"),
        missing="fte (tjänstgöringsgrad) is missing",
        out_of_range="fte_out_of_range",
    )
    if "reduction" in workers.columns:
        reduction = checked_number(
            flag,
            workers["reduction"],
            column("workers", "reduction"),
            missing=None,
            out_of_range="reduction_out_of_range",
        )
        reduction = np.where(np.isnan(reduction), 0.0, reduction)
    else:
        reduction = np.zeros(len(workers))
    team_id, team_pos = _check_worker_teams(flag, workers, teams, all_team_ids)
    start_days = None
    if "profession_start" in workers.columns:
        start_days, start_bad = to_days(workers["profession_start"])
        flag(
            start_bad,
            "profession_start",
            workers["profession_start"],
            not_a_date("profession_start"),
            "not_a_date",
        )
    static = _covariates(flag, workers, scheme, teams, team_pos, wid, team_id, start_days)
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
        names=workers["name"].to_numpy(dtype=object)[valid] if "name" in workers else None,
    )
    return roster, local.frame()


def check_covariates(workers: pd.DataFrame, teams: pd.DataFrame | None, scheme: Scheme) -> None:
    """Raise when a covariate the scheme's adjustments need is in no table and not derived."""
    present = [str(c) for c in workers.columns]
    if teams is not None:
        present += [str(c) for c in teams.columns if str(c) not in present]
    for adj in scheme.adjustments:
        cov = adj.covariate
        if cov in present or cov == "span_of_control":
            continue
        if cov == "experience_years" and "profession_start" in workers.columns:
            continue
        give = (
            Phrase("err.covariate.experience", {})
            if cov == "experience_years"
            else Phrase("err.covariate.any", {"covariate": cov})
        )
        close = Suggester(present).closest(cov, n=1)
        hint = Phrase("err.covariate.hint", {"close": close[0]}) if close else ""
        raise DataError(
            Said(
                "err.covariate",
                covariate=cov,
                adjustment=adj.name,
                scheme=scheme.id,
                hint=hint,
                give=give,
            )
        )


def _check_worker_teams(
    flag: Flagger,
    workers: pd.DataFrame,
    teams: pd.DataFrame | None,
    all_team_ids: pd.Series | None,
) -> tuple[pd.Series, np.ndarray | None]:
    """Each worker's team id, and its position in the valid teams (``None`` without teams)."""
    team_id = ids(workers["team_id"])
    tmiss = missing_text(team_id)
    flag(tmiss, "team_id", None, "team_id is missing", "missing_value")
    if teams is None:
        return team_id, None
    wt, tt = align_ids(team_id, teams["team_id"])
    team_pos = pd.Index(tt).get_indexer(wt)
    unknown = (team_pos < 0) & ~tmiss
    if unknown.any():
        suggest = Suggester(tt)
        rejected_teams = (
            set() if all_team_ids is None else set(align_ids(all_team_ids, tt)[0].dropna())
        ) - set(tt)
        why = np.full(len(wt), "", dtype=object)
        code = np.full(len(wt), "", dtype=object)
        for i in np.flatnonzero(unknown):
            v = wt.iloc[i]
            was_rejected = v in rejected_teams
            why[i] = (
                f"team {v!r}'s row in the teams table was rejected"
                if was_rejected
                else f"team {v!r} is not in the teams table{suggest(v)}"
            )
            code[i] = "team_rejected" if was_rejected else "unknown_team"
        flag(unknown, "team_id", team_id, why, code)
    return team_id, team_pos


def _covariates(
    flag: Flagger,
    workers: pd.DataFrame,
    scheme: Scheme,
    teams: pd.DataFrame | None,
    team_pos: np.ndarray | None,
    wid: pd.Series,
    team_id: pd.Series,
    start_days: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """Each covariate the scheme needs, per worker: own column, else the team's, else derived."""
    tmiss: np.ndarray | None = None  # worked out only when some value is missing
    static: dict[str, np.ndarray] = {}
    for adj in scheme.adjustments:
        cov = adj.covariate
        if cov in static:
            continue
        values = np.full(len(workers), np.nan)
        if cov in workers.columns:
            values, vbad = to_numbers(workers[cov])
            flag(vbad, cov, workers[cov], f"'{cov}' must be a number", "not_a_number")
        if teams is not None and cov in teams.columns and team_pos is not None:
            from_team = np.full(len(workers), np.nan)
            found = team_pos >= 0
            from_team[found] = teams[cov].to_numpy(dtype=float)[team_pos[found]]
            values = np.where(np.isnan(values), from_team, values)
        if cov == "span_of_control":
            values = np.where(np.isnan(values), span_of_control(wid, team_id, teams), values)
        if cov in DERIVED_COVARIATES:
            flag(values < 0, cov, values, f"'{cov}' must be >= 0", "negative_value")
        still = np.isnan(values)
        if cov == "experience_years" and start_days is not None:
            still &= start_days == NAT_DAY
        where = (
            "give experience_years or profession_start"
            if cov == "experience_years"
            else ("give it in the workers or teams table")
        )
        if not still.any():
            static[cov] = values
            continue
        if tmiss is None:
            tmiss = missing_text(team_id)
        flag(
            still & ~tmiss,
            cov,
            None,
            f"no value for '{cov}', which adjustment '{adj.name}' needs; {where}",
            "missing_value",
        )
        static[cov] = values
    return static


def span_of_control(
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
    flag(miss, "worker_id", None, "worker_id is missing", "missing_value")
    left, right = align_ids(wid, pd.Series(roster.ids))
    worker = pd.Index(right).get_indexer(left)
    _, all_ids = align_ids(wid, all_worker_ids)
    known = set(all_ids.dropna())
    unknown = (worker < 0) & ~miss
    why = np.full(len(wid), "", dtype=object)
    suggest = Suggester(all_ids)
    why[unknown] = [
        f"worker {w!r} was rejected in the roster"
        if w in known
        else f"worker {w!r} is not in the roster{suggest(w)}"
        for w in left[unknown]
    ]
    code = np.full(len(wid), "", dtype=object)
    code[unknown] = ["worker_rejected" if w in known else "unknown_worker" for w in left[unknown]]
    flag(unknown, "worker_id", wid, why, code)

    share = checked_number(
        flag,
        reductions["share"],
        column("reductions", "share"),
        missing="share is missing",
        out_of_range="reduction_out_of_range",
    )

    dates = {}
    for col in ("start", "end"):
        if col in reductions.columns:
            dates[col], dbad = to_days(reductions[col])
            flag(dbad, col, reductions[col], not_a_date(col), "not_a_date")
        else:
            dates[col] = np.full(len(reductions), NAT_DAY, dtype=np.int64)
    start, end = dates["start"], dates["end"]
    flag(
        (start != NAT_DAY) & (end != NAT_DAY) & (end < start),
        "end",
        reductions.get("end"),
        "end before start; check both dates",
        "end_before_start",
    )
    valid = ~flag.bad
    return DatedReductions(
        worker=worker[valid],
        units=np.round(share[valid] * MICRO).astype(np.int64),
        start=start[valid],
        end=end[valid],
    )
