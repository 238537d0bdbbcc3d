"""Assigning items (new cases, or groups of them that go together) to workers.

The problem, on arrays: item *i* has points ``P_i``; worker *w* has utilisation ``u_w`` and
capacity ``K_w``; ``ok[i, w]`` says which pairs the rules allow; no worker may reach the
ceiling ``T``. Giving *i* to *w* adds ``q_iw = P_i / K_w`` to ``u_w``. Lexicographically:

1. assign as many items as the ceiling allows;
2. minimise ``z``, the highest resulting utilisation among the workers who receive an item;
3. maximise the lowest resulting utilisation among the workers who could receive one
   (together with 2, the narrowest spread).

:func:`solve_exact` does steps 2 and 3 as searches on one level each, deciding each level
with the pattern relaxation of :mod:`arbetstyngd.decide.levels` (proven best within
:data:`TOL`); :func:`solve_compact` does each step as one mixed-integer program over
(class, worker) counts (the first method: the test oracle, and step 1 when the ceiling keeps
items out). :func:`solve_greedy` gives items, largest first, to the worker with the lowest
resulting utilisation, and :func:`lower_bound` says how far from the best that can be.
"""

from __future__ import annotations

import time
from typing import Any

import attrs
import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .levels import Window, search

__all__ = ["Problem", "Solution", "lower_bound", "solve_compact", "solve_exact", "solve_greedy"]

# "below the ceiling" as a closed constraint with a margin wider than HiGHS' feasibility
# tolerance (1e-7), so an exact solution never lands on the ceiling itself
_STRICT = 1e-6
#: Utilisation within which :func:`solve_exact` proves its two levels best (0.001
#: percentage points; the compact programs stop at a relative gap of 1e-4, about 7e-5 here).
TOL = 1e-5
# the searches bisect to a tenth of it, so that a level just above the relaxation's bound
# is still proven
_STEP = TOL / 10


