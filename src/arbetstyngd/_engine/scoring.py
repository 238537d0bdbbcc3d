"""The vectorised engine: points, load, capacity, utilisation and bands.

For worker *i* on day *t* (see the measurement model in the docs)::

    load        L_i = sum of points of the cases active on t
    capacity    K_i = P * fte_i * (1 - reduction_i) * prod_a g_a(covariate_ia)
    utilisation u_i = L_i / K_i

No Python loop runs over rows or workers: cases are reduced to integer codes, counted per
(worker, value key) with ``numpy.bincount`` and multiplied by each key's points once. The only
loops run over the scheme's few case types, keys and adjustments.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._contract.coerce import align_ids, to_day
from .._contract.problems import Problems
from .._contract.reasons import reason_label
from .._contract.validate import validate_reductions, validate_teams, validate_workers
from .._contract.validate_cases import start_case_passes, validate_cases
from ..errors import Both, DataError, Phrase, RejectedRowsWarning, Said
from ..result import Deferred, Workload
from ..scheme import Scheme
from ..schemes import load_scheme
from .aggregate import team_table, unit_table, utilisation
from .capacity import capacity_chain
from .codes import plain_strings, side_by_side
from .tables import CaseTable, Roster

__all__ = [
    "capacity_parts",
    "prepare",
    "score",
    "score_prepared",
    "team_table",
    "unit_table",
    "utilisation",
    "warn_rejected",
]


class Prepared:
    """Validated inputs shared by :func:`score` and :func:`arbetstyngd.timeline`."""

    def __init__(self, roster: Roster, cases: CaseTable, rejected: pd.DataFrame) -> None:
        self.roster = roster
        self.cases = cases
        self.rejected = rejected


def prepare(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme,
    teams: pd.DataFrame | None = None,
    *,
    reductions: pd.DataFrame | None = None,
    strict: bool = False,
    rejected: pd.DataFrame | None = None,
) -> Prepared:
    """Validate the three tables against the scheme; collect every problem at once."""
    scheme = load_scheme(scheme)  # a Scheme as it is, else by name or path
    cases, workers = plain_strings(cases), plain_strings(workers)
    teams = None if teams is None else plain_strings(teams)
    reductions = None if reductions is None else plain_strings(reductions)
    problems = Problems()
    problems.extend(rejected)
    # readers list the rows they could not parse in attrs["rejected"]; keep them accounted for
    for frame in (cases, workers, teams, reductions):
        if isinstance(frame, pd.DataFrame):
            problems.extend(frame.attrs.get("rejected"))
    with side_by_side(len(cases) if isinstance(cases, pd.DataFrame) else 0) as run:
        # the case passes that need no roster run while the roster is validated
        started = start_case_passes(cases, scheme, run)
        valid_teams = None if teams is None else validate_teams(teams, scheme, problems)
        roster, rejected_workers = validate_workers(
            workers,
            scheme,
            valid_teams,
            problems,
            all_team_ids=None if teams is None else teams["team_id"],
        )
        if len(workers) and not len(roster):
            raise DataError(_no_worker_message(rejected_workers), failures=rejected_workers)
        if reductions is not None:
            roster.dated = validate_reductions(reductions, roster, workers["worker_id"], problems)
        table = validate_cases(
            cases, scheme, roster, workers["worker_id"], rejected_workers, problems,
            run=run, started=started,
        )  # fmt: skip
    problems.extend(_with_case_counts(rejected_workers, cases))
    frame = problems.frame()
    if strict and len(frame):
        raise DataError(_strict_message(frame), failures=frame)
    return Prepared(roster, table, frame)


def _with_case_counts(rejected_workers: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Say on each rejected worker row how many cases go with it."""
    if not len(rejected_workers):
        return rejected_workers
    ids_cases, ids_rej = align_ids(cases["worker_id"], pd.Series(rejected_workers["id"].to_numpy()))
    counts = ids_cases.value_counts()
    n = ids_rej.map(counts).fillna(0).astype(int).to_numpy()
    out = rejected_workers.copy()
    out["reason"] = [
        f"{r}; {k} case(s) of this worker are rejected with it" if k else r
        for r, k in zip(out["reason"], n, strict=True)
    ]
    return out


