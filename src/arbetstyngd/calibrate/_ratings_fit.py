"""The numerical core of :class:`PerceivedWorkload`: the alternating fit of the ratings model.

Each step of the fit solves the fixed part ``a, beta >= 0`` for the current capacity factors
and variance ratio ``lam`` (the leniency offsets profiled out), then the factors (closed-form
per-level slopes), then the variances (one-way ANOVA moments). Two implementations of the
steps give the same answer:

- :class:`RowModel`, the simple one and the tests' oracle: every step works on the rows; the
  fixed part is least squares on the ``n x (k + 1)`` design from which each worker's mean is
  partly removed.
- :class:`CellModel`, the one the estimator uses. A capacity factor is the same for every row
  of a *cell* (one combination of adjustment levels), so the rows are summarised once into
  sufficient statistics per (worker, cell) and cross-products per cell. Each step then solves
  the normal equations of the same problem built in closed form from them (Henderson's
  mixed-model equations with the offsets absorbed: ``A'A - sum_i S_i S_i' / (n_i + lam)``
  with ``S_i`` worker *i*'s column sums), with a small active-set solver for the
  non-negative weights that starts from the previous step's active set. No step touches the
  rows, so a step costs a few products of ``(k + 1) x (k + 1)`` matrices.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd
import scipy.sparse
from scipy.optimize import lsq_linear

from ..errors import DataError
from ..scheme import Adjustment
from ._design import variance_components
from ._nnls import nnls_gram

__all__ = [
    "FACTOR_RANGE",
    "CellModel",
    "Level",
    "RatingsFit",
    "RowModel",
    "fit_ratings",
    "solve_fixed_dense",
]

#: Bounds of an estimated capacity factor.
FACTOR_RANGE = (0.2, 5.0)


class Level:
    """One step adjustment being estimated: the level of each row and the level factors."""

    def __init__(self, template: Adjustment, values: np.ndarray, min_obs: int) -> None:
        self.template = template
        if np.isnan(values).any():
            raise DataError(
                f"covariate '{template.covariate}' (adjustment '{template.name}') is missing "
                "on some rows of X; give it for every worker"
            )
        self.level = np.searchsorted(np.asarray(template.breaks), values, side="right")
        self.n_levels = len(template.factors)
        counts = np.bincount(self.level, minlength=self.n_levels)
        factors = np.asarray(template.factors, dtype=float)
        self.reference = int(np.flatnonzero(factors == factors.max())[-1])
        self.free = (counts >= min_obs) & (np.arange(self.n_levels) != self.reference)
        self.counts = counts
        self.factors = factors / factors[self.reference]

    def adjustment(self, factors: np.ndarray) -> Adjustment:
        t = self.template
        return Adjustment(
            t.covariate,
            t.breaks,
            tuple(float(f"{f:.4g}") for f in factors),
            kind="step",
            name=t.name,
            label=t.label,
        )


class RatingsFit:
    """The parameters of one fit (kept small so the bootstrap can copy it)."""

    def __init__(
        self,
        intercept: float,
        beta: np.ndarray,
        factors: list[np.ndarray],
        offsets: np.ndarray,
        lam: float,
        sigma2: float,
        tau2: float,
        n_iter: int,
        active: np.ndarray | None = None,
    ) -> None:
        self.intercept = intercept
        self.beta = beta
        self.factors = factors
        self.offsets = offsets
        self.lam = lam
        self.sigma2 = sigma2
        self.tau2 = tau2
        self.n_iter = n_iter
        # the weights held at 0 at the end: the next fit's active solver starts from them
        self.active = active


class Steps(Protocol):
    """The three steps of the alternating fit on one data set."""

    active: np.ndarray | None

    def solve(
        self, factors: list[np.ndarray], lam: float
    ) -> tuple[float, np.ndarray, np.ndarray]: ...

    def update_factors(
        self,
        levels: list[Level],
        factors: list[np.ndarray],
        a: float,
        beta: np.ndarray,
        offsets: np.ndarray,
    ) -> None: ...

    def variances(
        self, factors: list[np.ndarray], a: float, beta: np.ndarray
    ) -> tuple[float, float]: ...


def solve_fixed_dense(
    y: np.ndarray, Z: np.ndarray, codes: np.ndarray | None, lam: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """a, beta >= 0 and the shrunken offsets, for a given variance ratio ``lam``.

    Profiling the ridge-penalised offsets out turns the problem into least squares on data
    from which each worker's mean is partly removed: ``v - c_i * mean_i(v)`` with
    ``c_i = 1 - sqrt(lam / (n_i + lam))``.
    """
    n, k = Z.shape
    A = np.column_stack([np.ones(n), Z])
    if codes is not None and np.isfinite(lam):
        counts = np.bincount(codes).astype(float)
        shrink = 1.0 - np.sqrt(lam / (counts + lam))

        def transform(v: np.ndarray) -> np.ndarray:
            means = (
                np.stack([np.bincount(codes, weights=v[:, j]) for j in range(v.shape[1])], axis=1)
                / counts[:, None]
            )
            return v - (shrink[:, None] * means)[codes]

        At = transform(A)
        yt = transform(y[:, None])[:, 0]
    else:
        At, yt = A, y
    coef, *_ = np.linalg.lstsq(At, yt, rcond=None)
    if (coef[1:] < 0).any():
        lower = np.r_[-np.inf, np.zeros(k)]
        coef = lsq_linear(At, yt, bounds=(lower, np.full(k + 1, np.inf)), method="bvls").x
        coef[1:] = np.maximum(coef[1:], 0.0)
    a, beta = float(coef[0]), coef[1:]
    return a, beta, _offsets(y - a - Z @ beta, codes, lam)


def _offsets(resid: np.ndarray, codes: np.ndarray | None, lam: float) -> np.ndarray:
    """Each worker's shrunken mean residual (the leniency), zeros without leniency."""
    if codes is not None and np.isfinite(lam):
        counts = np.bincount(codes).astype(float)
        return np.bincount(codes, weights=resid) / (counts + lam)
    return np.zeros(0 if codes is None else int(codes.max()) + 1)


