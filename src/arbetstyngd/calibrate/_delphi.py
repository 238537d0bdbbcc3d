"""Expert panel (Delphi): rounds of estimates per case type → median, spread, consensus."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from .._contract.coerce import missing_text
from .._contract.problems import row_labels
from .._contract.suggest import Suggester
from ..errors import ColumnsError, DataError
from ..io import parse_numbers
from ..scheme import Scheme
from ._checks import no_identity_numbers, resolve_scheme, rows_text
from ._design import make_scheme
from ._display import summary_html, unfitted_html
from ._features import load_column

__all__ = ["Delphi"]

_KINDS = ("absolute", "factor")

#: Columns of a panel in long form: one row per estimate (``round`` and ``phase`` optional).
_LONG = ("expert", "round", "case_type", "phase", "estimate")
_REQUIRED = ("expert", "case_type", "estimate")
_FORMS = (
    "a Delphi panel is either long, one row per estimate with the columns expert, round, "
    "case_type, optional phase, estimate; or wide, one row per expert and one column of "
    "numbers per case type"
)


def _checked_table(X: pd.DataFrame) -> pd.DataFrame:
    """A panel table whose form is clear: long (the required columns) or wide (all numbers).

    A table in neither form (the usual cause is the wrong file) is an error naming the
    missing columns and the first value that is not a number, with its row.
    """
    table = X.drop(columns="source_row", errors="ignore")
    present = [str(c) for c in table.columns]
    if set(_LONG) & set(present):
        missing = [c for c in _REQUIRED if c not in present]
        if missing:
            hints = []
            for m in missing:
                close = Suggester(present).closest(m, n=1)
                hints.append(f"'{m}'" + (f" (is '{close[0]}' meant?)" if close else ""))
            raise ColumnsError(
                f"the panel table lacks the column(s) {', '.join(hints)} (it has {present}); "
                f"{_FORMS}"
            )
        return X
    labels = row_labels(X)
    for col in table.columns:
        _, bad = parse_numbers(table[col])
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ColumnsError(
                f"the panel table has none of the columns expert, case_type, estimate, so it "
                f"would be a wide table of numbers, but column '{col}' holds text (row "
                f"{labels[i]}: {_shown(table[col].iloc[i])}); {_FORMS}. Is it the right file? It "
                f"has the columns {present}"
            )
    # a wide table whose numbers arrived as text (decimal commas): hand over the numbers
    return table.apply(lambda c: pd.Series(parse_numbers(c)[0], index=c.index))


def _shown(value: Any) -> str:
    """A cell as a person would recognise it: text quoted, numbers plain."""
    value = value.item() if isinstance(value, np.generic) else value
    return repr(value) if isinstance(value, str) else str(value)


def _numbers(series: pd.Series, labels: np.ndarray, column: str, expected: str) -> np.ndarray:
    """A column as floats (decimal comma or point); text that is no number is an error."""
    values, bad = parse_numbers(series)
    _check_values(~bad, series, labels, column, expected)
    return values


def _check_values(
    ok: np.ndarray, series: pd.Series, labels: np.ndarray, column: str, expected: str
) -> None:
    """Raise naming the column, what it should hold and the first rows and values that do not."""
    bad = np.flatnonzero(~np.asarray(ok, dtype=bool))
    if len(bad):
        shown = ", ".join(f"row {labels[i]}: {_shown(series.iloc[i])}" for i in bad[:3])
        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        raise DataError(f"column '{column}' of the panel must hold {expected} (got {shown}{more})")


def _check_present(values: np.ndarray, labels: np.ndarray, column: str, what: str) -> None:
    """Raise when a row lacks a value that every row needs."""
    empty = np.flatnonzero(np.isnan(values))
    if len(empty):
        raise DataError(
            f"column '{column}' of the panel is empty on {len(empty)} row(s) "
            f"({rows_text(labels[empty])}); every estimate needs {what}"
        )


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
        if isinstance(X, pd.DataFrame):
            X = _checked_table(X)
        if isinstance(X, pd.DataFrame) and "estimate" in X.columns:
            validate_data(self, X, reset=True, skip_check_array=True)
            labels = row_labels(X)
            estimate = _numbers(X["estimate"], labels, "estimate", "numbers >= 0")
            _check_values(
                ~np.isinf(estimate), X["estimate"], labels, "estimate", "finite numbers >= 0"
            )
            rounds = np.ones(len(X))
            if "round" in X:
                rounds = _numbers(X["round"], labels, "round", "whole round numbers (1, 2, …)")
                _check_present(rounds, labels, "round", "its round number (1, 2, …)")
                whole = rounds == np.round(rounds)
                _check_values(whole, X["round"], labels, "round", "whole round numbers (1, 2, …)")
            for col in ("expert", "case_type"):
                _check_present(
                    np.where(missing_text(X[col]), np.nan, 0.0), labels, col, f"its {col}"
                )
            _check_values(
                ~(estimate < 0),
                X["estimate"],
                labels,
                "estimate",
                "numbers >= 0 (a weight or a quality factor cannot be negative)",
            )
            if self.kind == "factor":
                _check_values(
                    ~(estimate == 0),
                    X["estimate"],
                    labels,
                    "estimate",
                    "quality factors > 0 (1.0 = no change)",
                )
            out = pd.DataFrame(
                {
                    "expert": X["expert"].astype("string").str.strip().to_numpy(object),
                    "round": rounds,
                    "case_type": X["case_type"].astype("string").str.strip().to_numpy(object),
                    "phase": (
                        X["phase"].astype("string").str.strip().to_numpy(object)
                        if "phase" in X
                        else np.full(len(X), None, dtype=object)
                    ),
                    "estimate": estimate,
                    "row": labels,
                }
            )
            out = out[out["estimate"].notna()]
            out["phase"] = out["phase"].where(pd.notna(out["phase"]) & (out["phase"] != ""), None)
            twice = out.duplicated(["expert", "round", "case_type", "phase"], keep=False)
            if twice.any():
                raise DataError(
                    f"an expert gives more than one estimate for a case type in a round "
                    f"({rows_text(out.loc[twice, 'row'].to_numpy())}); keep one"
                )
            return out.drop(columns="row")
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

    @no_identity_numbers
    def fit(self, X: Any, y: Any = None) -> Delphi:
        """Summarise the panel.

        Parameters
        ----------
        X : DataFrame or array
            Long rows ``expert``, ``round`` (optional, default 1), ``case_type``, optional
            ``phase``, ``estimate``; or a matrix with one row per expert and one column per
            case type (a single round; NaN = no estimate). Numbers may use a decimal comma.
        y : ignored

        Raises
        ------
        ColumnsError
            When the table is in neither form: a long table missing ``expert``,
            ``case_type`` or ``estimate``, or a wide table with a column of text (the wrong
            file, usually).
        DataError
            When a value is unusable (an estimate or round that is not a number, a round
            that is not whole, a missing expert, case type or round, a negative estimate, two
            estimates of one expert for a case type in a round): the message names the
            column, what it must hold and the first rows and values, rows numbered as
            ``source_row`` (header = row 1) or the index label.
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
