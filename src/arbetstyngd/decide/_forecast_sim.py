"""Monte Carlo paths of team load: known cases closing, new cases arriving.

Paths are simulated in chunks, one per bootstrap replicate of the fitted model (so the
spread of the paths carries the uncertainty of the estimates); each chunk has its own random
stream, spawned from the caller's generator, so that chunks can run on a thread pool and the
result is the same for a given seed whatever the threads' timing.

Every draw is one uniform and one table lookup (:class:`._forecast_lookup.Lookup`):

- a **known case** (open on the start date, or added by a scenario) draws the step from
  which it is no longer active, from a table per (duration group, age) of
  ``P(stop <= k) = 1 - S(age + d_k - start) / S(age)`` — the Kaplan–Meier curve read once
  per replicate for each distinct (group, age), not once per case and path;
- **new cases** of a stream (team, case type): the path's count over the whole horizon is
  Poisson with the sum of the step means; each case then draws its arrival step and its
  item (value key and duration group) together from one table, ``P(step) × P(item)``, and
  its stop step from a table per (duration group, arrival step). Splitting a Poisson count
  this way gives exactly the independent Poisson counts per step of the model.

Each case adds its points to the steps it is active in through a difference array, so a
path's trajectory of each case stays one case (``docs/forecast.md``). The work runs over
blocks of a few paths, so that the dozen passes per draw stay in the processor's cache.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import attrs
import numpy as np

from ._forecast_lookup import Lookup, row_keys
from ._forecast_model import Model

__all__ = ["WORK_FOR_PROGRESS", "Known", "Steps", "expected_work", "known_from_model", "simulate"]

#: Case draws (paths × cases) above which a progress bar is shown: a few seconds of work.
WORK_FOR_PROGRESS = 120_000_000
#: Draws per block: small enough for the passes over a block to stay in the cache.
BLOCK_DRAWS = 150_000


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


class _Plan:
    """What every replicate shares: where its tables read the survival curves, and layouts."""

    def __init__(
        self, model: Model, known: Known, steps: Steps, n_teams: int, item_points: np.ndarray
    ) -> None:
        dm, n_t = model.durations, steps.n
        self.model, self.steps, self.n_teams, self.n_t = model, steps, n_teams, n_t
        delta = (steps.days - steps.start).astype(float)
        # known cases: one table row per distinct (group, age)
        key = np.stack([known.group.astype(float), known.age])
        pairs, cls = np.unique(key, axis=1, return_inverse=True)
        g, a = pairs[0].astype(np.intp), pairs[1]
        times = np.concatenate([a[:, None], a[:, None] + delta[None, :]], axis=1)
        self.k_cell, self.k_factor = dm.locate(np.repeat(g, n_t + 1), times.ravel())
        # older than anything observed: the tail's constant hazard, whatever the replicate
        self.k_old = np.flatnonzero(a >= dm.t_max[g])
        self.k_old_ratio = np.exp(-dm.tail_rate[g[self.k_old], None] * delta[None, :])
        self.k_shape = (len(a), n_t + 1)
        self.k_bounds = np.arange(len(a) + 1) * (n_t + 1)
        self.k_keys = row_keys(self.k_bounds, _m_for(n_t + 1))
        self.k_class = cls.ravel().astype(np.intp)
        self.known = known
        # new cases' stop table: the survival on every day of the horizon, per group
        span = steps.last - steps.start
        self.grid_cell, self.grid_factor = dm.locate(
            np.repeat(np.arange(dm.n_groups), span + 1), np.tile(np.arange(span + 1.0), dm.n_groups)
        )
        self._joint_layout(model, item_points)
        self._layouts: dict[tuple[int, int], _KnownLayout] = {}
        self._lock = threading.Lock()

    def layout(self, size: int, m: int) -> _KnownLayout:
        """The known cases' offsets for blocks of ``size`` paths (kept for the next chunk)."""
        key = (size, m)
        with self._lock:
            if key not in self._layouts:
                self._layouts[key] = _KnownLayout(self, size, m)
            return self._layouts[key]

    def _joint_layout(self, model: Model, item_points: np.ndarray) -> None:
        """Cells of the joint table, (arrival step, item) per stream, and what each stands for."""
        n_t, n_streams = self.n_t, len(model.arrival_team)
        stream = model.item_stream  # items sorted by stream
        item_bounds = np.searchsorted(stream, np.arange(n_streams + 1))
        sizes = np.diff(item_bounds)
        self.j_bounds = np.r_[0, np.cumsum(n_t * sizes)].astype(np.intp)
        row = np.repeat(np.arange(n_streams), n_t * sizes)
        offset = np.arange(len(row)) - self.j_bounds[row]
        self.j_step = offset // np.maximum(sizes[row], 1)
        self.j_item = item_bounds[row] + offset % np.maximum(sizes[row], 1)
        # each stream's last item has a cumulative share of exactly 1 (see the model)
        self.j_cum = model.item_cum[self.j_item]
        self.j_row, self.j_m = row, _m_for(n_t * int(sizes.max(initial=1)))
        # per cell: the row of its stop table times that table's m, and its item's points
        self.s_m = _m_for(n_t + 1)
        self.j_keys = row_keys(self.j_bounds, self.j_m)
        n_g = model.durations.n_groups
        self.s_bounds = np.arange(n_g * n_t + 1) * (n_t + 1)
        self.s_keys = row_keys(self.s_bounds, self.s_m)
        # a stop table position's stop step (a gather is cheaper than a remainder)
        self.s_value = np.tile(np.arange(n_t + 1, dtype=np.int16), n_g * n_t)
        self.j_stop_rowm = (model.item_group[self.j_item] * n_t + self.j_step) * self.s_m
        # the per-draw gathers read small copies (a smaller table stays in the cache)
        self.j_step_small = self.j_step.astype(np.int16 if n_t < 2**15 else np.int64)
        self.j_stop_rowm_small = self.j_stop_rowm.astype(
            np.int32 if self.j_stop_rowm.max(initial=0) < 2**31 else np.int64
        )
        self.j_points = item_points[:, self.j_item]
        self.n_streams = n_streams
        self.stream_team = model.arrival_team


