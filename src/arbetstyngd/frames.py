"""The data contract: canonical columns, value coercion and row-level validation.

Every check here is vectorised and collects *all* problems at once (the way pandera's lazy
validation does) into one rejection table with the row a person can find, the column, the
offending value and a reason in words. Nothing in this module drops a row silently: each
input row is either returned as valid or appears in the rejection table.
"""

from __future__ import annotations

import difflib
import functools
import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .codes import (
    arrow_text,
    blank,
    is_object,
    match_known,
    python_stripped,
    repeated,
    side_by_side,
    valid_mask,
)
from .errors import ColumnsError, ReductionsWarning
from .scheme import Scheme

__all__ = [
    "CASE_COLUMNS",
    "REDUCTION_COLUMNS",
    "REJECTED_COLUMNS",
    "TEAM_COLUMNS",
    "WORKER_COLUMNS",
    "Problems",
    "required_columns",
]

#: Canonical columns of the cases table (flag columns are named by the scheme's multipliers).
CASE_COLUMNS: tuple[str, ...] = (
    "case_id",
    "worker_id",
    "case_type",
    "opened",
    "closed",
    "phase",
    "subject_id",
)
#: Canonical columns of the workers table (covariates named by adjustments may be added).
WORKER_COLUMNS: tuple[str, ...] = (
    "worker_id",
    "fte",
    "team_id",
    "experience_years",
    "profession_start",
    "reduction",
    "name",
)
#: Canonical columns of the teams table (covariates named by adjustments may be added).
TEAM_COLUMNS: tuple[str, ...] = (
    "team_id",
    "manager_id",
    "span_of_control",
    "supervision_hours",
    "support_score",
    "name",
)
#: Columns of the optional dated reductions table (a catalogue of reasons with dates).
REDUCTION_COLUMNS: tuple[str, ...] = ("worker_id", "share", "start", "end", "reason")
#: Columns of every rejection table.
REJECTED_COLUMNS: tuple[str, ...] = ("table", "row", "id", "column", "value", "reason")

_REQUIRED = {
    "reductions": ("worker_id", "share"),
    "cases": ("case_id", "worker_id", "case_type", "opened"),
    "workers": ("worker_id", "fte", "team_id"),
    "teams": ("team_id",),
}

#: Text values read as true / false in complexity-flag columns (case-insensitive).
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "ja", "j", "x", "sant"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "nej", "", "falskt", "-"})

#: Covariates the engine can derive when no table gives them.
DERIVED_COVARIATES = ("experience_years", "span_of_control")

_DAYS_PER_YEAR = 365.25
NAT_DAY = np.iinfo(np.int64).min
#: Shares are held in integer millionths (so 0.1 + 0.2 is exactly 0.3 of capacity).
MICRO = 1_000_000


def required_columns(kind: str) -> tuple[str, ...]:
    """Columns a ``kind`` ("cases", "workers", "teams") table must have."""
    return _REQUIRED[kind]


