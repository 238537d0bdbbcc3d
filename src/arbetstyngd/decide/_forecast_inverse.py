"""Inverse-transform lookups for many small step functions at once, with a guide table.

Each group ``g`` has increasing values in [0, 1] (``1 - S`` of a survival curve, the
cumulative shares of a case mix); a draw ``x`` in group ``g`` needs the first cell whose value
is at least ``x``. One ``searchsorted`` over all groups does that, but for tens of millions of
draws its binary search misses the cache at every step. A guide table (Chen's method) says,
for each of ``M`` equal slices of [0, 1], where the search may start; a couple of vectorised
steps forward then finish almost every draw, and the rest fall back to ``searchsorted``. The
answer is exactly the ``searchsorted`` one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Inverse"]

#: Forward steps taken before the remaining draws fall back to a binary search.
_STEPS = 1


class Inverse:
    """First cell of a group at or above a value, for many (group, value) pairs at once.

    Parameters
    ----------
    values : array of float, shape (n_cells,)
        Values in [0, 1], increasing within each group, groups one after another.
    bounds : array of int, shape (n_groups + 1,)
        Group ``g`` owns cells ``bounds[g]:bounds[g + 1]``.

    Examples
    --------
    >>> inv = Inverse(np.array([0.25, 0.5, 1.0, 0.4, 1.0]), np.array([0, 3, 5]))
    >>> inv.find(np.array([0, 0, 1, 1]), np.array([0.1, 0.3, 0.4, 0.9])).tolist()
    [0, 1, 3, 4]
    >>> inv.find(np.array([0]), np.array([1.5])).tolist()  # past the group's end: its bound
    [3]
    """

    def __init__(self, values: np.ndarray, bounds: np.ndarray) -> None:
        n_groups = len(bounds) - 1
        sizes = np.diff(bounds)
        # groups are 2 apart, so a value of group g never reaches group g + 1's range
        keys = 2.0 * np.repeat(np.arange(n_groups), sizes) + np.asarray(values, dtype=float)
        self.keys = np.append(keys, np.inf)  # a sentinel: stepping never runs off the end
        self.m = int(min(1 << 16, max(256, 8 * int(sizes.max(initial=1)))))
        # guide[g, b]: group g's first cell with value >= b / m, counted rather than searched
        # (a cell lies below edge b from b = floor(value * m) + 1 on); one less, so that
        # rounding at an edge can only make the search start early, never late
        group = np.repeat(np.arange(n_groups), sizes)
        first_below = np.minimum(np.floor(np.asarray(values) * self.m).astype(np.intp) + 1, self.m)
        counts = np.bincount(group * (self.m + 1) + first_below, minlength=n_groups * (self.m + 1))
        below = np.cumsum(counts.reshape(n_groups, self.m + 1), axis=1)[:, : self.m]
        start = np.asarray(bounds[:-1])[:, None]
        self.guide = np.maximum(start + below - 1, start).ravel()

    def find(self, group: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Index of the first cell of ``group`` with value >= ``x`` (the group's end if none).

        ``x`` must be at least 0; ``group`` and ``x`` broadcast against each other.
        """
        # broadcasting (cases against paths × cases) without copying the smaller operand
        q = (2.0 * group + x).ravel()
        b = (np.asarray(x) * self.m).astype(np.intp)
        np.minimum(b, self.m - 1, out=b)
        j = self.guide[(group * self.m + b).ravel()]
        for _ in range(_STEPS):
            j += self.keys[j] < q
        late = np.flatnonzero(self.keys[j] < q)
        if len(late):
            j[late] = np.searchsorted(self.keys, q[late], side="left")
        return j.reshape(np.broadcast_shapes(np.shape(group), np.shape(x)))
