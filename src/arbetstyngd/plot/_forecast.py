"""The forecast chart: median with 80 % and 95 % bands per team or for the unit.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import arbetstyngd as at
>>> h = at.datasets.make_history(n_workers=8, n_teams=2, seed=0)
>>> fc = at.forecast(h.cases, h.workers, h.scheme, teams=h.teams, start="2025-06-30",
...                  horizon="8W", n_paths=100, random_state=0)
>>> ax = forecast(fc, lang="en")
>>> ax.get_ylabel()
'Utilisation'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..labels import LANGS, check_lang, fmt_percent, text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .decide import Forecast

__all__ = ["forecast"]

# words from the one label table (arbetstyngd.labels), by this module's short names
_KEYS = {
    "median": "plot.forecast.median",
    "band80": "plot.forecast.band80",
    "band95": "plot.forecast.band95",
    "unit": "plot.forecast.unit",
    "history": "plot.forecast.history",
    "load": "col.load",
    "capacity": "col.capacity",
    "utilisation": "col.utilisation",
    "staff_need": "plot.forecast.staff_need",
    "title": "plot.forecast.title",
}
_WORDS = {lang: {k: text(key, lang) for k, key in _KEYS.items()} for lang in LANGS}
_COLOUR = "#3b6ea5"


def forecast(
    fc: Forecast,
    *,
    team: Any = None,
    measure: str = "utilisation",
    history: pd.DataFrame | None = None,
    ax: Axes | None = None,
    lang: str = "sv",
) -> Axes:
    """Median and 80 % / 95 % bands of one measure over the forecast's dates.

    Parameters
    ----------
    fc : Forecast
        From :func:`arbetstyngd.forecast`.
    team : optional
        A team id; by default the whole unit.
    measure : {"utilisation", "load", "capacity", "staff_need"}
    history : DataFrame, optional
        Realised figures to draw beside the forecast: ``date`` and a column named after
        ``measure`` (e.g. a team-level :func:`arbetstyngd.timeline` of the same team).
    ax : Axes, optional
    lang : {"sv", "en"}

    Returns
    -------
    Axes
    """
    check_lang(lang)
    words = _WORDS[lang]
    rows = fc.measure(measure, level="unit" if team is None else "team")
    if team is not None:
        rows = rows[rows["team_id"] == team]
        if rows.empty:
            known = ", ".join(map(str, fc.capacity.index))
            raise ValueError(f"'team' must be one of the forecast's teams ({known}; got {team!r})")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8.0, 3.6), layout="constrained")
    dates = pd.DatetimeIndex(rows["date"])
    ax.fill_between(dates, rows["low95"], rows["high95"], color=_COLOUR, alpha=0.15, lw=0,
                    label=words["band95"])  # fmt: skip
    ax.fill_between(dates, rows["low80"], rows["high80"], color=_COLOUR, alpha=0.3, lw=0,
                    label=words["band80"])  # fmt: skip
    ax.plot(dates, rows["median"], color=_COLOUR, lw=2.0, label=words["median"])
    if history is not None:
        ax.plot(pd.DatetimeIndex(history["date"]), history[measure], color="#333333", lw=1.2,
                ls="--", label=words["history"])  # fmt: skip
    if measure == "utilisation":
        from matplotlib.ticker import FuncFormatter

        ax.axhline(1.0, color="#333333", lw=1.0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_percent(v, lang)))
        top = float(np.nanmax(rows["high95"].to_numpy())) if len(rows) else 1.0
        ax.set_ylim(0, max(top, 1.0) * 1.1)
    ax.set_ylabel(words[measure])
    who = words["unit"] if team is None else str(team).replace("$", r"\$")
    ax.set_title(f"{words['title'].format(start=fc.start.date())}: {who}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