class Problems:
    """Collects rejection rows from vectorised checks; one row per problem."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        table: str,
        rows: Sequence[Any] | np.ndarray | pd.Index,
        ids: Sequence[Any] | np.ndarray | pd.Series,
        column: str,
        values: Sequence[Any] | np.ndarray | pd.Series | None,
        reasons: str | Sequence[str] | np.ndarray,
    ) -> None:
        n = len(rows)
        if n == 0:
            return
        self._parts.append(
            pd.DataFrame(
                {
                    "table": table,
                    "row": np.asarray(rows, dtype=object),
                    "id": np.asarray(ids, dtype=object),
                    "column": column,
                    "value": (
                        np.full(n, None, dtype=object)
                        if values is None
                        else np.asarray([_show(v) for v in values], dtype=object)
                    ),
                    "reason": reasons if isinstance(reasons, str) else list(reasons),
                }
            )
        )

    def extend(self, frame: pd.DataFrame | None) -> None:
        """Add rows already in the rejection shape (for example from a reader)."""
        if frame is not None and len(frame):
            self._parts.append(frame.reindex(columns=list(REJECTED_COLUMNS)))

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return empty_rejections()
        out = pd.concat(self._parts, ignore_index=True)
        return out.astype({"table": object, "column": object, "reason": object})

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)


class Flagger:
    """Records problems for one table and remembers which rows have any.

    ``flag(mask, column, values, reason)`` adds one rejection row per true entry of ``mask``;
    ``values`` and a per-row ``reason`` are full-length and picked by the mask, so callers
    never format messages for rows that are fine.
    """

    def __init__(
        self,
        problems: Problems,
        table: str,
        labels: np.ndarray,
        ids_of: Callable[[np.ndarray], Any],
    ) -> None:
        self.problems = problems
        self.table = table
        self.labels = labels
        self.ids_of = ids_of
        self.bad = np.zeros(len(labels), dtype=bool)

    def __call__(self, mask: np.ndarray, column: str, values: Any, reason: Any) -> None:
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        # pick the flagged rows before any conversion: a column may hold a million values
        vals = None if values is None else _pick(values, rows)
        why = reason if isinstance(reason, str) else _pick(reason, rows)
        self.problems.add(self.table, self.labels[mask], self.ids_of(mask), column, vals, why)
        self.bad |= mask


def _pick(values: Any, rows: np.ndarray) -> np.ndarray:
    if isinstance(values, pd.Series | pd.Index):
        return np.asarray(values.take(rows).to_numpy(dtype=object), dtype=object)
    if isinstance(values, np.ndarray):
        return np.asarray(values[rows], dtype=object)
    return np.asarray(values, dtype=object)[rows]


def empty_rejections() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})


def _show(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


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


def row_labels(frame: pd.DataFrame) -> np.ndarray:
    """The row a person can find: ``source_row`` when a reader set it, else the index label."""
    if "source_row" in frame.columns:
        return frame["source_row"].to_numpy(dtype=object)
    if frame.index.is_unique:
        return frame.index.to_numpy(dtype=object)
    return np.arange(len(frame), dtype=object)


# --- value coercion (vectorised) ----------------------------------------------------------


def missing_text(series: pd.Series) -> np.ndarray:
    """True where a value is missing or blank text."""
    miss = series.isna().to_numpy()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        blank = series.astype("string").str.strip().eq("").fillna(False).to_numpy(dtype=bool)
        miss = miss | blank
    return miss


def ids(series: pd.Series) -> pd.Series:
    """Identifiers as comparable values: whole floats become integers, text is stripped."""
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.dropna()
        if len(values) and bool((values == np.floor(values)).all()):
            return series.astype("Int64")
        return series
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) not in (
            "string",
            "empty",
        ):
            series = series.map(lambda v: v if v is None or isinstance(v, str) else str(v))
        return series.str.strip()
    return series


def align_ids(left: pd.Series, right: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Make two id columns comparable (numbers vs. text compare as text)."""
    left, right = ids(left), ids(right)
    if pd.api.types.is_numeric_dtype(left.dtype) != pd.api.types.is_numeric_dtype(right.dtype):
        left = left.astype("string")
        right = right.astype("string")
    return left, right