def _new_factors(lvl: Level, num: np.ndarray, den: np.ndarray, current: np.ndarray) -> np.ndarray:
    """The factors of one adjustment from its per-level slopes (``num / den``)."""
    ref = lvl.reference
    if den[ref] <= 0 or num[ref] <= 0:
        return current
    with np.errstate(divide="ignore", invalid="ignore"):
        new = np.where(den > 0, (num[ref] / den[ref]) / (num / den), np.inf)
    new = np.where(np.isfinite(new) & (new > 0), new, FACTOR_RANGE[1])
    return np.where(lvl.free, np.clip(new, *FACTOR_RANGE), current)


def _row_factor(factors: list[np.ndarray], lev_rows: list[np.ndarray], n: int) -> np.ndarray:
    G = np.ones(n)
    for f, rows in zip(factors, lev_rows, strict=True):
        G = G * f[rows]
    return G


class RowModel:
    """Every step on the rows: the simple implementation, kept as the oracle of the tests."""

    def __init__(
        self,
        y: np.ndarray,
        loads: np.ndarray,
        fte: np.ndarray,
        codes: np.ndarray | None,
        lev_rows: list[np.ndarray],
        leniency: bool,
    ) -> None:
        self.y, self.loads, self.fte, self.codes = y, loads, fte, codes
        self.lev_rows, self.leniency = lev_rows, leniency
        self.active: np.ndarray | None = None
        self._zb = np.zeros(len(y))

    def _z(self, factors: list[np.ndarray]) -> np.ndarray:
        G = _row_factor(factors, self.lev_rows, len(self.y))
        return self.loads / (self.fte * G)[:, None]

    def solve(self, factors: list[np.ndarray], lam: float) -> tuple[float, np.ndarray, np.ndarray]:
        Z = self._z(factors)
        a, beta, offsets = solve_fixed_dense(self.y, Z, self.codes if self.leniency else None, lam)
        self._zb = Z @ beta
        return a, beta, offsets

    def update_factors(
        self,
        levels: list[Level],
        factors: list[np.ndarray],
        a: float,
        beta: np.ndarray,
        offsets: np.ndarray,
    ) -> None:
        off_rows = offsets[self.codes] if self.leniency and self.codes is not None else 0.0
        target = self.y - a - off_rows
        for i, (lvl, rows) in enumerate(zip(levels, self.lev_rows, strict=True)):
            if not lvl.free.any():
                continue
            S = self._zb * factors[i][rows]  # load per fte without this adjustment
            num = np.bincount(rows, weights=S * target, minlength=lvl.n_levels)
            den = np.bincount(rows, weights=S * S, minlength=lvl.n_levels)
            factors[i] = _new_factors(lvl, num, den, factors[i])

    def variances(
        self, factors: list[np.ndarray], a: float, beta: np.ndarray
    ) -> tuple[float, float]:
        resid = self.y - a - self._z(factors) @ beta
        if self.leniency and self.codes is not None:
            return variance_components(resid, self.codes)
        return float(np.var(resid)), 0.0


def variances_from_sums(
    ss: float, total: float, sums: np.ndarray, counts: np.ndarray
) -> tuple[float, float]:
    """:func:`variance_components` from the residuals' sum of squares, sum and group sums."""
    n, g = float(counts.sum()), len(counts)
    if g < 2 or n <= g:
        return ss / n - (total / n) ** 2, 0.0
    means = sums / counts
    msw = (ss - float((counts * means**2).sum())) / (n - g)
    grand = total / n
    msb = float((counts * (means - grand) ** 2).sum() / (g - 1))
    n0 = (n - float((counts**2).sum()) / n) / (g - 1)
    return msw, max(0.0, (msb - msw) / n0)


