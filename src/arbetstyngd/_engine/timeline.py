"""Workload over time by an event sweep.

Each case adds its points from the first date on or after it opened until the first date on
or after it closed. Those two events per case go into a (worker, date) difference array; a
cumulative sum over dates gives the count of active cases per worker and date. Done per value
key, in integers, and multiplied out with the same arithmetic as :func:`arbetstyngd.score`, the
result equals scoring each date separately, bit for bit, at a fraction of the cost.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from .._contract.coerce import NAT_DAY, to_day
from ..scheme import Scheme
from ..schemes import load_scheme
from .aggregate import group_totals, utilisation
from .scoring import capacity_parts, prepare, warn_rejected
from .tables import CaseTable

__all__ = ["timeline"]

# cells of one block of the (worker, date) sweep: 2 MiB of int64, about a CPU's L2 cache
_BLOCK_CELLS = 1 << 18


def _dates(start: Any, end: Any, freq: str, dates: Any) -> pd.DatetimeIndex:
    if dates is not None:
        try:
            out = pd.DatetimeIndex(pd.to_datetime(list(dates), format="ISO8601")).normalize()
        except (TypeError, ValueError):
            raise ValueError(
                f"'dates' must be dates like '2026-03-31' (got {list(dates)[:3]!r} …)"
            ) from None
    else:
        if start is None or end is None:
            raise ValueError("timeline needs 'start' and 'end' (or an explicit 'dates' list)")
        first = pd.Timestamp(np.datetime64(to_day(start, "start"), "D"))
        last = pd.Timestamp(np.datetime64(to_day(end, "end"), "D"))
        try:
            out = pd.date_range(first, last, freq=freq)
        except (TypeError, ValueError):
            raise ValueError(
                f"'freq' must be a pandas frequency such as 'W' (weekly), 'W-MON', 'MS' "
                f"(month starts) or 'D' (got {freq!r})"
            ) from None
    if len(out) == 0:
        raise ValueError(
            f"no dates between start={start!r} and end={end!r} at freq={freq!r}; "
            "widen the period or choose a shorter frequency"
        )
    if not out.is_monotonic_increasing or out.has_duplicates:
        raise ValueError("'dates' must be increasing and without repeats")
    return out


def _date_index(days: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``searchsorted(days, values)`` through a table over the dates' span, one gather per row.

    Dates before the first or after the last one are clipped onto the table's ends, where the
    answer is 0 and ``len(days)``. A missing date (``NAT_DAY``) clips to 0; callers mask it.
    """
    lo, hi = int(days[0]), int(days[-1])
    if hi - lo > 100_000:  # a sparse set of dates over centuries: the table would be huge
        return np.searchsorted(days, values, side="left")
    table = np.searchsorted(days, np.arange(lo, hi + 2), side="left")
    return table[np.clip(values, lo, hi + 1) - lo]


