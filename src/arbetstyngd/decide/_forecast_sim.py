"""Monte Carlo paths of team load: known cases closing, new cases arriving.

Paths are simulated in chunks, one per bootstrap replicate of the fitted model (so the
spread of the paths carries the uncertainty of the estimates); each chunk has its own random
stream, spawned from the caller's generator, so that chunks can run on a thread pool and the
result is the same for a given seed whatever the threads' timing.

Every draw is one uniform and one lookup in a small cumulative table; the compiled loops
of :mod:`._forecast_kernel` fill the tables once per replicate and make the draws:

- a **known case** (open on the start date, or added by a scenario) draws the step from
  which it is no longer active, from a table per (duration group, age) of
  ``P(stop <= k) = 1 - S(age + d_k - start) / S(age)`` — the Kaplan–Meier curve read once
  per replicate for each distinct (group, age), not once per case and path;
- **new cases**: a path's count of each item (team, case type, value key and duration
  group) over the whole horizon is Poisson with the item's share of its stream's mean
  (the counts of a Poisson stream split by shares are independent Poisson counts: the
  model's arrivals exactly), drawn by inversion; each case then draws its (arrival step,
  stop step) pair from one table per duration group, ``P(step) × P(stop | group, step)``.

Each case adds its points to the steps it is active in through a difference array, so a
path's trajectory of each case stays one case (``docs/forecast.md``).
"""

from __future__ import annotations

import importlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import numpy as np

from ._forecast_model import Model
from ._survival import group_time_cells

__all__ = ["WORK_FOR_PROGRESS", "Known", "Steps", "expected_work", "known_from_model", "simulate"]

#: Case draws (paths × cases) above which a progress bar is shown: a few seconds of work.
WORK_FOR_PROGRESS = 400_000_000
#: New-case uniforms drawn at a time, and known cases (rows of a uniform per path): buffers
#: that stay in the processor's cache.
BLOCK_DRAWS = 50_000
KNOWN_BLOCK = 2_000
#: Guide slices per Poisson row (rows of a few dozen cells: a step or two after the guide).
POISSON_M = 16


def _kernel() -> Any:
    """The compiled loops, imported on first use: numba loads only when a forecast runs,
    not with ``arbetstyngd.decide`` (allocation and what-if do not need it)."""
    return importlib.import_module("._forecast_kernel", __package__)


def expected_work(model: Model, n_paths: int, n_days: int) -> float:
    """Case draws the simulation will make: open cases plus expected arrivals, per path."""
    arrivals = float(model.arrival_rate[0].sum() * model.season[0].mean() * n_days)
    return n_paths * (len(model.open_age) + arrivals)


def n_threads(n_jobs: int | None) -> int:
    """Threads for ``n_jobs`` as scikit-learn reads it: None 1, -1 every core, -2 all but one."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0:
        raise ValueError(f"'n_jobs' must be a whole number other than 0, or None (got {n_jobs!r})")
    cores = os.cpu_count() or 1
    return int(n_jobs) if n_jobs > 0 else max(1, cores + 1 + int(n_jobs))


class Steps:
    """The forecast dates as seen from single days.

    :meth:`of` gives the index of the first forecast date on or after a day (``len(days)``
    past the last); the days after the start belong to the step of that date.
    """

    def __init__(self, start: int, days: np.ndarray) -> None:
        self.start, self.last = start, int(days[-1])
        self.days = np.asarray(days, dtype=np.int64)
        self.n = len(days)
        # dates after start number at most a few thousand days: one table, one gather per case
        self.table = np.searchsorted(days, np.arange(start, self.last + 2), side="left")
        day = np.arange(start + 1, self.last + 1)
        self.months = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        self.step_of_day = self.of(day)
        # the days of step k run from first_day[k] to days[k]
        self.first_day = np.concatenate([[start + 1], days[:-1] + 1]).astype(np.int64)
        self.n_days = (days - self.first_day + 1).astype(float)

    def seasonal_days(self, season: np.ndarray) -> np.ndarray:
        """Per step: its days, each weighted by its month's seasonal factor."""
        return np.bincount(self.step_of_day, weights=season[self.months], minlength=self.n)

    def of(self, day: np.ndarray) -> np.ndarray:
        return self.table[np.clip(day, self.start, self.last + 1) - self.start]