def _no_worker_message(rejected_workers: pd.DataFrame) -> Said:
    """Why no worker is left: the kinds of problem and the first reason of the commonest."""
    codes = rejected_workers["code"].value_counts()
    first = rejected_workers.loc[rejected_workers["code"] == codes.index[0], "reason"].iloc[0]
    kinds = [
        Phrase(
            "err.rows_of_code",
            {
                "n": int(n),
                "count": str(n),
                "code": code,
                "label": Both(reason_label(str(code)), ""),
            },
        )
        for code, n in codes.items()
    ]
    # a reason's own text is English; in Swedish its code's label stands for it
    first_said = Both(reason_label(str(codes.index[0])), str(first))
    return Said("err.no_worker", kinds=kinds, first=first_said)


def _strict_message(frame: pd.DataFrame, limit: int = 20) -> str:
    lines = [
        f"{len(frame)} problem(s) in the input (strict=True); the first ones:",
        *(
            f"  {t} row {r}, {c}: {why}"
            for t, r, c, why in frame[["table", "row", "column", "reason"]]
            .head(limit)
            .itertuples(index=False)
        ),
    ]
    if len(frame) > limit:
        lines.append(f"  … and {len(frame) - limit} more; see the error's .failures table")
    return "\n".join(lines)


def warn_rejected(rejected: pd.DataFrame, where: str) -> None:
    """Warn that rows were rejected; ``where`` is the label (``warn.where.*``) of the table
    that lists them."""
    if len(rejected):
        rows = rejected.groupby("table", sort=False)["row"].nunique()
        what = [
            Phrase(
                "warn.table_rows",
                {"n": int(n), "name": str(t), "table": Phrase(f"table.{t}", {})},
            )
            for t, n in rows.items()
        ]
        warning = RejectedRowsWarning.of("warn.rejected", what=what, where=Phrase(where, {}))
        warnings.warn(warning, stacklevel=3)


# --- the arithmetic ----------------------------------------------------------------------------
# Both score() and timeline() go through these two functions, so a snapshot and a timeline
# agree bit for bit.


def load_by_type(counts: np.ndarray, table: CaseTable) -> tuple[np.ndarray, np.ndarray]:
    """Points per (case type, worker) and load per worker from counts per (key, worker).

    ``counts`` has the key on its first axis, so each key's counts are one contiguous row.
    Per-type subtotals (type on the first axis of the result) are summed key by key in key
    order, and the load is the sum of the subtotals in case-type order.
    """
    n_types = len(table.types)
    by_type = np.zeros((n_types, *counts.shape[1:]))
    for k in range(counts.shape[0]):
        by_type[table.key_type[k]] += counts[k] * table.key_points[k]
    load = np.zeros(counts.shape[1:])
    for t in range(n_types):
        load += by_type[t]
    return by_type, load