@attrs.frozen(eq=False)
class Problem:
    """Items come in classes of interchangeable ones (same points, same allowed workers):
    the exact solve counts items of a class per worker, which removes the symmetry between
    equal items that makes a pair-by-pair program slow."""

    points: np.ndarray  # per class
    ok: np.ndarray  # (classes, workers) bool, the rules without room
    utilisation: np.ndarray  # per worker, before
    capacity: np.ndarray  # per worker
    ceiling: float  # no worker may reach it (np.inf: none)
    count: np.ndarray = attrs.field()  # items per class

    @count.default
    def _ones(self) -> np.ndarray:
        return np.ones(len(self.points), dtype=np.int64)

    @property
    def item_class(self) -> np.ndarray:
        """The class of each item; items are numbered class by class."""
        return np.repeat(np.arange(len(self.points)), self.count)

    @property
    def q(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.points[:, None] / self.capacity[None, :]

    def fits(self) -> np.ndarray:
        """Pairs allowed and below the ceiling on their own."""
        with np.errstate(invalid="ignore"):
            return self.ok & (self.utilisation[None, :] + self.q < self.ceiling - _STRICT)


@attrs.frozen(eq=False)
class Solution:
    worker: np.ndarray  # per item: worker index, -1 = unassigned
    highest: float  # highest resulting utilisation among receivers (nan: none)
    method: str  # "milp", "milp-time-limit" or "greedy"
    bound: float = np.nan  # no placement of the same items has a lower highest utilisation


def after(problem: Problem, worker: np.ndarray) -> np.ndarray:
    """Each worker's utilisation after the assignment (``worker`` per item)."""
    u = problem.utilisation.copy()
    given = worker >= 0
    points = problem.points[problem.item_class]
    np.add.at(u, worker[given], points[given] / problem.capacity[worker[given]])
    return u


def highest(problem: Problem, worker: np.ndarray) -> float:
    receivers = np.unique(worker[worker >= 0])
    return float(after(problem, worker)[receivers].max()) if len(receivers) else np.nan


def _spread(problem: Problem, fits: np.ndarray) -> np.ndarray:
    """Largest item first, each to the worker with the lowest resulting utilisation."""
    u = problem.utilisation.copy()
    cls = problem.item_class
    worker = np.full(len(cls), -1)
    for i in np.argsort(-problem.points[cls], kind="stable"):
        cand = np.flatnonzero(fits[cls[i]])
        if not len(cand):
            continue
        u_after = u[cand] + problem.points[cls[i]] / problem.capacity[cand]
        room = u_after < problem.ceiling - _STRICT
        if not room.any():
            continue
        best = cand[room][np.argmin(u_after[room])]
        worker[i] = best
        u[best] += problem.points[cls[i]] / problem.capacity[best]
    return worker


def _pack(problem: Problem, fits: np.ndarray, level: float) -> np.ndarray | None:
    """Every item under ``level`` by best fit, largest first; ``None`` when one does not fit.

    Best fit (the worker left with the least room) keeps the big gaps for the big items, which
    is what lowers the highest utilisation when items are large against the room.
    """
    room = (min(level, problem.ceiling - _STRICT) - problem.utilisation) * problem.capacity
    cls = problem.item_class
    worker = np.full(len(cls), -1)
    for i in np.argsort(-problem.points[cls], kind="stable"):
        cand = np.flatnonzero(fits[cls[i]])
        left = room[cand] - problem.points[cls[i]]
        ok = left >= -_STRICT * problem.capacity[cand]
        if not ok.any():
            return None
        best = cand[ok][np.argmin(left[ok])]
        worker[i] = best
        room[best] -= problem.points[cls[i]]
    return worker


def solve_greedy(problem: Problem) -> Solution:
    """The greedy fallback: the better of two fast rules, with a bound on how far off it is.

    1. Largest item first to the worker with the lowest resulting utilisation.
    2. Best-fit packing under a level, with the level found by bisection between
       :func:`lower_bound` and the result of rule 1 (30 halvings).

    Its ``bound`` (:func:`packing_bound`) says how far from the best it can at most be.
    """
    fits = problem.fits()
    worker = _spread(problem, fits)
    best = Solution(worker, highest(problem, worker), "greedy")
    if not (worker >= 0).all() or len(worker) == 0:
        return best
    lo, hi = lower_bound(problem), best.highest
    for _ in range(30):
        if hi - lo <= 1e-6:
            break
        mid = (lo + hi) / 2
        packed = _pack(problem, fits, mid)
        if packed is None:
            lo = mid
        else:
            hi = mid
            candidate = Solution(packed, highest(problem, packed), "greedy")
            if candidate.highest < best.highest:
                best = candidate
    return attrs.evolve(best, bound=packing_bound(problem, lower_bound(problem), best.highest))


def lower_bound(problem: Problem) -> float:
    """No assignment of every item can have a lower highest utilisation than this.

    The larger of: the best single place of the hardest item, and the level to which the
    points of all items would fill every worker who could take one ("water filling").
    """
    fits = problem.fits()
    q = np.where(fits, problem.q, np.inf)
    single = float(np.max(np.min(problem.utilisation[None, :] + q, axis=1)))
    used = fits.any(axis=0)
    u, k = problem.utilisation[used], problem.capacity[used]
    order = np.argsort(u)
    u, k = u[order], k[order]
    total = float((problem.points * problem.count).sum())
    # fill the lowest workers first: between u[j] and u[j+1] the first j+1 share the rise
    filled, width = 0.0, 0.0
    for j in range(len(u)):
        width += k[j]
        top = u[j + 1] if j + 1 < len(u) else np.inf
        room = width * (top - u[j])
        if filled + room >= total:
            return max(single, u[j] + (total - filled) / width)
        filled += room
    return single


def _packable(sizes: np.ndarray, counts: np.ndarray, room: int) -> int:
    """The largest sum of the sizes (each up to its count) that is at most ``room``: a
    subset-sum over a bitset held in one Python integer."""
    if room <= 0:
        return 0
    mask = (1 << (room + 1)) - 1
    bits = 1
    for size, count in zip(sizes, counts, strict=True):
        for _ in range(min(int(count), room // max(int(size), 1))):
            grown = (bits | (bits << int(size))) & mask
            if grown == bits:
                break
            bits = grown
    return bits.bit_length() - 1


def packing_bound(problem: Problem, low: float, high: float, resolution: float = 0.01) -> float:
    """A lower bound on the highest utilisation that counts the room items cannot fill.

    At a level ``z`` worker *w* has ``(z - u_w) K_w`` points of room, but only sums of whole
    items fit in it: if the largest such sums over all workers add up to less than the
    points to place, no assignment reaches ``z``. Item sizes are rounded down and rooms up
    to ``resolution`` points, which only loosens the test, so the bound stays valid.
    Bisection between ``low`` (a valid bound) and ``high``.
    """
    fits = problem.fits()
    sizes = np.floor(problem.points / resolution + 1e-9).astype(np.int64)
    # the points to place in the same rounded sizes: rounding the exact total instead could
    # ask for more than the rounded items hold and push the bound above the best
    total = int((sizes * problem.count).sum())
    workers = np.flatnonzero(fits.any(axis=0))

    def enough(level: float) -> bool:
        room = np.ceil(
            (level - problem.utilisation[workers]) * problem.capacity[workers] / resolution
        )
        found = 0
        for w, r in zip(workers, room, strict=True):
            if r > 0:
                use = fits[:, w]
                found += _packable(sizes[use], problem.count[use], int(r))
                if found >= total:
                    return True
        return False

    if enough(low):
        return low
    for _ in range(20):
        if high - low <= 1e-6:
            break
        mid = (low + high) / 2
        if enough(mid):
            high = mid
        else:
            low = mid
    return low


@attrs.frozen(eq=False)
class _Model:
    """Variables ``[x (class, worker) counts | y (receives) | z | m]`` and the rows of all
    three steps."""

    pairs: tuple[np.ndarray, np.ndarray]
    rows: list[LinearConstraint]
    per_class: sparse.csr_matrix
    m_rows: LinearConstraint
    integrality: np.ndarray
    upper: np.ndarray
    iz: int
    im: int

    @property
    def n_x(self) -> int:
        return len(self.pairs[0])


def _model(problem: Problem, fits: np.ndarray, needs_y: np.ndarray) -> _Model:
    pc, pw = np.nonzero(fits)
    n_cls, n_w = fits.shape
    n_x, n_y = len(pc), int(needs_y.sum())
    y_of = np.full(n_w, -1)
    y_of[needs_y] = np.arange(n_y)
    iz, im = n_x + n_y, n_x + n_y + 1
    n_var = n_x + n_y + 2
    q = problem.points[pc] / problem.capacity[pw]
    # how many of a class fit under the ceiling on one worker
    room = (problem.ceiling - _STRICT - problem.utilisation[pw]) / q
    x_max = np.minimum(problem.count[pc], np.floor(np.where(np.isfinite(room), room, 1e9)))
    rows = []
    per_class = sparse.csr_matrix((np.ones(n_x), (pc, np.arange(n_x))), shape=(n_cls, n_var))
    load = sparse.csr_matrix((q, (pw, np.arange(n_x))), shape=(n_w, n_var))
    could = np.zeros(n_w, dtype=bool)
    could[pw] = True
    if np.isfinite(problem.ceiling):
        room_left = problem.ceiling - _STRICT - problem.utilisation[could]
        rows.append(LinearConstraint(load[could], -np.inf, room_left))
    # z >= u_w * y_w + sum q x, with y_w = 1 when w receives, only where u_w could exceed z
    # (elsewhere z >= u_w holds anyway and the row needs no y)
    ones = sparse.csr_matrix((np.ones(n_w), (np.arange(n_w), np.full(n_w, iz))), (n_w, n_var))
    yw = np.flatnonzero(needs_y)
    uy = sparse.csr_matrix((problem.utilisation[yw], (yw, n_x + y_of[yw])), shape=(n_w, n_var))
    z_lb = np.where(needs_y, 0.0, problem.utilisation)[could]
    rows.append(LinearConstraint((ones - load - uy)[could], z_lb, np.inf))
    sel = np.flatnonzero(needs_y[pw])
    if len(sel):  # x_cw <= x_max * y_w
        k = len(sel)
        link = sparse.csr_matrix(
            (
                np.r_[x_max[sel], -np.ones(k)],
                (np.r_[np.arange(k), np.arange(k)], np.r_[n_x + y_of[pw[sel]], sel]),
            ),
            shape=(k, n_var),
        )
        rows.append(LinearConstraint(link, 0, np.inf))
    # m <= u_w + sum q x for every worker who could take an item
    m_ones = sparse.csr_matrix((np.ones(n_w), (np.arange(n_w), np.full(n_w, im))), (n_w, n_var))
    m_rows = LinearConstraint((m_ones - load)[could], -np.inf, problem.utilisation[could])
    upper = np.r_[x_max, np.ones(n_y), np.inf, np.inf]
    return _Model(
        pairs=(pc, pw),
        rows=rows,
        per_class=per_class,
        m_rows=m_rows,
        integrality=np.r_[np.ones(n_x + n_y), 0, 0],
        upper=upper,
        iz=iz,
        im=im,
    )


def _run(
    c: np.ndarray, model: _Model, extra: list, upper: np.ndarray, deadline: float, floor: float
) -> Any:
    lower = np.zeros(len(c))
    lower[model.im] = -np.inf
    lower[model.iz] = floor
    return milp(
        c,
        constraints=[*model.rows, *extra],
        integrality=model.integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": max(deadline - time.monotonic(), 0.1), "mip_rel_gap": 1e-4},
    )


def _expand(problem: Problem, model: _Model, x: np.ndarray) -> np.ndarray:
    """Counts per (class, worker) back to a worker per item, class by class."""
    pc, pw = model.pairs
    take = np.round(x[: model.n_x]).astype(np.int64)
    worker = np.full(int(problem.count.sum()), -1)
    first = np.r_[0, np.cumsum(problem.count)[:-1]]
    filled = np.zeros(len(problem.points), dtype=np.int64)
    for c, w, n in zip(pc[take > 0], pw[take > 0], take[take > 0], strict=True):
        start = first[c] + filled[c]
        worker[start : start + n] = w
        filled[c] += n
    return worker


def _better(found: Solution, other: Solution) -> bool:
    n_found, n_other = (found.worker >= 0).sum(), (other.worker >= 0).sum()
    return bool(n_found > n_other or (n_found == n_other and found.highest <= other.highest))


def solve_compact(
    problem: Problem, *, time_limit: float = 30.0, greedy: Solution | None = None
) -> Solution:
    """The three steps as mixed-integer programs over (class, worker) counts (HiGHS through
    ``scipy.optimize.milp``): the first exact method, kept as the test oracle of
    :func:`solve_exact` and for batches the ceiling keeps from being placed whole.

    The greedy solution bounds the search: with every item placed, no pair that would take a
    worker above the greedy's highest utilisation can be in a better solution, and workers
    below the lower bound need no "receives" variable. If HiGHS stops at ``time_limit``, the
    best solution found is used and the method says so; the greedy's is kept when better.
    """
    deadline = time.monotonic() + time_limit
    greedy = greedy or solve_greedy(problem)
    fits = problem.fits()
    all_placed = bool((greedy.worker >= 0).all())
    # with every item placed the greedy's bound holds for the search too
    floor = greedy.bound if all_placed and np.isfinite(greedy.bound) else 0.0
    if all_placed:
        with np.errstate(invalid="ignore"):
            fits &= problem.utilisation[None, :] + problem.q <= greedy.highest + _STRICT
        needs_y = problem.utilisation > max(lower_bound(problem), floor)
    else:
        needs_y = problem.utilisation > 0
    needs_y &= fits.any(axis=0)
    model = _model(problem, fits, needs_y)
    n_var, n_items = len(model.upper), int(problem.count.sum())
    upper = model.upper.copy()
    limited = False
    # step 1: as many items as the ceiling allows
    count = n_items
    if not all_placed:
        c = np.zeros(n_var)
        c[: model.n_x] = -1.0
        res = _run(
            c, model, [LinearConstraint(model.per_class, 0, problem.count)], upper, deadline, floor
        )
        if res.x is None:
            return greedy
        limited |= res.status == 1
        count = round(-res.fun)
    if count == 0:
        return greedy
    if count == n_items:
        extra = [LinearConstraint(model.per_class, problem.count, problem.count)]
    else:
        every = np.r_[np.ones(model.n_x), np.zeros(n_var - model.n_x)][None, :]
        extra = [
            LinearConstraint(model.per_class, 0, problem.count),
            LinearConstraint(every, count, count),
        ]
    # step 2: the highest resulting utilisation
    c = np.zeros(n_var)
    c[model.iz] = 1.0
    res = _run(c, model, extra, upper, deadline, floor)
    limited |= res.status == 1
    dual = float(getattr(res, "mip_dual_bound", None) or np.nan)
    bound = np.nanmax([greedy.bound, dual]) if all_placed else np.nan
    if res.x is None:
        return attrs.evolve(greedy, method="milp-time-limit", bound=bound)
    upper[model.iz] = res.x[model.iz] + _STRICT * max(1.0, abs(res.x[model.iz]))
    # step 3: the lowest resulting utilisation among those who could take an item
    c = np.zeros(n_var)
    c[model.im] = -1.0
    res3 = _run(c, model, [*extra, model.m_rows], upper, deadline, floor)
    if res3.x is not None:
        res, limited = res3, limited or res3.status == 1
    worker = _expand(problem, model, res.x)
    method = "milp-time-limit" if limited else "milp"
    found = Solution(worker, highest(problem, worker), method, bound)
    # the greedy's solution was a candidate of the search too: keep it when the search
    # stopped before it found anything as good
    return found if _better(found, greedy) else attrs.evolve(greedy, method=method, bound=bound)


def _counts(problem: Problem, worker: np.ndarray) -> np.ndarray:
    """Items per (class, worker) of a worker-per-item allocation (every item placed)."""
    x = np.zeros((len(problem.points), len(problem.utilisation)), dtype=np.int64)
    np.add.at(x, (problem.item_class, worker), 1)
    return x


def _workers(problem: Problem, x: np.ndarray) -> np.ndarray:
    """A worker per item from counts per (class, worker), class by class."""
    worker = np.full(int(problem.count.sum()), -1)
    first = np.r_[0, np.cumsum(problem.count)[:-1]]
    for k in range(len(problem.points)):
        who = np.repeat(np.arange(x.shape[1]), x[k])
        worker[first[k] : first[k] + len(who)] = who
    return worker


def solve_exact(
    problem: Problem, *, time_limit: float = 30.0, greedy: Solution | None = None
) -> Solution:
    """Steps 2 and 3 as searches on one level each, proven best within :data:`TOL`.

    Step 2 looks for the lowest ``z`` at which every item fits with no receiver above ``z``;
    step 3, with receivers at most ``z`` (plus ``_STRICT``), for the highest ``m`` that every
    worker who could take an item (under the greedy's highest, as :func:`solve_compact`
    counts them) reaches. Each search decides a level with the pattern relaxation
    (:func:`arbetstyngd.decide.levels.search`): a level the relaxation rules out is a proven
    bound, and an allocation found at a level is a solution. If ``time_limit`` passes first,
    the best allocation found is used with its bound and the method says so. When the
    greedy cannot place every item under the ceiling, step 1 is needed: then
    :func:`solve_compact` solves the three steps.
    """
    deadline = time.monotonic() + time_limit
    greedy = greedy or solve_greedy(problem)
    if len(greedy.worker) == 0 or not (greedy.worker >= 0).all():
        return solve_compact(problem, time_limit=time_limit, greedy=greedy)
    fits = problem.fits()
    able = fits.any(axis=0)
    # workers who can take nothing (paused, no capacity) stay out of every sum
    u = np.where(able, problem.utilisation, np.inf)
    k = np.where(able, problem.capacity, 1.0)
    no_floor = np.zeros(len(u))

    def after(x: np.ndarray) -> np.ndarray:
        return u + (problem.points @ x) / k

    def window2(z: float) -> Window:
        return Window(
            high=np.where(able, (min(z, problem.ceiling - _STRICT) - u) * k, -np.inf), low=no_floor
        )

    def highest2(x: np.ndarray) -> float:
        return float(after(x)[x.sum(axis=0) > 0].max())

    start = _counts(problem, greedy.worker)
    low = max(lower_bound(problem), greedy.bound if np.isfinite(greedy.bound) else 0.0)
    x, z, bound = search(problem, fits, window2, highest2, start, low, deadline, _STEP)
    proven = z - bound <= TOL
    # step 3: the spread, under the level found
    top = min(z + _STRICT * max(1.0, abs(z)), problem.ceiling - _STRICT)
    with np.errstate(invalid="ignore"):
        could = (fits & (u[None, :] + problem.q <= greedy.highest + _STRICT)).any(axis=0)
        fits3 = fits & (u[None, :] + problem.q <= top)
    stuck = could & ~fits3.any(axis=0)  # cannot receive: their level is their own

    def window3(t: float) -> Window:
        high = np.where(able, (top - u) * k, -np.inf)
        return Window(high=high, low=np.where(could & (u < -t), (-t - u) * k, 0.0))

    def lowest3(x: np.ndarray) -> float:
        return -float(after(x)[could].min())

    ceiling3 = min(top, float(np.min(u[stuck], initial=np.inf)))
    x3, t, bound3 = search(problem, fits3, window3, lowest3, x, -ceiling3, deadline, _STEP)
    proven &= t - bound3 <= TOL
    worker = _workers(problem, x3)
    method = "milp" if proven else "milp-time-limit"
    return Solution(worker, highest(problem, worker), method, bound)