@attrs.frozen(eq=False)
class Known:
    """The cases followed one by one from the start: open on it, or added by a scenario.

    ``age`` is the age on the start date in days (negative for a case that opens later:
    it is active from step ``first`` on). A scenario may give a case another team or other
    points from a date: segment ``s`` covers steps ``bounds[s]:bounds[s + 1]`` and has the
    ``team[s]`` and ``points[s]`` of every case. Cases from ``n_base`` on (a scenario's
    extra cases) draw from a random stream of their own, after the others, so that adding
    them leaves the draws of every other case as they were.
    """

    group: np.ndarray
    age: np.ndarray
    first: np.ndarray
    team: np.ndarray  # (n_segments, n_cases)
    points: np.ndarray  # (n_segments, n_cases)
    bounds: np.ndarray
    n_base: int


def known_from_model(model: Model, n_steps: int) -> Known:
    """The cases open on the start date, with their team and points throughout."""
    n = len(model.open_age)
    return Known(
        group=model.open_group,
        age=model.open_age,
        first=np.zeros(n, dtype=np.intp),
        team=model.open_team[None, :],
        points=model.open_points[None, :],
        bounds=np.array([0, n_steps]),
        n_base=n,
    )


class _Range:
    """Known cases ``lo:hi`` sorted by table row, with their segments' teams and points.

    Which case draws which uniform does not matter (they are independent and identically
    distributed), so the draws follow this order: the kernel then reads rows and draws
    front to back.
    """

    def __init__(self, known: Known, case_row: np.ndarray, lo: int, hi: int) -> None:
        self.n = hi - lo
        order = lo + np.argsort(case_row[lo:hi], kind="stable")
        self.row = case_row[order]
        self.first = known.first[order].astype(np.int64)
        self.team = known.team[:, order].astype(np.int64)
        self.points = known.points[:, order].astype(float)


class _Plan:
    """What every replicate shares: where its tables read the survival curves, and layouts."""

    def __init__(
        self, model: Model, known: Known, steps: Steps, n_teams: int, item_points: np.ndarray
    ) -> None:
        dm, n_t = model.durations, steps.n
        self.model, self.steps, self.n_teams, self.n_t = model, steps, n_teams, n_t
        self.bounds = np.asarray(known.bounds, dtype=np.int64)
        delta = (steps.days - steps.start).astype(float)
        # known cases: one table row per distinct (group, age)
        cls, g, a, _ = group_time_cells(np.asarray(known.group, dtype=np.intp), known.age)
        times = np.concatenate([a[:, None], a[:, None] + delta[None, :]], axis=1)
        cell, factor = dm.locate(np.repeat(g, n_t + 1), times.ravel())
        self.k_cell, self.k_factor = cell.reshape(-1, n_t + 1), factor.reshape(-1, n_t + 1)
        # older than anything observed: the tail's constant hazard, whatever the replicate
        self.k_old = np.flatnonzero(a >= dm.t_max[g])
        self.k_old_ratio = np.exp(-dm.tail_rate[g[self.k_old], None] * delta[None, :])
        self.k_shape = (len(a), n_t + 1)
        self.k_class = cls.astype(np.int64)
        self.known = known
        # the scenario's added cases draw from a stream of their own (see Known)
        self.ranges = [
            (_Range(known, self.k_class, lo, hi), which)
            for lo, hi, which in ((0, known.n_base, 0), (known.n_base, len(known.age), 1))
            if hi > lo
        ]
        # every case adds its points from its first active step of each segment, every path
        width = n_t + 1
        plus = np.zeros(n_teams * width)
        for s in range(len(known.team)):
            lo = np.clip(known.first, known.bounds[s], known.bounds[s + 1])
            plus += np.bincount(
                known.team[s] * width + lo, weights=known.points[s], minlength=len(plus)
            )
        self.plus = plus.reshape(n_teams, width)
        # new cases' stop table: the survival on every day of the horizon, per group
        span = steps.last - steps.start
        self.grid_cell, self.grid_factor = dm.locate(
            np.repeat(np.arange(dm.n_groups), span + 1), np.tile(np.arange(span + 1.0), dm.n_groups)
        )
        self._items(model, item_points)

    def _items(self, model: Model, item_points: np.ndarray) -> None:
        """Each item's stream, team, group, points and share (the same every replicate)."""
        self.n_items = len(model.item_stream)
        self.item_stream = np.asarray(model.item_stream, dtype=np.intp)
        self.item_team = np.asarray(model.arrival_team, dtype=np.int64)[self.item_stream]
        self.item_share = np.asarray(model.item_share, dtype=float)
        self.item_group = np.asarray(model.item_group, dtype=np.int64)
        self.item_points = np.ascontiguousarray(item_points, dtype=float)
        n_g, width = model.durations.n_groups, self.n_t * (self.n_t + 1)
        self.span_bounds = np.arange(n_g + 1) * width
        self.span_m = _m_for(2 * width)
        cell = np.arange(width)
        self.span_arrival, self.span_stop = cell // (self.n_t + 1), cell % (self.n_t + 1)


