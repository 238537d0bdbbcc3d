"""Worker-clustered bootstrap: resample whole workers, refit, read intervals.

A worker's periods are correlated (same person, same leniency, same caseload), so rows are
not independent; resampling workers keeps that dependence inside each replicate.

Intervals are percentiles of the replicates. Bias-corrected and accelerated (BCa) intervals
from a leave-one-worker-out jackknife were tried and measured against them in
``benchmarks/bench_calibration_coverage.py`` (20 seeds, four designs): the coverage moved by
no more than the seed-to-seed noise in either direction, for the cost of one refit per
worker, so the simpler percentile interval is kept.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, effective_n_jobs
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

__all__ = ["bootstrap_intervals", "cluster_bootstrap"]

_FAILURES = (ValueError, np.linalg.LinAlgError, ArithmeticError)


def _clusters(groups: np.ndarray | None, n_rows: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Row order grouped by cluster, the cluster bounds in that order and the cluster count."""
    codes = (
        np.arange(n_rows) if groups is None else pd.factorize(pd.Series(groups, dtype=object))[0]
    )
    n_groups = int(codes.max()) + 1 if n_rows else 0
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    return order, bounds, n_groups


def _stack(results: list[np.ndarray], width: int | None, n: int) -> np.ndarray:
    if width is None:
        return np.full((n, 0), np.nan)
    return np.vstack([r if r.size == width else np.full(width, np.nan) for r in results])


def _draws(
    groups: np.ndarray | None, n_rows: int, n_bootstrap: int, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The rows and new worker numbers of each replicate, drawn in order from ``rng``."""
    order, bounds, n_groups = _clusters(groups, n_rows)
    sizes = np.diff(bounds)
    out = []
    for _ in range(n_bootstrap):
        drawn = rng.integers(0, n_groups, size=n_groups)
        lengths = sizes[drawn]
        starts = np.repeat(bounds[drawn] - np.cumsum(lengths) + lengths, lengths)
        rows = order[starts + np.arange(lengths.sum())]
        out.append((rows, np.repeat(np.arange(n_groups), lengths)))
    return out


def _fit_chunk(
    fit_once: Callable[[np.ndarray, np.ndarray], np.ndarray],
    chunk: list[tuple[np.ndarray, np.ndarray]],
) -> list[np.ndarray | None]:
    """Refit each replicate of a chunk; ``None`` for one that cannot be fitted."""
    out: list[np.ndarray | None] = []
    # the refits are small: BLAS threads only contend with each other (and with other jobs)
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rows, new_groups in chunk:
            try:
                out.append(np.asarray(fit_once(rows, new_groups), dtype=float))
            except _FAILURES:
                out.append(None)
    return out


def cluster_bootstrap(
    fit_once: Callable[[np.ndarray, np.ndarray], np.ndarray],
    groups: np.ndarray | None,
    n_rows: int,
    n_bootstrap: int,
    random_state: int | np.random.Generator | None,
    *,
    progress: bool = True,
    desc: str = "bootstrap",
    n_jobs: int | None = None,
) -> np.ndarray:
    """Statistics of ``n_bootstrap`` refits on worker-resampled data, one row per replicate.

    ``fit_once(rows, new_groups)`` refits on the given row positions, where ``new_groups``
    numbers each drawn worker separately (a worker drawn twice counts as two workers), and
    returns a vector of statistics. A replicate that cannot be fitted gives a row of NaN.
    Every replicate's rows are drawn first, in order, so ``n_jobs`` (joblib's convention:
    ``None`` is 1 unless in a :func:`joblib.parallel_config` context, ``-1`` all processors)
    does not change the result.
    """
    rng = np.random.default_rng(random_state)
    draws = _draws(groups, n_rows, n_bootstrap, rng)
    jobs = effective_n_jobs(n_jobs) if n_bootstrap > 1 else 1
    size = max(1, min(10, -(-n_bootstrap // (4 * jobs))))
    chunks = [draws[i : i + size] for i in range(0, n_bootstrap, size)]
    bar = tqdm(
        total=n_bootstrap, desc=desc, disable=not progress, delay=1.0, leave=False, unit="fit"
    )
    results: list[np.ndarray | None] = []
    if jobs == 1:
        done: Iterable[list[np.ndarray | None]] = (_fit_chunk(fit_once, c) for c in chunks)
    else:
        done = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_fit_chunk)(fit_once, c) for c in chunks
        )
    for part in done:
        results.extend(part)
        bar.update(len(part))
    bar.close()
    width = next((r.shape[0] for r in results if r is not None), None)
    return _stack([np.full(0, np.nan) if r is None else r for r in results], width, n_bootstrap)


def bootstrap_intervals(
    draws: np.ndarray, names: list[str], estimate: np.ndarray, confidence: float
) -> pd.DataFrame:
    """Percentile intervals per statistic, with the bootstrap standard error."""
    alpha = (1.0 - confidence) / 2.0
    ok = ~np.isnan(draws).any(axis=1) if draws.size else np.zeros(0, bool)
    good = draws[ok]
    if len(good) < 2:
        lower = upper = se = np.full(len(names), np.nan)
    else:
        lower, upper = np.quantile(good, [alpha, 1.0 - alpha], axis=0)
        se = good.std(axis=0, ddof=1)
    return pd.DataFrame(
        {"estimate": estimate, "lower": lower, "upper": upper, "se": se},
        index=pd.Index(names, name="parameter"),
    ).assign(n_bootstrap=int(ok.sum()))
