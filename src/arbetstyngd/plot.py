"""Matplotlib charts of workload results, timelines, explanations and calibrations.

Every function draws on ``ax`` when given (else on a new figure) and returns the Axes, so an
analyst can adjust titles, limits or sizes afterwards. Words come from the label table in
:mod:`arbetstyngd.report.labels` (``lang="sv"`` or ``"en"``); bands are always named as well as
coloured, so the charts read without colour.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import arbetstyngd as at
>>> from arbetstyngd import plot
>>> wl = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1).score()
>>> ax = plot.utilisation(wl, lang="en")
>>> ax.get_xlabel()
'Utilisation'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .report.labels import (
    BAND_COLOURS,
    band_name,
    check_lang,
    fmt_date,
    fmt_number,
    fmt_percent,
    step_label,
    text,
)
from .scheme import Bands, Scheme

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .result import Explanation, Workload

__all__ = [
    "case_mix",
    "case_type_colours",
    "explain",
    "predicted_vs_observed",
    "teams",
    "timeline",
    "utilisation",
    "weights_with_intervals",
    "workload",
]

_LOAD_COLOUR = "#3b6ea5"
_COMPLEXITY_COLOUR = "#9cc3e6"
_CAPACITY_COLOUR = "#b8b8b8"
_LOSS_COLOUR = "#e39a5c"
_TOTAL_COLOUR = "#2f3e4e"


# --- helpers ---------------------------------------------------------------------------------


def _plain(value: Any) -> str:
    """Text from data, shown literally: a ``$`` must not start matplotlib's mathtext."""
    return str(value).replace("$", r"\$")


def _axes(ax: Axes | None, width: float, height: float) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(width, height), layout="constrained")
    return new


def _percent_axis(ax: Axes, lang: str, axis: Literal["x", "y"] = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: fmt_percent(v, lang))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def _shade_bands(ax: Axes, bands: Bands, lang: str, axis: Literal["x", "y"] = "x") -> None:
    """Shade the balanced band and mark 100 % and the high and critical thresholds."""
    span = ax.axvspan if axis == "x" else ax.axhspan
    line = ax.axvline if axis == "x" else ax.axhline
    span(
        bands.balanced,
        bands.high,
        color=BAND_COLOURS["balanced"],
        alpha=0.35,
        zorder=0,
        lw=0,
        label=text("plot.balanced_band", lang),
    )
    line(1.0, color="#333333", lw=1.0, zorder=1)
    for name in ("high", "critical"):
        line(getattr(bands, name), color=BAND_COLOURS[name], lw=1.0, ls="--", zorder=1)


def _scheme_bands(scheme: Scheme | Bands | None) -> Bands:
    if isinstance(scheme, Scheme):
        return scheme.bands
    if isinstance(scheme, Bands):
        return scheme
    if scheme is None:
        return Bands()
    raise TypeError(f"'scheme' must be a Scheme or Bands (got {type(scheme).__name__})")


def _team_label(team_id: Any, names: Mapping[Any, Any] | None) -> str:
    if names and team_id in names and pd.notna(names[team_id]):
        return f"{names[team_id]} ({team_id})"
    return str(team_id)


def case_type_colours(scheme: Scheme) -> dict[str, str]:
    """A fixed colour per case type (scheme order), so every chart and table agrees.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> colours = case_type_colours(at.load_scheme("barn-och-unga"))
    >>> colours["bou_aktualisering"]
    '#1f77b4'
    """
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    cmap = mpl.colormaps["tab20"]
    return {t: to_hex(cmap(k % 20)) for k, t in enumerate(scheme.case_types)}


# --- results ---------------------------------------------------------------------------------


