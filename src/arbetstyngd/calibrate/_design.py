"""Reading X (a features table or a plain matrix) into the arrays the estimators fit on."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.validation import check_array, validate_data
from threadpoolctl import threadpool_limits

from ..errors import ColumnsError, DataError
from ..scheme import Provenance, Scheme, Weight
from ._checks import CalibrationWarning, plain_float, today
from ._features import CAPACITY_COLUMNS, ID_COLUMNS, LOAD_PREFIX, parse_load_column

__all__ = [
    "Design",
    "design",
    "make_scheme",
    "partial_demean",
    "seen_columns",
    "set_groups",
    "variance_components",
]


class Design:
    """The parts of X one estimator uses, as numpy arrays."""

    def __init__(
        self,
        loads: np.ndarray,
        columns: list[str],
        fte: np.ndarray,
        covariates: dict[str, np.ndarray],
        groups: np.ndarray | None,
        teams: np.ndarray | None,
        periods: np.ndarray | None,
        frame: pd.DataFrame | None,
    ) -> None:
        self.loads = loads
        self.columns = columns
        self.fte = fte
        self.covariates = covariates
        self.groups = groups
        self.teams = teams
        self.periods = periods
        self.frame = frame

    def __len__(self) -> int:
        return len(self.loads)


def _structured(X: Any) -> bool:
    return isinstance(X, pd.DataFrame) and any(
        isinstance(c, str) and c.startswith(LOAD_PREFIX) for c in X.columns
    )


def design(estimator: Any, X: Any, *, reset: bool) -> Design:
    """Split X into loads, effective fte, covariates and groups.

    A table from :func:`features` is read by its column names. Anything else (a numpy array,
    a table without ``cases:`` columns) is a plain matrix of case counts, one column per
    case type, for full-time workers with no covariates and no worker ids.
    """
    if not _structured(X):
        _not_case_counts(X)
        arr = validate_data(
            estimator, X, reset=reset, dtype=np.float64, ensure_min_samples=2 if reset else 1
        )
        _non_negative(arr, [f"x{i}" for i in range(arr.shape[1])])
        names = getattr(estimator, "feature_names_in_", None)
        columns = (
            [str(c) for c in names] if names is not None else [f"x{i}" for i in range(arr.shape[1])]
        )
        return Design(arr, columns, np.ones(len(arr)), {}, None, None, None, None)

    validate_data(estimator, X, reset=reset, skip_check_array=True)
    frame: pd.DataFrame = X
    columns = [c for c in frame.columns if isinstance(c, str) and c.startswith(LOAD_PREFIX)]
    if reset and len(frame) < 2:
        raise ValueError(f"Found array with {len(frame)} sample(s); at least 2 are required")
    loads = check_array(
        frame[columns].to_numpy(dtype=float, na_value=np.nan), dtype=np.float64, copy=True
    )
    _non_negative(loads, columns)
    fte = _number_column(frame, "fte", 1.0)
    reduction = _number_column(frame, "reduction", 0.0)
    if ((fte <= 0) | (reduction < 0) | (reduction >= 1)).any():
        raise DataError(
            "'fte' must be > 0 and 'reduction' in [0, 1) on every row of X "
            f"(got fte from {fte.min():g}, reduction up to {reduction.max():g})"
        )
    skip = {*ID_COLUMNS, *CAPACITY_COLUMNS, *columns}
    covariates = {
        str(c): frame[c].to_numpy(dtype=float, na_value=np.nan)
        for c in frame.columns
        if c not in skip and pd.api.types.is_numeric_dtype(frame[c].dtype)
    }
    return Design(
        loads=loads,
        columns=columns,
        fte=fte * (1.0 - reduction),
        covariates=covariates,
        groups=frame["worker_id"].to_numpy(dtype=object) if "worker_id" in frame else None,
        teams=frame["team_id"].to_numpy(dtype=object) if "team_id" in frame else None,
        periods=frame["period"].to_numpy(dtype=object) if "period" in frame else None,
        frame=frame,
    )


def set_groups(d: Design, groups: Any) -> None:
    """Give ``d`` the worker of each row from ``groups`` (when given) instead of X's."""
    if groups is None:
        return
    groups = np.asarray(groups, dtype=object)
    if len(groups) != len(d):
        raise ValueError(f"groups has {len(groups)} values for {len(d)} rows of X")
    d.groups = groups


