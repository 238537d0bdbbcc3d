"""Expert panel (Delphi): rounds of estimates per case type → median, spread, consensus."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from ..errors import ColumnsError, DataError
from ..scheme import Scheme
from ._checks import resolve_scheme
from ._design import make_scheme
from ._display import summary_html, unfitted_html
from ._features import load_column

__all__ = ["Delphi"]

_KINDS = ("absolute", "factor")


class Delphi(BaseEstimator):
    """Summarise a Delphi panel: per case type the median, interquartile range and consensus.

    Parameters
    ----------
    kind : {"absolute", "factor"}, default "absolute"
        ``"absolute"``: estimates are weights (points or minutes per case). ``"factor"``:
        estimates are quality adjustments of existing weights (1.2 = "needs 20 % more time
        to do the work well"), the sufficiency-of-time review of a time study.
    consensus : float, default 0.25
        Consensus when the final round's interquartile range is at most this share of the
        median (relative IQR).
    min_experts : int, default 3
        A case type with fewer final-round estimates never reaches consensus.

    Attributes
    ----------
    summary_ : DataFrame
        Per case type (and phase) and round: ``n``, ``median``, ``q1``, ``q3``, ``iqr``,
        ``relative_iqr``.
    consensus_ : DataFrame
        Per case type, from the final round: ``median``, ``iqr``, ``relative_iqr``,
        ``consensus`` (bool), ``narrowing`` (final IQR / first-round IQR), ``rounds``, ``n``.
    n_experts_, n_rounds_ : int

    Examples
    --------
    >>> import pandas as pd
    >>> from arbetstyngd.calibrate import Delphi
    >>> panel = pd.DataFrame({
    ...     "expert": ["a", "b", "c", "a", "b", "c"],
    ...     "round": [1, 1, 1, 2, 2, 2],
    ...     "case_type": ["utredning"] * 6,
    ...     "estimate": [8.0, 12.0, 15.0, 10.0, 11.0, 12.0],
    ... })
    >>> d = Delphi().fit(panel)
    >>> row = d.consensus_.loc["utredning"]
    >>> float(row["median"]), bool(row["consensus"]), round(float(row["narrowing"]), 2)
    (11.0, True, 0.29)
    """

    def __init__(self, kind: str = "absolute", consensus: float = 0.25, min_experts: int = 3):
        self.kind = kind
        self.consensus = consensus
        self.min_experts = min_experts

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.positive_only = True
        tags.target_tags.required = False
        return tags

    def _long(self, X: Any) -> pd.DataFrame:
        """The panel as long rows (expert, round, case_type, phase, estimate)."""
        if isinstance(X, pd.DataFrame) and {"case_type", "estimate"} <= set(X.columns):
            validate_data(self, X, reset=True, skip_check_array=True)
            if "expert" not in X.columns:
                raise ColumnsError("the panel table needs an 'expert' column")
            out = pd.DataFrame(
                {
                    "expert": X["expert"].to_numpy(dtype=object),
                    "round": (
                        pd.to_numeric(X["round"], errors="coerce").to_numpy()
                        if "round" in X
                        else np.ones(len(X))
                    ),
                    "case_type": X["case_type"].astype("string").str.strip().to_numpy(object),
                    "phase": (
                        X["phase"].astype("string").str.strip().to_numpy(object)
                        if "phase" in X
                        else np.full(len(X), None, dtype=object)
                    ),
                    "estimate": pd.to_numeric(X["estimate"], errors="coerce").to_numpy(),
                }
            )
            bad = np.isnan(out["round"].to_numpy(dtype=float))
            if bad.any():
                raise DataError(f"{int(bad.sum())} panel row(s) have no round number")
            bad_est = out["estimate"].isna() & X["estimate"].notna().to_numpy()
            if bad_est.any():
                raise DataError(
                    f"{int(bad_est.sum())} estimate(s) are not numbers (first: "
                    f"{X['estimate'][bad_est.to_numpy()].iloc[0]!r})"
                )
            out = out[out["estimate"].notna()]
            out["phase"] = out["phase"].where(pd.notna(out["phase"]), None)
            if out.duplicated(["expert", "round", "case_type", "phase"]).any():
                raise DataError(
                    "an expert gives more than one estimate for a case type in a round; keep one"
                )
            return out
        # a plain matrix: rows are experts, columns case types, one round
        arr = validate_data(self, X, reset=True, dtype=np.float64, ensure_all_finite="allow-nan")
        names = getattr(self, "feature_names_in_", None)
        cols = (
            [str(c) for c in names] if names is not None else [f"x{i}" for i in range(arr.shape[1])]
        )
        experts, types = np.nonzero(~np.isnan(arr))
        return pd.DataFrame(
            {
                "expert": experts,
                "round": np.ones(len(experts)),
                "case_type": np.asarray(cols, dtype=object)[types],
                "phase": np.full(len(experts), None, dtype=object),
                "estimate": arr[experts, types],
            }
        )

    def fit(self, X: Any, y: Any = None) -> Delphi:
        """Summarise the panel.

        Parameters
        ----------
        X : DataFrame or array
            Long rows ``expert``, ``round`` (optional, default 1), ``case_type``, optional
            ``phase``, ``estimate``; or a matrix with one row per expert and one column per
            case type (a single round; NaN = no estimate).
        y : ignored
        """
        if self.kind not in _KINDS:
            raise ValueError(f"'kind' must be one of {list(_KINDS)} (got {self.kind!r})")
        if not self.consensus > 0:
            raise ValueError(f"'consensus' must be > 0 (got {self.consensus!r})")
        panel = self._long(X)
        if not len(panel):
            raise DataError("the panel has no estimates")
        if (panel["estimate"] < 0).any():
            raise DataError(
                "Negative values in data passed to Delphi: estimates must be >= 0 "
                "(a weight or a quality factor cannot be negative)"
            )
        if self.kind == "factor" and (panel["estimate"] == 0).any():
            raise DataError("quality factors must be > 0 (1.0 = no change)")
        key = panel["case_type"].astype(str) + panel["phase"].map(
            lambda p: "" if p is None or pd.isna(p) else f"/{p}"
        )
        panel = panel.assign(key=key.to_numpy())
        grouped = panel.groupby(["key", "round"], sort=True)["estimate"]
        summary = grouped.agg(
            n="size",
            median="median",
            q1=lambda v: v.quantile(0.25),
            q3=lambda v: v.quantile(0.75),
        )
        summary["iqr"] = summary["q3"] - summary["q1"]
        with np.errstate(divide="ignore", invalid="ignore"):
            summary["relative_iqr"] = np.where(
                summary["median"] > 0, summary["iqr"] / summary["median"], np.inf
            )
        self.summary_ = summary.reset_index().rename(columns={"key": "case_type"})
        first = summary.groupby(level="key").head(1).droplevel("round")
        last = summary.groupby(level="key").tail(1).droplevel("round")
        rounds = summary.groupby(level="key").size()
        out = last[["n", "median", "iqr", "relative_iqr"]].copy()
        out["consensus"] = (out["relative_iqr"] <= self.consensus) & (out["n"] >= self.min_experts)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["narrowing"] = np.where(first["iqr"] > 0, out["iqr"] / first["iqr"], np.nan)
        out["rounds"] = rounds
        out.index.name = "case_type"
        self.consensus_ = out
        self.n_experts_ = int(panel["expert"].nunique())
        self.n_rounds_ = int(panel["round"].nunique())
        self._panel_rows = len(panel)
        return self

    def _column_of(self, key: str) -> str:
        t, _, p = key.partition("/")
        return load_column(t, p or None)

    def adjust(self, weights: pd.Series, *, only_consensus: bool = True) -> pd.DataFrame:
        """Use the panel as quality adjustments of weights from a time study (or elsewhere).

        Parameters
        ----------
        weights : Series
            Weights indexed by case type or by load column (``cases:<type>[/<phase>]``).
        only_consensus : bool, default True
            Change only case types on which the panel reached consensus.

        Returns
        -------
        DataFrame
            ``weight`` (as given), ``panel`` (the panel's median), ``adjusted``, ``changed``;
            ``"factor"`` panels multiply, ``"absolute"`` panels replace.
        """
        check_is_fitted(self, "consensus_")
        table = self.consensus_
        usable = table[table["consensus"]] if only_consensus else table
        by_column = {self._column_of(k): v for k, v in usable["median"].items()}
        by_type = dict(usable["median"].items())
        index = [str(i) for i in weights.index]
        panel = pd.Series(
            [by_column.get(i, by_type.get(i, np.nan)) for i in index],
            index=weights.index,
            dtype=float,
        )
        given = weights.astype(float)
        if self.kind == "factor":
            adjusted = given * panel.fillna(1.0)
        else:
            adjusted = panel.where(panel.notna(), given)
        return pd.DataFrame(
            {"weight": given, "panel": panel, "adjusted": adjusted, "changed": panel.notna()}
        )

    def scheme(
        self,
        capacity: float | None = None,
        *,
        base: Scheme | str | None = None,
        name: str | None = None,
        only_consensus: bool = False,
    ) -> Scheme:
        """A Scheme whose weights are the final-round medians.

        Parameters
        ----------
        capacity : float, optional
            ``P`` in the panel's unit; default the base scheme's.
        base : Scheme or str, optional
            Keeps its names, multipliers, adjustments, bands and the weights the panel did not
            estimate.
        only_consensus : bool, default False
            Use only case types with consensus (the others keep the base's weight).
        """
        check_is_fitted(self, "consensus_")
        if self.kind != "absolute":
            raise ValueError(
                "a panel of quality factors has no weights of its own; use adjust() on "
                "time-study weights (TimeStudy.scheme(quality=panel))"
            )
        base_scheme = resolve_scheme(base)
        if capacity is None:
            if base_scheme is None:
                raise ValueError("give capacity= (the normal load P) or a base scheme")
            capacity = base_scheme.capacity
        table = self.consensus_
        used = table[table["consensus"]] if only_consensus else table
        weights = pd.Series(
            used["median"].to_numpy(), index=[self._column_of(k) for k in used.index]
        )
        if not table["consensus"].all():
            lacking = [str(k) for k in table.index[~table["consensus"]]]
        else:
            lacking = []
        stats: dict[str, Any] = {
            "n_experts": self.n_experts_,
            "n_rounds": self.n_rounds_,
            "consensus_threshold": float(self.consensus),
            "case_types_with_consensus": int(table["consensus"].sum()),
        }
        if lacking:
            stats["no_consensus"] = lacking
        return make_scheme(
            base=base_scheme,
            weights=weights,
            capacity=float(capacity),
            method="delphi",
            note=(
                f"Delphi panel of {self.n_experts_} experts over {self.n_rounds_} round(s); "
                "weights are final-round medians."
            ),
            statistics=stats,
            frame=None,
            n_workers=self.n_experts_,
            n_observations=self._panel_rows,
            name=name,
        )

    def _repr_html_(self) -> str:
        if not hasattr(self, "consensus_"):
            return unfitted_html("Delphi")
        facts = {
            "experts": self.n_experts_,
            "rounds": self.n_rounds_,
            "consensus": f"{int(self.consensus_['consensus'].sum())}/{len(self.consensus_)}",
        }
        table = pd.DataFrame(
            self.consensus_[["median", "iqr", "relative_iqr", "consensus", "narrowing"]]
        )
        return summary_html(f"Delphi panel ({self.kind})", facts, table)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}
