"""Utilisation over time: one line per team or worker, the band thresholds named."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..labels import check_lang, team_label, team_name_map, text
from ..scheme import Bands, Scheme
from ._common import (
    axes_for,
    date_axis,
    line_colours,
    percent_axis,
    plain,
    scheme_bands,
    set_title,
    shade_bands,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["timeline"]

#: Above this many lines a legend stops helping: the lines turn grey and the highest few are
#: named at their right end instead.
MAX_LEGEND = 20
#: Lines named directly when there are too many for a legend.
N_DIRECT = 5


def _ratio_by_date(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Utilisation per group (columns) and date (rows): the ratio of sums, whatever the level."""
    summed = frame.groupby([by, "date"], sort=True, observed=True)[["load", "capacity"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        u = summed["load"] / summed["capacity"].where(summed["capacity"] > 0)
    return u.rename("u").unstack(level=0)


def spread(values: Sequence[float], gap: float) -> list[float]:
    """Label heights at least ``gap`` apart, each as near its own value as the order allows.

    Examples
    --------
    >>> spread([1.0, 1.01, 1.02, 2.0], 0.1)
    [0.91, 1.01, 1.11, 2.0]
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [float(values[i]) for i in order]
    for k in range(1, len(placed)):  # push up whatever is too close to the one below
        placed[k] = max(placed[k], placed[k - 1] + gap)
    # then centre each crowded run on its values, so the labels sit beside their lines
    start = 0
    while start < len(placed):
        end = start
        while end + 1 < len(placed) and placed[end + 1] - placed[end] <= gap + 1e-12:
            end += 1
        wanted = sum(float(values[i]) for i in order[start : end + 1]) / (end - start + 1)
        shift = wanted - sum(placed[start : end + 1]) / (end - start + 1)
        if start > 0:
            shift = max(shift, placed[start - 1] + gap - placed[start])
        placed[start : end + 1] = [round(v + shift, 10) for v in placed[start : end + 1]]
        start = end + 1
    out = [0.0] * len(values)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def _direct_labels(ax: Axes, wide: pd.DataFrame, labels: Sequence[str], gap: float) -> None:
    """Grey lines, the ``N_DIRECT`` highest at the last date coloured and named at their end."""
    last = wide.ffill().iloc[-1] if len(wide) else pd.Series(dtype=float)
    highest = list(last.sort_values(ascending=False).index[:N_DIRECT])
    colours = dict(zip(highest, line_colours(len(highest)), strict=True))
    heights = dict(zip(highest, spread([float(last[c]) for c in highest], gap), strict=True))
    for col, label in zip(wide.columns, labels, strict=True):
        if col in colours:
            colour, style = colours[col]
            ax.plot(wide.index, wide[col], lw=1.6, color=colour, ls=style, label=label)
            ax.annotate(
                label,
                (wide.index[-1], float(last[col])),
                xytext=(wide.index[-1], heights[col]),
                textcoords="data",
                va="center",
                fontsize=7,
                color=colour,
                annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6},
            )
        else:
            ax.plot(wide.index, wide[col], lw=0.8, color="#9aa3ad", alpha=0.6, label=f"_{label}")


def timeline(
    frame: pd.DataFrame,
    by: Literal["team_id", "worker_id"] = "team_id",
    *,
    scheme: Scheme | Bands | None = None,
    groups: Sequence[Any] | None = None,
    ax: Axes | None = None,
    lang: str = "sv",
    team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
    legend: bool | None = None,
    title: str | bool = True,
) -> Axes:
    """Utilisation over time, one line per team or worker, with the balanced band shaded.

    Up to 20 lines each gets its own colour and style and a legend; beyond that the lines are
    grey and the five highest at the last date are coloured and named at their end. The
    normal load, "high" and "critical" lines are named on the chart.

    Parameters
    ----------
    frame : DataFrame
        From :func:`arbetstyngd.timeline` (worker or team level). With ``by="team_id"`` a
        worker-level frame is summed per team and date first (ratio of sums).
    by : {"team_id", "worker_id"}
    scheme : Scheme or Bands, optional
        For the band thresholds (default thresholds when omitted).
    groups : sequence, optional
        Only these teams or workers.
    team_names : mapping or DataFrame, optional
        ``team_id`` → name for the legend (``by="team_id"``).
    legend : bool, optional
        Default: a legend when there are at most 20 lines.
    title : str or bool, default True
        ``True``: "Utilisation over time" in ``lang``; ``False``: no title.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=3)
    >>> tl = at.timeline(town.cases, town.workers, town.scheme, start="2026-01-04",
    ...                  end="2026-03-29")
    >>> len(timeline(tl, scheme=town.scheme).get_lines()) >= 2
    True
    """
    check_lang(lang)
    if by not in ("team_id", "worker_id"):
        raise ValueError(f"'by' must be 'team_id' or 'worker_id' (got {by!r})")
    missing = {"date", by, "load", "capacity"} - set(frame.columns)
    if missing:
        raise ValueError(f"the timeline frame lacks column(s) {sorted(missing)}")
    data = frame if groups is None else frame[frame[by].isin(list(groups))]
    wide = _ratio_by_date(data, by)
    names = team_name_map(team_names)
    labels = [
        plain(team_label(col, names)) if by == "team_id" else plain(col) for col in wide.columns
    ]
    ax = axes_for(ax, 8.0, 3.6)
    bands = scheme_bands(scheme)
    shade_bands(ax, bands, lang, axis="y")
    many = wide.shape[1] > MAX_LEGEND
    finite = wide.size and np.isfinite(wide.to_numpy()).any()
    top = max(float(np.nanmax(wide.to_numpy())) if finite else 1.0, bands.critical) * 1.1
    if many:
        _direct_labels(ax, wide, labels, gap=0.045 * top)
    else:
        styles = line_colours(wide.shape[1])
        for col, label, (colour, style) in zip(wide.columns, labels, styles, strict=True):
            ax.plot(wide.index, wide[col], lw=1.6, color=colour, ls=style, label=label)
    percent_axis(ax, lang, "y")
    ax.set_ylabel(text("axis.utilisation", lang))
    ax.set_ylim(0, top)
    date_axis(ax, wide.index, lang)
    if legend if legend is not None else not many:
        ax.legend(
            fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            ncol=1 if wide.shape[1] <= 12 else 2,
        )
    ax.spines[["top", "right"]].set_visible(False)
    set_title(ax, title, text("plot.title.timeline", lang))
    return ax