def _not_case_counts(X: Any) -> None:
    """Refuse a table with capacity or id columns but no ``cases:`` column.

    Read as a plain matrix, its ``fte`` (or ids, periods) would become a case type.
    """
    if not isinstance(X, pd.DataFrame):
        return
    named = [c for c in (*ID_COLUMNS, *CAPACITY_COLUMNS) if c in X.columns]
    if named:
        listed = ", ".join(f"'{c}'" for c in named)
        raise ColumnsError(
            f"X has {listed} but no 'cases:' column: a features table names its case counts "
            f"'{LOAD_PREFIX}<case_type>' (build it with at.calibrate.features), and a plain "
            f"matrix holds case counts only, so {listed} would be read as case types. Rename "
            f"the case-count columns to '{LOAD_PREFIX}<case_type>', or leave {listed} out"
        )


def _number_column(frame: pd.DataFrame, name: str, default: float) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), default)
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(values).any():
        raise DataError(f"'{name}' must be a number on every row of X (it is missing on some)")
    return values


def _non_negative(values: np.ndarray, columns: list[str]) -> None:
    if values.size and values.min() < 0:
        col = columns[int(np.argmin(values.min(axis=0)))]
        raise ValueError(
            f"Negative values in data passed to X: case counts must be >= 0 "
            f"(got {values.min():g} in column '{col}'); "
            "build X with at.calibrate.features"
        )


def targets(y: Any, n: int, name: str, *, two_d: bool = False) -> np.ndarray:
    """y as float, finite, with one value (row) per row of X."""
    if y is None:
        raise ValueError(f"requires y to be passed, but the target y is None ({name})")
    arr = check_array(
        y.to_numpy(dtype=float) if isinstance(y, pd.DataFrame | pd.Series) else y,
        ensure_2d=False,
        dtype=np.float64,
        input_name="y",
    )
    if two_d:
        if arr.ndim != 2:
            raise ValueError(f"{name} must be 2-D: one column per case-type column of X")
    else:
        if arr.ndim == 2 and arr.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected; ravelled",
                DataConversionWarning,
                stacklevel=3,
            )
            arr = arr.ravel()
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D: one value per row of X (got {arr.shape})")
    if arr.shape[0] != n:
        raise ValueError(
            f"X has {n} rows but y has {arr.shape[0]}: give one y per (worker, period)"
        )
    return arr


def seen_columns(
    loads: np.ndarray, columns: list[str], min_observations: int, what: str
) -> np.ndarray:
    """Columns with any exposure; warn about never-seen and thin ones, saying what to collect."""
    rows_with = (loads > 0).sum(axis=0)
    seen = rows_with > 0
    never = [c for c, s in zip(columns, seen, strict=True) if not s]
    if never:
        warnings.warn(
            f"{len(never)} case-type column(s) have no cases in the study data, so their "
            f"{what} cannot be estimated: {', '.join(never)}. They keep the base scheme's value "
            "where it has one and are left out otherwise; collect periods where these case "
            "types occur to calibrate them.",
            CalibrationWarning,
            stacklevel=3,
        )
    thin = [
        f"{c} ({int(k)})"
        for c, k in zip(columns, rows_with, strict=True)
        if 0 < k < min_observations
    ]
    if thin:
        warnings.warn(
            f"few (worker, period) rows have cases of: {', '.join(thin)}; their {what} rest on "
            f"fewer than {min_observations} observations and are uncertain (see intervals_). "
            "Collect more periods or include more workers who handle these case types.",
            CalibrationWarning,
            stacklevel=3,
        )
    return seen


def _constant_columns(matrix: np.ndarray, columns: list[str], per_fte: bool) -> None:
    """Raise when a column has the same value on every row: the intercept already is that."""
    if not len(matrix):
        return
    spread = matrix.max(axis=0) - matrix.min(axis=0)
    const = np.flatnonzero(spread <= 1e-12 * np.maximum(np.abs(matrix).max(axis=0), 1.0))
    if not len(const):
        return
    what = "per full-time worker " if per_fte else ""
    if len(const) == 1:
        j = int(const[0])
        head = (
            f"the case-type column '{columns[j]}' has the same value ({matrix[0, j]:g}) "
            f"{what}on every row"
        )
    else:
        listed = ", ".join(f"'{columns[j]}' ({matrix[0, j]:g})" for j in const)
        head = f"the case-type columns {listed} each have the same value {what}on every row"
    raise DataError(
        f"{head}, so its weight cannot be told apart from the intercept (the rating at no "
        "load) and the fit would be meaningless. Leave such columns out of X: X holds only "
        "case counts that vary between (worker, period) rows (build it with "
        "at.calibrate.features)"
    )


