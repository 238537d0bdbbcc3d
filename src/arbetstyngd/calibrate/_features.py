"""From raw tables to the X of the calibrators: one row per (worker, period).

A case counts in a period in proportion to the days it was active in it (opened <= day <
closed, the engine's rule), so a case open for half of a month counts 0.5 in that month. The
count goes to the case's weight row: its (case type, phase) row when the scheme has one, else
the case type's phase-less row, exactly as the engine assigns weights. With
``apply_multipliers=True`` a flagged case counts its complexity factor (1.2 for an interpreter
case …), so that ``X[load columns] @ weights`` equals the engine's mean daily load over the
period and the calibrated weights are base weights the scheme's multipliers apply to.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._contract.coerce import NAT_DAY, to_day
from .._engine.scoring import prepare, warn_rejected
from ..scheme import Adjustment, Scheme, Weight
from ._checks import CalibrationWarning, no_identity_numbers, resolve_scheme

__all__ = [
    "LOAD_PREFIX",
    "features",
    "load_column",
    "parse_load_column",
    "study_periods",
]

#: Prefix of the exposure columns in the output of :func:`features`.
LOAD_PREFIX = "cases:"

#: Columns of :func:`features` that are not covariates or loads.
ID_COLUMNS = ("worker_id", "team_id", "period", "start", "end")
CAPACITY_COLUMNS = ("fte", "reduction", "days")


def load_column(case_type: str, phase: str | None = None) -> str:
    """The column name of a weight row: ``cases:<case_type>`` or ``cases:<case_type>/<phase>``.

    Examples
    --------
    >>> load_column("bou_lvu", "utredning")
    'cases:bou_lvu/utredning'
    """
    return f"{LOAD_PREFIX}{case_type}" + ("" if phase is None else f"/{phase}")


def parse_load_column(column: str) -> tuple[str, str | None]:
    """``(case_type, phase)`` of a load column (the inverse of :func:`load_column`).

    Examples
    --------
    >>> parse_load_column("cases:bou_lvu/utredning")
    ('bou_lvu', 'utredning')
    >>> parse_load_column("cases:ekb")
    ('ekb', None)
    """
    if not column.startswith(LOAD_PREFIX):
        raise ValueError(f"a load column starts with {LOAD_PREFIX!r} (got {column!r})")
    rest = column[len(LOAD_PREFIX) :]
    case_type, sep, phase = rest.partition("/")
    return case_type, (phase if sep else None)


def study_periods(periods: Any, start: Any = None, end: Any = None) -> pd.DataFrame:
    """The study periods as a table: ``period``, ``start`` and ``end`` (both inclusive).

    Parameters
    ----------
    periods : str, PeriodIndex, sequence of Period or DataFrame
        A pandas period frequency such as ``"M"`` (months) or ``"W"`` (weeks), used with
        ``start`` and ``end``; or the periods themselves; or a table with ``period``,
        ``start`` and ``end`` columns for irregular windows.
    start, end : date-like, optional
        The study window when ``periods`` is a frequency.

    Examples
    --------
    >>> study_periods("M", "2026-01-01", "2026-03-31")["period"].astype(str).tolist()
    ['2026-01', '2026-02', '2026-03']
    """
    if isinstance(periods, pd.DataFrame):
        missing = {"period", "start", "end"} - set(periods.columns)
        if missing:
            raise ValueError(
                f"a periods table needs the columns 'period', 'start' and 'end' "
                f"(missing {sorted(missing)})"
            )
        table = pd.DataFrame(
            {
                "period": periods["period"].to_numpy(),
                "start": pd.to_datetime(periods["start"]).dt.normalize().to_numpy(),
                "end": pd.to_datetime(periods["end"]).dt.normalize().to_numpy(),
            }
        )
    else:
        if isinstance(periods, str):
            if start is None or end is None:
                raise ValueError(
                    f"periods={periods!r} is a frequency; give the study window with "
                    "start= and end= as well"
                )
            first = pd.Timestamp(np.datetime64(to_day(start, "start"), "D"))
            last = pd.Timestamp(np.datetime64(to_day(end, "end"), "D"))
            # periods are spans, so the "start of" aliases of date_range mean the same span
            freq = {"MS": "M", "QS": "Q", "YS": "Y", "AS": "Y"}.get(periods, periods)
            try:
                index = pd.period_range(first, last, freq=freq)
            except (TypeError, ValueError):
                raise ValueError(
                    f"'periods' must be a period frequency such as 'M' (months), 'W' (weeks) "
                    f"or 'Q' (quarters) (got {periods!r})"
                ) from None
        elif isinstance(periods, pd.PeriodIndex):
            index = periods
        elif isinstance(periods, Sequence) and all(isinstance(p, pd.Period) for p in periods):
            index = pd.PeriodIndex(list(periods))
        else:
            raise TypeError(
                "'periods' must be a frequency such as 'M' (with start and end), a "
                f"PeriodIndex, a list of Periods or a table (got {type(periods).__name__})"
            )
        table = pd.DataFrame(
            {
                "period": index,
                "start": index.start_time.normalize(),
                "end": index.end_time.normalize(),
            }
        )
    if not len(table):
        raise ValueError("no study periods: widen the window or choose a shorter frequency")
    if (table["end"] < table["start"]).any():
        raise ValueError("every period must end on or after its start")
    if table["period"].duplicated().any():
        raise ValueError("period labels must be unique")
    return table.reset_index(drop=True)


def _inferred_scheme(
    cases: pd.DataFrame, workers: pd.DataFrame, teams: pd.DataFrame | None
) -> Scheme:
    """A neutral scheme (weight 1 per row, factors 1) naming what the data contains."""
    types = cases["case_type"].dropna().astype("string").str.strip()
    types = types[types != ""]
    rows: list[Weight] = [Weight(str(t), 1.0) for t in pd.unique(types)]
    if "phase" in cases.columns:
        pairs = pd.DataFrame(
            {
                "case_type": cases["case_type"].astype("string").str.strip(),
                "phase": cases["phase"].astype("string").str.strip(),
            }
        ).dropna()
        pairs = pairs[(pairs["phase"] != "") & (pairs["case_type"] != "")].drop_duplicates()
        rows += [Weight(str(t), 1.0, str(p)) for t, p in pairs.itertuples(index=False)]
    if not rows:
        raise ValueError("the cases table has no case types to build features from")
    adjustments = [Adjustment("span_of_control", (), (1.0,), name="support")]
    if {"experience_years", "profession_start"} & set(workers.columns):
        adjustments.insert(0, Adjustment("experience_years", (), (1.0,), name="experience"))
    return Scheme(
        name="inferred",
        version="0",
        capacity=1.0,
        weights=rows,
        adjustments=adjustments,
        description="case types found in the data, weight 1 each",
    )


def _with_covariates(scheme: Scheme, covariates: Sequence[str]) -> Scheme:
    """The scheme with neutral adjustments added so the roster computes extra covariates."""
    have = {a.covariate for a in scheme.adjustments}
    names = {a.name for a in scheme.adjustments}
    extra = [
        Adjustment(c, (), (1.0,), name=c if c not in names else f"{c}_covariate")
        for c in covariates
        if c not in have
    ]
    return scheme.evolve(adjustments=[*scheme.adjustments, *extra]) if extra else scheme


def _mean_reduction(roster: Any, p_start: np.ndarray, p_stop: np.ndarray) -> np.ndarray:
    """Each worker's reduction averaged over each period's days, shape (workers, periods)."""
    n_w, n_p = len(roster), len(p_start)
    if not callable(roster.reduction):  # a roster with one fixed share per worker
        return np.repeat(np.asarray(roster.reduction, dtype=float)[:, None], n_p, axis=1)
    first = int(p_start.min())
    days = np.arange(first, int(p_stop.max()))
    daily = np.asarray(roster.reduction(days), dtype=float).reshape(n_w, len(days))
    cum = np.concatenate([np.zeros((n_w, 1)), np.cumsum(daily, axis=1)], axis=1)
    return (cum[:, p_stop - first] - cum[:, p_start - first]) / (p_stop - p_start)


def _case_rows(
    ct: Any, base: Scheme, rows: list[tuple[str, str | None]], apply_multipliers: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Each valid case's weight row (the engine's own fallback decision) and count factor."""
    sep = "\x1f"
    row_keys = pd.Index([f"{t}{sep}{'' if p is None else p}" for t, p in rows])
    frame = ct.frame
    phase = frame["phase"].astype("string").str.strip().fillna("")
    phase = phase.where(~frame["phase_fallback"].to_numpy(dtype=bool), "")
    case_keys = (
        frame["case_type"].astype(str).to_numpy(dtype=object)
        + sep
        + phase.to_numpy(dtype=object, na_value="")
    )
    row = row_keys.get_indexer(pd.Index(case_keys))
    if (row < 0).any():  # pragma: no cover - the engine assigned a weight, so a row exists
        raise RuntimeError("a case matched no weight row")
    factor = np.ones(len(ct))
    if apply_multipliers:
        for mult in base.multipliers:
            col = f"{mult.flag}_factor"
            if col in frame.columns:
                factor = factor * frame[col].to_numpy(dtype=float)
    return row, factor


