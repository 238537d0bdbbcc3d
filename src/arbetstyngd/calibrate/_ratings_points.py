"""From a ratings fit to points: the unit of the weights, ``P``, and the bootstrap's refit."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import DataError
from ._ratings_fit import Level, RatingsFit, fit_ratings

__all__ = ["Replicate", "normal_load", "points_per_unit", "statistic_names", "statistics"]


def points_per_unit(
    beta: np.ndarray, loads: np.ndarray, base_w: np.ndarray, columns: list[str], normalise: str
) -> float:
    """c: points per unit of beta (see ``PerceivedWorkload``'s ``normalise``)."""
    if normalise == "load":
        w = np.where(np.isnan(base_w), 1.0, base_w)
        denom = float((loads @ beta).sum())
        if denom <= 0:
            raise DataError(
                "the ratings do not rise with the caseload (every weight is 0), so no "
                "weights or normal load can be estimated; check that ratings and caseload "
                "belong to the same workers and periods, and collect periods with a wider "
                "range of caseloads"
            )
        return float((loads @ w).sum()) / denom
    if normalise not in columns:
        raise ValueError(f"'normalise' must be 'load' or a load column of X (got {normalise!r})")
    j = columns.index(normalise)
    ref = base_w[j] if not np.isnan(base_w[j]) else 1.0
    if beta[j] <= 0:
        raise DataError(
            f"the reference column {normalise!r} got weight 0; choose another "
            "reference or normalise='load'"
        )
    return float(ref / beta[j])


def normal_load(intercept: float, c: float, opt: float) -> float:
    """``P``: the load (in points) at which a full-time reference worker's rating is ``opt``."""
    room = opt - intercept
    if room <= 0:
        raise DataError(
            f"even with no cases the predicted rating ({intercept:.3g}) is at or above "
            f"the optimum ({opt:g}), so no normal load can be found: the ratings do not "
            "rise with the caseload in this data. Check the scale and optimum, and collect "
            "periods with lighter and heavier caseloads"
        )
    return c * room


def statistic_names(columns: list[str], levels: list[Level]) -> list[str]:
    """The bootstrapped statistics: each weight, ``P`` and each estimated factor."""
    return [*columns, "P"] + [
        f"{lv.template.name}[{j}]" for lv in levels for j in range(lv.n_levels) if lv.free[j]
    ]


def statistics(fit: RatingsFit, c: float, P: float, levels: list[Level]) -> np.ndarray:
    """Their values, in :func:`statistic_names`' order."""
    return np.concatenate(
        [c * fit.beta, [P], *[f[lv.free] for lv, f in zip(levels, fit.factors, strict=True)]]
    )


class Replicate:
    """One bootstrap refit on given rows, started from the full fit (picklable for joblib)."""

    def __init__(
        self,
        y: np.ndarray,
        loads: np.ndarray,
        fte: np.ndarray,
        codes: np.ndarray | None,
        levels: list[Level],
        start: RatingsFit,
        options: dict[str, Any],
        points: tuple[np.ndarray, list[str], str, float],
    ) -> None:
        self.y, self.loads, self.fte, self.codes = y, loads, fte, codes
        self.levels, self.start, self.options = levels, start, options
        self.base_w, self.columns, self.normalise, self.optimum = points

    def __call__(self, rows: np.ndarray, new_groups: np.ndarray) -> np.ndarray:
        sub = fit_ratings(
            self.y[rows],
            self.loads[rows],
            self.fte[rows],
            None if self.codes is None else new_groups,
            self.levels,
            [lv.level[rows] for lv in self.levels],
            self.start,
            **self.options,
        )
        c = points_per_unit(sub.beta, self.loads[rows], self.base_w, self.columns, self.normalise)
        return statistics(sub, c, normal_load(sub.intercept, c, self.optimum), self.levels)
