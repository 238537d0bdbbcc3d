"""Perceived workload: weights, capacity adjustments and normal load from workload ratings.

The model for the rating ``r`` of worker *i* in period *p* is

    r_ip = a + sum_k beta_k x_ipk / (fte_ip * g(cov_ip)) + o_i + e_ip,   beta_k >= 0,

i.e. the rating rises linearly with utilisation: load (``x`` exposure-weighted cases) over
capacity (effective fte times the capacity adjustments ``g``, one factor per level of each
step adjustment, 1 at the reference level). ``o_i`` is the worker's leniency, a random
intercept shrunk towards 0 with the variance ratio estimated from the data (so the fixed part
solves Henderson's mixed-model equations). A full-time reference worker's predicted rating is
at the optimum when ``sum_k beta_k x_k = optimum - a``; with weights ``w = c * beta`` in points,
the normal load is ``P = c * (optimum - a)``. ``c`` fixes the unit of the points: by default
the calibrated scheme gives the study caseload the same total points as the base scheme.

The fit alternates between (1) non-negative least squares for ``a`` and ``beta`` on
leniency-transformed data, (2) closed-form per-level slopes for each adjustment, and
(3) moment estimates of the leniency and noise variances, until the parameters settle.

With one case type, no adjustments and ``leniency=False`` this is ordinary least squares of
the rating on load per full-time worker, and ``P`` is the classic zero crossing ``-a/b``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..errors import ColumnsError, DataError
from ..scheme import Scheme
from ._bootstrap import bootstrap_intervals, cluster_bootstrap
from ._checks import (
    CalibrationWarning,
    no_identity_numbers,
    resolve_scheme,
    target_rows,
    values_text,
)
from ._design import (
    Design,
    base_weight,
    check_collinear,
    design,
    make_scheme,
    seen_columns,
    set_groups,
    targets,
    warn_imprecise,
)
from ._display import summary_html, unfitted_html
from ._features import features
from ._ratings_fit import Level, RatingsFit, fit_ratings
from ._ratings_points import (
    Replicate,
    normal_load,
    points_per_unit,
    statistic_names,
    statistics,
)
from ._survey import survey_rows

__all__ = ["PerceivedWorkload"]


class PerceivedWorkload(RegressorMixin, BaseEstimator):
    """Weights, capacity adjustments and normal load ``P`` from workload ratings.

    Workers rate each period's workload on a scale with a stated optimum (default -3 … +3
    with 0 = optimal, the nursing-intensity convention; 1 … 5 with 3 = balanced works the
    same way). See the module notes for the model.

    Parameters
    ----------
    base : Scheme or str, optional
        Base scheme: names, labels, multipliers, bands, the templates of the capacity
        adjustments (their covariates and breaks), the unit of the points and the weights of
        case types without data.
    scale : tuple of (low, high), default (-3, 3)
        Ratings outside it are an error.
    optimum : float, optional
        The "balanced" answer; default the middle of the scale.
    leniency : bool, default True
        Estimate each worker's shrunken offset (needs worker ids: X's ``worker_id``, or
        ``groups``).
    adjustments : {"estimate", "fixed", "none"}, default "estimate"
        Estimate a factor for each level of the base scheme's step adjustments whose
        covariate is in X (the reference level, factor 1, is the base's highest), keep the
        base's factors, or use no adjustments.
    normalise : str, default "load"
        The unit of the points: ``"load"`` gives the study caseload the same total points as
        under the base scheme (without one, an average case is 1 point); or a load column
        (``"cases:bou_utredning"``) whose weight is kept at the base's value.
    n_bootstrap : int, default 200
        Worker-clustered bootstrap replicates for :attr:`intervals_` (0: none).
    confidence : float, default 0.95
    min_observations : int, default 10
        Fewer (worker, period) rows than this with cases of a type, or in an adjustment
        level, gives a warning (a level that thin keeps the base's factor).
    max_iter : int, default 200
    tol : float, default 1e-7
    random_state : int, optional
    progress : bool, default True
        Show a progress bar when the bootstrap takes more than a second.
    n_jobs : int, optional
        Processes for the bootstrap replicates, as in scikit-learn: ``None`` is 1 unless in
        a :func:`joblib.parallel_config` context, ``-1`` all processors. The intervals do
        not depend on it.

    Attributes
    ----------
    weights_ : Series
        Points per case by load column (case types without data: the base's, or left out).
    capacity_ : float
        ``P``, the normal load of a full-time reference worker, in the same points.
    adjustments_ : list of Adjustment
        The capacity adjustments (estimated factors).
    intercept_, coef_ : float, ndarray
        ``a`` and ``beta`` (rating per unit of load per effective fte).
    leniency_ : Series
        Per-worker offsets (empty without worker ids).
    leniency_sd_, noise_sd_ : float
        Estimated standard deviations of the offsets and of the rating noise.
    intervals_ : DataFrame
        Estimate, bootstrap percentile interval and standard error for each weight, ``P``
        and each estimated factor.
    stats_ : dict
        ``r2``, ``rmse``, ``n_observations``, ``n_workers``, ``n_iter`` …
    scheme_ : Scheme
        The calibrated scheme, with provenance.

    Examples
    --------
    The classic method: one case type, no adjustments, no leniency.

    >>> import numpy as np
    >>> from arbetstyngd.calibrate import PerceivedWorkload
    >>> rng = np.random.default_rng(1)
    >>> load = rng.uniform(10, 40, size=(80, 1))
    >>> rating = -2.5 + 0.1 * load[:, 0] + rng.normal(0, 0.3, 80)
    >>> pw = PerceivedWorkload(leniency=False, n_bootstrap=0).fit(load, rating)
    >>> b, a = np.polyfit(load[:, 0], rating, 1)
    >>> bool(np.isclose(pw.capacity_, -a / b))
    True
    """

    def __init__(
        self,
        base: Scheme | str | None = None,
        *,
        scale: tuple[float, float] = (-3, 3),
        optimum: float | None = None,
        leniency: bool = True,
        adjustments: str = "estimate",
        normalise: str = "load",
        n_bootstrap: int = 200,
        confidence: float = 0.95,
        min_observations: int = 10,
        max_iter: int = 200,
        tol: float = 1e-7,
        random_state: int | None = None,
        progress: bool = True,
        n_jobs: int | None = None,
    ) -> None:
        self.base = base
        self.scale = scale
        self.optimum = optimum
        self.leniency = leniency
        self.adjustments = adjustments
        self.normalise = normalise
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.min_observations = min_observations
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.progress = progress
        self.n_jobs = n_jobs

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.regressor_tags.poor_score = True
        return tags

    # -- validation --------------------------------------------------------------------------

    def _scale(self) -> tuple[float, float, float]:
        try:
            lo, hi = (float(v) for v in self.scale)
        except (TypeError, ValueError):
            raise ValueError(f"'scale' must be (low, high) (got {self.scale!r})") from None
        if not lo < hi:
            raise ValueError(f"'scale' must be (low, high) with low < high (got {self.scale!r})")
        opt = (lo + hi) / 2.0 if self.optimum is None else float(self.optimum)
        if not lo <= opt <= hi:
            raise ValueError(f"'optimum' must lie on the scale {lo:g}..{hi:g} (got {opt:g})")
        return lo, hi, opt

    def _ratings(
        self, y: Any, n: int, lo: float, hi: float, labels: np.ndarray | None
    ) -> np.ndarray:
        if y is not None and np.isnan(np.asarray(y, dtype=float)).any():
            raise ValueError(
                "y has missing ratings (NaN): leave unanswered periods out of X and y "
                "(PerceivedWorkload.from_survey does this and reports the response rate)"
            )
        r = targets(y, n, "y (ratings)")
        outside = (r < lo) | (r > hi)
        if outside.any():
            rows = np.flatnonzero(outside)
            raise DataError(
                f"{len(rows)} rating(s) lie outside the scale {lo:g}..{hi:g} "
                f"({values_text(rows, r, labels)}); set scale= to the survey's scale or "
                "correct the answers"
            )
        return r

    def _levels(self, d: Design, base: Scheme | None) -> list[Level]:
        mode = self.adjustments
        if mode not in ("estimate", "fixed", "none"):
            raise ValueError(f"'adjustments' must be 'estimate', 'fixed' or 'none' (got {mode!r})")
        if mode == "none" or base is None:
            return []
        levels = []
        for adj in base.adjustments:
            if adj.covariate not in d.covariates:
                continue
            if adj.kind != "step":
                warnings.warn(
                    f"adjustment '{adj.name}' is piecewise linear; it is kept as in the base "
                    "scheme (only step adjustments are estimated)",
                    CalibrationWarning,
                    stacklevel=4,
                )
            lvl = Level(adj, d.covariates[adj.covariate], self.min_observations)
            if adj.kind != "step" or mode == "fixed":
                lvl.free[:] = False
            levels.append(lvl)
        return levels

    # -- the fit -----------------------------------------------------------------------------

    #: The solver of the fixed part; the tests set "rows" (the simple oracle) on an instance.
    _solver = "cells"

    def _fit_options(self) -> dict[str, Any]:
        return {
            "leniency": bool(self.leniency),
            "max_iter": int(self.max_iter),
            "tol": float(self.tol),
            "solver": self._solver,
        }

    def fit(self, X: Any, y: Any, groups: Any = None) -> PerceivedWorkload:
        """Fit the ratings ``y`` (one per row of X) to the caseload in X.

        Parameters
        ----------
        X : DataFrame from :func:`features`, or array of case counts (n_rows, n_types)
        y : array-like of ratings on ``scale``
        groups : array-like, optional
            Worker of each row (default: X's ``worker_id``).
        """
        lo, hi, opt = self._scale()
        if not 0 < self.confidence < 1:
            raise ValueError(f"'confidence' must be in (0, 1) (got {self.confidence!r})")
        base = resolve_scheme(self.base)
        d = design(self, X, reset=True)
        r = self._ratings(y, len(d), lo, hi, target_rows(y, X, len(d)))
        set_groups(d, groups)
        seen = seen_columns(d.loads, d.columns, self.min_observations, "weights")
        if not seen.any():
            raise DataError("X has no cases at all: check the caseload export and the periods")
        cols = [c for c, s in zip(d.columns, seen, strict=True) if s]
        loads = d.loads[:, seen]
        check_collinear(
            loads / d.fte[:, None], cols, intercept=True, per_fte=bool((d.fte != 1).any())
        )
        levels = self._levels(d, base)
        self._warn_thin(levels)
        codes = None if d.groups is None else pd.factorize(pd.Series(d.groups, dtype=object))[0]
        lev_rows = [lv.level for lv in levels]
        with threadpool_limits(limits=1, user_api="blas"):  # small products: threads contend
            fit = fit_ratings(r, loads, d.fte, codes, levels, lev_rows, None, **self._fit_options())
        base_w = np.array([base_weight(base, c) for c in cols])
        c, P = self._points(fit, loads, base_w, cols, opt)
        self._store(d, seen, base, levels, fit, c, P)
        self._set_stats(d, r, fit, (lo, hi, opt))
        self._base = base
        self._frame = d.frame
        estimate = statistics(fit, c, P, levels)
        if self.n_bootstrap > 0 and self._failure is None:
            points = (base_w, cols, self.normalise, opt)
            draws = cluster_bootstrap(
                Replicate(r, loads, d.fte, codes, levels, fit, self._fit_options(), points),
                d.groups,
                len(d),
                int(self.n_bootstrap),
                self.random_state,
                progress=self.progress,
                n_jobs=self.n_jobs,
                desc="PerceivedWorkload bootstrap",
            )
        else:
            draws = np.full((0, len(estimate)), np.nan)
        names = statistic_names(cols, levels)
        self.intervals_ = bootstrap_intervals(draws, names, estimate, self.confidence)
        warn_imprecise(self.intervals_, cols, loads, self.confidence)
        self._scheme_value = None if self._failure else self._scheme(d, opt)
        return self

    def _warn_thin(self, levels: list[Level]) -> None:
        thin = [
            f"{lv.template.name} level {j} ({int(lv.counts[j])} rows)"
            for lv in levels
            for j in range(lv.n_levels)
            if 0 < lv.counts[j] < self.min_observations and self.adjustments == "estimate"
        ]
        if thin:
            warnings.warn(
                f"too few rows to estimate {', '.join(thin)}; those levels keep the base "
                "scheme's factor. Include more workers in those groups to calibrate them.",
                CalibrationWarning,
                stacklevel=3,
            )

    def _points(
        self, fit: RatingsFit, loads: np.ndarray, base_w: np.ndarray, cols: list[str], opt: float
    ) -> tuple[float, float]:
        """``c`` (points per unit of beta) and ``P``; (1, nan) and a warning if there are none."""
        self._failure: str | None = None
        try:
            c = points_per_unit(fit.beta, loads, base_w, cols, self.normalise)
            P = normal_load(fit.intercept, c, opt)
        except DataError as exc:
            # keep the estimator usable (predictions of the rating), but no scheme
            self._failure = str(exc)
            warnings.warn(self._failure, CalibrationWarning, stacklevel=3)
            c, P = 1.0, float("nan")
        if fit.n_iter >= int(self.max_iter):
            warnings.warn(
                f"the fit did not settle in {self.max_iter} iterations; raise max_iter",
                CalibrationWarning,
                stacklevel=3,
            )
        return c, P

    def _store(
        self,
        d: Design,
        seen: np.ndarray,
        base: Scheme | None,
        levels: list[Level],
        fit: RatingsFit,
        c: float,
        P: float,
    ) -> None:
        """The fitted attributes: coefficients, weights in points, ``P``, factors, leniency."""
        cols = [col for col, s in zip(d.columns, seen, strict=True) if s]
        self._c = c
        self.coef_ = np.zeros(len(d.columns))
        self.coef_[seen] = fit.beta
        self.intercept_ = fit.intercept
        self._factors = fit.factors
        self._levels_fitted = [(lv.template, lv.free.copy()) for lv in levels]
        weights = pd.Series(c * fit.beta, index=pd.Index(cols), name="points")
        if base is not None:
            extra = {
                col: base_weight(base, col)
                for col, s in zip(d.columns, seen, strict=True)
                if not s and np.isfinite(base_weight(base, col))
            }
            weights = pd.concat([weights, pd.Series(extra, dtype=float)]) if extra else weights
        self.weights_ = weights.rename("points") if self._failure is None else weights.iloc[:0]
        self.capacity_ = P
        self.adjustments_ = [lv.adjustment(f) for lv, f in zip(levels, fit.factors, strict=True)]
        uniq = pd.unique(pd.Series(d.groups, dtype=object)) if d.groups is not None else np.zeros(0)
        self.leniency_ = pd.Series(
            fit.offsets if len(fit.offsets) == len(uniq) else np.zeros(len(uniq)),
            index=pd.Index(uniq, name="worker_id"),
            name="leniency",
        )
        self.leniency_sd_ = float(np.sqrt(fit.tau2))
        self.noise_sd_ = float(np.sqrt(fit.sigma2))
        self.n_iter_ = fit.n_iter
        zero = [col for col, b in zip(cols, fit.beta, strict=True) if b == 0]
        if zero:
            warnings.warn(
                f"the weight of {', '.join(zero)} came out at 0: ratings do not rise with these "
                "cases in this data. Collect more periods, or merge them with a similar type.",
                CalibrationWarning,
                stacklevel=3,
            )

    def _set_stats(
        self, d: Design, r: np.ndarray, fit: RatingsFit, scale: tuple[float, float, float]
    ) -> None:
        lo, hi, opt = scale
        pred = self._predict_design(d)
        ss_res = float(((r - pred) ** 2).sum())
        ss_tot = float(((r - r.mean()) ** 2).sum())
        self.stats_: dict[str, Any] = {
            "r2": 1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan"),
            "rmse": float(np.sqrt(ss_res / len(r))),
            "n_observations": len(d),
            "n_workers": len(self.leniency_) if d.groups is not None else len(d),
            "n_iter": fit.n_iter,
            "intercept": fit.intercept,
            "slope_per_point": 1.0 / self._c,
            "optimum": opt,
            "scale": [lo, hi],
            "leniency_sd": self.leniency_sd_,
            "noise_sd": self.noise_sd_,
            "mean_rating": float(r.mean()),
        }

    @property
    def scheme_(self) -> Scheme:
        """The calibrated Scheme, with provenance."""
        check_is_fitted(self, "coef_")
        if self._scheme_value is None:
            raise DataError(f"no scheme could be calibrated: {self._failure}")
        return self._scheme_value

    def _scheme(self, d: Design, opt: float) -> Scheme:
        base = self._base
        stats = {
            k: v
            for k, v in self.stats_.items()
            if k in ("r2", "rmse", "optimum", "scale", "leniency_sd", "noise_sd", "n_iter")
        }
        lower = self.intervals_["lower"].get("P", np.nan)
        upper = self.intervals_["upper"].get("P", np.nan)
        if np.isfinite(float(lower)):
            stats["capacity_lower"] = float(lower)
            stats["capacity_upper"] = float(upper)
            stats["confidence"] = float(self.confidence)
        if base is not None:
            fitted = {a.name: a for a in self.adjustments_}
            kept = [fitted.get(a.name, a) for a in base.adjustments]
            adjustments: Any = kept if self.adjustments != "none" else []
        else:
            adjustments = []
        lo, hi = self.stats_["scale"]
        note = (
            f"Perceived-workload calibration: ratings on {lo:g}..{hi:g} with optimum {opt:g}; "
            "P is the load at which a full-time reference worker's predicted rating is the "
            "optimum."
        )
        return make_scheme(
            base=base,
            weights=self.weights_,
            capacity=self.capacity_,
            method="perceived-workload",
            note=note,
            statistics=stats,
            frame=d.frame,
            n_workers=int(self.stats_["n_workers"]),
            n_observations=int(self.stats_["n_observations"]),
            adjustments=adjustments,
        )

    def _row_factor(self, d: Design) -> np.ndarray:
        G = np.ones(len(d))
        for (template, _), f in zip(self._levels_fitted, self._factors, strict=True):
            values = d.covariates.get(template.covariate)
            if values is None:
                raise ColumnsError(f"X lacks the covariate '{template.covariate}' the fit used")
            G = G * f[np.searchsorted(np.asarray(template.breaks), values, side="right")]
        return G

    def _predict_design(self, d: Design) -> np.ndarray:
        return self.intercept_ + (d.loads / (d.fte * self._row_factor(d))[:, None]) @ self.coef_

    def predict(self, X: Any) -> np.ndarray:
        """Predicted rating of a typical rater (leniency 0) for each row of X."""
        check_is_fitted(self, "coef_")
        return self._predict_design(design(self, X, reset=False))

    def utilisation(self, X: Any) -> np.ndarray:
        """Utilisation of each row of X under the calibrated scheme (load / capacity)."""
        check_is_fitted(self, "coef_")
        d = design(self, X, reset=False)
        load = d.loads @ (self.coef_ * self._c)
        return load / (self.capacity_ * d.fte * self._row_factor(d))

    # -- from a raw survey -------------------------------------------------------------------

    @classmethod
    @no_identity_numbers
    def from_survey(
        cls,
        ratings: pd.DataFrame,
        cases: pd.DataFrame,
        workers: pd.DataFrame,
        *,
        periods: Any,
        start: Any = None,
        end: Any = None,
        teams: pd.DataFrame | None = None,
        scheme: Scheme | str | None = None,
        **params: Any,
    ) -> PerceivedWorkload:
        """Fit on a ratings survey and the caseload export of the same window.

        Parameters
        ----------
        ratings : DataFrame
            ``worker_id``, ``rating`` and a ``period`` label (or a ``date`` inside the
            period). A missing rating is an unanswered period.
        cases, workers, teams, periods, start, end, scheme
            As for :func:`features`; ``scheme`` is also the base scheme.
        **params
            Other constructor parameters.

        Returns
        -------
        PerceivedWorkload
            Fitted; ``features_`` and ``ratings_`` hold the rows used, ``response_rate_``
            the share of (worker, period) rows with an answer.

        Raises
        ------
        DataError
            When no rating matches a worker and period of the caseload export (the message
            names unknown worker ids with the closest ids of the workers table, and dates or
            periods outside the study window; ``failures`` lists every row), when no matched
            row has an answer, or when a worker answers twice in a period. Rows are named as
            a person finds them: ``source_row`` from arbetstyngd's readers (header = row 1),
            else the index label.

        Warns
        -----
        CalibrationWarning
            When some rating rows match no worker and period (they are left out; the
            message says why), or the response rate is below 70 %.
        """
        missing = {"worker_id", "rating"} - set(ratings.columns)
        if missing or not ({"period", "date"} & set(ratings.columns)):
            raise ColumnsError(
                "the ratings table needs worker_id, rating and a period (or date) column "
                f"(has {list(ratings.columns)})"
            )
        X = features(
            cases, workers, periods=periods, start=start, end=end, teams=teams, scheme=scheme
        )
        Xs, y, answered, response = survey_rows(ratings, X)
        est = cls(base=scheme, **params).fit(Xs, y)
        est.features_ = Xs
        est.ratings_ = answered.drop(columns=["_row", "_label", "_why"]).reset_index(drop=True)
        est.response_rate_ = response
        est.stats_["response_rate"] = response
        if est._failure is None:
            est._scheme_value = est._scheme(design(est, Xs, reset=False), est.stats_["optimum"])
        return est

    # -- display -----------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        if not hasattr(self, "coef_"):
            return unfitted_html("PerceivedWorkload")
        s = self.stats_
        facts = {
            "P": self.capacity_,
            "workers": s["n_workers"],
            "rows": s["n_observations"],
            "R²": s["r2"],
            "leniency sd": s["leniency_sd"],
            "noise sd": s["noise_sd"],
        }
        if "response_rate" in s:
            facts["response"] = f"{s['response_rate']:.0%}"
        table = self.intervals_[["estimate", "lower", "upper"]]
        return summary_html("PerceivedWorkload: weights (points), P and factors", facts, table)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}