def check_collinear(
    matrix: np.ndarray, columns: list[str], *, intercept: bool = False, per_fte: bool = False
) -> None:
    """Raise when some case-type columns are linear combinations of others.

    With ``intercept=True`` (a model with a constant term) a constant column, or columns that
    add up to a constant, are not identified either; ``per_fte`` says that the columns are
    cases per full-time worker (for the message).
    """
    if matrix.shape[1] == 0:
        return
    if intercept:
        _constant_columns(matrix, columns, per_fte)
        matrix = np.column_stack([np.ones(len(matrix)), matrix])
        columns = ["the intercept", *columns]
    norms = np.linalg.norm(matrix, axis=0)
    scaled = matrix / np.where(norms > 0, norms, 1.0)
    # a thin matrix: BLAS threads only add contention (seconds on a busy machine)
    with threadpool_limits(limits=1, user_api="blas"):
        _, sv, vt = np.linalg.svd(scaled, full_matrices=False)
    tol = sv.max() * max(scaled.shape) * 1e-10 if sv.size else 0.0
    null = vt[sv <= tol] if sv.size else np.zeros((0, matrix.shape[1]))
    rank_short = matrix.shape[1] - int((sv > tol).sum())
    if rank_short > 0:
        involved = np.abs(null).max(axis=0) > 1e-6 if len(null) else np.ones(matrix.shape[1], bool)
        names = [c for c, k in zip(columns, involved, strict=True) if k]
        n_cols = matrix.shape[1] - int(intercept)
        with_intercept = intercept and bool(involved[0])
        if with_intercept:
            names = [*names[1:], names[0]]
        if matrix.shape[0] < matrix.shape[1]:
            detail = f"only {matrix.shape[0]} rows for {n_cols} case-type columns"
        elif with_intercept:
            detail = "together their counts are the same on every (worker, period)"
        else:
            detail = "their counts move in lockstep across every (worker, period)"
        listed = f"{', '.join(names[:-1])} and {names[-1]}" if with_intercept else ", ".join(names)
        raise DataError(
            f"the case-type columns {listed} cannot be told apart ({detail}), so "
            "their separate weights are not identified. Give them one weight (map them to one "
            "case type), or collect more periods and workers in which their mix varies."
        )


def base_weight(base: Scheme | None, column: str) -> float:
    """The base scheme's weight for a load column (``nan`` if it has none)."""
    if base is None or not column.startswith(LOAD_PREFIX):
        return np.nan
    t, p = parse_load_column(column)
    return base.weight_of(t, p)


def study_window(frame: pd.DataFrame | None) -> tuple[Any, Any]:
    if frame is None or "start" not in frame or "end" not in frame:
        return None, None
    return (
        pd.Timestamp(frame["start"].min()).date(),
        pd.Timestamp(frame["end"].max()).date(),
    )


def _statistic(value: Any) -> Any:
    """A provenance statistic as TOML keeps it: a number, text, or a list of them."""
    if isinstance(value, float | np.floating):
        return plain_float(value)
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if isinstance(value, list | tuple | np.ndarray):
        return [_statistic(v) for v in value]
    return value