def _sum_by(index: np.ndarray, size: int) -> scipy.sparse.csr_matrix:
    """The matrix that sums rows by ``index`` (``M @ v`` = per-index sums of ``v``)."""
    n = len(index)
    return scipy.sparse.csr_matrix((np.ones(n), (index, np.arange(n))), shape=(size, n))


class CellModel:
    """The same steps from sufficient statistics per (worker, cell) and per cell.

    ``L`` (cases per fte), ``y`` (centred ratings) and their products are summed once per
    (worker, cell) pair; the cross-products ``L'L`` once per cell. A step scales them by the
    cells' current capacity factors.
    """

    def __init__(
        self,
        y: np.ndarray,
        loads: np.ndarray,
        fte: np.ndarray,
        codes: np.ndarray | None,
        lev_rows: list[np.ndarray],
        levels: list[Level],
        leniency: bool,
    ) -> None:
        self.rows = RowModel(y, loads, fte, codes, lev_rows, leniency)  # for a singular step
        self.leniency = leniency and codes is not None
        self.active: np.ndarray | None = None
        self.shift = float(y.mean())  # centred ratings: the sums of squares keep their digits
        yc = y - self.shift
        L = loads / fte[:, None]
        n = len(y)
        if levels:
            key = np.ravel_multi_index(lev_rows, [lvl.n_levels for lvl in levels])
            cell, cell_keys = pd.factorize(key, sort=True)
            self.cell_levels = list(
                np.unravel_index(np.asarray(cell_keys), [lvl.n_levels for lvl in levels])
            )
        else:
            cell, self.cell_levels = np.zeros(n, dtype=np.intp), []
        n_cells = int(cell.max()) + 1
        group = codes if codes is not None else np.zeros(n, dtype=np.intp)
        self.n_groups = int(group.max()) + 1
        pair, pair_keys = pd.factorize(group.astype(np.int64) * n_cells + cell, sort=True)
        self.pair_cell = np.asarray(pair_keys) % n_cells
        self.pair_group = np.asarray(pair_keys) // n_cells
        P = _sum_by(pair, len(pair_keys))
        self.n_p = np.bincount(pair).astype(float)
        self.y_p = np.bincount(pair, weights=yc)
        self.yy_p = np.bincount(pair, weights=yc * yc)
        self.ls_p = np.asarray(P @ L)
        self.ly_p = np.asarray(P @ (L * yc[:, None]))
        k = L.shape[1]
        # per cell: the cross-products (flattened, so a step weighs them with one product)
        # and the column sums
        self.cross = np.stack([(L[cell == c].T @ L[cell == c]).ravel() for c in range(n_cells)])
        by_cell = _sum_by(self.pair_cell, n_cells)
        self.ls_c = np.asarray(by_cell @ self.ls_p)
        self.ly_c = np.asarray(by_cell @ self.ly_p)
        self.k = k
        # pairs are sorted by worker: a worker's sums are sums over a run of pairs
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.pair_group) != 0])
        self.n_g = np.bincount(group, minlength=self.n_groups).astype(float)
        self.y_g = np.add.reduceat(self.y_p, self.starts)
        self.n = float(n)
        self.S = np.empty((self.n_groups, k + 1))
        self.S[:, 0] = self.n_g
        self._gc = np.ones(n_cells)

    def _cell_factor(self, factors: list[np.ndarray]) -> np.ndarray:
        G = np.ones(len(self.cross))
        for f, lv in zip(factors, self.cell_levels, strict=True):
            G = G * f[lv]
        return G

    def _quadratic(self, beta: np.ndarray) -> np.ndarray:
        """``beta' L'L beta`` per cell: the sum of squared loads (in points) of its rows."""
        return self.cross @ np.outer(beta, beta).ravel()

    def solve(self, factors: list[np.ndarray], lam: float) -> tuple[float, np.ndarray, np.ndarray]:
        gc = self._gc = self._cell_factor(factors)
        inv = 1.0 / gc
        k = self.k
        H = np.empty((k + 1, k + 1))
        H[0, 0] = self.n
        H[0, 1:] = H[1:, 0] = inv @ self.ls_c
        H[1:, 1:] = ((inv * inv) @ self.cross).reshape(k, k)
        g = np.empty(k + 1)
        g[0] = self.y_p.sum()
        g[1:] = inv @ self.ly_c
        shrunk = self.leniency and np.isfinite(lam)
        S = self.S
        if shrunk:
            S[:, 1:] = np.add.reduceat(self.ls_p * inv[self.pair_cell][:, None], self.starts)
            w = 1.0 / (self.n_g + lam)
            H -= (S.T * w) @ S
            g -= S.T @ (w * self.y_g)
        coef = nnls_gram(H, g, self.active)
        if coef is None:  # (nearly) singular: the oracle's least squares takes it
            a, beta, offsets = self.rows.solve(factors, lam)
            self.active = None
            return a, beta, offsets
        self.active = coef[1:] <= 0
        a, beta = float(coef[0]), coef[1:]
        if shrunk:
            offsets = (self.y_g - self.n_g * a - S[:, 1:] @ beta) / (self.n_g + lam)
        else:
            offsets = np.zeros(self.n_groups if self.leniency else 0)
        return a + self.shift, beta, offsets

    def update_factors(
        self,
        levels: list[Level],
        factors: list[np.ndarray],
        a: float,
        beta: np.ndarray,
        offsets: np.ndarray,
    ) -> None:
        a = a - self.shift
        if not any(lvl.free.any() for lvl in levels):
            return
        bcb = self._quadratic(beta)
        off_p = offsets[self.pair_group] if self.leniency else 0.0
        # rows' sums of S * target and S * S, S being the load per fte without adjustment i
        st = self.ly_p @ beta - (a + off_p) * (self.ls_p @ beta)
        for i, lvl in enumerate(levels):
            if not lvl.free.any():
                continue
            lv = self.cell_levels[i]
            without = self._gc / factors[i][lv]
            num = np.bincount(
                lv[self.pair_cell], weights=st / without[self.pair_cell], minlength=lvl.n_levels
            )
            den = np.bincount(lv, weights=bcb / without**2, minlength=lvl.n_levels)
            factors[i] = _new_factors(lvl, num, den, factors[i])

    def variances(
        self, factors: list[np.ndarray], a: float, beta: np.ndarray
    ) -> tuple[float, float]:
        a = a - self.shift
        gc = self._cell_factor(factors)
        gp = gc[self.pair_cell]
        fitted = (self.ls_p @ beta) / gp
        resid_p = self.y_p - self.n_p * a - fitted
        ss = float(
            (
                self.yy_p
                - 2.0 * a * self.y_p
                - 2.0 * (self.ly_p @ beta) / gp
                + self.n_p * a * a
                + 2.0 * a * fitted
            ).sum()
            + (self._quadratic(beta) / gc**2).sum()
        )
        total = float(resid_p.sum())
        if self.leniency:
            return variances_from_sums(ss, total, np.add.reduceat(resid_p, self.starts), self.n_g)
        return ss / self.n - (total / self.n) ** 2, 0.0


