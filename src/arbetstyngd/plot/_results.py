"""Charts of one scored result: utilisation per worker or team, case mix, one worker's why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..labels import (
    BAND_COLOURS,
    band_name,
    check_lang,
    fmt_number,
    fmt_percent,
    step_label,
    team_label,
    team_name_map,
    text,
)
from ..scheme import Scheme
from ._common import axes_for, case_type_colours, percent_axis, plain, set_title, shade_bands

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..result import Explanation, Workload

__all__ = ["case_mix", "explain", "teams", "utilisation"]

_LOAD_COLOUR = "#3b6ea5"
_COMPLEXITY_COLOUR = "#9cc3e6"
_CAPACITY_COLOUR = "#b8b8b8"
_LOSS_COLOUR = "#e39a5c"
_TOTAL_COLOUR = "#2f3e4e"


def _names(wl: Workload, team_names: Any) -> dict[Any, str]:
    """Given names, else the ones the result was scored with."""
    return team_name_map(team_names) if team_names is not None else dict(wl.team_names)


def utilisation(
    wl: Workload,
    *,
    by: Literal["worker", "team"] = "worker",
    team: Any = None,
    ax: Axes | None = None,
    lang: str = "sv",
    team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
    annotate: bool = True,
    title: str | bool = True,
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
    team_names : mapping or DataFrame, optional
        ``team_id`` → name, shown next to the id. Default: the names the result was scored
        with (:attr:`arbetstyngd.Workload.team_names`).
    annotate : bool, default True
        Write the percentage and band name at the end of each bar.
    title : str or bool, default True
        ``True``: "Utilisation by caseworker" (or by team) in ``lang``; ``False``: no title.

    Returns
    -------
    Axes
    """
    check_lang(lang)
    names = _names(wl, team_names)
    if by == "worker":
        frame = wl.workers
        if team is not None:
            frame = frame[frame["team_id"] == team]
        labels_ = frame["worker_id"].map(plain)
        heading = (
            text("plot.title.utilisation", lang)
            if team is None
            else text("plot.title.utilisation_team", lang, team=plain(team_label(team, names)))
        )
    elif by == "team":
        frame = wl.teams
        labels_ = frame["team_id"].map(lambda t: plain(team_label(t, names)))
        heading = text("plot.title.teams", lang)
    else:
        raise ValueError(f"'by' must be 'worker' or 'team' (got {by!r})")
    order = np.argsort(frame["utilisation"].to_numpy(dtype=float), kind="stable")
    u = frame["utilisation"].to_numpy(dtype=float)[order]
    bands = frame["band"].astype(object).to_numpy()[order]
    ax = axes_for(ax, 7.5, 0.32 * len(u) + 1.6)
    y = np.arange(len(u))
    colours = [BAND_COLOURS.get(str(b), "#cccccc") for b in bands]
    shade_bands(ax, wl.scheme.bands, lang)
    ax.barh(y, np.nan_to_num(u), color=colours, edgecolor="#555555", linewidth=0.5, zorder=2)
    ax.set_yticks(y, labels_.to_numpy()[order])
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
    percent_axis(ax, lang)
    ax.set_xlabel(text("axis.utilisation", lang))
    ax.spines[["top", "right"]].set_visible(False)
    set_title(ax, title, heading)
    return ax


def teams(
    wl: Workload,
    *,
    ax: Axes | None = None,
    lang: str = "sv",
    team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
    annotate: bool = True,
    title: str | bool = True,
) -> Axes:
    """Utilisation per team (ratio of sums): :func:`utilisation` with ``by="team"``.

    Parameters
    ----------
    wl : Workload
    ax : Axes, optional
    lang : {"sv", "en"}
    team_names : mapping or DataFrame, optional
        ``team_id`` → name. Default: the names the result was scored with.
    annotate : bool, default True
        Write the percentage and band name at the end of each bar.
    title : str or bool, default True

    Returns
    -------
    Axes
    """
    return utilisation(
        wl,
        by="team",
        ax=ax,
        lang=lang,
        team_names=team_names,
        annotate=annotate,
        title=title,
    )