def utilisation(
    wl: Workload,
    *,
    by: Literal["worker", "team"] = "worker",
    team: Any = None,
    ax: Axes | None = None,
    lang: str = "sv",
    team_names: Mapping[Any, Any] | None = None,
    annotate: bool = True,
) -> Axes:
    """Horizontal bars of utilisation, sorted, coloured and named by band.

    Parameters
    ----------
    wl : Workload
    by : {"worker", "team"}
        One bar per worker or per team (ratio of sums).
    team : optional
        Only the workers of this team (``by="worker"``).
    ax : Axes, optional
    lang : {"sv", "en"}
    team_names : mapping, optional
        ``team_id`` → name, shown next to the id.
    annotate : bool, default True
        Write the percentage and band name at the end of each bar.

    Returns
    -------
    Axes
    """
    check_lang(lang)
    if by == "worker":
        frame = wl.workers
        if team is not None:
            frame = frame[frame["team_id"] == team]
        names = frame["worker_id"].map(_plain)
    elif by == "team":
        frame = wl.teams
        names = frame["team_id"].map(lambda t: _plain(_team_label(t, team_names)))
    else:
        raise ValueError(f"'by' must be 'worker' or 'team' (got {by!r})")
    order = np.argsort(frame["utilisation"].to_numpy(dtype=float), kind="stable")
    u = frame["utilisation"].to_numpy(dtype=float)[order]
    bands = frame["band"].astype(object).to_numpy()[order]
    labels = names.to_numpy()[order]
    ax = _axes(ax, 7.5, 0.32 * len(u) + 1.4)
    y = np.arange(len(u))
    colours = [BAND_COLOURS.get(str(b), "#cccccc") for b in bands]
    _shade_bands(ax, wl.scheme.bands, lang)
    ax.barh(y, np.nan_to_num(u), color=colours, edgecolor="#555555", linewidth=0.5, zorder=2)
    ax.set_yticks(y, labels)
    top = float(np.nanmax(u)) if len(u) and np.isfinite(u).any() else 1.0
    ax.set_xlim(0, max(top, wl.scheme.bands.critical) * (1.28 if annotate else 1.05))
    ax.set_ylim(-0.6, len(u) - 0.4)
    if annotate:
        for yi, ui, bi in zip(y, u, bands, strict=True):
            ax.text(
                float(np.nan_to_num(ui)) + 0.01,
                float(yi),
                f"{fmt_percent(ui, lang)} {band_name(bi, lang)}",
                va="center",
                fontsize=8,
                zorder=3,
            )
    _percent_axis(ax, lang)
    ax.set_xlabel(text("axis.utilisation", lang))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def teams(wl: Workload, *, ax: Axes | None = None, lang: str = "sv", **options: Any) -> Axes:
    """Utilisation per team (ratio of sums); see :func:`utilisation`."""
    return utilisation(wl, by="team", ax=ax, lang=lang, **options)


