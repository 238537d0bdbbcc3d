"""Calibration diagnostics: observed against predicted, estimated weights with intervals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..labels import check_lang, fmt_number, text
from ._common import axes_for, plain, set_title

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["predicted_vs_observed", "weights_with_intervals"]

_POINT_COLOUR = "#3b6ea5"


def predicted_vs_observed(
    y_true: Any,
    y_pred: Any,
    *,
    ax: Axes | None = None,
    lang: str = "sv",
    labels: Sequence[Any] | None = None,
) -> Axes:
    """Observed against predicted values with the identity line, R² and mean absolute error.

    Parameters
    ----------
    y_true, y_pred : array-like
        Same length; NaN pairs are left out.
    labels : sequence, optional
        A text per point (e.g. worker ids), written next to the points when there are few.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = predicted_vs_observed([1, 2, 3], [1.1, 1.9, 3.2], lang="en")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Predicted', 'Observed')
    """
    check_lang(lang)
    yt = np.asarray(y_true, dtype=float).ravel()
    yp = np.asarray(y_pred, dtype=float).ravel()
    if yt.shape != yp.shape:
        raise ValueError(
            f"'y_true' and 'y_pred' must have the same length (got {yt.size} and {yp.size})"
        )
    ok = np.isfinite(yt) & np.isfinite(yp)
    yt, yp = yt[ok], yp[ok]
    ax = axes_for(ax, 4.8, 4.5)
    ax.scatter(yp, yt, s=18, alpha=0.7, color=_POINT_COLOUR, edgecolor="white", lw=0.4)
    if yt.size:
        lo = float(min(yt.min(), yp.min()))
        hi = float(max(yt.max(), yp.max()))
        pad = 0.05 * (hi - lo or 1.0)
        ax.plot(
            [lo - pad, hi + pad],
            [lo - pad, hi + pad],
            color="#333333",
            lw=1,
            ls="--",
            label=text("plot.identity", lang),
        )
        ss_tot = float(((yt - yt.mean()) ** 2).sum())
        r2 = 1 - float(((yt - yp) ** 2).sum()) / ss_tot if ss_tot > 0 else np.nan
        mae = float(np.abs(yt - yp).mean())
        ax.set_title(
            f"R² = {fmt_number(r2, lang, 2)}, MAE = {fmt_number(mae, lang, 2)}, n = {yt.size}",
            fontsize=9,
            loc="left",
        )
    if labels is not None and yt.size <= 40:
        kept = np.asarray(list(labels), dtype=object)[ok]
        for xi, yi, li in zip(yp, yt, kept, strict=True):
            ax.annotate(plain(li), (xi, yi), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel(text("axis.predicted", lang))
    ax.set_ylabel(text("axis.observed", lang))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def weights_with_intervals(
    table: pd.DataFrame,
    *,
    reference: Mapping[Any, float] | pd.Series | None = None,
    labels: Mapping[Any, str] | None = None,
    ax: Axes | None = None,
    lang: str = "sv",
    title: str | bool = True,
) -> Axes:
    """Estimated weights per case type with their intervals, optionally against a reference.

    Parameters
    ----------
    table : DataFrame
        Columns ``weight``, ``lower`` and ``upper``; the case type is the index or a
        ``case_type`` column.
    reference : mapping or Series, optional
        Case type → weight to compare with (e.g. the scheme in use, or the truth of synthetic
        data), drawn as crosses.
    labels : mapping, optional
        Case type → display name (e.g. ``{t: scheme.label(t, "sv") for t in ...}``).
    title : str or bool, default True
        ``True``: "Estimated weights" in ``lang``; ``False``: no title.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"weight": [3.0, 10.0], "lower": [2.5, 8.0], "upper": [3.6, 12.5]},
    ...                  index=["forhandsbedomning", "utredning"])
    >>> ax = weights_with_intervals(t, reference={"utredning": 9.0}, lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['forhandsbedomning', 'utredning']
    """
    check_lang(lang)
    frame = table.set_index("case_type") if "case_type" in table.columns else table
    missing = {"weight", "lower", "upper"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"'table' needs columns weight, lower and upper (missing {sorted(missing)})"
        )
    w = frame["weight"].to_numpy(dtype=float)
    lo = frame["lower"].to_numpy(dtype=float)
    hi = frame["upper"].to_numpy(dtype=float)
    if np.any((lo > w) | (w > hi)):
        raise ValueError("each row of 'table' must satisfy lower <= weight <= upper")
    y = np.arange(len(frame))
    ax = axes_for(ax, 6.5, 0.35 * len(frame) + 1.3)
    ax.errorbar(
        w,
        y,
        xerr=np.vstack([w - lo, hi - w]),
        fmt="o",
        color=_POINT_COLOUR,
        ecolor="#7a9cc6",
        capsize=3,
        label=f"{text('plot.estimate', lang)} ({text('plot.interval', lang)})",
    )
    if reference is not None:
        ref = pd.Series(reference, dtype=float).reindex(frame.index)
        ax.scatter(
            ref.to_numpy(),
            y,
            marker="x",
            color="#c0392b",
            zorder=3,
            label=text("plot.reference", lang),
        )
    names = [plain((labels or {}).get(t, t)) for t in frame.index]
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel(text("axis.weight", lang))
    ax.set_xlim(left=0)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    set_title(ax, title, text("plot.title.weights", lang))
    return ax
