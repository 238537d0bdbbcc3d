"""The forecast's inner loops, compiled with numba: tables, lookups and the difference array.

Tens of millions of draws each need one uniform, one lookup in a small cumulative table and
an addition or two; numpy needs a dozen passes over memory for that, a compiled loop one.
``._forecast_sim`` decides what is drawn from what; these functions fill its tables per
bootstrap replicate and make the draws. They are compiled on first use and cached on disk
(numba's ``cache=True``), so only the first forecast of an installation waits for it.

A lookup answers ``searchsorted(row, x, side="right")`` for a non-decreasing ``row`` whose
last cell is exactly 1.0 and ``0 <= x < 1``: the first cell whose cumulative probability
exceeds ``x``, so cell ``k`` is picked with probability ``row[k] - row[k - 1]`` and a cell
of probability 0 never is. A guide table (Chen's method) of ``m`` equal slices of [0, 1)
per row holds, for each slice, the first cell that can answer a draw in it; a step or two
forward finishes the search.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

__all__ = [
    "build_guides",
    "find",
    "known_stops",
    "new_cases",
    "poisson_counts",
    "poisson_rows",
    "ratio_table",
    "stop_table",
]

#: 2**-24: a whole number below 2**24 times this is a uniform in [0, 1) of single precision.
_STEP = np.float32(2.0**-24)

_jit: Any = njit(nogil=True, cache=True)


@njit(nogil=True, cache=True, inline="always")
def _single(bits: np.uint32) -> np.float32:
    """The uniform of 32 random bits, as numpy's ``random(dtype=float32)`` makes it: their
    top 24 bits, scaled by 2**-24."""
    return np.float32(bits >> np.uint32(8)) * _STEP


@_jit
def _guide_row(values: np.ndarray, lo: int, hi: int, m: int, out: np.ndarray, at: int) -> None:
    # slice b covers [b / m, (b + 1) / m): its draws' answers are at or after the first cell
    # above b / m (m is a power of two, so b / m is exact)
    j = lo
    for b in range(m):
        edge = b / m
        while j < hi - 1 and values[j] <= edge:
            j += 1
        out[at + b] = j


@_jit
def build_guides(values: np.ndarray, bounds: np.ndarray, m: int) -> np.ndarray:
    """Guide of ``m`` slices for each row ``bounds[r]:bounds[r + 1]`` of ``values``, flat."""
    n_rows = len(bounds) - 1
    guide = np.empty(n_rows * m, dtype=np.int32)
    for r in range(n_rows):
        _guide_row(values, bounds[r], bounds[r + 1], m, guide, r * m)
    return guide


@njit(nogil=True, cache=True, inline="always")
def find(values: np.ndarray, guide: np.ndarray, m: int, row: int, x: Any) -> int:
    """Flat position of the first cell of ``row`` with a value above ``x`` (``0 <= x < 1``)."""
    pos = guide[row * m + int(x * m)]
    # the first step without a branch (a slice rarely holds two edges): a mispredicted
    # branch would stall the loads of the draws that follow
    pos += values[pos] <= x
    while values[pos] <= x:
        pos += 1
    return pos


@_jit
def ratio_table(
    surv1: np.ndarray,
    cell: np.ndarray,
    factor: np.ndarray,
    old: np.ndarray,
    old_ratio: np.ndarray,
    out: np.ndarray,
) -> None:
    """Known cases' ``P(stop <= k) = 1 - S(age + d_k) / S(age)`` per (group, age) row.

    ``S`` at column ``k`` of a row is ``surv1[cell[r, k]] * factor[r, k]`` (column 0 the
    age, then the forecast dates); rows ``old`` (older than anything observed) take the
    tail's ``old_ratio`` instead. ``out`` is (rows, steps + 1) and ends each row with 1. A
    row whose ``S(age)`` is 0 (a replicate without the case's peers) closes at once.
    """
    width = out.shape[1]
    for r in range(out.shape[0]):
        s0 = surv1[cell[r, 0]] * factor[r, 0]
        for k in range(1, width):
            ratio = surv1[cell[r, k]] * factor[r, k] / s0 if s0 > 0 else 0.0
            out[r, k - 1] = 1.0 - min(ratio, 1.0)
        out[r, width - 1] = 1.0
    for i in range(len(old)):
        for k in range(width - 1):
            out[old[i], k] = 1.0 - min(old_ratio[i, k], 1.0)


@_jit
def stop_table(grid: np.ndarray, days: np.ndarray, first_day: np.ndarray, out: np.ndarray) -> None:
    """New cases' ``P(stop <= s)`` per (group, arrival step): the mean over the step's days.

    A case arriving on day ``a`` is active on date ``days[s]`` while its duration exceeds
    ``days[s] - a``; ``grid[g, t]`` is the survival of group ``g`` at ``t`` days, and day
    numbers count from the forecast's start. ``out`` is (groups, steps, steps + 1),
    non-decreasing along its last axis, which ends with 1.
    """
    n_t = len(days)
    for g in range(grid.shape[0]):
        for j in range(n_t):
            n_days = days[j] - first_day[j] + 1
            top = 0.0
            for s in range(n_t):
                closed = 0.0
                for a in range(first_day[j], days[j] + 1):
                    lag = days[s] - a
                    if lag >= 0:
                        closed += 1.0 - grid[g, lag]
                top = max(top, min(closed / n_days, 1.0))
                out[g, j, s] = top
            out[g, j, n_t] = 1.0


@_jit
def known_stops(
    cdf: np.ndarray,
    case_row: np.ndarray,
    bits: np.ndarray,
    offset: int,
    first: np.ndarray,
    team: np.ndarray,
    points: np.ndarray,
    bounds: np.ndarray,
    delta: np.ndarray,
) -> None:
    """Subtract known cases' points from ``delta`` at the step each stops being active.

    ``cdf`` (rows × steps + 1, single precision) is ``P(stop <= k)`` per (group, age) row;
    case ``offset + i`` draws the uniform of the 32 random bits ``bits[i, p]`` for path
    ``p``, and its stop step is the number of cells of its row at or below the draw (the
    rows are
    non-decreasing and end at 1). The count runs over a row's cells against all the case's
    paths at once, which the compiler turns into vector compares: no search, no branch.
    Cases sorted by row read each row once. In segment ``s`` (steps
    ``bounds[s]:bounds[s + 1]``) case ``c`` counts for ``team[s, c]`` with
    ``points[s, c]``; ``delta`` is (paths, teams, steps + 1).
    """
    width = cdf.shape[1]
    n_paths = bits.shape[1]
    n_seg = len(bounds) - 1
    stop = np.zeros(n_paths, dtype=np.int32)
    u = np.empty(n_paths, dtype=np.float32)
    for i in range(bits.shape[0]):
        c = offset + i
        row = case_row[c]
        for p in range(n_paths):
            u[p] = _single(bits[i, p])
            stop[p] = 0
        for j in range(width - 1):  # the last cell is 1, above every draw
            edge = cdf[row, j]
            for p in range(n_paths):
                stop[p] += np.int32(edge <= u[p])
        for s in range(n_seg):
            t, pts, b0, b1 = team[s, c], points[s, c], bounds[s], bounds[s + 1]
            start = min(max(first[c], b0), b1)
            for p in range(n_paths):
                delta[p, t, min(max(stop[p], start), b1)] -= pts


@_jit
def poisson_rows(mean: np.ndarray, lo: np.ndarray, bounds: np.ndarray, out: np.ndarray) -> None:
    """Cumulative Poisson probabilities ``P(N <= lo[r] + k)`` of ``mean[r]``, one row each.

    Row ``r`` (cells ``bounds[r]:bounds[r + 1]``) starts at the count ``lo[r]`` and ends
    with exactly 1; the rows span the mean ± 12 standard deviations and more, so that the
    probability left outside (below 1e-20) is beyond what a double-precision uniform can
    pick. The probabilities come from the one at ``lo[r]`` by ``p(k + 1) = p(k) m / (k + 1)``.
    """
    for r in range(len(mean)):
        m, k, a, b = mean[r], lo[r], bounds[r], bounds[r + 1]
        p = math.exp(k * math.log(m) - m - math.lgamma(k + 1.0)) if m > 0 else 1.0
        total = 0.0
        for c in range(a, b):
            total += p
            out[c] = min(total, 1.0)
            k += 1
            p *= m / k
        out[b - 1] = 1.0


@_jit
def poisson_counts(
    u: np.ndarray,
    cdf: np.ndarray,
    guide: np.ndarray,
    m: int,
    bounds: np.ndarray,
    lo: np.ndarray,
    out: np.ndarray,
) -> None:
    """Poisson counts by inversion: ``out[p, r]`` from the uniform ``u[p, r]`` and row ``r``
    of :func:`poisson_rows` (with its guide of ``m`` slices; a row much wider than that,
    of a large mean, is searched by bisection instead)."""
    for p in range(u.shape[0]):
        for r in range(u.shape[1]):
            a, b, x = bounds[r], bounds[r + 1], u[p, r]
            if b - a <= 8 * m:
                pos = find(cdf, guide, m, r, x)
            else:
                pos = a + np.searchsorted(cdf[a:b], x, side="right")
            out[p, r] = lo[r] + pos - a


@_jit
def new_cases(
    bits: np.ndarray,
    counts: np.ndarray,
    item_team: np.ndarray,
    item_group: np.ndarray,
    item_points: np.ndarray,
    span_cdf: np.ndarray,
    span_guide: np.ndarray,
    span_m: int,
    span_arrival: np.ndarray,
    span_stop: np.ndarray,
    bounds: np.ndarray,
    delta: np.ndarray,
    cell: np.ndarray,
) -> None:
    """Add the new cases of ``counts`` (paths × items) to ``delta``.

    Case ``i`` (in the order path, item) draws the uniform of its 32 random bits
    ``bits[i]`` and with it its (arrival step, stop step) pair from its item's group's row
    of ``span_cdf`` (flat; cell ``k`` of a row stands for ``span_arrival[k]`` and
    ``span_stop[k]``). It adds its item's points for its item's team from arrival to stop.
    ``cell`` (int32) is work space of at least the length of ``bits``, passed in so that a
    caller drawing block after block allocates it once.

    The draws and the additions run as separate loops: the draws then have short chains of
    loads that the processor overlaps across cases, where additions to the same cells of
    ``delta`` between them would make it wait.
    """
    span = len(span_arrival)
    i = 0
    for p in range(counts.shape[0]):
        for item in range(counts.shape[1]):
            g = item_group[item]
            for _ in range(counts[p, item]):
                cell[i] = find(span_cdf, span_guide, span_m, g, _single(bits[i])) - g * span
                i += 1
    n_seg = len(bounds) - 1
    i = 0
    for p in range(counts.shape[0]):
        for item in range(counts.shape[1]):
            team = item_team[item]
            if n_seg == 1:  # no scenario changes: one segment over the whole horizon
                pts = item_points[0, item]
                for _ in range(counts[p, item]):
                    delta[p, team, span_arrival[cell[i]]] += pts
                    delta[p, team, span_stop[cell[i]]] -= pts
                    i += 1
                continue
            for _ in range(counts[p, item]):
                arrival, stop = span_arrival[cell[i]], span_stop[cell[i]]
                for k in range(n_seg):
                    start = min(max(arrival, bounds[k]), bounds[k + 1])
                    end = min(max(stop, start), bounds[k + 1])
                    pts = item_points[k, item]
                    delta[p, team, start] += pts
                    delta[p, team, end] -= pts
                i += 1