def _m_for(width: int) -> int:
    """Guide slices for rows of ``width`` cells: a power of two, 64 to 4096."""
    return int(min(4096, max(64, 1 << int(np.ceil(np.log2(max(width, 1)))))))


def _ratio_table(plan: _Plan, r: int) -> np.ndarray:
    """Known cases: ``P(stop <= k)`` per (group, age) row, one replicate (single precision)."""
    out = np.empty(plan.k_shape, dtype=np.float32)
    _kernel().ratio_table(
        np.append(plan.model.durations.survival[r], 1.0), plan.k_cell, plan.k_factor,
        plan.k_old, plan.k_old_ratio, out,
    )  # fmt: skip
    return out


def _stop_cdf(plan: _Plan, r: int) -> np.ndarray:
    """New cases: ``P(stop <= s)`` per (group, arrival step) row, one replicate.

    A case arriving on day ``a`` is active on date ``d_s`` while its duration exceeds
    ``d_s - a``, so ``P(stop <= s) = 1 - S(d_s - a)``; new cases come evenly within a step,
    so that is the mean over the step's days.
    """
    steps, n_t = plan.steps, plan.n_t
    n_g = plan.model.durations.n_groups
    surv1 = np.append(plan.model.durations.survival[r], 1.0)
    grid = (surv1[plan.grid_cell] * plan.grid_factor).reshape(n_g, -1)
    out = np.empty((n_g, n_t, n_t + 1))
    _kernel().stop_table(grid, steps.days - steps.start, steps.first_day - steps.start, out)
    return out.reshape(n_g * n_t, n_t + 1)


def _span_cdf(stop: np.ndarray, weights: np.ndarray, n_groups: int) -> np.ndarray:
    """New cases: ``P(arrival step) × P(stop | group, step)`` per group, cumulated, flat.

    A group's row runs over (step, stop), so its cell (j, s) is ``W[j - 1] + w[j] × F[j, s]``
    with ``W`` the cumulative step weights and ``F`` the stop table of :func:`_stop_cdf`;
    from the last step with arrivals on every cell is exactly 1.
    """
    n_t = len(weights)
    w = weights / weights.sum()
    cum = np.minimum(np.cumsum(w), 1.0)
    last = int(np.flatnonzero(w > 0)[-1])
    cum[last:] = 1.0
    before = np.r_[0.0, cum[:-1]]
    f = stop.reshape(n_groups, n_t, n_t + 1)
    top = cum[None, :, None]
    # F = 1 ends a step at exactly its cumulative weight (no rounding past it)
    cdf = np.where(f == 1.0, top, before[None, :, None] + w[None, :, None] * f)
    return np.ascontiguousarray(np.minimum(cdf, top)).ravel()


