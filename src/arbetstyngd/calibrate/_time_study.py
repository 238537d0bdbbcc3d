"""Time study (weighted caseload): minutes per case from a time log and the caseload."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import nnls
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted

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
    check_collinear,
    design,
    make_scheme,
    partial_demean,
    seen_columns,
    set_groups,
    targets,
    variance_components,
    warn_imprecise,
)
from ._display import summary_html, unfitted_html
from ._features import features, load_column
from ._time_log import log_rows

__all__ = ["TimeStudy"]

_METHODS = ("nnls", "ratio")
_WEIGHTINGS = ("relative", "none")


def relative_gls(
    loads: np.ndarray,
    y: np.ndarray,
    codes: np.ndarray | None,
    *,
    max_iter: int = 30,
    tol: float = 1e-6,
) -> np.ndarray:
    """Non-negative weights of totals whose error is relative and partly per worker.

    Minutes logged vary in proportion to the work (a row with twice the cases has about
    twice the spread), and a worker who is slow in one month is slow in the next. Plain
    least squares on totals lets the heaviest rows dominate and treats a worker's months as
    independent. This iterates (1) weights ``1 / fitted`` (relative errors, as in a gamma
    GLM), (2) method-of-moments estimates of the per-worker and per-row variances of the
    relative residuals and (3) non-negative least squares on the random-effects transformed
    rows (:func:`partial_demean`). Without worker ids step (2) is skipped.
    """
    size = loads.shape[1]
    coef = nnls(loads, y, maxiter=50 * size + 100)[0]
    counts = None if codes is None else np.bincount(codes)
    for _ in range(max_iter):
        fitted = loads @ coef
        positive = fitted[fitted > 0]
        if positive.size == 0:
            break
        # a row the current weights give (almost) no work has no relative scale: floor it
        scale = np.maximum(fitted, 0.05 * float(np.median(positive)))
        A, b = loads / scale[:, None], y / scale
        if codes is not None and counts is not None and len(counts) > 1:
            within, between = variance_components((y - fitted) / scale, codes)
            lam = within / between if between > 0 else np.inf
            A = partial_demean(A, codes, lam)
            b = partial_demean(b[:, None], codes, lam)[:, 0]
        new = nnls(A, b, maxiter=50 * size + 100)[0]
        change = np.max(np.abs(new - coef)) / max(float(np.max(np.abs(coef))), 1e-12)
        coef = new
        if change < tol:
            break
    return coef


class TimeStudy(RegressorMixin, BaseEstimator):
    """Minutes per case and period from a time log: the weighted-caseload method.

    The model for the minutes ``y`` a worker logged on casework in a period is
    ``y = sum_k w_k * x_k + error``, where ``x_k`` is the worker's exposure-weighted count of
    cases of type (and phase) ``k`` in the period and ``w_k >= 0`` the minutes one such case
    takes per period. ``method="nnls"`` estimates ``w`` by non-negative least squares from
    totals; ``method="ratio"`` takes the classic ratio of sums, minutes logged to type ``k``
    over its case-periods, when the log attributes minutes to case types (``y`` then has one
    column per load column of X; :meth:`from_log` builds both).

    The weights become a Scheme whose points are minutes and whose capacity ``P`` is the
    casework minutes one full-time worker has in a period (the "year value" of the method):
    utilisation is then minutes needed over minutes available, and :meth:`staff_need` gives
    the full-time equivalents a caseload needs.

    Parameters
    ----------
    base : Scheme or str, optional
        Base scheme: its case types, phases, labels, multipliers, capacity adjustments and
        bands are kept; weights of case types without data are converted from its points.
    method : {"nnls", "ratio"}, default "nnls"
    weighting : {"relative", "none"}, default "relative"
        How ``method="nnls"`` weighs the rows: ``"relative"`` treats the error of a total as
        proportional to it and shared by a worker's periods (iterated generalised least
        squares, see :func:`relative_gls`); ``"none"`` is plain non-negative least squares.
        On the synthetic studies of ``docs/calibration.md`` the relative weighting halves
        the error of the weights.
    available_minutes_per_fte : float, optional
        Casework minutes of one full-time worker per period (after leave, training and
        administration); needed for :attr:`scheme_` and :meth:`staff_need`.
    n_bootstrap : int, default 200
        Worker-clustered bootstrap replicates for :attr:`intervals_` (0: none).
    confidence : float, default 0.95
    min_observations : int, default 10
        Fewer (worker, period) rows with cases of a type than this gives a warning.
    random_state : int, optional
        Seed of the bootstrap.
    progress : bool, default True
        Show a progress bar when the bootstrap takes more than a second.
    n_jobs : int, optional
        Processes for the bootstrap replicates, as in scikit-learn: ``None`` is 1 unless in
        a :func:`joblib.parallel_config` context, ``-1`` all processors. The intervals do
        not depend on it.

    Attributes
    ----------
    weights_ : Series
        Minutes per case and period, indexed by load column (case types without data left
        out).
    coef_ : ndarray
        The same, one per column of the load matrix (0 where not estimated).
    intervals_ : DataFrame
        ``estimate``, ``lower``, ``upper``, ``se`` per weight (NaN without a bootstrap).
    stats_ : dict
        ``r2``, ``rmse``, ``n_observations``, ``n_workers``, ``minutes``.
    n_features_in_, feature_names_in_
        As in scikit-learn.

    Examples
    --------
    >>> import numpy as np
    >>> from arbetstyngd.calibrate import TimeStudy
    >>> rng = np.random.default_rng(0)
    >>> X = rng.poisson(4.0, size=(60, 3)).astype(float)
    >>> y = X @ np.array([120.0, 300.0, 45.0]) * rng.lognormal(0, 0.05, 60)
    >>> ts = TimeStudy(n_bootstrap=0).fit(X, y)
    >>> np.round(ts.coef_ / 10) * 10
    array([120., 300.,  40.])
    """

    def __init__(
        self,
        base: Scheme | str | None = None,
        *,
        method: str = "nnls",
        weighting: str = "relative",
        available_minutes_per_fte: float | None = None,
        n_bootstrap: int = 200,
        confidence: float = 0.95,
        min_observations: int = 10,
        random_state: int | None = None,
        progress: bool = True,
        n_jobs: int | None = None,
    ) -> None:
        self.base = base
        self.method = method
        self.weighting = weighting
        self.available_minutes_per_fte = available_minutes_per_fte
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.min_observations = min_observations
        self.random_state = random_state
        self.progress = progress
        self.n_jobs = n_jobs

    # -- scikit-learn ---------------------------------------------------------------------

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.target_tags.positive_only = True
        tags.regressor_tags.poor_score = True
        return tags

    def fit(self, X: Any, y: Any, groups: Any = None) -> TimeStudy:
        """Estimate minutes per case and period.

        Parameters
        ----------
        X : DataFrame from :func:`features`, or array of case counts (n_rows, n_types)
        y : array-like
            ``"nnls"``: casework minutes per row. ``"ratio"``: minutes per row and load
            column (a DataFrame with the load column names, or an array in X's column order).
        groups : array-like, optional
            Worker of each row for the clustered bootstrap (default: X's ``worker_id``, or
            every row its own cluster).
        """
        self._check_params()
        base = resolve_scheme(self.base)
        d = design(self, X, reset=True)
        Y = self._targets(y, d.columns, len(d), target_rows(y, X, len(d)))
        set_groups(d, groups)
        seen = seen_columns(d.loads, d.columns, self.min_observations, "minutes per case")
        if not seen.any():
            raise DataError(
                "X has no cases at all: check that the caseload export covers the study periods"
            )
        if self.method == "nnls":
            check_collinear(
                d.loads[:, seen], [c for c, s in zip(d.columns, seen, strict=True) if s]
            )
        codes = None if d.groups is None else pd.factorize(pd.Series(d.groups, dtype=object))[0]
        coef = self._solve(d.loads, Y, seen, codes)
        self.coef_ = coef
        self.weights_ = pd.Series(
            coef[seen],
            index=pd.Index([c for c, s in zip(d.columns, seen, strict=True) if s]),
            name="minutes",
        )
        self._seen = seen
        self._base = base
        self._frame = d.frame
        total = Y if Y.ndim == 1 else Y.sum(axis=1)
        fitted = d.loads @ coef
        ss_res = float(((total - fitted) ** 2).sum())
        ss_tot = float(((total - total.mean()) ** 2).sum())
        self.stats_: dict[str, Any] = {
            "method": self.method,
            "r2": 1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan"),
            "rmse": float(np.sqrt(ss_res / len(total))),
            "n_observations": len(d),
            "n_workers": len(pd.unique(d.groups)) if d.groups is not None else len(d),
            "minutes": float(total.sum()),
        }
        zero = [c for c, w in self.weights_.items() if w == 0]
        if zero:
            warnings.warn(
                f"the weight of {', '.join(map(str, zero))} came out at 0 minutes: the log "
                "does not show time going to these cases. Check that their time was logged, "
                "or collect more periods with them.",
                CalibrationWarning,
                stacklevel=2,
            )

        names = list(self.weights_.index)
        if self.n_bootstrap > 0:

            def fit_once(rows: np.ndarray, new_groups: np.ndarray) -> np.ndarray:
                sub = None if codes is None else new_groups
                return self._solve(d.loads[rows], Y[rows], seen, sub)[seen]

            draws = cluster_bootstrap(
                fit_once,
                d.groups,
                len(d),
                int(self.n_bootstrap),
                self.random_state,
                progress=self.progress,
                n_jobs=self.n_jobs,
                desc="TimeStudy bootstrap",
            )
        else:
            draws = np.full((0, len(names)), np.nan)
        self.intervals_ = bootstrap_intervals(
            draws, names, self.weights_.to_numpy(), self.confidence
        )
        warn_imprecise(self.intervals_, names, d.loads[:, seen], self.confidence)
        return self

    def _check_params(self) -> None:
        if self.method not in _METHODS:
            raise ValueError(f"'method' must be one of {list(_METHODS)} (got {self.method!r})")
        if self.weighting not in _WEIGHTINGS:
            raise ValueError(
                f"'weighting' must be one of {list(_WEIGHTINGS)} (got {self.weighting!r})"
            )
        if not 0 < self.confidence < 1:
            raise ValueError(f"'confidence' must be in (0, 1) (got {self.confidence!r})")
        self._check_available(self.available_minutes_per_fte)

    def _targets(self, y: Any, columns: list[str], n: int, labels: np.ndarray | None) -> np.ndarray:
        if self.method == "ratio":
            if isinstance(y, pd.DataFrame):
                missing = [c for c in columns if c not in y.columns]
                if missing:
                    raise ColumnsError(
                        f"y (minutes per case type) lacks the column(s) {missing}; "
                        "give one column per load column of X"
                    )
                y = y[columns]
            Y = targets(y, n, "y (minutes per load column)", two_d=True)
            if Y.shape[1] != len(columns):
                raise ValueError(
                    f"y has {Y.shape[1]} columns but X has {len(columns)} load columns"
                )
        else:
            Y = targets(y, n, "y (minutes per row)")
        negative = (Y < 0) if Y.ndim == 1 else (Y < 0).any(axis=1)
        if negative.any():
            rows = np.flatnonzero(negative)
            total = Y if Y.ndim == 1 else np.where(Y < 0, Y, 0.0).min(axis=1)
            raise ValueError(
                f"logged minutes must be >= 0 (got {values_text(rows, total, labels)})"
            )
        return Y

    def _solve(
        self, loads: np.ndarray, Y: np.ndarray, seen: np.ndarray, codes: np.ndarray | None
    ) -> np.ndarray:
        coef = np.zeros(loads.shape[1])
        if self.method == "ratio":
            exposure = loads[:, seen].sum(axis=0)
            if (exposure <= 0).any():
                raise ValueError("a case type has no exposure in this sample")
            coef[seen] = Y[:, seen].sum(axis=0) / exposure
        elif self.weighting == "relative":
            coef[seen] = relative_gls(loads[:, seen], Y, codes)
        else:
            coef[seen] = nnls(loads[:, seen], Y, maxiter=50 * loads.shape[1] + 100)[0]
        return coef

    def predict(self, X: Any) -> np.ndarray:
        """Casework minutes per row of X implied by the weights."""
        check_is_fitted(self, "coef_")
        d = design(self, X, reset=False)
        return d.loads @ self.coef_

    # -- schemes and staffing ---------------------------------------------------------------

    @staticmethod
    def _check_available(value: Any) -> None:
        if value is not None and not (isinstance(value, int | float) and value > 0):
            raise ValueError(
                f"'available_minutes_per_fte' must be a number of minutes > 0 (got {value!r})"
            )

    def _available(self, value: float | None) -> float:
        value = self.available_minutes_per_fte if value is None else value
        if value is None:
            raise ValueError(
                "give available_minutes_per_fte: the casework minutes one full-time worker has "
                "per study period (e.g. 4 weeks x 40 h x 60 min x 0.6 for casework = 5760)"
            )
        self._check_available(value)
        return float(value)

    def scheme(
        self,
        available_minutes_per_fte: float | None = None,
        *,
        name: str | None = None,
        quality: Any = None,
    ) -> Scheme:
        """The calibrated Scheme: weights in minutes, ``P`` = available minutes per FTE.

        Parameters
        ----------
        available_minutes_per_fte : float, optional
            Overrides the constructor's value.
        name : str, optional
            Name of the new scheme (default: the base scheme's, or "calibrated").
        quality : Delphi, optional
            A fitted expert panel whose consensus values adjust the weights (see
            :meth:`Delphi.adjust`).
        """
        check_is_fitted(self, "coef_")
        available = self._available(available_minutes_per_fte)
        weights = self.weights_.copy()
        base = self._base
        from_base: list[str] = []
        if base is not None:
            # rows without data: the base's points, in minutes at the base's normal load
            per_point = available / base.capacity
            for w in base.weights:
                col = load_column(w.case_type, w.phase)
                if col not in weights.index:
                    weights[col] = w.weight * per_point
                    from_base.append(col)
        stats = dict(self.stats_)
        if quality is not None:
            adjusted = quality.adjust(weights)
            weights = adjusted["adjusted"]
            stats["quality_adjusted"] = [str(c) for c in adjusted.index[adjusted["changed"]]]
        if from_base:
            stats["weights_from_base"] = from_base
        stats["available_minutes_per_fte"] = available
        note = (
            f"Time study ({self.method}): weights are minutes per case and study period; "
            f"capacity is {available:g} casework minutes per full-time worker and period."
        )
        return make_scheme(
            base=base,
            weights=weights,
            capacity=available,
            method="time-study",
            note=note,
            statistics=stats,
            frame=self._frame,
            n_workers=self.stats_["n_workers"],
            n_observations=self.stats_["n_observations"],
            name=name,
        )

    @property
    def scheme_(self) -> Scheme:
        """The calibrated Scheme (needs ``available_minutes_per_fte``)."""
        return self.scheme()

    def staff_need(
        self,
        X: Any,
        available_minutes_per_fte: float | None = None,
        *,
        by: str | list[str] | None = None,
    ) -> pd.DataFrame:
        """Full-time equivalents a caseload needs: sum of (cases x weight) / available minutes.

        Parameters
        ----------
        X : DataFrame from :func:`features`, or array of case counts
        available_minutes_per_fte : float, optional
        by : str or list of str, optional
            Grouping columns of X; default ``["team_id", "period"]`` when X has them.

        Returns
        -------
        DataFrame
            ``minutes`` needed, ``need_fte``, the ``fte`` available (fte x (1 - reduction))
            and ``gap_fte`` = need - available, per group (per row for a plain matrix).
        """
        available = self._available(available_minutes_per_fte)
        minutes = self.predict(X)
        d = design(self, X, reset=False)
        frame = pd.DataFrame({"minutes": minutes, "fte": d.fte})
        if d.frame is None:
            out = frame
        else:
            keys = by if by is not None else [c for c in ("team_id", "period") if c in d.frame]
            keys = [keys] if isinstance(keys, str) else list(keys)
            for k in keys:
                frame[k] = d.frame[k].to_numpy()
            out = (
                frame.groupby(keys, sort=True, observed=True)[["minutes", "fte"]]
                .sum()
                .reset_index()
                if keys
                else frame[["minutes", "fte"]].sum().to_frame().T
            )
        out["need_fte"] = out["minutes"] / available
        out["gap_fte"] = out["need_fte"] - out["fte"]
        return out

    # -- from a raw time log ----------------------------------------------------------------

    @classmethod
    @no_identity_numbers
    def from_log(
        cls,
        log: pd.DataFrame,
        cases: pd.DataFrame,
        workers: pd.DataFrame,
        *,
        periods: Any,
        start: Any = None,
        end: Any = None,
        teams: pd.DataFrame | None = None,
        scheme: Scheme | str | None = None,
        method: str | None = None,
        **params: Any,
    ) -> TimeStudy:
        """Fit on a raw time log and the caseload export of the same window.

        Parameters
        ----------
        log : DataFrame
            One row per entry: ``worker_id``, ``minutes``, a ``period`` label or a ``date``,
            and optionally ``case_type`` and ``phase``. Rows without a case type are
            non-case time (administration, travel …) and are left out of the weights.
        cases, workers, teams, periods, start, end, scheme
            As for :func:`features`.
        method : {"ratio", "nnls"}, optional
            Default ``"ratio"`` when the log names case types, else ``"nnls"`` on totals.
        **params
            Other constructor parameters.

        Returns
        -------
        TimeStudy
            Fitted; ``features_`` holds the rows used, ``log_rejected_`` the log rows that
            were not used with their ``row`` (``source_row`` from arbetstyngd's readers, the
            row seen in the file with the header as row 1, else the index label) and
            ``reason`` (minutes not a number >= 0, no such worker, a date or period outside the
            study, a case type not in the scheme), and ``unattributed_minutes_`` the minutes
            without a case type.

        Raises
        ------
        DataError
            When fewer than two (worker, period) rows remain: the message counts the rejected
            rows by reason, with the first rows of each, names unknown worker ids with the
            closest ids of the workers table and dates outside the window;
            ``failures`` lists every rejected row.
        """
        missing = {"worker_id", "minutes"} - set(log.columns)
        if missing or not ({"period", "date"} & set(log.columns)):
            need = sorted(missing) + ([] if {"period", "date"} & set(log.columns) else ["period"])
            raise ColumnsError(
                f"the time log lacks column(s) {need}; it needs worker_id, minutes and a "
                "period (or date) per row, optionally case_type and phase"
            )
        X = features(
            cases, workers, periods=periods, start=start, end=end, teams=teams, scheme=scheme
        )
        has_types = "case_type" in log.columns and log["case_type"].notna().any()
        method = method or ("ratio" if has_types else "nnls")
        Xs, y, log_rejected, unattributed_minutes = log_rows(log, X, method, bool(has_types))
        est = cls(base=scheme, method=method, **params).fit(Xs, y)
        est.features_ = Xs
        est.log_rejected_ = log_rejected
        est.unattributed_minutes_ = unattributed_minutes
        if len(est.log_rejected_):
            warnings.warn(
                f"{len(est.log_rejected_)} time-log row(s) were not used; see log_rejected_ "
                "for each row's reason",
                CalibrationWarning,
                stacklevel=2,
            )
        return est

    # -- display ---------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        if not hasattr(self, "coef_"):
            return unfitted_html("TimeStudy")
        stats = self.stats_
        facts = {
            "method": stats["method"],
            "workers": stats["n_workers"],
            "rows": stats["n_observations"],
            "R²": stats["r2"],
        }
        table = self.intervals_[["estimate", "lower", "upper"]].rename(
            columns={"estimate": "minutes"}
        )
        return summary_html("TimeStudy: minutes per case and period", facts, table)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}
