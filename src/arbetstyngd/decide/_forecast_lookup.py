"""Inverse-transform draws from many small categorical distributions, rows of equal width.

Row ``r`` holds a cumulative distribution ``cdf[r, 0] <= … <= cdf[r, -1] = 1``; a uniform
``u`` in [0, 1) picks the first cell whose ``cdf`` exceeds ``u``, so cell ``k`` is picked
with probability ``cdf[r, k] - cdf[r, k - 1]`` and a cell of probability 0 never is. A guide
table (Chen's method) says, for each of ``m`` equal slices of [0, 1), how many cells of the
row lie wholly below the slice; a few vectorised steps forward over the draws that are not
yet settled finish the search. The answer is exactly ``searchsorted(cdf[r], u, "right")``.

The rows are laid out flat (``r * width + k``) so that a draw's answer is one position that
callers map to whatever the cell stands for with one gather.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Lookup", "row_keys"]


def row_keys(bounds: np.ndarray, m: int) -> np.ndarray:
    """Each cell's place in the guide's tally, but for its value: ``row * (m + 2) + 1``."""
    n_rows = len(bounds) - 1
    return np.repeat(np.arange(n_rows, dtype=np.intp) * (m + 2) + 1, np.diff(bounds))


class Lookup:
    """First cell of a row whose cumulative probability exceeds a uniform draw.

    Parameters
    ----------
    cdf : array of float, shape (n_cells,)
        The rows one after another, each non-decreasing; every cell from a row's last cell
        of positive probability on must be exactly 1.0 (callers set it, so that rounding
        leaves no room past a row's end).
    bounds : array of int, shape (n_rows + 1,)
        Row ``r`` owns cells ``bounds[r]:bounds[r + 1]``.
    m : int
        Slices of the guide table per row, a power of two (so ``u * m`` is exact).
    row_key : array of int, optional
        :func:`row_keys` of ``bounds`` and ``m``, when already at hand.

    The values are kept in single precision (a cell's probability to about 1e-7, far
    below Monte Carlo noise); draws are single-precision uniforms.

    Examples
    --------
    >>> lk = Lookup(np.array([0.25, 0.25, 1.0, 0.0, 0.5, 1.0]), np.array([0, 3, 6]), m=4)
    >>> u = np.array([0.1, 0.25, 0.0, 0.5], dtype=np.float32)
    >>> lk.find(np.array([0, 0, 1, 1]) * 4, u).tolist()
    [0, 2, 4, 5]
    """

    def __init__(
        self, cdf: np.ndarray, bounds: np.ndarray, m: int, row_key: np.ndarray | None = None
    ) -> None:
        if m < 1 or m & (m - 1):
            raise ValueError(f"'m' must be a power of two (got {m})")
        self.m = m
        self.values = np.ascontiguousarray(cdf, dtype=np.float32).ravel()
        n_rows = len(bounds) - 1
        # cell k lies wholly below slice b (b / m > cdf) from b = floor(cdf * m) + 1 on (the
        # tally's m + 1 is past every slice); the scaling by a power of two is exact and the
        # values are not negative, so truncation is the floor and the guide never starts
        # past the answer
        if row_key is None:  # callers that build many tables of one layout pass it in
            row_key = row_keys(bounds, m)
        first = (self.values * np.float32(m)).astype(np.intp)
        first += row_key
        counts = np.bincount(first, minlength=n_rows * (m + 2)).reshape(n_rows, m + 2)
        # int32 keeps the guide half the size in the cache (positions stay below 2**31)
        small: type[np.signedinteger[Any]] = np.int32 if len(self.values) < 2**31 else np.intp
        below: np.ndarray = np.cumsum(counts[:, :m], axis=1, dtype=small)
        below += np.asarray(bounds[:-1], dtype=small)[:, None]
        self.guide = below.ravel()

    def find(self, row_m: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Flat position (``bounds[row] + cell``) of each draw's cell.

        ``row_m`` is the row times ``m`` (precomputed by callers that draw many times from
        the same rows); it broadcasts against ``u`` (float32 in [0, 1)), whose shape the
        answer takes.
        """
        idx = (u * np.float32(self.m)).astype(np.intp)
        idx += row_m
        pos = self.guide[idx].astype(np.intp)
        # one step forward settles almost every draw; a second check finds the rare draw
        # whose slice holds more than one cell boundary, and those step on one by one
        pos += self.values[pos] <= u
        more = self.values[pos] <= u
        if more.any():
            flat, uf = pos.reshape(-1), np.broadcast_to(u, pos.shape).reshape(-1)
            todo = np.flatnonzero(more)
            while len(todo):
                at = flat[todo] + 1
                flat[todo] = at
                todo = todo[self.values[at] <= uf[todo]]
        return pos