def case_mix(
    wl: Workload,
    *,
    by: Literal["team", "worker"] = "team",
    team: Any = None,
    share: bool = False,
    top: int = 8,
    ax: Axes | None = None,
    lang: str = "sv",
    team_names: Mapping[Any, Any] | None = None,
) -> Axes:
    """Stacked bars of points per case type, per team or per worker.

    Parameters
    ----------
    by : {"team", "worker"}
    team : optional
        Only the workers of this team (``by="worker"``).
    share : bool, default False
        Show each case type's share of the group's points instead of points.
    top : int, default 8
        Show the ``top`` case types with the most points; the rest are "other".

    Returns
    -------
    Axes
    """
    check_lang(lang)
    points = wl.type_points.copy()
    points.index = wl.workers.index
    if by == "team":
        grouped = points.groupby(wl.workers["team_id"].to_numpy(), sort=True).sum()
        grouped.index = [_plain(_team_label(t, team_names)) for t in grouped.index]
    elif by == "worker":
        keep = (
            np.ones(len(points), bool)
            if team is None
            else (wl.workers["team_id"] == team).to_numpy()
        )
        grouped = points[keep]
        grouped.index = wl.workers.loc[keep, "worker_id"].map(_plain).to_numpy()
    else:
        raise ValueError(f"'by' must be 'team' or 'worker' (got {by!r})")
    totals = grouped.sum(axis=0).sort_values(ascending=False)
    keep_types = [t for t in totals.index[:top] if totals[t] > 0]
    shown = grouped[keep_types].copy()
    shown.columns = [_plain(wl.scheme.label(t, lang)) for t in keep_types]
    rest = grouped.drop(columns=keep_types).sum(axis=1)
    if (rest > 0).any():
        shown[text("plot.other", lang)] = rest
    if share:
        sums = shown.sum(axis=1).replace(0, np.nan)
        shown = shown.div(sums, axis=0).fillna(0.0)
    ax = _axes(ax, 8.0, 0.35 * len(shown) + 2.2)
    palette = case_type_colours(wl.scheme)
    colours = [palette[t] for t in keep_types] + ["#bdbdbd"] * (
        len(shown.columns) - len(keep_types)
    )
    left = np.zeros(len(shown))
    y = np.arange(len(shown))
    for col, colour in zip(shown.columns, colours, strict=True):
        values = shown[col].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=colour, label=col, edgecolor="white", lw=0.4)
        left += values
    ax.set_yticks(y, list(shown.index))
    ax.invert_yaxis()
    if share:
        _percent_axis(ax, lang)
        ax.set_xlabel(text("axis.share_points", lang))
    else:
        ax.set_xlabel(text("axis.points", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def timeline(
    frame: pd.DataFrame,
    by: Literal["team_id", "worker_id"] = "team_id",
    *,
    scheme: Scheme | Bands | None = None,
    groups: Sequence[Any] | None = None,
    ax: Axes | None = None,
    lang: str = "sv",
    names: Mapping[Any, Any] | None = None,
    legend: bool | None = None,
) -> Axes:
    """Utilisation over time, one line per team or worker, with the balanced band shaded.

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
    names : mapping, optional
        Id → name for the legend.
    legend : bool, optional
        Default: a legend when there are at most 12 lines.

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
    # ratio of sums per group and date: the same rule as team figures, whatever the level
    summed = data.groupby([by, "date"], sort=True, observed=True)[["load", "capacity"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        u = (summed["load"] / summed["capacity"].where(summed["capacity"] > 0)).rename("u")
    wide = u.unstack(level=0)
    ax = _axes(ax, 8.0, 3.6)
    bands = _scheme_bands(scheme)
    _shade_bands(ax, bands, lang, axis="y")
    many = wide.shape[1] > 12
    for col in wide.columns:
        label = _plain(_team_label(col, names)) if by == "team_id" else _plain(col)
        ax.plot(
            wide.index, wide[col], lw=1.0 if many else 1.8, alpha=0.7 if many else 1, label=label
        )
    _percent_axis(ax, lang, "y")
    ax.set_ylabel(text("axis.utilisation", lang))
    ax.set_ylim(0, max(float(np.nanmax(wide.to_numpy())) if wide.size else 1, bands.critical) * 1.1)
    if len(wide.index):
        from matplotlib.ticker import FuncFormatter

        dates = pd.DatetimeIndex(wide.index)
        from matplotlib.dates import date2num

        ax.set_xlim(float(date2num(dates[0])), float(date2num(dates[-1])))
        ax.xaxis.set_major_formatter(
            FuncFormatter(
                lambda v, _pos: fmt_date(pd.Timestamp(np.datetime64(int(v), "D")), lang, long=False)
            )
        )
        for label_ in ax.get_xticklabels():
            label_.set_rotation(0)
    if legend if legend is not None else not many:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def explain(
    explanation: Explanation,
    *,
    scheme: Scheme | None = None,
    ax: Axes | None = None,
    lang: str = "sv",
    title: bool = True,
) -> Axes:
    """Why a worker's figure is what it is: points by case type, then capacity step by step.

    The upper bars add each case type's points (the lighter part is the complexity add-on)
    up to the load; the lower bars take the normal load ``P`` through the worker's FTE,
    reduction and adjustments down to the capacity. Utilisation is the ratio of the two totals.

    Parameters
    ----------
    explanation : Explanation
        From :meth:`arbetstyngd.Workload.explain`.
    scheme : Scheme, optional
        For case-type labels in ``lang`` and adjustment names (else the Swedish labels).

    Returns
    -------
    Axes
    """
    check_lang(lang)
    ex = explanation
    parts = ex.load_parts.sort_values("points", ascending=False, kind="stable")
    if scheme is not None:
        names = [scheme.label(t, lang) for t in parts["case_type"]]
        adj_labels = {a.name: a.label.get(lang, a.name) for a in scheme.adjustments}
    else:
        names = list(parts["label"])
        adj_labels = {}
    labels: list[str] = []
    bars: list[tuple[int, float, float, str, str | None]] = []  # row, from, to, colour, hatch
    notes: list[tuple[int, float, str]] = []  # row, x, text

    def row(label: str) -> int:
        labels.append(label)
        return len(labels) - 1

    cum = 0.0
    for name, n, base, extra in zip(
        names, parts["n_cases"], parts["base_points"], parts["complexity_points"], strict=True
    ):
        r = row(f"{_plain(name)} ({n})")
        bars.append((r, cum, cum + base, _LOAD_COLOUR, None))
        if extra:
            # the complexity add-on, hatched so it reads without colour
            bars.append((r, cum + base, cum + base + extra, _COMPLEXITY_COLOUR, "///"))
        cum += base + extra
        notes.append((r, cum, fmt_number(base + extra, lang)))
    r = row(text("step.load_total", lang))
    bars.append((r, 0.0, ex.load, _TOTAL_COLOUR, None))
    notes.append((r, ex.load, fmt_number(ex.load, lang)))
    previous: float | None = None
    for step, factor, cap in zip(
        ex.capacity_parts["step"],
        ex.capacity_parts["factor"],
        ex.capacity_parts["capacity"],
        strict=True,
    ):
        cap = float(cap)
        r = row(_plain(step_label(str(step), lang, adj_labels)))
        if previous is None:
            bars.append((r, 0.0, cap, _CAPACITY_COLOUR, None))
            notes.append((r, cap, fmt_number(cap, lang)))
        else:
            lo, hi = sorted((cap, previous))
            bars.append((r, lo, hi, _LOSS_COLOUR if cap < previous else _LOAD_COLOUR, None))
            notes.append((r, hi, f"× {fmt_number(factor, lang, 2)} → {fmt_number(cap, lang)}"))
        previous = cap
    r = row(text("step.capacity_total", lang))
    bars.append((r, 0.0, ex.capacity, _TOTAL_COLOUR, None))
    notes.append((r, ex.capacity, fmt_number(ex.capacity, lang)))

    ax = _axes(ax, 6.5, 0.27 * len(labels) + 1.1)
    rows_, lefts, rights, colours, hatches = zip(*bars, strict=True)
    widths = np.maximum(np.subtract(rights, lefts), 0.0)
    for r_, left, width, colour, hatch in zip(rows_, lefts, widths, colours, hatches, strict=True):
        ax.barh(r_, width, left=left, color=colour, hatch=hatch, edgecolor="white", lw=0.3)
    top = max(ex.load, float(ex.capacity_parts["capacity"].max()), 1.0)
    for r_, x, note in notes:
        ax.text(x + 0.01 * top, r_, note, va="center", fontsize=7.5)
    ax.set_yticks(np.arange(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(ex.capacity, color="#333333", lw=0.8, ls=":")
    ax.set_xlim(0, top * 1.35)
    ax.set_xlabel(text("axis.points", lang))
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(
            f"{_plain(ex.worker_id)}: {fmt_number(ex.load, lang)} / {fmt_number(ex.capacity, lang)}"
            f" = {fmt_percent(ex.utilisation, lang)} ({band_name(ex.band, lang)})",
            fontsize=9,
            loc="left",
        )
    return ax


# --- calibration diagnostics (generic: arrays and DataFrames) -------------------------------


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
    ax = _axes(ax, 4.8, 4.5)
    ax.scatter(yp, yt, s=18, alpha=0.7, color=_LOAD_COLOUR, edgecolor="white", lw=0.4)
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
            ax.annotate(_plain(li), (xi, yi), fontsize=7, xytext=(3, 3), textcoords="offset points")
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
    ax = _axes(ax, 6.5, 0.35 * len(frame) + 1.3)
    ax.errorbar(
        w,
        y,
        xerr=np.vstack([w - lo, hi - w]),
        fmt="o",
        color=_LOAD_COLOUR,
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
    names = [_plain((labels or {}).get(t, t)) for t in frame.index]
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel(text("axis.weight", lang))
    ax.set_xlim(left=0)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


# --- the dispatcher behind Workload.plot -------------------------------------------------------


_KINDS: dict[str, Callable[..., Axes]] = {
    "utilisation": utilisation,
    "teams": teams,
    "case_mix": case_mix,
}


def workload(
    wl: Workload, kind: str = "utilisation", ax: Axes | None = None, **options: Any
) -> Axes:
    """The chart ``kind`` of a result: ``"utilisation"``, ``"teams"`` or ``"case_mix"``.

    This is what :meth:`arbetstyngd.Workload.plot` calls.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import arbetstyngd as at
    >>> wl = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1).score()
    >>> type(wl.plot("teams")).__name__
    'Axes'
    """
    try:
        func = _KINDS[kind]
    except KeyError:
        raise ValueError(f"'kind' must be one of {sorted(_KINDS)} (got {kind!r})") from None
    return func(wl, ax=ax, **options)
