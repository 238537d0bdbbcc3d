"""Can every item be placed with each worker's load inside a window? Column generation over
whole-item packings, and a search on the window's edge.

Both exact steps of the allocation are searches on one number: the highest level ``z`` (step
2: worker *w* may take up to ``(z - u_w) K_w`` points) and the lowest level ``m`` (step 3: every
worker who could take an item and is below ``m`` must take at least ``(m - u_w) K_w``). A
*pattern* is a multiset of items (counts per class) whose points lie in one worker's window.
A setting is reachable when one pattern per worker partitions the items.

The linear relaxation over patterns is far tighter than that over single item-by-worker
pairs: each worker's part lies in the convex hull of its whole-item packings, so room that no
combination of items fills does not count. On the allocation problems measured it is
infeasible just past the best level, so it *proves* levels unreachable, which branch-and-bound
on the item-by-worker program could not do in seconds.

A test at one setting (:func:`_relax`, :func:`_find`):

1. the pattern relaxation by column generation: the master is a linear program over the
   patterns found so far with a penalised slack per row; the pricing is a bounded knapsack on
   a grid of points, one dynamic programme per group of workers who may take the same
   classes. The Lagrangian bound (:func:`_lagrange`) holds for any prices in [-1, 1] and any
   over-estimate of the best pattern; above zero the setting is *unreachable*;
2. when the relaxation is feasible, an allocation: by rounding the relaxation one pattern at a
   time (a dive), from the patterns found (a small mixed-integer program), or from the
   item-by-worker program, each with a short time limit.

:func:`search` first bisects on the relaxation alone (a proven bound), then looks for an
allocation at that bound and, failing that, further up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs
import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

if TYPE_CHECKING:
    from .solver import Problem

__all__ = ["Window", "grid_of", "search"]

# point grids tried, coarsest first: the dynamic programme is exact on a grid that divides
# every item's points, and the coarser the grid, the faster it runs
_GRIDS = (0.05, 0.025, 0.01, 0.005, 0.0025, 0.001, 0.0005, 0.00025, 0.0001)
# cells the programme may use; beyond, sizes are rounded down (a relaxation: it can only
# weaken a proof, never make it wrong)
_MAX_CELLS = 100_000
# the Lagrangian bound must exceed this (in items) to call a setting unreachable
_PROOF_MARGIN = 1e-6
# seconds (wall clock) each way of finding an allocation may use at one setting: the dive,
# which finds one almost always where one exists, gets the most
_FIND_S = {"dive": 3.0, "pick": 1.0, "compact": 1.0}


def grid_of(points: np.ndarray, room: float) -> float:
    """The coarsest grid that divides every item's points, if ``room`` takes no more than
    :data:`_MAX_CELLS` of it; else the finest grid that does (sizes rounded down)."""
    for g in _GRIDS:
        if np.all(np.abs(points / g - np.round(points / g)) < 1e-7):
            if room / g <= _MAX_CELLS:
                return g
            break
    return max(_GRIDS[-1], room / _MAX_CELLS)


@attrs.frozen
class Window:
    """Who may receive and how much: ``high`` points at most per worker (``-inf``: nothing),
    and ``low`` points at least (``0``: may stay empty)."""

    high: np.ndarray
    low: np.ndarray


@attrs.define
class _Pool:
    """Patterns found so far, across settings: worker, counts per class and load in points,
    as arrays grown by doubling (the searches read them at every step)."""

    n_classes: int
    size: int = 0
    worker: np.ndarray = attrs.field(init=False)
    counts: np.ndarray = attrs.field(init=False)
    load: np.ndarray = attrs.field(init=False)
    seen: set[tuple[int, bytes]] = attrs.Factory(set)

    def __attrs_post_init__(self) -> None:
        self.worker = np.zeros(64, dtype=np.int64)
        self.counts = np.zeros((64, self.n_classes), dtype=np.int64)
        self.load = np.zeros(64)

    def add(self, problem: Problem, w: int, counts: np.ndarray) -> bool:
        key = (w, counts.tobytes())
        if key in self.seen:
            return False
        self.seen.add(key)
        if self.size == len(self.worker):
            self.worker = np.r_[self.worker, np.zeros_like(self.worker)]
            self.counts = np.r_[self.counts, np.zeros_like(self.counts)]
            self.load = np.r_[self.load, np.zeros_like(self.load)]
        self.worker[self.size] = w
        self.counts[self.size] = counts
        self.load[self.size] = float(problem.points @ counts)
        self.size += 1
        return True


@attrs.frozen
class _Level:
    """The workers who may receive at one setting, their window on the grid, and their
    pricing groups."""

    grid: float
    workers: np.ndarray
    high: np.ndarray  # points
    low: np.ndarray  # points
    cells: np.ndarray  # high on the grid
    cells_low: np.ndarray  # low on the grid
    groups: list[np.ndarray]  # positions in ``workers`` sharing the allowed classes
    allowed: np.ndarray  # (classes, len(workers))

    @property
    def must(self) -> np.ndarray:
        return self.low > 0

    def without(self, drop: list[int]) -> _Level:
        """The same setting with the workers at positions ``drop`` left out."""
        keep = np.ones(len(self.workers), dtype=bool)
        keep[drop] = False
        new = np.cumsum(keep) - 1
        return attrs.evolve(
            self,
            workers=self.workers[keep],
            high=self.high[keep],
            low=self.low[keep],
            cells=self.cells[keep],
            cells_low=self.cells_low[keep],
            groups=[new[g[keep[g]]] for g in self.groups if keep[g].any()],
            allowed=self.allowed[:, keep],
        )


def _level(problem: Problem, fits: np.ndarray, window: Window, grid: float) -> _Level | None:
    """The setting on arrays; ``None`` when a worker who must receive can take nothing."""
    with np.errstate(invalid="ignore"):
        ok = fits & (problem.points[:, None] <= window.high[None, :] + 1e-9)
    if (window.low > 0).any() and not ok[:, window.low > 0].any(axis=0).all():
        return None
    workers = np.flatnonzero(ok.any(axis=0))
    keys: dict[bytes, list[int]] = {}
    for i, w in enumerate(workers):
        keys.setdefault(np.packbits(fits[:, w]).tobytes(), []).append(i)
    high, low = window.high[workers], window.low[workers]
    # sizes rounded down can lose up to a cell per case: widen the floor by as much, so that
    # no packing that reaches it is left out
    on_grid = np.all(np.abs(problem.points / grid - np.round(problem.points / grid)) < 1e-7)
    lost = 0 if on_grid else int(problem.count.sum())
    return _Level(
        grid=grid,
        workers=workers,
        high=high,
        low=low,
        cells=np.floor(high / grid + 1e-7).astype(np.int64),
        cells_low=np.maximum(np.where(low > 0, np.ceil(low / grid - 1e-7), 0) - lost, 0).astype(
            np.int64
        ),
        groups=[np.array(v) for v in keys.values()],
        allowed=ok[:, workers],
    )


def _knapsack(
    sizes: np.ndarray, values: np.ndarray, bounds: np.ndarray, cells: int, exact: bool
) -> tuple[np.ndarray, list[tuple[int, int, int, np.ndarray]]]:
    """Bounded knapsack by binary splitting: the best value at each number of cells (used
    exactly when ``exact``, else at most), and the pieces (class, multiplicity, size,
    taken-at-cell) to read a packing back."""
    best = np.full(cells + 1, -np.inf) if exact else np.zeros(cells + 1)
    best[0] = 0.0
    pieces = []
    use = (bounds > 0) & (values > 1e-12 if not exact else np.isfinite(values))
    for k in np.flatnonzero(use):
        left, mult = int(min(bounds[k], cells // max(int(sizes[k]), 1))), 1
        while left > 0:
            m = min(mult, left)
            w, v = m * int(sizes[k]), m * float(values[k])
            if w <= cells:
                cand = best[: cells + 1 - w] + v
                take = np.zeros(cells + 1, dtype=bool)
                take[w:] = cand > best[w:] + 1e-12
                best[w:] = np.where(take[w:], cand, best[w:])
                pieces.append((int(k), m, w, take))
            left -= m
            mult *= 2
    return best, pieces


def _read_back(pieces: list[tuple[int, int, int, np.ndarray]], cell: int, n: int) -> np.ndarray:
    counts = np.zeros(n, dtype=np.int64)
    for k, m, w, take in reversed(pieces):
        if take[cell]:
            counts[k] += m
            cell -= w
    return counts


def _price(
    problem: Problem, lv: _Level, pi: np.ndarray, count: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each worker's best pattern in its window under prices ``pi``, and its value (an
    over-estimate when the grid rounds sizes down; ``-inf`` when the window holds none)."""
    sizes = np.floor(problem.points / lv.grid + 1e-7).astype(np.int64)
    value = np.full(len(lv.workers), -np.inf)
    found = [np.zeros(len(pi), dtype=np.int64) for _ in lv.workers]
    for group in lv.groups:
        exact = bool(lv.must[group].any())
        use = lv.allowed[:, group].any(axis=1)
        best, pieces = _knapsack(
            sizes,
            np.where(use, pi, -np.inf if exact else 0.0),
            count,
            int(lv.cells[group].max()),
            exact,
        )
        for i in group:
            window = best[lv.cells_low[i] : lv.cells[i] + 1]
            if not len(window) or not np.isfinite(window.max()):
                continue
            cell = int(lv.cells_low[i] + np.argmax(window))
            value[i] = best[cell]
            found[i] = _read_back(pieces, cell, len(pi))
    return value, found


