"""Workload over time by an event sweep.

Each case adds its points from the first date on or after it opened until the first date on
or after it closed. Those two events per case go into a (worker, date) difference array; a
cumulative sum over dates gives the count of active cases per worker and date. Done per value
key, in integers, and multiplied out with the same arithmetic as :func:`arbetstyngd.score`, the
result equals scoring each date separately, bit for bit, at a fraction of the cost.
"""

from __future__ import annotations

import itertools
from concurrent.futures import Future
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._contract.coerce import NAT_DAY, to_day
from ..scheme import Scheme
from ..schemes import load_scheme
from .aggregate import group_totals, utilisation
from .codes import side_by_side
from .scoring import capacity_parts, prepare, warn_rejected
from .tables import CaseTable, Roster

__all__ = ["timeline"]

# a case type's keys share one mixed-radix code of their counts while the code stays below this
_CODE_LIMIT = 1 << 62
# the widest sort key packed into one int64 (wider ones take a lexsort), and into a uint32
_PACK_BITS = 63
_NARROW_BITS = 32


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
    at = np.clip(values, lo, hi + 1)
    at -= lo  # in place: one temporary instead of two
    return table.take(at)


def _sorted_events(
    key_type: np.ndarray, key: np.ndarray, worker: np.ndarray, first: np.ndarray,
    stop: np.ndarray, width: int, n_types: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Each case's start and stop event, sorted by (case type, cell, key, start before stop).

    ``key_type`` is each key's case type, ``key`` each case's key; its events are in the cells
    ``worker * width + first`` and ``worker * width + stop``. Returns the bounds of each
    type's run of events, and per event its cell and ``key * 2 + (1 if a stop else 0)``. The
    sort keys are packed into one integer, of 32 bits where they fit (a million cells and a
    hundred keys do) and else 64: sorting plain integers is several times faster than an
    argsort, and 32-bit ones twice as fast again.
    """
    key_type = key_type.astype(np.int64)
    n_cells = (int(worker.max(initial=0)) + 1) * width
    key_bits = max(1, (2 * len(key_type) - 1).bit_length())
    cell_bits = max(1, (n_cells - 1).bit_length())
    shift = cell_bits + key_bits
    bits = max(1, (n_types - 1).bit_length()) + shift
    if bits > _PACK_BITS:
        row = worker * width
        kinds, cell = np.tile(key_type[key], 2), np.concatenate([row + first, row + stop])
        key_sign = np.concatenate([key * 2, key * 2 + 1])
        order = np.lexsort((key_sign, cell, kinds))
        bounds = np.searchsorted(kinds[order], np.arange(n_types + 1))
        return bounds, cell[order], key_sign[order]
    dtype: type[np.integer[Any]] = np.uint32 if bits <= _NARROW_BITS else np.int64
    # type and key of each key in place, gathered once per case
    heads = (key_type << shift) | (np.arange(len(key_type), dtype=np.int64) << 1)
    head = heads.astype(dtype)[key]
    packed = np.empty(2 * len(key), dtype=dtype)
    starts, stops = packed[: len(key)], packed[len(key) :]
    # the cells, shifted, fit the packed type: computed in it, no int64 array on the way
    for part, date in ((starts, first), (stops, stop)):
        np.multiply(worker, width, out=part, casting="unsafe")
        np.add(part, date, out=part, casting="unsafe")
        part <<= key_bits
    starts |= head
    head |= 1
    stops |= head
    packed.sort()
    # where each type's events begin (the end is the array's: n_types << shift may not fit)
    edges = (np.arange(n_types, dtype=np.int64) << shift).astype(packed.dtype, copy=False)
    bounds = np.append(np.searchsorted(packed, edges), len(packed))
    cell = (packed >> key_bits) & ((1 << cell_bits) - 1)
    # the keys as int64: they index a table per event, which a uint32 index makes slower
    return bounds, cell, np.bitwise_and(packed, (1 << key_bits) - 1, dtype=np.int64)


def _radix_groups(bases: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """Consecutive keys whose counts fit one mixed-radix code: ``(first, end, radix)``.

    ``bases[j]`` exceeds any count of key ``j``; a code is ``sum(count[j] * radix[j])``
    with ``radix[j]`` the product of the bases before it, kept below ``_CODE_LIMIT``.
    """
    cuts, size = [0], 1
    for j, base in enumerate(bases.tolist()):
        if size * base > _CODE_LIMIT and j > cuts[-1]:
            cuts.append(j)
            size = 1
        size *= base
    cuts.append(len(bases))
    return [
        (a, b, np.cumprod(np.r_[1, bases[a : b - 1]]).astype(np.int64))
        for a, b in itertools.pairwise(cuts)
    ]


def _type_subtotals(
    keys: np.ndarray, points: np.ndarray, bases: np.ndarray, cell: np.ndarray,
    key_sign: np.ndarray, n_cells: int,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """One case type's subtotal on every cell, as runs: ``values[i]`` from cell ``edges[i]``
    up to ``edges[i + 1]``.

    ``keys`` are the type's keys (``points`` and ``bases`` for each), ``cell`` and
    ``key_sign`` its events from :func:`_sorted_events`. A run starts at each cell with an
    event. The counts of the type's keys there are mixed-radix codes, each the cumulative
    sum of the events' ± radix so far (each worker's cases all stop by the end of its row,
    so the sums are back to 0 where the next row begins). Each distinct count vector gets
    its subtotal once, as :func:`arbetstyngd._engine.scoring.load_by_type` computes it: key
    by key from 0.0, zeros included, so it equals the score's bit for bit.
    """
    zero = np.zeros(1)
    for p in points:
        zero += np.zeros(1, dtype=np.int64) * p  # the subtotal of a cell with no case
    if not len(cell):
        return zero, np.array([0, n_cells])
    last = np.empty(len(cell), dtype=bool)  # the last event of each cell ends its run
    np.not_equal(cell[1:], cell[:-1], out=last[:-1])
    last[-1] = True
    ends = np.flatnonzero(last)
    groups = _radix_groups(bases)
    codes = _run_codes(keys, groups, key_sign, ends)
    values = np.empty(len(ends) + 1)
    values[0] = zero[0]
    space = int(groups[0][2][-1]) * int(bases[groups[0][1] - 1])
    if len(groups) == 1 and space <= len(ends):
        # fewer possible count vectors than runs (a type of two keys): a subtotal for each,
        # gathered by the code itself, is cheaper than finding the distinct ones
        subtotal, at = _subtotals(groups, [np.arange(space)], bases, points), codes[0]
    else:
        inverse, codes = _distinct(codes)
        subtotal, at = _subtotals(groups, codes, bases, points), inverse
    # every index is in range: "clip" only spares the copy a checked take makes with out=
    np.take(subtotal, at, out=values[1:], mode="clip")
    edges = np.empty(len(ends) + 2, dtype=np.int64)
    edges[0], edges[-1] = 0, n_cells
    edges[1:-1] = cell[ends]
    return values, edges


def _run_codes(
    keys: np.ndarray, groups: list[tuple[int, int, np.ndarray]], key_sign: np.ndarray,
    ends: np.ndarray,
) -> list[np.ndarray]:  # fmt: skip
    """Each radix group's code of the counts at the end of each run (see _type_subtotals)."""
    signed = np.zeros(2 * (int(keys.max()) + 1), dtype=np.int64)
    running = np.empty(len(key_sign), dtype=np.uint64)
    codes = []
    for a, b, radix in groups:
        signed[keys[a:b] * 2], signed[keys[a:b] * 2 + 1] = radix, -radix
        # within a cell the sum may pass a digit's base (starts come before stops) and even
        # 2**64; only each cell's last sum is read, which is in range, and unsigned sums
        # wrap exactly
        np.take(signed.view(np.uint64), key_sign, out=running, mode="clip")  # all in range
        np.cumsum(running, out=running)
        codes.append(running[ends].view(np.int64))
        signed[...] = 0
    return codes