def _case_mix_frame(wl: Workload, by: str, team: Any, names: Mapping[Any, str]) -> pd.DataFrame:
    points = wl.type_points.copy()
    points.index = wl.workers.index
    if by == "team":
        grouped = points.groupby(wl.workers["team_id"].to_numpy(), sort=True).sum()
        grouped.index = [plain(team_label(t, names)) for t in grouped.index]
        return grouped
    if by == "worker":
        keep = (
            np.ones(len(points), bool)
            if team is None
            else (wl.workers["team_id"] == team).to_numpy()
        )
        grouped = points[keep]
        grouped.index = wl.workers.loc[keep, "worker_id"].map(plain).to_numpy()
        return grouped
    raise ValueError(f"'by' must be 'team' or 'worker' (got {by!r})")


def case_mix(
    wl: Workload,
    *,
    by: Literal["team", "worker"] = "team",
    team: Any = None,
    share: bool = False,
    top: int = 8,
    ax: Axes | None = None,
    lang: str = "sv",
    team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
    title: str | bool = True,
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
    team_names : mapping or DataFrame, optional
        ``team_id`` → name. Default: the names the result was scored with.
    title : str or bool, default True

    Returns
    -------
    Axes
    """
    check_lang(lang)
    grouped = _case_mix_frame(wl, by, team, _names(wl, team_names))
    totals = grouped.sum(axis=0).sort_values(ascending=False)
    keep_types = [t for t in totals.index[:top] if totals[t] > 0]
    shown = grouped[keep_types].copy()
    shown.columns = [plain(wl.scheme.label(t, lang)) for t in keep_types]
    rest = grouped.drop(columns=keep_types).sum(axis=1)
    if (rest > 0).any():
        shown[text("plot.other", lang)] = rest
    if share:
        sums = shown.sum(axis=1).replace(0, np.nan)
        shown = shown.div(sums, axis=0).fillna(0.0)
    ax = axes_for(ax, 8.0, 0.35 * len(shown) + 2.6)
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
        percent_axis(ax, lang)
        ax.set_xlabel(text("axis.share_points", lang))
    else:
        ax.set_xlabel(text("axis.points", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    set_title(ax, title, text("plot.title.case_mix", lang))
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
    labels, bars, notes = _explain_rows(ex, parts, names, adj_labels, lang)
    ax = axes_for(ax, 6.5, 0.27 * len(labels) + 1.1)
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
            f"{plain(ex.worker_id)}: {fmt_number(ex.load, lang)} / {fmt_number(ex.capacity, lang)}"
            f" = {fmt_percent(ex.utilisation, lang)} ({band_name(ex.band, lang)})",
            fontsize=9,
            loc="left",
        )
    return ax


_Bar = tuple[int, float, float, str, "str | None"]  # row, from, to, colour, hatch


def _explain_rows(
    ex: Explanation,
    parts: pd.DataFrame,
    names: list[str],
    adj_labels: Mapping[str, str],
    lang: str,
) -> tuple[list[str], list[_Bar], list[tuple[int, float, str]]]:
    """Row labels, bars and value notes of the why chart: load parts, then capacity steps."""
    labels: list[str] = []
    bars: list[_Bar] = []
    notes: list[tuple[int, float, str]] = []  # row, x, text

    def row(label: str) -> int:
        labels.append(label)
        return len(labels) - 1

    cum = 0.0
    for name, n, base, extra in zip(
        names, parts["n_cases"], parts["base_points"], parts["complexity_points"], strict=True
    ):
        r = row(f"{plain(name)} ({n})")
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
        r = row(plain(step_label(str(step), lang, adj_labels)))
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

    return labels, bars, notes