def _ratio_table(plan: _Plan, r: int) -> np.ndarray:
    """Known cases: ``P(stop <= k)`` per (group, age) row, one replicate."""
    surv1 = np.append(plan.model.durations.survival[r], 1.0)
    s = (surv1[plan.k_cell] * plan.k_factor).reshape(plan.k_shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        # S(age) = 0 (a bootstrap replicate without the case's peers): it closes at once
        ratio = np.where(s[:, :1] > 0, s[:, 1:] / s[:, :1], 0.0)
    ratio[plan.k_old] = plan.k_old_ratio
    # S is non-increasing in time, so each row is non-decreasing as it is
    cdf = np.empty(plan.k_shape)
    cdf[:, :-1] = 1.0 - np.minimum(ratio, 1.0)
    cdf[:, -1] = 1.0
    return cdf


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
    arrival = np.arange(steps.start + 1, steps.last + 1)
    lag = steps.days[None, :] - arrival[:, None]  # (arrival day, date)
    closed = np.where(lag >= 0, 1.0 - grid[:, np.maximum(lag, 0)], 0.0)  # (g, day, date)
    per_step = np.add.reduceat(closed, steps.first_day - steps.start - 1, axis=1)
    cdf = np.empty((n_g, n_t, n_t + 1))
    cdf[..., :n_t] = np.minimum(per_step / steps.n_days[None, :, None], 1.0)
    cdf[..., n_t] = 1.0
    return np.maximum.accumulate(cdf, axis=2).reshape(n_g * n_t, n_t + 1)


def _joint_cdf(plan: _Plan, weights: np.ndarray) -> np.ndarray:
    """New cases: ``P(arrival step) × P(item)`` per stream, cumulated, one replicate.

    A row runs over (step, item), so its cell (j, i) is ``W[j - 1] + w[j] × C[i]`` with
    ``W`` the cumulative step weights and ``C`` the item's cumulative share in its stream.
    """
    w = weights / weights.sum()
    cum = np.cumsum(w)
    last = int(np.flatnonzero(w > 0)[-1])
    cum[last:] = 1.0  # from the last step with arrivals on, exactly 1 (see Lookup)
    before = np.r_[0.0, cum[:-1]]
    j = plan.j_step
    cdf = np.where(plan.j_cum == 1.0, cum[j], before[j] + w[j] * plan.j_cum)
    return np.minimum(cdf, cum[j])


def _m_for(width: int) -> int:
    """Guide slices: about one per cell (a power of two, 32 to 2048); built per replicate,
    so larger guides cost more to build than their fewer forward steps save."""
    return int(min(2048, max(32, 1 << int(np.ceil(np.log2(width))))))


class _Replicate:
    """One replicate's tables and its share of the paths, simulated block by block."""

    def __init__(self, plan: _Plan, r: int, n_paths: int, rng: np.random.Generator) -> None:
        self.plan, self.n_paths = plan, n_paths
        self.main, self.extra = rng.spawn(2)
        model, steps, n_t = plan.model, plan.steps, plan.n_t
        self.k_m = _m_for(n_t + 1)
        self.known = Lookup(_ratio_table(plan, r), plan.k_bounds, self.k_m, plan.k_keys)
        self.stop = Lookup(_stop_cdf(plan, r), plan.s_bounds, plan.s_m, plan.s_keys)
        days = steps.seasonal_days(model.season[r])
        total = model.arrival_rate[r] * days.sum()
        self.counts = self.main.poisson(total, size=(n_paths, plan.n_streams))
        self.j_m = plan.j_m
        if plan.n_streams:
            cdf = _joint_cdf(plan, days / max(days.sum(), 1e-300))
            self.joint = Lookup(cdf, plan.j_bounds, self.j_m, plan.j_keys)

    def run(self) -> np.ndarray:
        plan, known = self.plan, self.plan.known
        # blocks sized without a scenario's added cases: their draws must not move the others'
        per_path = known.n_base + self.counts.sum() / max(self.n_paths, 1)
        size = int(max(1, min(self.n_paths, BLOCK_DRAWS // max(per_path, 1.0))))
        layout = plan.layout(size, self.k_m)
        load = np.empty((self.n_paths, plan.n_teams, plan.n_t))
        for p0 in range(0, self.n_paths, size):
            b = min(size, self.n_paths - p0)
            delta = np.zeros((b, plan.n_teams, plan.n_t + 1))
            flat = delta.reshape(-1)
            flat += _known_part(self, layout, b, 0, known.n_base, self.main)
            flat += self._new_part(p0, b)
            if known.n_base < len(known.age):
                flat += _known_part(self, layout, b, known.n_base, len(known.age), self.extra)
            delta += layout.plus
            load[p0 : p0 + b] = np.cumsum(delta, axis=-1)[..., : plan.n_t]
        return load

    def _new_part(self, p0: int, b: int) -> np.ndarray:
        """Minus-and-plus points of the new cases of paths ``p0:p0 + b``, flat."""
        plan, n_t = self.plan, self.plan.n_t
        size = b * plan.n_teams * (n_t + 1)
        counts = self.counts[p0 : p0 + b].ravel()
        n_new = int(counts.sum())
        if n_new == 0:
            return np.zeros(size)
        stream = np.tile(np.arange(plan.n_streams), b)
        path = np.repeat(np.arange(b), plan.n_streams)
        rowm = np.repeat(stream * self.j_m, counts)
        base = np.repeat((path * plan.n_teams + plan.stream_team[stream]) * (n_t + 1), counts)
        u = self.main.random((2, n_new), dtype=np.float32)
        cell = self.joint.find(rowm, u[0])
        stop = self.stop.find(plan.j_stop_rowm_small[cell], u[1])
        stop = plan.s_value[stop]
        step = plan.j_step_small[cell]
        out = np.zeros(size)
        bounds = plan.known.bounds
        for s in range(len(bounds) - 1):
            points = plan.j_points[s][cell]
            k0, k1 = int(bounds[s]), int(bounds[s + 1])
            lo = step if len(bounds) == 2 else np.clip(step, k0, k1)
            hi = stop if len(bounds) == 2 else np.clip(stop, lo, k1)
            out += np.bincount(base + lo, weights=points, minlength=size)
            out -= np.bincount(base + hi, weights=points, minlength=size)
        return out


class _KnownLayout:
    """Per block size: the known cases' bincount offsets and points, and the fixed plus."""

    def __init__(self, plan: _Plan, size: int, m: int) -> None:
        known, n_t, n_teams = plan.known, plan.n_t, plan.n_teams
        width = n_t + 1
        self.rowm = plan.k_class * m
        self.roww = plan.k_class * width
        path = np.arange(size)[:, None] * n_teams
        self.base = [(path + known.team[s][None, :]) * width for s in range(len(known.team))]
        # from a position in the known table straight to the bincount's index
        self.shift = [base - self.roww[None, :] for base in self.base]
        self.points = [np.broadcast_to(p, (size, len(p))).copy() for p in known.points]
        # every case adds its points from its first active step of each segment, every path
        plus = np.zeros(n_teams * width)
        for s in range(len(known.team)):
            lo = np.clip(known.first, known.bounds[s], known.bounds[s + 1])
            plus += np.bincount(
                known.team[s] * width + lo, weights=known.points[s], minlength=len(plus)
            )
        self.plus = plus.reshape(n_teams, width)


def _known_part(
    rep: _Replicate, layout: _KnownLayout, b: int, lo: int, hi: int, rng: np.random.Generator
) -> np.ndarray:
    """Minus points where the known cases ``lo:hi`` stop being active, paths of one block."""
    plan = rep.plan
    bounds = plan.known.bounds
    size = b * plan.n_teams * (plan.n_t + 1)
    out = np.zeros(size)
    if hi <= lo:
        return out
    pos = rep.known.find(layout.rowm[lo:hi], rng.random((b, hi - lo), dtype=np.float32))
    for s in range(len(bounds) - 1):
        if len(bounds) == 2:  # one segment: the stop is its own bound (one pass saved)
            idx = pos + layout.shift[s][:b, lo:hi]
        else:
            first = np.clip(plan.known.first[lo:hi], bounds[s], bounds[s + 1])
            stop = np.clip(pos - layout.roww[lo:hi], first, bounds[s + 1])
            idx = stop + layout.base[s][:b, lo:hi]
        out -= np.bincount(idx.ravel(), weights=layout.points[s][:b, lo:hi].ravel(), minlength=size)
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
