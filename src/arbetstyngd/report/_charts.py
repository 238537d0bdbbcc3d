"""Charts for the HTML report: matplotlib figures as inline SVG with page-unique ids."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["chart", "svg"]

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


def svg(fig: Figure, label: str, key: str) -> Markup:
    """The figure as inline SVG, its ids made unique in the page, labelled for screen readers."""
    import matplotlib as mpl

    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": key}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    out = buf.getvalue()
    out = out[out.index("<svg") :]
    out = re.sub(r"<metadata>.*?</metadata>", "", out, flags=re.S)
    out = _ID.sub(lambda m: f'id="{key}-{m.group(1)}"', out)
    out = _REF.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", out)
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', out)
    out = re.sub(r'(<svg[^>]*?)\s(width|height)="[^"]*"', r"\1", out, count=2)
    style = f"max-width:{width.group(1) if width else 600}pt"
    out = out.replace("<svg", f'<svg role="img" aria-label="{escape(label)}" style="{style}"', 1)
    return Markup(out)


def _figure(
    width: float, height: float, layout: Literal["constrained"] | None
) -> tuple[Figure, Any]:
    # a bare Figure (no pyplot): nothing global to leak or to lock between threads
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout=layout)
    return fig, fig.subplots()


def _fit(fig: Figure, ax: Any) -> None:
    """Margins from the label lengths, without a layout engine.

    Constrained layout measures every text twice and made the charts of a 40-worker report
    take several seconds; bar charts with y labels only need room for the longest label.
    """
    ticks = ax.get_yticklabels()
    size = ticks[0].get_fontsize() if ticks else 10.0
    chars = max((len(t.get_text()) for t in ticks), default=4)
    label_in = chars * size * 0.6 / 72 + 0.2
    width, height = fig.get_size_inches()
    fig.set_size_inches(width + label_in, height)
    top_in = 0.35 if ax.get_title(loc="left") or ax.get_title() else 0.12
    fig.subplots_adjust(
        left=label_in / (width + label_in),
        right=0.98,
        bottom=0.5 / height,
        top=1 - top_in / height,
    )


def chart(
    draw: Callable[..., Any],
    width: float,
    height: float,
    label: str,
    key: str,
    *,
    fast: bool = True,
) -> Markup:
    fig, ax = _figure(width, height, None if fast else "constrained")
    draw(ax=ax)
    if fast:
        _fit(fig, ax)
    return svg(fig, label, key)