def make_scheme(
    *,
    base: Scheme | None,
    weights: pd.Series,
    capacity: float,
    method: str,
    note: str,
    statistics: dict[str, Any],
    frame: pd.DataFrame | None,
    n_workers: int,
    n_observations: int,
    adjustments: Any = None,
    name: str | None = None,
) -> Scheme:
    """A Scheme from calibrated weights (indexed by load column) with full provenance."""
    created = today()
    p_start, p_end = study_window(frame)
    stats = {
        k: _statistic(v)
        for k, v in statistics.items()
        if v is not None and not (isinstance(v, float | np.floating) and not np.isfinite(v))
    }
    provenance = Provenance(
        method=method,
        note=note,
        created=created,
        period_start=p_start,
        period_end=p_end,
        n_workers=n_workers,
        n_observations=n_observations,
        statistics=stats,
    )
    new: dict[tuple[str, str | None], float] = {}
    for column, value in weights.items():
        col = str(column)
        key = parse_load_column(col) if col.startswith(LOAD_PREFIX) else (col, None)
        new[key] = plain_float(value)
    rows: list[Weight] = []
    if base is not None:
        for w in base.weights:
            value = new.pop((w.case_type, w.phase), None)
            rows.append(w if value is None else Weight(w.case_type, value, w.phase, w.label))
    rows += [Weight(t, v, p) for (t, p), v in new.items()]
    if base is None:
        return Scheme(
            name=name or "calibrated",
            version=f"{created:%Y.%m.%d}-{method}",
            capacity=plain_float(capacity),
            weights=rows,
            adjustments=adjustments or (),
            description=f"Calibrated by {method} on {created:%Y-%m-%d}.",
            provenance=provenance,
        )
    return base.evolve(
        name=name or base.name,
        version=f"{base.version}+{method}.{created:%Y%m%d}",
        capacity=plain_float(capacity),
        weights=rows,
        adjustments=base.adjustments if adjustments is None else adjustments,
        description=f"{base.name} calibrated by {method} on {created:%Y-%m-%d}.",
        effective_date=None,
        provenance=provenance,
    )


def variance_components(resid: np.ndarray, codes: np.ndarray) -> tuple[float, float]:
    """One-way ANOVA (method of moments) estimates of the within- and between-worker variances."""
    counts = np.bincount(codes).astype(float)
    n, g = len(resid), len(counts)
    if g < 2 or n <= g:
        return float(resid.var()), 0.0
    means = np.bincount(codes, weights=resid) / counts
    msw = float(((resid - means[codes]) ** 2).sum() / (n - g))
    grand = resid.mean()
    msb = float((counts * (means - grand) ** 2).sum() / (g - 1))
    n0 = (n - (counts**2).sum() / n) / (g - 1)
    return msw, max(0.0, (msb - msw) / n0)


def partial_demean(v: np.ndarray, codes: np.ndarray, lam: float) -> np.ndarray:
    """Columns of ``v`` with ``1 - sqrt(lam / (n_i + lam))`` of each worker's mean removed.

    Least squares on data transformed this way is generalised least squares under a
    per-worker random effect whose variance is ``1 / lam`` of the row noise variance (the
    classic random-effects transformation): ``lam = inf`` is ordinary least squares,
    ``lam = 0`` the within-worker (fixed-effects) fit.
    """
    counts = np.bincount(codes).astype(float)
    if not np.isfinite(lam):
        return v
    shrink = 1.0 - np.sqrt(lam / (counts + lam))
    means = (
        np.stack(
            [np.bincount(codes, weights=v[:, j], minlength=len(counts)) for j in range(v.shape[1])],
            axis=1,
        )
        / counts[:, None]
    )
    return v - (shrink[:, None] * means)[codes]


#: Relative half-width of a weight's interval above which the fit warns that it is imprecise.
PRECISION = 0.25


def warn_imprecise(
    intervals: pd.DataFrame, columns: list[str], loads: np.ndarray, confidence: float
) -> None:
    """Warn about weights whose interval is wider than ``PRECISION`` of the estimate.

    The message names each weight with its interval, the number of (worker, period) rows
    with such cases, and how many times as many rows would bring it to within ``PRECISION``
    (precision grows with the square root of the data), so the analyst knows what to collect
    instead of reading a precise-looking number.
    """
    rows_with = (loads > 0).sum(axis=0)
    weak = []
    for j, col in enumerate(columns):
        if col not in intervals.index:
            continue
        est, lo, hi = intervals.loc[col, ["estimate", "lower", "upper"]].to_numpy(dtype=float)
        if not (np.isfinite(lo) and np.isfinite(hi)) or est <= 0:
            continue
        half = (hi - lo) / 2.0 / est
        if half > PRECISION:
            more = int(np.ceil((half / PRECISION) ** 2))
            weak.append(
                f"{col} ({est:.3g}, interval {lo:.3g}-{hi:.3g}, ±{half:.0%}, from "
                f"{int(rows_with[j])} rows: about {more}x as many needed)"
            )
    if weak:
        warnings.warn(
            f"{len(weak)} weight(s) are imprecise, their {confidence:.0%} interval reaching "
            f"more than ±{PRECISION:.0%} of the estimate: {'; '.join(weak)}. Collect more "
            "periods or include more workers (teams) who handle these case types, in "
            "different mixes; or merge a rare type with a similar one.",
            CalibrationWarning,
            stacklevel=3,
        )