def capacity_parts(
    scheme: Scheme, roster: Roster, days: int | np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Covariates, adjustment factors and capacity per worker on one day or many.

    Capacity is built as P * fte, then * (1 - reduction), then * each factor in scheme order;
    :meth:`Workload.explain` repeats exactly that chain.
    """
    fte = roster.fte if np.ndim(days) == 0 else roster.fte[:, None]
    covariates: dict[str, np.ndarray] = {}
    factors: dict[str, np.ndarray] = {}
    for adj in scheme.adjustments:
        if adj.covariate not in covariates:
            covariates[adj.covariate] = roster.covariate(adj.covariate, days)
        factors[adj.name] = adj.factor(covariates[adj.covariate])
    steps = capacity_chain(
        scheme.capacity,
        fte,
        roster.reduction(days),
        [(a.name, covariates[a.covariate], factors[a.name]) for a in scheme.adjustments],
    )
    shape = (len(roster),) if np.ndim(days) == 0 else (len(roster), len(np.asarray(days)))
    capacity = np.broadcast_to(steps[-1][3], shape).copy()
    return covariates, factors, capacity


# --- the public entry point ------------------------------------------------------------------


def score(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme | str,
    *,
    teams: pd.DataFrame | None = None,
    reductions: pd.DataFrame | None = None,
    on: Any = None,
    strict: bool = False,
    unit: str = "unit",
    compute: bool = False,
) -> Workload:
    """Score a caseload: points per case, load, capacity, utilisation and band per worker.

    Parameters
    ----------
    cases : DataFrame
        One row per case: ``case_id``, ``worker_id``, ``case_type``, ``opened`` and optionally
        ``closed``, ``phase`` and a column per complexity flag of the scheme.
    workers : DataFrame
        The roster: ``worker_id``, ``fte``, ``team_id`` and the covariates the scheme's
        adjustments need (``experience_years`` or ``profession_start``; ``span_of_control`` is
        derived from the roster when no table gives it). Optional ``reduction``.
    scheme : Scheme or str
        A scheme, or the name or path of one (:func:`arbetstyngd.load_scheme`).
    teams : DataFrame, optional
        ``team_id`` plus team covariates (``manager_id``, ``span_of_control`` …).
    reductions : DataFrame, optional
        Dated reductions of working time (a catalogue of reasons with dates): ``worker_id``,
        ``share`` in (0, 1], optional ``start`` and ``end`` (both inclusive; empty = open) and
        ``reason``. In force on the scoring date, they add to the worker's ``reduction``; a
        total of 1 or more leaves no capacity (utilisation is then undefined, NaN).
    on : date-like, optional
        Score the caseload as it was on this date: a case is active when
        ``opened <= on`` and it is not closed or ``on < closed``. With ``None`` the export is
        read as a snapshot: every case without a closed date is active, and experience is
        counted up to today.
    strict : bool, default False
        Raise one :class:`~arbetstyngd.DataError` listing every problem instead of rejecting
        rows.
    unit, compute
        Only for dask DataFrames (many units on a cluster): the unit column, and whether to
        return pandas tables; see :func:`arbetstyngd.distributed.score`.

    Returns
    -------
    Workload
        Tables per case, worker and team; rejected rows with their reasons; the scheme.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1)
    >>> wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    >>> list(wl.workers.columns[:4])
    ['worker_id', 'team_id', 'n_cases', 'load']
    >>> bool((wl.teams.load.sum() - wl.workers.load.sum()) < 1e-9)
    True
    """
    if hasattr(cases, "__dask_graph__") or hasattr(workers, "__dask_graph__"):
        from .. import distributed

        return distributed.score(  # type: ignore[return-value]
            cases, workers, scheme, teams=teams, reductions=reductions, on=on, strict=strict,
            unit=unit, compute=compute,
        )  # fmt: skip
    scheme = load_scheme(scheme)  # a Scheme as it is, else by name or path
    day = None if on is None else to_day(on, "on")
    ref_day = day if day is not None else to_day(pd.Timestamp.today(), "today")
    prep = prepare(cases, workers, scheme, teams, reductions=reductions, strict=strict)
    wl = score_prepared(prep, scheme, day, ref_day, team_names=teams)
    warn_rejected(wl.rejected, "warn.where.result")
    return wl


def score_prepared(
    prep: Prepared, scheme: Scheme, day: int | None, ref_day: int, *, team_names: Any = None
) -> Workload:
    roster, table = prep.roster, prep.cases
    n_workers, n_keys = len(roster), len(table.key_points)
    active = table.active(day)
    # weighting by the 0/1 mask is cheaper than selecting the active rows; sums of ones in
    # float64 are exact integers far beyond any caseload
    # key-major: each key's counts over the workers are one contiguous row
    cell = table.key * n_workers
    cell += table.worker  # in place: one temporary instead of two
    counts = np.bincount(cell, weights=active, minlength=n_keys * n_workers)
    counts = counts.astype(np.int64).reshape(n_keys, n_workers)
    by_type, load = load_by_type(counts, table)
    covariates, factors, capacity = capacity_parts(scheme, roster, ref_day)
    util = utilisation(load, capacity)

    columns: dict[str, Any] = {
        "worker_id": roster.ids.to_numpy(),
        **({} if roster.names is None else {"name": roster.names}),
        "team_id": roster.team_ids,
        "n_cases": counts.sum(axis=0),
        "load": load,
        "fte": roster.fte,
        "reduction": roster.reduction(ref_day),
    }
    # one constructor call: a later key equal to an earlier one replaces its values in place,
    # as assigning the column would
    columns |= covariates
    columns |= {f"{name}_factor": values for name, values in factors.items()}
    columns |= {
        "capacity": capacity,
        "utilisation": util,
        "band": scheme.bands.classify(util),
        "row": roster.rows,
    }
    worker_frame = pd.DataFrame(columns)
    type_points = pd.DataFrame(by_type.T, columns=table.types)
    teams = team_table(worker_frame, scheme)
    on = None if day is None else pd.Timestamp(np.datetime64(day, "D"))
    return Workload(
        cases=Deferred(functools.partial(table.build_frame, active)),
        workers=worker_frame,
        teams=teams,
        rejected=prep.rejected,
        scheme=scheme,
        on=on,
        reference_date=pd.Timestamp(np.datetime64(ref_day, "D")),
        type_points=type_points,
        team_names=team_names,  # the teams frame's 'name' column, for reports and plots
    )