def fit_ratings(
    y: np.ndarray,
    loads: np.ndarray,
    fte: np.ndarray,
    codes: np.ndarray | None,
    levels: list[Level],
    lev_rows: list[np.ndarray],
    start: RatingsFit | None,
    *,
    leniency: bool,
    max_iter: int,
    tol: float,
    solver: str = "cells",
) -> RatingsFit:
    """Alternate the fixed part, the factors and the variances until the parameters settle.

    ``start`` (a previous fit on similar data, as in the bootstrap) gives the starting
    factors, variance ratio and active set. ``solver`` is ``"cells"`` (:class:`CellModel`) or
    ``"rows"`` (:class:`RowModel`, the oracle).
    """
    use_len = leniency and codes is not None
    model: Steps = (
        CellModel(y, loads, fte, codes, lev_rows, levels, use_len)
        if solver == "cells"
        else RowModel(y, loads, fte, codes, lev_rows, use_len)
    )
    if start is not None:
        model.active = start.active
    factors = [
        (lvl.factors.copy() if start is None else start.factors[i].copy())
        for i, lvl in enumerate(levels)
    ]
    lam = (start.lam if start is not None else 1.0) if use_len else np.inf
    previous = None
    a, beta, offsets = 0.0, np.zeros(loads.shape[1]), np.zeros(0)
    sigma2 = tau2 = 0.0
    it = 0
    for it in range(1, int(max_iter) + 1):  # noqa: B007 - n_iter is reported
        a, beta, offsets = model.solve(factors, lam)
        model.update_factors(levels, factors, a, beta, offsets)
        if use_len:
            sigma2, tau2 = model.variances(factors, a, beta)
            lam = sigma2 / tau2 if tau2 > 0 else np.inf
        state = np.concatenate([[a], beta, *factors, [min(lam, 1e12)]])
        if previous is not None and np.max(
            np.abs(state - previous) / (np.abs(previous) + 1e-8)
        ) < float(tol):
            break
        previous = state
    if not use_len:
        sigma2 = model.variances(factors, a, beta)[0]
    return RatingsFit(a, beta, factors, offsets, lam, sigma2, tau2, it, model.active)
