"""Pieces every chart shares: axes, percentage and date axes, band shading, titles, colours."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..labels import BAND_COLOURS, check_lang, fmt_percent, text
from ..scheme import Bands, Scheme

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "LINE_STYLES",
    "axes_for",
    "case_type_colours",
    "date_axis",
    "line_colours",
    "percent_axis",
    "plain",
    "scheme_bands",
    "set_title",
    "shade_bands",
]

#: Line styles cycled per ten lines, so lines 11 to 20 differ from 1 to 10 by more than hue.
LINE_STYLES: tuple[str, ...] = ("-", "--", "-.", ":")

_MONTHS = {
    "sv": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def plain(value: Any) -> str:
    """Text from data, shown literally: a ``$`` must not start matplotlib's mathtext."""
    return str(value).replace("$", r"\$")


def axes_for(ax: Axes | None, width: float, height: float) -> Axes:
    """``ax``, or the axes of a new figure of this size (constrained layout)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(width, height), layout="constrained")
    return new


def set_title(ax: Axes, title: str | bool, default: str) -> None:
    """``True``: the chart's standard title; a text: that; ``False``: none."""
    if title is False or title is None:
        return
    shown = default if title is True else plain(title)
    ax.set_title(shown, loc="left", fontsize=10, fontweight="bold", pad=14)


def percent_axis(ax: Axes, lang: str, axis: Literal["x", "y"] = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: fmt_percent(v, lang))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def shade_bands(ax: Axes, bands: Bands, lang: str, axis: Literal["x", "y"] = "x") -> None:
    """Shade the balanced band; mark and name 100 % and the high and critical thresholds.

    Each line carries its name directly (above the plot for vertical lines, at the left end
    for horizontal ones), so no legend is needed to read them.
    """
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
    marks = [
        (1.0, "#333333", "-", fmt_percent(1.0, lang), text("plot.normal_load", lang)),
        (bands.high, BAND_COLOURS["high"], "--", text("band.high", lang), None),
        (bands.critical, "#b52b27", "--", text("band.critical", lang), None),
    ]
    # text a shade darker than the line where the line's colour is too light to read
    ink = {BAND_COLOURS["high"]: "#9a4a00"}
    for value, colour, style, short, long in marks:
        # named directly beside the line (below), so kept out of any legend
        line(value, color=colour, lw=1.0, ls=style, zorder=1, label=f"_{long or short}")
        if axis == "x":
            ax.text(
                value,
                1.0,
                short,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=7,
                color=ink.get(colour, colour),
                bbox={"facecolor": "white", "alpha": 0.75, "lw": 0, "pad": 0.5},
            )
        else:
            ax.text(
                0.005,
                value,
                f"{short} ({fmt_percent(value, lang)})" if long is None else short,
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="bottom",
                fontsize=7,
                color=ink.get(colour, colour),
                bbox={"facecolor": "white", "alpha": 0.75, "lw": 0, "pad": 0.5},
            )


def scheme_bands(scheme: Scheme | Bands | None) -> Bands:
    if isinstance(scheme, Scheme):
        return scheme.bands
    if isinstance(scheme, Bands):
        return scheme
    if scheme is None:
        return Bands()
    raise TypeError(f"'scheme' must be a Scheme or Bands (got {type(scheme).__name__})")


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


def line_colours(n: int) -> list[tuple[str, str]]:
    """(colour, line style) for ``n`` lines: ten distinct hues, then a new style per ten.

    Up to 20 lines no two share both colour and style.
    """
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    cmap = mpl.colormaps["tab10"]
    return [(to_hex(cmap(k % 10)), LINE_STYLES[(k // 10) % len(LINE_STYLES)]) for k in range(n)]


def date_axis(ax: Axes, dates: Any, lang: str, *, max_ticks: int = 8) -> None:
    """Readable date ticks: at most ``max_ticks`` months (``jan 2026``) or weeks (``5 jan``)."""
    from matplotlib.dates import (
        DayLocator,
        MonthLocator,
        date2num,
        num2date,
    )
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    index = pd.DatetimeIndex(dates)
    if not len(index):
        return
    first, last = index.min(), index.max()
    ax.set_xlim(float(date2num(first)), float(date2num(last)))
    days = max((last - first).days, 1)
    months = _MONTHS[lang]
    if days > 75:
        step = max(1, math.ceil(days / 30.4 / max_ticks))
        ax.xaxis.set_major_locator(MonthLocator(interval=step))

        def month(v: float, _pos: Any) -> str:
            d = num2date(v)
            return f"{months[d.month - 1]} {d.year}"

        ax.xaxis.set_major_formatter(FuncFormatter(month))
    else:
        step = max(1, math.ceil(days / max_ticks))
        ax.xaxis.set_major_locator(DayLocator(interval=step))

        def day(v: float, _pos: Any) -> str:
            d = num2date(v)
            return f"{d.day} {months[d.month - 1]}"

        ax.xaxis.set_major_formatter(FuncFormatter(day))
    for label in ax.get_xticklabels():
        label.set_rotation(0)