class _Replicate:
    """One replicate's tables and its share of the paths."""

    def __init__(self, plan: _Plan, r: int, n_paths: int, rng: np.random.Generator) -> None:
        self.plan, self.n_paths = plan, n_paths
        self.streams = rng.spawn(2)  # the known and new cases', the scenario's added cases'
        model, steps = plan.model, plan.steps
        self.known = _ratio_table(plan, r)
        days = steps.seasonal_days(model.season[r])
        total = model.arrival_rate[r] * days.sum()
        if plan.n_items:
            # Poisson counts per (path, item): a stream's count split by its items' shares
            self.counts = _poisson(
                total[plan.item_stream] * plan.item_share,
                self.streams[0].random((n_paths, plan.n_items)),
            )
            n_g = model.durations.n_groups
            self.span = _span_cdf(_stop_cdf(plan, r), days / max(days.sum(), 1e-300), n_g)
            self.span_guide = _kernel().build_guides(self.span, plan.span_bounds, plan.span_m)

    def run(self) -> np.ndarray:
        plan = self.plan
        delta = np.zeros((self.n_paths, plan.n_teams, plan.n_t + 1))
        for part, which in plan.ranges:
            bits = self.streams[which].bit_generator
            for c0 in range(0, part.n, KNOWN_BLOCK):
                rows = min(KNOWN_BLOCK, part.n - c0)
                raw = _bits32(bits, rows * self.n_paths).reshape(rows, self.n_paths)
                _kernel().known_stops(
                    self.known, part.row, raw, c0, part.first, part.team, part.points,
                    plan.bounds, delta,
                )  # fmt: skip
        if plan.n_items:
            self._new_cases(delta)
        delta += plan.plus
        return np.cumsum(delta, axis=-1)[..., : plan.n_t]

    def _new_cases(self, delta: np.ndarray) -> None:
        """Add the new cases of every path to ``delta``, a block of paths at a time."""
        plan, bits = self.plan, self.streams[0].bit_generator
        per_path = self.counts.sum(axis=1)
        size = max(BLOCK_DRAWS, int(per_path.max(initial=0)))
        work = np.empty(size, dtype=np.int32)
        p0 = 0
        while p0 < self.n_paths:
            # as many paths as fit the work space (at least one)
            ends = np.cumsum(per_path[p0:])
            p1 = p0 + max(1, int(np.searchsorted(ends, size, side="right")))
            raw = _bits32(bits, int(ends[p1 - p0 - 1]))
            _kernel().new_cases(
                raw, self.counts[p0:p1], plan.item_team, plan.item_group, plan.item_points,
                self.span, self.span_guide, plan.span_m, plan.span_arrival, plan.span_stop,
                plan.bounds, delta[p0:p1], work,
            )  # fmt: skip
            p0 = p1


def _bits32(bits: np.random.BitGenerator, n: int) -> np.ndarray:
    """``n`` draws of 32 random bits, two from each 64 the generator makes (the kernel turns
    each into a single-precision uniform as ``Generator.random(dtype=float32)`` would)."""
    return bits.random_raw((n + 1) // 2).view(np.uint32)[:n]


def _poisson(mean: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson counts of ``mean`` (one per column) by inversion of the uniforms ``u``.

    numpy's sampler takes about 40 ns a count for the small means of one item on one path,
    and a forecast draws millions; a table of each mean's cumulative probabilities, read
    with a guide, takes a few.
    """
    spread = 12.0 * np.sqrt(mean)
    lo = np.maximum(np.floor(mean - spread - 2.0), 0.0).astype(np.int64)
    hi = np.ceil(mean + spread + 12.0).astype(np.int64)
    bounds = np.r_[0, np.cumsum(hi - lo + 1)]
    kernel, cdf = _kernel(), np.empty(int(bounds[-1]))
    kernel.poisson_rows(mean, lo, bounds, cdf)
    guide = kernel.build_guides(cdf, bounds, POISSON_M)
    out = np.empty(u.shape, dtype=np.int64)
    kernel.poisson_counts(u, cdf, guide, POISSON_M, bounds, lo, out)
    return out


def simulate(
    model: Model,
    known: Known,
    start: int,
    days: np.ndarray,
    n_teams: int,
    n_paths: int,
    rng: np.random.Generator,
    progress: bool = False,
    item_points: np.ndarray | None = None,
    n_jobs: int | None = None,
) -> np.ndarray:
    """Load per (path, team, forecast date): ``n_paths`` simulated futures.

    ``item_points`` (segments × items) are the new cases' points in each of ``known``'s
    segments; by default the model's throughout. ``n_jobs`` threads simulate the chunks
    (numpy releases the GIL in the passes over a block); the paths do not depend on it.
    """
    from tqdm.auto import tqdm

    steps = Steps(start, days)
    if item_points is None:
        item_points = np.broadcast_to(model.item_points, (len(known.team), len(model.item_points)))
    plan = _Plan(model, known, steps, n_teams, np.asarray(item_points, dtype=float))
    n_rep = model.durations.survival.shape[0]
    chunks = np.array_split(np.arange(n_paths), n_rep)  # n_rep <= n_paths: none empty
    streams = rng.spawn(n_rep)
    load = np.empty((n_paths, n_teams, steps.n))

    def one(r: int) -> np.ndarray:
        return _Replicate(plan, r, len(chunks[r]), streams[r]).run()

    threads = n_threads(n_jobs)
    with (
        tqdm(total=n_paths, unit="path", desc="forecast", disable=not progress) as bar,
        ThreadPoolExecutor(max_workers=threads) as pool,
    ):
        for r, part in enumerate(pool.map(one, range(n_rep))):
            rows = chunks[r]
            load[int(rows[0]) : int(rows[-1]) + 1] = part
            bar.update(len(rows))
    return load
