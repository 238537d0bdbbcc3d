"""Non-negative least squares from the normal equations, for small problems solved many times.

The ratings fit solves a least-squares problem with ~25 unknowns thousands of times (every step
of every bootstrap replicate), each time close to the previous one. From the cross-products
``H = A'A`` and ``g = A'b`` a solve costs one small Cholesky factorisation, and the previous
step's active set is nearly always right, so most steps need a single solve.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.lapack import dpotrf as potrf
from scipy.linalg.lapack import dpotrs as potrs

__all__ = ["nnls_gram"]


def _solve_passive(H: np.ndarray, g: np.ndarray, passive: np.ndarray) -> np.ndarray | None:
    """The least-squares solution with the variables outside ``passive`` held at 0."""
    x = np.zeros(len(g))
    sub = H if passive.all() else H[passive][:, passive]
    # scale to unit diagonal: the cross-products of case counts span several magnitudes
    d = np.sqrt(np.diag(sub))
    if not (d > 0).all():
        return None
    # LAPACK directly: scipy.linalg's checks cost more than the factorisation at this size
    chol, info = potrf(sub / np.outer(d, d), lower=False, clean=False)
    diag = np.diag(chol)
    if info != 0 or diag.min() ** 2 < 1e-12 * diag.max() ** 2:
        return None
    sol, info = potrs(chol, g[passive] / d, lower=False)
    if info != 0:  # pragma: no cover - potrs fails only on invalid arguments
        return None
    x[passive] = sol / d
    return x


def nnls_gram(
    H: np.ndarray, g: np.ndarray, active: np.ndarray | None = None, *, max_iter: int = 100
) -> np.ndarray | None:
    """Minimise ``x'Hx / 2 - g'x`` with ``x[1:] >= 0`` by block principal pivoting.

    ``x[0]`` (the intercept) is free. ``active`` (the constrained variables held at 0 in a
    previous, similar problem) is the starting guess, so a step of the alternating fit usually
    needs one or two small solves (Kim and Park's method, with Portugal, Judice and Vicente's
    fallback to single exchanges, which always ends). Returns ``None`` when ``H`` is (nearly)
    singular or the pivoting does not end.
    """
    m = len(g)
    passive = np.ones(m, dtype=bool)
    if active is not None and len(active) == m - 1:
        passive[1:] = ~active
    tol = 1e-12 * max(float(np.abs(g).max()), 1.0)
    best, chances = m + 1, 3
    for _ in range(max_iter):
        x = _solve_passive(H, g, passive)
        if x is None:
            return None
        dual = H @ x - g
        wrong = np.where(passive, x < 0, dual < -tol)
        wrong[0] = False
        n_wrong = int(wrong.sum())
        if n_wrong == 0:
            x[1:] = np.maximum(x[1:], 0.0)
            return x
        if n_wrong < best:
            best, chances = n_wrong, 3
            passive ^= wrong
        elif chances > 0:
            chances -= 1
            passive ^= wrong
        else:
            last = int(np.flatnonzero(wrong)[-1])
            passive[last] = not passive[last]
    return None