def _distinct(codes: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each run's distinct count vector, and the groups' codes of each distinct one."""
    state = codes[0]
    for code in codes[1:]:  # one small integer per distinct pair of codes
        right, seen = pd.factorize(code)
        state = pd.factorize(state)[0] * len(seen) + right
    inverse, distinct = pd.factorize(state)
    if len(codes) == 1:
        return inverse, [distinct]
    # the codes of any run with the state: the same counts
    some_run = np.empty(len(distinct), dtype=np.intp)
    some_run[inverse] = np.arange(len(inverse))
    return inverse, [code[some_run] for code in codes]


def _subtotals(
    groups: list[tuple[int, int, np.ndarray]], codes: list[np.ndarray], bases: np.ndarray,
    points: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """The subtotal of each count vector given by its codes, key by key from 0.0 as the
    score sums it."""
    subtotal = np.zeros(len(codes[0]))
    for (a, b, radix), code in zip(groups, codes, strict=True):
        for j in range(a, b):
            subtotal += code // radix[j - a] % bases[j] * points[j]
    return subtotal


def _sweep(
    table: CaseTable, first: np.ndarray, stop: np.ndarray, n_w: int, n_t: int, out: np.ndarray
) -> np.ndarray:
    """Active cases and load per (date, worker) from each case's first and stop date index.

    Load: cells run worker by worker (``worker * (n_t + 1) + date index``; the last column
    takes the stops after the last date). A case type's subtotal changes only at cells where
    one of its cases starts or stops; it is computed once per distinct count vector, in the
    score's order, and spread over the cells. The types are then added in the order of
    :func:`arbetstyngd._engine.scoring.load_by_type` and the sums copied into ``out``
    (shape ``(n_t, n_w)``, date by date). Active cases: +1 at the start, -1 at the stop in a
    date-by-date difference array, summed down the dates. Returns those counts, ``(n_t, n_w)``.
    """
    width = n_t + 1
    n_cells, n_keys, n_types = n_w * width, len(table.key_points), len(table.types)
    worker, key = table.worker.astype(np.int64, copy=False), table.key.astype(np.int64, copy=False)
    # a case active on no date has its start and stop in one cell, where they cancel out;
    # when many are (a long export and a short period), leaving them out is cheaper
    live = first < stop
    if np.count_nonzero(live) < 0.8 * len(live):
        worker, key, first, stop = worker[live], key[live], first[live], stop[live]
    with side_by_side(len(key)) as run:
        counted = run(_active_counts, worker, first, stop, n_w, width)
        bounds, cell, key_sign = _sorted_events(
            table.key_type, key, worker, first, stop, width, n_types
        )
        count = counted.result()
        # no cell holds more cases of a key than there are, or than the fullest cell holds
        bases = np.minimum(np.bincount(key, minlength=n_keys), count.max(initial=0)) + 1
        # the types' subtotals in threads (numpy and pandas release the GIL), spread and
        # added here in the score's order as they come
        parts = []
        for t in range(n_types):
            keys = np.flatnonzero(table.key_type == t)
            if len(keys):  # a type without keys: the score adds 0.0, which changes no sum
                lo, hi = bounds[t], bounds[t + 1]
                inputs = (keys, table.key_points[keys], bases[keys], cell[lo:hi], key_sign[lo:hi])
                parts.append(run(_type_subtotals, *inputs, n_cells))
        # two halves of the workers spread and added side by side, each in the score's order
        half = n_w // 2
        other = run(_spread, parts, half, n_w, width, out)
        _spread(parts, 0, half, width, out)
        other.result()
    return count[:n_t]


def _spread(
    parts: list[Future[tuple[np.ndarray, np.ndarray]]], w0: int, w1: int, width: int,
    out: np.ndarray,
) -> None:  # fmt: skip
    """Add the types' subtotals (runs from :func:`_type_subtotals`, in type order) on the
    rows of workers ``w0`` to ``w1`` and copy the sums into ``out[:, w0:w1]``, date by date
    (adding in that order would make every pass strided)."""
    if w1 <= w0:
        return
    c0, c1 = w0 * width, w1 * width
    load = None
    for part in parts:
        values, edges = part.result()
        # the runs over [c0, c1), the first and last cut to it
        i0 = int(np.searchsorted(edges, c0, side="right")) - 1
        i1 = int(np.searchsorted(edges, c1, side="left"))
        cut = edges[i0 : i1 + 1].copy()
        cut[0], cut[-1] = c0, c1
        spread = np.repeat(values[i0:i1], np.diff(cut))
        # 0.0 + x is x (no subtotal is -0.0): the first type's values are the sum so far
        load = spread if load is None else np.add(load, spread, out=load)
    n_t = out.shape[0]
    out[:, w0:w1] = 0.0 if load is None else load.reshape(w1 - w0, width)[:, :n_t].T


def _active_counts(
    worker: np.ndarray, first: np.ndarray, stop: np.ndarray, n_w: int, width: int
) -> np.ndarray:
    """Active cases per (date index, worker), shape ``(width, n_w)``.

    Laid out date by date, the running sum goes down the columns: numpy adds row to row,
    many times faster than a cumulative sum along one flat array, and the first ``n_t`` rows
    are already in the output's order.
    """
    at = first * n_w
    at += worker
    count = np.bincount(at, minlength=width * n_w)
    np.multiply(stop, n_w, out=at)
    at += worker
    count -= np.bincount(at, minlength=width * n_w)
    count = count.reshape(width, n_w)
    return np.cumsum(count, axis=0, out=count)


def _capacity(scheme: Scheme, roster: Roster, days: np.ndarray) -> np.ndarray:
    """Capacity per date and worker, shape ``(len(days), len(roster))``.

    Without dated reductions or experience counted from a start date, nothing in the chain
    depends on the day: it is computed for one day and repeated, which is the same
    arithmetic, element by element, as computing it for every day.
    """
    if roster.changes_over_time({a.covariate for a in scheme.adjustments}):
        return capacity_parts(scheme, roster, days)[2].T
    one_day = capacity_parts(scheme, roster, days[:1])[2][:, 0]
    return np.broadcast_to(one_day, (len(days), len(roster)))


def _tiled(ids: pd.Series, team_ids: pd.Series, times: int) -> pd.DataFrame:
    """Worker and team ids repeated ``times`` times end to end, keeping their dtypes.

    Concatenation, not a gather: Arrow-backed text is then shared, not copied per date.
    """
    once = pd.DataFrame({"worker_id": ids, "team_id": team_ids})
    return pd.concat([once] * times, ignore_index=True)


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
    stop = _date_index(days, table.closed)
    stop[table.closed == NAT_DAY] = n_t
    # load, capacity and utilisation in one float block, each column a row of it
    block = np.empty((3, n_t * n_w))
    n_cases = _sweep(table, first, stop, n_w, n_t, block[0].reshape(n_t, n_w))
    block[1].reshape(n_t, n_w)[...] = _capacity(scheme, roster, days)
    block[2] = utilisation(block[0], block[1])
    who = _tiled(pd.Series(roster.ids.to_numpy()), pd.Series(roster.team_ids), n_t)
    # one constructor call without a copy: inserting columns one by one copies each
    frame = pd.DataFrame(
        {
            "date": np.repeat(index.to_numpy(), n_w),
            "worker_id": who["worker_id"],
            "team_id": who["team_id"],
            "n_cases": n_cases.ravel(),
            "load": block[0],
            "capacity": block[1],
            "utilisation": block[2],
            "band": scheme.bands.classify(block[2]),
        },
        copy=False,
    )
    if level == "team":
        frame = aggregate(frame, scheme)
    frame.attrs["rejected"] = prep.rejected
    frame.attrs["scheme"] = scheme.id
    warn_rejected(prep.rejected, "warn.where.timeline")
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