def _columns(pool: _Pool, lv: _Level, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The patterns valid in the setting (within the window, no more items than are left):
    their numbers in the pool and their workers' positions in the setting."""
    n = pool.size
    if not n or not len(lv.workers):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pos = np.full(max(int(pool.worker[:n].max()), int(lv.workers.max())) + 1, -1)
    pos[lv.workers] = np.arange(len(lv.workers))
    who = pos[pool.worker[:n]]
    at = np.maximum(who, 0)
    load = pool.load[:n]
    ok = (who >= 0) & (load <= lv.high[at] + 1e-9) & (load >= lv.low[at] - 1e-9)
    ok &= (pool.counts[:n] <= count).all(axis=1)
    cols = np.flatnonzero(ok)
    return cols, who[cols]


def _master(
    pool: _Pool, cols: np.ndarray, rows: np.ndarray, lv: _Level, count: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray] | None:
    """The restricted relaxation: objective (total slack), class and worker prices, weights
    (``None`` if the solver fails, which leaves the setting undecided)."""
    n_cls, n_col, n_w = len(count), len(cols), len(lv.workers)
    a = pool.counts[cols].T.astype(float)
    eye = sparse.eye(n_cls)
    conv = sparse.csr_matrix((np.ones(n_col), (rows, np.arange(n_col))), shape=(n_w, n_col))
    must = np.flatnonzero(lv.must)
    short = sparse.csr_matrix((np.ones(len(must)), (must, np.arange(len(must)))), (n_w, len(must)))
    zero_c = sparse.csr_matrix((n_cls, len(must)))
    zero_w = sparse.csr_matrix((n_w, 2 * n_cls))
    res = linprog(
        np.r_[np.zeros(n_col), np.ones(2 * n_cls + len(must))],
        A_ub=sparse.hstack([conv, zero_w, short]).tocsr()[~lv.must] if (~lv.must).any() else None,
        b_ub=np.ones(int((~lv.must).sum())) if (~lv.must).any() else None,
        A_eq=sparse.vstack(
            [
                sparse.hstack([sparse.csr_matrix(a), eye, -eye, zero_c]),
                sparse.hstack([conv, zero_w, short]).tocsr()[lv.must],
            ]
        ).tocsr(),
        b_eq=np.r_[count, np.ones(len(must))],
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0:
        return None
    # a column pays off when its value under the class prices beats its worker's price
    prices = np.zeros(n_w)
    prices[lv.must] = -res.eqlin.marginals[n_cls:]
    if (~lv.must).any():
        prices[~lv.must] = -res.ineqlin.marginals
    return float(res.fun), np.clip(res.eqlin.marginals[:n_cls], -1.0, 1.0), prices, res.x[:n_col]


def _lagrange(pi: np.ndarray, count: np.ndarray, value: np.ndarray, must: np.ndarray) -> float:
    """A lower bound on the relaxation's total slack for prices ``pi`` in [-1, 1]: a worker
    who must receive pays at most one (its slack), one who may stay empty at least nothing."""
    with np.errstate(invalid="ignore"):
        paid = np.minimum(1.0, -value[must]).sum() - np.maximum(value[~must], 0.0).sum()
    return float(pi @ count + paid)


def _relax(
    problem: Problem, pool: _Pool, lv: _Level, count: np.ndarray, deadline: float
) -> tuple[str, np.ndarray, np.ndarray]:
    """Column generation on the pattern relaxation: ``"unreachable"`` (proven), ``"feasible"``
    (with the valid columns and their weights) or ``"unknown"``."""
    none = np.zeros(0, dtype=np.int64)
    if not len(lv.workers):
        return ("unreachable" if count.any() else "feasible"), none, none.astype(float)
    while time.monotonic() < deadline:
        cols, rows = _columns(pool, lv, count)
        solved = _master(pool, cols, rows, lv, count.astype(float))
        if solved is None:
            break
        obj, pi, prices, lam = solved
        if obj <= 1e-9:
            return "feasible", cols, lam
        value, patterns = _price(problem, lv, pi, count)
        if _lagrange(pi, count, value, lv.must) > _PROOF_MARGIN:
            return "unreachable", none, none.astype(float)
        added = 0
        for i in np.flatnonzero(value - prices > 1e-9):
            load = float(problem.points @ patterns[i])
            if lv.low[i] - 1e-9 <= load <= lv.high[i] + 1e-9:
                added += pool.add(problem, int(lv.workers[i]), patterns[i])
        if not added:
            break
    return "unknown", none, none.astype(float)


def _dive(problem: Problem, pool: _Pool, lv: _Level, deadline: float) -> np.ndarray | None:
    """Round the relaxation: fix the patterns it already takes whole (which leaves the rest
    of its solution feasible), else the heaviest one, and solve again for the rest; ``None``
    when the rest becomes unreachable."""
    count = problem.count.copy()
    x = np.zeros((len(count), len(problem.utilisation)), dtype=np.int64)
    while count.any() or lv.must.any():
        status, cols, lam = _relax(problem, pool, lv, count, deadline)
        if status != "feasible" or not len(cols) or lam.max() <= 1e-9:
            return None
        whole = cols[lam >= 1 - 1e-9]
        chosen = whole if len(whole) else cols[[int(np.argmax(lam))]]
        drop = []
        for c in chosen:
            w = int(pool.worker[c])
            x[:, w] = pool.counts[c]
            count = count - pool.counts[c]
            drop.append(int(np.flatnonzero(lv.workers == w)[0]))
        lv = lv.without(drop)
    return x


def _pick(problem: Problem, pool: _Pool, lv: _Level, deadline: float) -> np.ndarray | None:
    """One pattern per worker partitioning the items, among the patterns found."""
    cols, rows = _columns(pool, lv, problem.count)
    if not len(cols):
        return None
    n_col, n_w = len(cols), len(lv.workers)
    a = pool.counts[cols].T
    conv = sparse.csr_matrix((np.ones(n_col), (rows, np.arange(n_col))), shape=(n_w, n_col))
    res = milp(
        np.zeros(n_col),
        constraints=[
            LinearConstraint(sparse.csr_matrix(a), problem.count, problem.count),
            LinearConstraint(conv, lv.must.astype(float), 1),
        ],
        integrality=np.ones(n_col),
        bounds=Bounds(0, 1),
        options={"time_limit": max(deadline - time.monotonic(), 0.05)},
    )
    if res.x is None:
        return None
    x = np.zeros((len(problem.count), len(problem.utilisation)), dtype=np.int64)
    for c in cols[np.round(res.x) > 0]:
        x[:, int(pool.worker[c])] += pool.counts[c]
    return x


def _compact(problem: Problem, pool: _Pool, lv: _Level, deadline: float) -> np.ndarray | None:
    """An allocation in the windows from the item-by-worker program, which finds one fast
    where the patterns found do not combine; its packings join the pool."""
    return _compact_run(problem, pool, lv, deadline)[1]


def _compact_run(
    problem: Problem, pool: _Pool, lv: _Level, deadline: float
) -> tuple[str, np.ndarray | None]:
    """The item-by-worker program in the windows: ``"unreachable"`` (HiGHS proves it
    infeasible), ``"reachable"`` with the allocation, or ``"unknown"``."""
    pc, pi = np.nonzero(lv.allowed)
    n = len(pc)
    upper = np.minimum(problem.count[pc], np.floor(lv.high[pi] / problem.points[pc] + 1e-9))
    per_class = sparse.csr_matrix((np.ones(n), (pc, np.arange(n))), shape=(len(problem.count), n))
    load = sparse.csr_matrix((problem.points[pc], (pi, np.arange(n))), shape=(len(lv.workers), n))
    res = milp(
        np.zeros(n),
        constraints=[
            LinearConstraint(per_class, problem.count, problem.count),
            LinearConstraint(load, lv.low - 1e-9, lv.high),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, upper),
        options={"time_limit": max(deadline - time.monotonic(), 0.05)},
    )
    if res.x is None:
        return ("unreachable" if res.status == 2 else "unknown"), None
    x = np.zeros((len(problem.count), len(problem.utilisation)), dtype=np.int64)
    np.add.at(x, (pc, lv.workers[pi]), np.round(res.x).astype(np.int64))
    for w in np.flatnonzero(x.sum(axis=0)):
        pool.add(problem, int(w), x[:, w].copy())
    return "reachable", x


def _find(problem: Problem, pool: _Pool, lv: _Level, deadline: float) -> np.ndarray | None:
    """An allocation in the windows, each way with a short time limit."""
    for name, way in (("dive", _dive), ("pick", _pick), ("compact", _compact)):
        found = way(problem, pool, lv, min(deadline, time.monotonic() + _FIND_S[name]))
        if found is not None:
            return found
    return None


def search(
    problem: Problem,
    fits: np.ndarray,
    window: Callable[[float], Window],
    value: Callable[[np.ndarray], float],
    start: np.ndarray,
    low: float,
    deadline: float,
    tol: float,
) -> tuple[np.ndarray, float, float]:
    """The smallest ``t`` whose ``window(t)`` holds an allocation (reachable from some ``t``
    up): the best allocation found (counts per (class, worker)), its ``value`` and the proven
    bound. ``start`` is an allocation and ``low`` a valid bound.

    First the bound, by bisection on the relaxation alone, starting just below ``start``'s
    value (which proves ``start`` best when it is); then an allocation at the lowest
    setting the relaxation allows and, failing that, further up; last, where a gap is left,
    the item-by-worker program just below the best found, with the time that remains.
    """
    pool = _Pool(len(problem.points))
    for w in np.flatnonzero(start.sum(axis=0)):
        pool.add(problem, int(w), start[:, w].copy())
    best, high = start, value(start)
    widest = np.where(fits.any(axis=0), window(high).high, 0.0)
    grid = grid_of(problem.points, float(np.max(widest, initial=1.0)))

    def setting(t: float) -> _Level | None:
        return _level(problem, fits, window(t), grid)

    up = high
    while up - low > tol and time.monotonic() < deadline:
        mid = up - tol / 2 if up == high or up - low <= 2 * tol else (low + up) / 2
        lv = setting(mid)
        status = (
            "unreachable" if lv is None else _relax(problem, pool, lv, problem.count, deadline)[0]
        )
        if status == "unreachable":
            low = mid
        else:
            up = mid
    floor = up
    while high - max(floor, low) > tol and time.monotonic() < deadline:
        t = floor if floor == up else (floor + high) / 2
        lv = setting(t)
        x = None if lv is None else _find(problem, pool, lv, deadline)
        if x is not None:
            best, high = x, value(x)
        else:
            floor = max(t, floor + tol)
    # the relaxation left a gap: the item-by-worker program can still prove the setting just
    # below the best found unreachable (it does on small batches), in the time left
    while high - low > tol and time.monotonic() < deadline:
        t = high - tol / 2
        lv = setting(t)
        status, x = (
            ("unreachable", None) if lv is None else _compact_run(problem, pool, lv, deadline)
        )
        if status == "unreachable":
            low = t
        elif x is not None:
            best, high = x, value(x)
        else:
            break
    return best, high, low
