"""Ratios of sums: the one rule by which workers add up to teams, units and dates.

A group's utilisation is the sum of its workers' load over the sum of their capacity, never a
mean of percentages. :func:`team_table`, :func:`unit_table` and the timeline's per-date team
figures all go through :func:`group_totals`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scheme import BAND_NAMES, Scheme

__all__ = ["group_totals", "team_table", "unit_table", "utilisation"]


def utilisation(load: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Load over capacity; NaN where there is no capacity."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(capacity > 0, load / capacity, np.nan)


def group_totals(
    workers: pd.DataFrame, codes: np.ndarray, n: int, scheme: Scheme, *, fte: bool = True
) -> pd.DataFrame:
    """Per group (``codes`` in ``0 .. n-1``): workers, sums, utilisation as a ratio, band."""

    def total(column: str) -> np.ndarray:
        return np.bincount(codes, weights=workers[column].to_numpy(dtype=float), minlength=n)

    load, capacity = total("load"), total("capacity")
    util = utilisation(load, capacity)
    out: dict[str, object] = {"n_workers": np.bincount(codes, minlength=n)}
    if fte:
        out["fte"] = total("fte")
    out |= {
        "n_cases": total("n_cases").astype(np.int64),
        "load": load,
        "capacity": capacity,
        "utilisation": util,
        "band": scheme.bands.classify(util),
    }
    return pd.DataFrame(out)


def team_table(workers: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """Ratio-of-sums aggregates: team utilisation is sum of load over sum of capacity."""
    codes, teams = pd.factorize(workers["team_id"], sort=True)
    return _with_bands(workers, scheme, codes, teams)


def unit_table(workers: pd.DataFrame, scheme: Scheme) -> pd.Series:
    """The whole unit as one group: the same ratio of sums as :func:`team_table`.

    The one home of the unit's figures: reports, plots, the CLI and the result's display
    read them from here instead of summing the worker table again.
    """
    codes = np.zeros(len(workers), dtype=np.intp)
    row = _with_bands(workers, scheme, codes, pd.Index([None], dtype=object))
    return row.drop(columns="team_id").iloc[0]


def _with_bands(
    workers: pd.DataFrame, scheme: Scheme, codes: np.ndarray, teams: pd.Index
) -> pd.DataFrame:
    n = len(teams)
    out = group_totals(workers, codes, n, scheme)
    out.insert(0, "team_id", teams)
    band = scheme.bands.codes(workers["utilisation"].to_numpy())
    for b, name in enumerate(BAND_NAMES):
        out[f"n_{name}"] = np.bincount(codes[band == b], minlength=n)
    return out