def to_days(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dates as whole days since 1970-01-01 (``NAT_DAY`` where missing) and a bad-value mask.

    Accepts datetime columns, ``datetime.date`` objects and ISO 8601 text. Times of day are
    dropped: workload is a per-day figure. Messy formats are the readers' job.
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
        if getattr(series.dt, "tz", None) is not None:
            parsed = series.dt.tz_localize(None)
        bad = np.zeros(len(series), dtype=bool)
    else:
        missing = missing_text(series)
        parsed = pd.to_datetime(series.where(~missing), errors="coerce", format="ISO8601")
        bad = parsed.isna().to_numpy() & ~missing
    days = parsed.to_numpy(dtype="datetime64[D]").astype(np.int64)
    return days, bad


def days_to_datetime(days: np.ndarray) -> np.ndarray:
    """Whole days since 1970-01-01 as ``datetime64[s]`` (a multiply and a view, no parsing)."""
    days = np.asarray(days, dtype=np.int64)
    seconds = np.where(days == NAT_DAY, np.iinfo(np.int64).min, days * 86_400)
    return seconds.view("datetime64[s]")


def to_day(value: Any, name: str) -> int:
    """One date argument (str, date, Timestamp) as whole days since 1970-01-01."""
    if isinstance(value, bool | int | float | np.number):
        # pandas would read a number as nanoseconds since 1970: never what a person means
        raise ValueError(f"'{name}' must be a date like '2026-03-31' (got the number {value!r})")
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{name}' must be a date like '2026-03-31' (got {value!r})") from None
    if ts is pd.NaT:
        raise ValueError(f"'{name}' must be a date like '2026-03-31' (got {value!r})")
    return int(np.datetime64(ts.date(), "D").astype(np.int64))


def to_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers as float (NaN where missing) and a mask of values that are not numbers."""
    if pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float)
        return values, np.zeros(len(values), dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(len(values), dtype=bool)
    missing = missing_text(series)
    values = pd.to_numeric(series.where(~missing), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    bad = np.isnan(values) & ~missing
    return values, bad


def to_flags(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Complexity flags as bool (missing = False) and a mask of values that are not yes/no."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.fillna(False).to_numpy(dtype=bool), np.zeros(len(series), dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        bad = ~(np.isnan(values) | (values == 0) | (values == 1))
        return values == 1, bad
    text = series.astype("string").str.strip().str.lower()
    truthy = text.isin(TRUE_WORDS).fillna(False).to_numpy(dtype=bool)
    falsy = (text.isin(FALSE_WORDS) | text.isna()).fillna(True).to_numpy(dtype=bool)
    return truthy, ~(truthy | falsy)


class Suggester:
    """Known names close to unknown values, for many values against one list of names.

    A match ignoring case and surrounding spaces is found by dictionary. difflib's fuzzy
    search costs a few µs per known name and value (some 35 ms against a roster of 10,000),
    so it runs for as many values as ``fuzzy_budget`` comparisons allow (20 values against
    10,000 names, 400 against 500, at least 5): a run with thousands of unknown ids stays
    fast, and the first messages still show where to look.
    """

    def __init__(self, known: Iterable[Any], fuzzy_budget: int = 200_000) -> None:
        self.names = list(dict.fromkeys(str(k) for k in known))
        self.folded: dict[str, list[str]] = {}
        for name in self.names:
            self.folded.setdefault(name.strip().casefold(), []).append(name)
        self.fuzzy_left = max(5, fuzzy_budget // max(len(self.names), 1))

    def closest(self, value: Any, n: int = 3) -> list[str]:
        """Known names closest to ``value``; a match ignoring case comes first."""
        text = str(value)
        close = list(self.folded.get(text.strip().casefold(), []))
        if self.fuzzy_left > 0:
            self.fuzzy_left -= 1
            close += difflib.get_close_matches(text, self.names, n=n, cutoff=0.5)
        return list(dict.fromkeys(close))[:n]

    def __call__(self, value: Any) -> str:
        close = self.closest(value)
        return f"; closest known: {', '.join(repr(c) for c in close)}" if close else ""


def closest(value: Any, known: Sequence[str], n: int = 3) -> list[str]:
    """Known names closest to ``value``; a match ignoring case comes first."""
    return Suggester(known).closest(value, n)


def suggestion(value: Any, known: Sequence[str]) -> str:
    return Suggester(known)(value)


def years_between(start_days: np.ndarray, on_days: np.ndarray | int) -> np.ndarray:
    """Whole-and-fractional years from ``start_days`` to ``on_days``, never below 0."""
    start = np.asarray(start_days, dtype=np.int64)
    out = (np.asarray(on_days, dtype=np.int64) - start) / _DAYS_PER_YEAR
    out = np.where(start == NAT_DAY, np.nan, np.maximum(out, 0.0))
    return out


def unique_labels(values: Iterable[Hashable]) -> list[Hashable]:
    return list(dict.fromkeys(values))


def needed_covariates(scheme: Scheme) -> list[str]:
    return unique_labels(a.covariate for a in scheme.adjustments)  # type: ignore[return-value]


# --- validated tables -------------------------------------------------------------------------
# The engine works on these: numpy arrays for the valid rows, positions back into the input,
# and the rejection table for everything else.


class Roster:
    """The valid workers, their capacity inputs and where each covariate comes from."""

    def __init__(
        self,
        ids: pd.Index,
        rows: np.ndarray,
        team_ids: np.ndarray,
        fte: np.ndarray,
        reduction: np.ndarray,
        static: dict[str, np.ndarray],
        start_days: np.ndarray | None,
        teams: pd.DataFrame | None,
    ) -> None:
        self.ids = ids
        self.rows = rows
        self.team_ids = team_ids
        self.fte = fte
        # shares in integer millionths, so sums of several reductions are exact in any order
        self.reduction_units = np.round(np.asarray(reduction) * MICRO).astype(np.int64)
        self.dated: DatedReductions | None = None
        self.static = static
        self.start_days = start_days
        self.teams = teams

    def __len__(self) -> int:
        return len(self.ids)

    def reduction(self, days: int | np.ndarray) -> np.ndarray:
        """Share of time not available for cases, per worker on one day or many.

        The worker's own ``reduction`` plus every dated reduction in force that day, capped at 1
        (no capacity at all).
        """
        base = self.reduction_units
        if np.ndim(days) == 0:
            total = base.copy()
            if self.dated is not None:
                on = self.dated.in_force(int(days))
                np.add.at(total, self.dated.worker[on], self.dated.units[on])
        else:
            total = np.repeat(base[:, None], len(np.asarray(days)), axis=1)
            if self.dated is not None:
                total += self.dated.sweep(np.asarray(days), len(self))
        over = total > MICRO
        if over.any():
            # overlapping reductions: say so rather than cap silently
            who = self.ids.to_numpy()[np.flatnonzero(over.any(axis=-1) if over.ndim > 1 else over)]
            warnings.warn(
                f"reductions in force add up to more than 100 % for {len(who)} worker(s) "
                f"({', '.join(map(str, who[:5]))}{' …' if len(who) > 5 else ''}) on at least "
                f"one date; capacity is taken as 0 there (the maximum was "
                f"{total.max() / MICRO:.0%}). Check overlapping reductions.",
                ReductionsWarning,
                stacklevel=4,
            )
        return np.minimum(total, MICRO) / MICRO

    def covariate(self, name: str, days: int | np.ndarray) -> np.ndarray:
        """Covariate per worker on one day (shape ``(n,)``) or many (``(n, len(days))``)."""
        if name == "experience_years" and self.start_days is not None:
            has_start = self.start_days != NAT_DAY
            if np.ndim(days) == 0:
                dynamic = years_between(self.start_days, days)
                return np.where(has_start, dynamic, self.static[name])
            dynamic = years_between(self.start_days[:, None], np.asarray(days)[None, :])
            return np.where(has_start[:, None], dynamic, self.static[name][:, None])
        value = self.static[name]
        if np.ndim(days) == 0:
            return value
        return np.broadcast_to(value[:, None], (len(value), len(np.asarray(days))))


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
    check_columns(teams, "teams", _REQUIRED["teams"])
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
    check_columns(workers, "workers", _REQUIRED["workers"])
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


class CaseTable:
    """The valid cases as arrays, with each distinct point value given one small code.

    Cases that share case type, weight row and complexity flags share a *value key*; the engine
    counts cases per (worker, key) in exact integers and multiplies by the key's points once.
    That keeps every sum in a fixed order, so a snapshot score, a timeline and an explanation
    give bit-for-bit the same load.

    The per-case table is built on first use (:attr:`frame`, :meth:`build_frame`): scoring
    needs only the arrays, and for a million cases the table adds about a quarter to a score.
    """

    def __init__(
        self,
        worker: np.ndarray,
        key: np.ndarray,
        opened: np.ndarray,
        closed: np.ndarray,
        key_type: np.ndarray,
        key_weight: np.ndarray,
        key_points: np.ndarray,
        types: list[str],
        columns: CaseColumns,
    ) -> None:
        self.worker = worker
        self.key = key
        self.opened = opened
        self.closed = closed
        self.key_type = key_type
        self.key_weight = key_weight
        self.key_points = key_points
        self.types = types
        self.columns = columns

    def __len__(self) -> int:
        return len(self.worker)

    def active(self, day: int | None) -> np.ndarray:
        """Cases active on ``day`` (opened <= day < closed); ``None``: every case not closed."""
        no_close = self.closed == NAT_DAY
        if day is None:
            return no_close
        return (self.opened <= day) & (no_close | (day < self.closed))

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """One row per valid case: source row, ids, dates, weight, factors and points."""
        return self.build_frame()

    def build_frame(self, active: np.ndarray | None = None) -> pd.DataFrame:
        """A new per-case table, with an ``active`` column when ``active`` is given."""
        c, key = self.columns, self.key
        frame = pd.DataFrame(
            {
                "row": c.rows,
                "case_id": c.text("case_id"),
                "worker_id": pd.Categorical.from_codes(self.worker, categories=c.roster_ids),
                "team_id": pd.Categorical(c.team_ids.astype(object)).take(self.worker)
                if len(c.roster_ids)
                else pd.Categorical([]),
                "case_type": pd.Categorical.from_codes(
                    c.type_code, categories=pd.Index(self.types)
                ),
                "phase": c.text("phase"),
                "opened": days_to_datetime(self.opened),
                "closed": days_to_datetime(self.closed),
                # per-key facts gathered by the small key code, not recomputed per row
                "weight": self.key_weight[key],
                "phase_fallback": c.key_fallback[key],
            }
        )
        if active is not None:
            frame.insert(int(frame.columns.get_loc("opened")), "active", active)  # type: ignore[arg-type]
        for flag, factor, bit in c.flags:
            frame[f"{flag}_factor"] = np.where((c.key_bits[key] >> bit) & 1, factor, 1.0)
        frame["points"] = self.key_points[key]
        return frame


class CaseColumns:
    """What the per-case table needs beyond the engine's arrays, kept until it is built.

    Arrow data is immutable, so a clean export's text columns are shared and picked only when
    the table is built; any other column is copied now. Either way a later change to the
    caller's frame cannot leak into the result.
    """

    def __init__(
        self,
        cases: pd.DataFrame,
        pos: slice | np.ndarray,
        rows: np.ndarray,
        type_code: np.ndarray,
        roster: Roster,
        key_fallback: np.ndarray,
        key_bits: np.ndarray,
        flags: list[tuple[str, float, int]],
    ) -> None:
        self.pos = pos
        self.rows = rows
        self.type_code = type_code
        self.roster_ids = roster.ids
        self.team_ids = roster.team_ids
        self.key_fallback = key_fallback
        self.key_bits = key_bits
        self.flags = flags
        self._text: dict[str, tuple[Any, bool]] = {}
        for name in ("case_id", "phase"):
            if name not in cases.columns:
                continue
            array = cases[name].array
            if "Arrow" in type(array).__name__:
                # a new wrapper around the same immutable Arrow data (no copy of the data):
                # the caller's frame may later swap its own wrapper's data in place
                self._text[name] = (array.copy(), True)
            elif isinstance(pos, slice):
                self._text[name] = (array.copy(), False)
            else:
                self._text[name] = (array.take(pos), False)

    def text(self, name: str) -> Any:
        """The valid rows of a text column (all None when the input had no such column)."""
        if name not in self._text:
            return np.full(len(self.type_code), None, dtype=object)
        array, later = self._text[name]
        if later and not isinstance(self.pos, slice):
            return array.take(self.pos)
        return array


def _weight_grid(scheme: Scheme) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Weights as a (type, phase column) grid; the last column is the phase-less fallback.

    A phase with no row of its own takes the fallback, so the grid is filled with it. The
    second array says which cells are a fallback.
    """
    types, phases = scheme.case_types, scheme.phases
    grid = np.full((len(types), len(phases) + 1), np.nan)
    t_index = {t: i for i, t in enumerate(types)}
    p_index = {p: j for j, p in enumerate(phases)}
    for w in scheme.weights:
        grid[t_index[w.case_type], len(phases) if w.phase is None else p_index[w.phase]] = w.weight
    fallback_cell = np.isnan(grid)
    grid = np.where(fallback_cell, grid[:, -1:], grid)
    fallback_cell[:, -1] = True
    return types, phases, grid, fallback_cell


class _Coded:
    """A column factorised once: integer codes per row and cleaned unique values.

    Every later step (blank check, matching against the roster or the scheme, messages) runs
    on the uniques, so a million rows cost one hash pass.
    """

    def __init__(self, series: pd.Series, *, strip: bool = True) -> None:
        codes, uniques = pd.factorize(series)
        clean = ids(pd.Series(uniques)) if strip else pd.Series(uniques)
        blank = missing_text(clean)
        if strip and len(clean):
            # values equal after stripping share one code
            recodes, clean_uniques = pd.factorize(clean)
            if len(clean_uniques) < len(clean):
                codes = np.where(codes >= 0, recodes[np.maximum(codes, 0)], -1)
                clean = pd.Series(clean_uniques)
                blank = missing_text(clean)
        self.codes = codes
        self.uniques = clean
        self.missing = (codes < 0) | (blank[np.maximum(codes, 0)] if len(blank) else False)

    def values(self, mask: np.ndarray) -> np.ndarray:
        picked = self.codes[mask]
        if not len(self.uniques):
            return np.full(len(picked), None, dtype=object)
        out = self.uniques.to_numpy(dtype=object)[np.maximum(picked, 0)]
        out[picked < 0] = None
        return out


class _Lookup:
    """A text column matched against known values (roster ids, case types, phases).

    ``pos`` is each row's position in ``known`` (-1 where missing or unmatched) and
    ``missing`` marks missing or blank values. Arrow-backed text is first matched exactly
    with one probe per row into the small set of known values; only the rows that match
    nothing (usually none) take the general path: factorised, stripped, matched again and,
    if still unmatched, described in ``rest`` / ``coded`` / ``shown`` for the messages.
    """

    def __init__(self, series: pd.Series, known: pd.Index, *, align: bool) -> None:
        n = len(series)
        # object text is converted: one pass in C beats pandas' object hashing and stripping
        text = arrow_text(series, objects=True)
        fast = None if text is None else match_known(text, known)
        self.shown: pd.Series = pd.Series([], dtype=object)
        if text is not None and fast is not None:
            self.pos = fast
            self.missing = np.zeros(n, dtype=bool)
            if text.null_count:
                self.missing = ~valid_mask(text)
            self.rest = np.flatnonzero((fast < 0) & ~self.missing)
            if len(self.rest):
                self._general(series.iloc[self.rest], known, align)
        else:
            self.pos = np.full(n, -1, dtype=np.int64)
            self.missing = np.zeros(n, dtype=bool)
            self.rest = np.arange(n)
            self._general(series, known, align)

    def _general(self, sub: pd.Series, known: pd.Index, align: bool) -> None:
        """Factorise, strip and match the rows in ``self.rest`` (all rows without a fast path)."""
        coded = _Coded(sub)
        if align:
            shown, known_ids = align_ids(coded.uniques, pd.Series(known))
            u_pos = pd.Index(known_ids).get_indexer(shown)
        else:
            shown = coded.uniques
            u_pos = known.get_indexer(pd.Index(shown.astype(object)))
        # a null's code is -1, which picks the appended -1
        self.pos[self.rest] = np.append(u_pos, -1).astype(np.int64)[coded.codes]
        self.missing[self.rest] = coded.missing
        self.codes, self.shown = coded.codes, shown

    def unmatched(self) -> np.ndarray:
        return (self.pos < 0) & ~self.missing

    def reasons(self, describe: Callable[[Any], str]) -> np.ndarray:
        """A full-length reason array: ``describe(value)`` for each distinct unmatched value."""
        out = np.full(len(self.pos), "", dtype=object)
        if len(self.shown):
            per_value = np.asarray([describe(u) for u in self.shown], dtype=object)
            out[self.rest] = per_value[np.maximum(self.codes, 0)]
        return out


def _id_checks(series: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Case ids as compared, a mask of missing ones and a mask of ids on more than one row.

    Ids are compared as given (readers strip cells); object columns are stripped here.
    """
    if is_object(series.dtype):
        text = python_stripped(series)
        if text is not None:
            series = pd.Series(pd.arrays.ArrowExtensionArray(text), index=series.index)
    else:
        text = arrow_text(series)
    if text is not None:
        missing = blank(text)
        repeats = repeated(text)
        if repeats is None:
            repeats = series.duplicated(keep=False).to_numpy()
        return series, missing, repeats & ~missing
    values = ids(series) if series.dtype == object else series
    missing = missing_text(values)
    array = values.to_numpy()
    if (
        len(array) > 1
        and array.dtype.kind in "iu"
        and (bool((array[1:] > array[:-1]).all()) or bool((array[1:] < array[:-1]).all()))
    ):
        return values, missing, np.zeros(len(array), dtype=bool)  # strictly ordered: no repeats
    return values, missing, values.duplicated(keep=False).to_numpy() & ~missing


def validate_cases(
    cases: pd.DataFrame,
    scheme: Scheme,
    roster: Roster,
    all_worker_ids: pd.Series,
    rejected_workers: pd.DataFrame,
    problems: Problems,
) -> CaseTable:
    """Check every case row; return the valid ones as a :class:`CaseTable`."""
    check_columns(cases, "cases", _REQUIRED["cases"])
    n = len(cases)
    label_source = (
        cases["source_row"].to_numpy(copy=True)
        if "source_row" in cases.columns
        else (cases.index.to_numpy() if cases.index.is_unique else np.arange(n))
    )
    types, phases, grid, fallback_cell = _weight_grid(scheme)
    # the passes over the big columns are independent; on a large table they run side by
    # side (mostly inside pyarrow and numpy, which release the GIL), the checks below in order
    with side_by_side(n) as run:
        id_pass = run(_id_checks, cases["case_id"])
        worker_pass = run(_Lookup, cases["worker_id"], roster.ids, align=True)
        type_pass = run(_Lookup, cases["case_type"], pd.Index(types), align=False)
        phase_pass = (
            run(_Lookup, cases["phase"], pd.Index(phases), align=False)
            if "phase" in cases.columns
            else None
        )
        opened_pass = run(to_days, cases["opened"])
        closed_pass = run(to_days, cases["closed"]) if "closed" in cases.columns else None
    case_ids, cid_missing, dup = id_pass.result()

    def ids_of(mask: np.ndarray) -> np.ndarray:
        out = np.array(case_ids[mask].to_numpy(dtype=object), dtype=object)  # writable
        out[pd.isna(out)] = None
        return out

    flag = Flagger(problems, "cases", label_source, ids_of)
    flag(cid_missing, "case_id", None, "case_id is missing")
    if dup.any():
        counts = case_ids[dup].value_counts()
        reasons = np.full(n, "", dtype=object)
        reasons[dup] = [
            f"case_id appears on {c} rows; keep one"
            for c in case_ids[dup].map(counts).to_numpy(dtype=np.int64)
        ]
        flag(dup, "case_id", cases["case_id"], reasons)

    # worker: one probe per row into the roster; the few unmatched ids get explained
    wid = worker_pass.result()
    flag(wid.missing, "worker_id", None, "worker_id is missing")
    worker = wid.pos
    no_worker = wid.unmatched()
    if no_worker.any():
        _, all_ids = align_ids(wid.shown, all_worker_ids)
        known = set(all_ids.dropna())
        why_rejected = _first_reason_by_id(rejected_workers)
        suggest = Suggester(all_ids)

        def worker_reason(u: Any) -> str:
            if u in known and u in why_rejected:
                row, reason = why_rejected[u]
                return f"worker {u!r}'s roster row ({row}) was rejected: {reason}"
            if u in known:
                return f"worker {u!r}'s roster row was rejected"
            return f"worker {u!r} is not in the roster{suggest(u)}"

        flag(no_worker, "worker_id", cases["worker_id"], wid.reasons(worker_reason))

    # case type: the same probe against the scheme's case types
    ctype = type_pass.result()
    flag(ctype.missing, "case_type", None, "case_type is missing")
    tcode = ctype.pos
    unknown = ctype.unmatched()
    if unknown.any():
        flag(
            unknown,
            "case_type",
            cases["case_type"],
            ctype.reasons(
                lambda u: (
                    f"unknown case type {u!r}{suggestion(u, types)}; known types are in the "
                    f"scheme '{scheme.id}' (map export values with a value map)"
                )
            ),
        )

    # phase: a phase without a row of its own falls back to the case type's row (last column)
    n_pcol = len(phases) + 1
    pcol = np.full(n, len(phases), dtype=np.int64)
    if phase_pass is not None:
        p_pos = phase_pass.result().pos
        pcol = np.arange(n_pcol)[p_pos]  # -1 (none) picks the last, phase-less column
    # a last row of False for an unknown type: its index (-1) * n_pcol + pcol lands there
    no_cell = np.vstack([np.isnan(grid), np.zeros((1, n_pcol), dtype=bool)]).ravel()
    no_weight = no_cell[tcode * n_pcol + pcol]
    if no_weight.any():
        phase_values = cases["phase"] if "phase" in cases.columns else pd.Series([None] * n)
        no_row = np.full(n, "", dtype=object)
        no_row[no_weight] = [
            f"case type {t!r} has no weight for phase {p!r} and no phase-less row to fall back on"
            for t, p in zip(
                np.asarray(types, dtype=object)[tcode[no_weight]],
                phase_values.to_numpy(dtype=object)[no_weight],
                strict=True,
            )
        ]
        flag(no_weight, "phase", phase_values, no_row)

    opened, obad = opened_pass.result()
    flag(obad, "opened", cases["opened"], "'opened' is not a date; write it as YYYY-MM-DD")
    flag((opened == NAT_DAY) & ~obad, "opened", None, "opened (start date) is missing")
    if closed_pass is not None:
        closed, cbad = closed_pass.result()
        flag(cbad, "closed", cases["closed"], "'closed' is not a date; write it as YYYY-MM-DD")
        before = (closed != NAT_DAY) & (opened != NAT_DAY) & (closed < opened)
        flag(before, "closed", cases["closed"], "closed before opened; check both dates")
    else:
        closed = np.full(n, NAT_DAY, dtype=np.int64)

    flag_bits = np.zeros(n, dtype=np.int64)
    flags = []
    for bit, mult in enumerate(scheme.multipliers):
        if mult.flag not in cases.columns:
            continue
        on, fbad = to_flags(cases[mult.flag])
        flag(
            fbad,
            mult.flag,
            cases[mult.flag],
            f"complexity flag '{mult.flag}' must be yes/no (ja/nej, true/false, 1/0)",
        )
        flag_bits |= on.astype(np.int64) << bit
        flags.append((mult.flag, mult.factor, bit))

    valid = ~flag.bad
    every = bool(valid.all())
    # most exports are clean: then every per-row array is used as is, without a gather
    pos: slice | np.ndarray = slice(None) if every else np.flatnonzero(valid)
    # value key = (type, phase column, flag bits); only the few keys in use get a code
    n_bits = 1 << len(scheme.multipliers)
    raw = ((np.maximum(tcode, 0) * n_pcol + pcol) * n_bits + flag_bits)[pos]
    space = len(types) * n_pcol * n_bits
    if space <= 1 << 22:
        used = np.flatnonzero(np.bincount(raw, minlength=space))
        lookup = np.full(space, -1, dtype=np.int64)
        lookup[used] = np.arange(len(used))
        key = lookup[raw]
    else:
        used, key = np.unique(raw, return_inverse=True)
    # raw keys sort by case type first, so per-type subtotals are contiguous
    k_type = used // (n_pcol * n_bits)
    k_pcol = (used // n_bits) % n_pcol
    k_bits = used % n_bits
    key_weight = grid[k_type, k_pcol] if len(used) else np.zeros(0)
    key_fallback = fallback_cell[k_type, k_pcol] if len(used) else np.zeros(0, bool)
    key_points = key_weight.copy()
    for bit, mult in enumerate(scheme.multipliers):
        key_points = np.where((k_bits >> bit) & 1, key_points * mult.factor, key_points)

    return CaseTable(
        worker=worker[pos],
        key=key,
        opened=opened[pos],
        closed=closed[pos],
        key_type=k_type,
        key_weight=key_weight,
        key_points=key_points,
        types=types,
        columns=CaseColumns(
            cases,
            pos=pos,
            rows=label_source[pos],
            type_code=tcode[pos],
            roster=roster,
            key_fallback=key_fallback,
            key_bits=k_bits,
            flags=flags,
        ),
    )


def _first_reason_by_id(rejected: pd.DataFrame) -> dict[Any, tuple[Any, str]]:
    out: dict[Any, tuple[Any, str]] = {}
    for row, wid, reason in zip(rejected["row"], rejected["id"], rejected["reason"], strict=True):
        out.setdefault(wid, (row, reason))
    return out


class DatedReductions:
    """Valid rows of a reductions table: who, how much, from and to which day (inclusive)."""

    def __init__(self, worker: np.ndarray, units: np.ndarray, start: np.ndarray, end: np.ndarray):
        self.worker = worker
        self.units = units
        # open ends: from the beginning of time, to the end of time
        self.start = np.where(start == NAT_DAY, np.iinfo(np.int64).min + 1, start)
        self.end = np.where(end == NAT_DAY, np.iinfo(np.int64).max, end)

    def in_force(self, day: int) -> np.ndarray:
        return (self.start <= day) & (day <= self.end)

    def sweep(self, days: np.ndarray, n_workers: int) -> np.ndarray:
        """Millionths in force per (worker, date) by a difference array over the dates."""
        n_t = len(days)
        first = np.searchsorted(days, self.start, side="left")
        stop = np.searchsorted(days, self.end, side="right")
        delta = np.zeros((n_workers, n_t + 1), dtype=np.int64)
        np.add.at(delta, (self.worker, first), self.units)
        np.add.at(delta, (self.worker, stop), -self.units)
        return np.cumsum(delta, axis=1)[:, :n_t]


def validate_reductions(
    reductions: pd.DataFrame,
    roster: Roster,
    all_worker_ids: pd.Series,
    problems: Problems,
) -> DatedReductions:
    """Check a dated reductions table against the roster; attach nothing, return valid rows."""
    check_columns(reductions, "reductions", _REQUIRED["reductions"])
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