def _sweep(
    table: CaseTable, first: np.ndarray, stop: np.ndarray, n_w: int, n_t: int
) -> tuple[np.ndarray, np.ndarray]:
    """Active cases and load per (date, worker) from each case's first and stop date index.

    Per value key, +1 at ``first`` and -1 at ``stop`` in a (worker, date) difference array and
    a cumulative sum over dates give exact counts, multiplied out key by key in the order of
    :func:`arbetstyngd._engine.scoring.load_by_type`. Workers are taken in blocks small enough
    for the per-key arrays to stay in the CPU cache; that changes the speed, not the arithmetic.
    """
    width = n_t + 1
    n_keys = len(table.key_points)
    block = max(1, min(n_w, _BLOCK_CELLS // width))
    n_blocks = -(-n_w // block) if n_w else 0
    # cases grouped by (block of workers, value key): a stable radix sort on a small code
    group = (table.worker // block) * n_keys + table.key
    order = np.argsort(group.astype(np.min_scalar_type(max(n_blocks * n_keys, 1))), kind="stable")
    bounds = np.zeros(n_blocks * n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(group, minlength=n_blocks * n_keys), out=bounds[1:])
    local = table.worker[order] % block * width
    start_cell, stop_cell = local + first[order], local + stop[order]

    # a case's +1 and -1 both fall in its worker's row (stop <= n_t < width), so every row of
    # a difference array sums to 0 and one flat cumulative sum equals the per-row sums
    n_cases = np.empty((n_t, n_w), dtype=np.int64)
    load = np.empty((n_t, n_w))
    for b in range(n_blocks):
        rows = slice(b * block, min(n_w, (b + 1) * block))
        nb = rows.stop - rows.start
        first_case, end_case = bounds[b * n_keys], bounds[(b + 1) * n_keys]
        # active cases per cell of the block, all keys at once (integers)
        delta = np.bincount(start_cell[first_case:end_case], minlength=nb * width)
        delta -= np.bincount(stop_cell[first_case:end_case], minlength=nb * width)
        count_b = np.cumsum(delta, out=delta)
        load_b = np.zeros(nb * width)
        subtotal = np.zeros(nb * width)
        points = np.empty(nb * width)
        current_type = None
        for k in range(n_keys):
            t = table.key_type[k]
            if current_type is not None and t != current_type:
                load_b += subtotal
                subtotal[...] = 0.0
            current_type = t
            lo, hi = bounds[b * n_keys + k], bounds[b * n_keys + k + 1]
            if lo == hi:
                continue  # adding 0 x points would not change a sum
            # integers: a cumulative sum of them is exact, and about twice as fast as of floats
            counts = np.bincount(start_cell[lo:hi], minlength=nb * width)
            counts -= np.bincount(stop_cell[lo:hi], minlength=nb * width)
            np.cumsum(counts, out=counts)
            np.multiply(counts, table.key_points[k], out=points)
            subtotal += points
        if current_type is not None:
            load_b += subtotal
        # the output runs date by date (all workers of a date together)
        n_cases[:, rows] = count_b.reshape(nb, width)[:, :n_t].T
        load[:, rows] = load_b.reshape(nb, width)[:, :n_t].T
    return n_cases, load


def timeline(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme | str,
    *,
    start: Any = None,
    end: Any = None,
    freq: str = "W",
    dates: Any = None,
    teams: pd.DataFrame | None = None,
    reductions: pd.DataFrame | None = None,
    level: Literal["worker", "team"] = "worker",
    strict: bool = False,
    unit: str = "unit",
    compute: bool = False,
) -> pd.DataFrame:
    """Load, capacity, utilisation and band per worker (or team) on a series of dates.

    Equal to calling :func:`arbetstyngd.score` with ``on=date`` for each date, but computed in
    one sweep over the case open and close dates (experience is counted to each date).

    Parameters
    ----------
    cases, workers, scheme, teams, reductions, strict
        As for :func:`arbetstyngd.score`; dated reductions apply on the dates they are in force.
    start, end : date-like
        The period; dates are ``pandas.date_range(start, end, freq=freq)``.
    freq : str, default "W"
        A pandas frequency: "W" (weekly, Sundays), "W-MON", "MS" (month starts), "D" …
    dates : sequence of date-like, optional
        Explicit dates instead of ``start``/``end``/``freq``.
    level : {"worker", "team"}
        One row per worker and date, or per team and date (ratio of sums).
    unit, compute
        Only for dask DataFrames (many units on a cluster); see
        :func:`arbetstyngd.distributed.timeline`, which also takes ``level="unit"``.

    Returns
    -------
    DataFrame
        ``date``, ``worker_id`` (worker level), ``team_id``, ``n_cases``, ``load``,
        ``capacity``, ``utilisation``, ``band``. Rejected input rows are in
        ``result.attrs["rejected"]``; a :class:`~arbetstyngd.RejectedRowsWarning` says so.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=3)
    >>> tl = at.timeline(town.cases, town.workers, town.scheme, start="2025-01-05",
    ...                  end="2025-03-30", freq="W")
    >>> int(tl.groupby("date").size().iloc[0])
    6
    """
    if hasattr(cases, "__dask_graph__") or hasattr(workers, "__dask_graph__"):
        from .. import distributed

        return distributed.timeline(
            cases, workers, scheme, start=start, end=end, freq=freq, dates=dates, teams=teams,
            reductions=reductions, level=level, strict=strict, unit=unit, compute=compute,
        )  # fmt: skip
    scheme = load_scheme(scheme)  # a Scheme as it is, else by name or path
    if level not in ("worker", "team"):
        raise ValueError(f"'level' must be 'worker' or 'team' (got {level!r})")
    index = _dates(start, end, freq, dates)
    days = index.to_numpy(dtype="datetime64[D]").astype(np.int64)
    prep = prepare(cases, workers, scheme, teams, reductions=reductions, strict=strict)
    roster, table = prep.roster, prep.cases
    n_w, n_t = len(roster), len(days)

    # first date index at which each case is active, and the first at which it is not; a
    # case that is active on no date gets first == stop and adds nothing (closed >= opened)
    first = _date_index(days, table.opened)
    stop = np.where(table.closed == NAT_DAY, n_t, _date_index(days, table.closed))
    n_cases, load = _sweep(table, first, stop, n_w, n_t)

    _, _, capacity = capacity_parts(scheme, roster, days)
    # load, capacity and utilisation in one float block, so the frame is built without a copy
    block = np.empty((3, n_t * n_w))
    block[0] = load.ravel()
    block[1].reshape(n_t, n_w)[...] = capacity.T
    block[2] = utilisation(block[0], block[1])
    frame = pd.DataFrame(block.T, columns=["load", "capacity", "utilisation"], copy=False)
    who = np.tile(np.arange(n_w), n_t)
    frame.insert(0, "date", np.repeat(index.to_numpy(), n_w))
    frame.insert(1, "worker_id", pd.Series(pd.Series(roster.ids.to_numpy()).array.take(who)))
    frame.insert(2, "team_id", pd.Series(pd.Series(roster.team_ids).array.take(who)))
    frame.insert(3, "n_cases", n_cases.ravel())
    frame["band"] = scheme.bands.classify(frame["utilisation"].to_numpy())
    if level == "team":
        frame = aggregate(frame, scheme)
    frame.attrs["rejected"] = prep.rejected
    frame.attrs["scheme"] = scheme.id
    warn_rejected(prep.rejected, "the result's .attrs['rejected'] table")
    return frame


def aggregate(frame: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """Per date and team: sums of load and capacity and their ratio (never a mean of
    percentages).

    Sums run over the workers in roster order, as :func:`arbetstyngd.score` sums its teams,
    so a team timeline equals the team table of each date bit for bit.
    """
    d_codes, dates = pd.factorize(frame["date"], sort=True)
    t_codes, teams = pd.factorize(frame["team_id"], sort=True)
    n_d, n_t = len(dates), len(teams)
    totals = group_totals(frame, d_codes * n_t + t_codes, n_d * n_t, scheme, fte=False)
    seen = totals["n_workers"].to_numpy() > 0  # a team without workers on a date has no row
    keys = pd.DataFrame(
        {
            "date": np.repeat(np.asarray(dates), n_t)[seen],
            "team_id": pd.Series(teams).take(np.tile(np.arange(n_t), n_d)[seen]).to_numpy(),
        }
    )
    return pd.concat([keys, totals[seen].reset_index(drop=True)], axis=1)