@no_identity_numbers
def features(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    *,
    periods: Any,
    start: Any = None,
    end: Any = None,
    teams: pd.DataFrame | None = None,
    scheme: Scheme | str | None = None,
    covariates: Sequence[str] = (),
    apply_multipliers: bool = True,
    reductions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Exposure-weighted caseload per (worker, period): the X of the calibrators.

    Parameters
    ----------
    cases, workers, teams : DataFrame
        The canonical tables, as for :func:`arbetstyngd.score`. Rows the engine would reject
        are left out here too (a :class:`~arbetstyngd.RejectedRowsWarning` says so) and are
        listed in ``X.attrs["rejected"]``.
    periods : str, PeriodIndex, sequence of Period or DataFrame
        The study periods (see :func:`study_periods`): ``"M"`` or ``"W"`` with ``start`` and
        ``end``, a PeriodIndex, or a table of ``period``, ``start``, ``end``.
    start, end : date-like, optional
        The study window when ``periods`` is a frequency.
    scheme : Scheme or str, optional
        Names the weight rows (one load column per case type and per phase row) and the
        capacity covariates. Without one, every case type and (case type, phase) pair found in
        the data gets a column, and experience and span of control are the covariates.
    covariates : sequence of str
        Further worker or team covariates to carry (e.g. ``"supervision_hours"``).
    apply_multipliers : bool, default True
        Count a flagged case as its complexity factor (see the module notes).
    reductions : DataFrame, optional
        Dated reductions (leave, training …), as for :func:`arbetstyngd.score`; the
        ``reduction`` column is their mean over each period's days.

    Returns
    -------
    DataFrame
        One row per (worker, period), worker by worker:

        - ``worker_id``, ``team_id``, ``period``, ``start``, ``end`` (inclusive), ``days``;
        - ``fte`` and ``reduction`` (capacity = P x fte x (1 - reduction) x adjustments);
        - one column per capacity covariate, valued at the middle of the period
          (``experience_years`` grows through the study);
        - ``cases:<case_type>`` and ``cases:<case_type>/<phase>``: the mean number of active
          cases of that weight row over the period's days.

    Warns
    -----
    CalibrationWarning
        When a period has no active case at all (the export probably does not cover it).

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=0)
    >>> X = at.calibrate.features(town.cases, town.workers, teams=town.teams,
    ...                           scheme=town.scheme, periods="M",
    ...                           start="2026-01-01", end="2026-03-31")
    >>> X.shape[0], X.columns[:6].tolist()
    (18, ['worker_id', 'team_id', 'period', 'start', 'end', 'days'])
    >>> "cases:bou_utredning" in X.columns
    True
    """
    base = resolve_scheme(scheme)
    base = _inferred_scheme(cases, workers, teams) if base is None else base
    base = _with_covariates(base, list(covariates))
    table = study_periods(periods, start, end)
    p_start = table["start"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    p_stop = table["end"].to_numpy(dtype="datetime64[D]").astype(np.int64) + 1  # exclusive
    n_p = len(table)

    prep = prepare(cases, workers, base, teams, reductions=reductions)
    warn_rejected(prep.rejected, "warn.where.features")
    roster, ct = prep.roster, prep.cases
    n_w = len(roster)

    rows = [(w.case_type, w.phase) for w in base.weights]
    row, factor = _case_rows(ct, base, rows, apply_multipliers)
    n_r = len(rows)
    opened = ct.opened
    closed = np.where(ct.closed == NAT_DAY, np.iinfo(np.int64).max, ct.closed)
    exposure = np.zeros((n_w, n_p, n_r))
    cell = ct.worker * n_r + row
    for j in range(n_p):
        overlap = np.minimum(closed, p_stop[j]) - np.maximum(opened, p_start[j])
        share = np.clip(overlap, 0, None) / (p_stop[j] - p_start[j])
        exposure[:, j, :] = np.bincount(cell, weights=share * factor, minlength=n_w * n_r).reshape(
            n_w, n_r
        )

    empty = exposure.sum(axis=(0, 2)) == 0
    if empty.any() and len(roster):
        labels = ", ".join(str(p) for p in table["period"][empty])
        warnings.warn(
            f"no active case at all in period(s) {labels}: the caseload export does not seem "
            "to cover them; export the cases that were open then (including closed ones) or "
            "leave those periods out of the study",
            CalibrationWarning,
            stacklevel=2,
        )

    mid = (p_start + p_stop - 1) // 2
    reduction = _mean_reduction(roster, p_start, p_stop)
    out: dict[str, Any] = {
        "worker_id": np.repeat(roster.ids.to_numpy(), n_p),
        "team_id": np.repeat(roster.team_ids, n_p),
        "period": np.tile(table["period"].to_numpy(), n_w),
        "start": np.tile(table["start"].to_numpy(), n_w),
        "end": np.tile(table["end"].to_numpy(), n_w),
        "days": np.tile(p_stop - p_start, n_w),
        "fte": np.repeat(roster.fte, n_p),
        "reduction": reduction.reshape(n_w * n_p),
    }
    for cov in dict.fromkeys(a.covariate for a in base.adjustments):
        out[cov] = np.asarray(roster.covariate(cov, mid), dtype=float).reshape(n_w * n_p)
    for r, (t, p) in enumerate(rows):
        out[load_column(t, p)] = exposure[:, :, r].reshape(n_w * n_p)
    result = pd.DataFrame(out)
    if isinstance(table["period"].dtype, pd.PeriodDtype):
        result["period"] = pd.PeriodIndex(result["period"])
    result.attrs["rejected"] = prep.rejected
    result.attrs["scheme"] = base.id
    return result
