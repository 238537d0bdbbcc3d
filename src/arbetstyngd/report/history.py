"""Runs of high load over time: who has been above the 'high' threshold for several weeks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..scheme import Bands, Scheme

__all__ = ["high_streaks", "resolve_history"]


def resolve_history(history: Any, wl: Any, **options: Any) -> tuple[pd.DataFrame | None, str]:
    """A timeline frame as given; or, from a history source such as an
    :class:`arbetstyngd.Archive`, its frame for the charts and its own HTML section.

    The source is asked through its ``report_section(wl, lang=…, min_group=…,
    show_workers=…)`` method, so the report needs no import of the archive.
    """
    if history is None or isinstance(history, pd.DataFrame):
        return history, ""
    section = getattr(history, "report_section", None)
    if section is None:
        raise TypeError(
            "'history' must be a DataFrame from timeline() or an Archive "
            f"(got {type(history).__name__})"
        )
    frame, text = section(wl, **options)
    return frame, text


def high_streaks(
    history: pd.DataFrame,
    scheme: Scheme | Bands,
    *,
    min_weeks: float = 4,
    by: str = "worker_id",
) -> pd.DataFrame:
    """Periods in which a worker (or team) stayed at or above the scheme's 'high' threshold.

    A run is a series of consecutive dates of the timeline with utilisation >= ``high``. Its
    length counts each date as one step of the timeline (a week for a weekly timeline), so
    four weekly dates in a row are four weeks.

    Parameters
    ----------
    history : DataFrame
        From :func:`arbetstyngd.timeline`: ``date``, ``by`` and ``utilisation`` (``team_id``
        is carried along when present).
    scheme : Scheme or Bands
        For the 'high' threshold.
    min_weeks : float, default 4
        Keep runs at least this long.
    by : str, default "worker_id"

    Returns
    -------
    DataFrame
        One row per run: ``by``, ``team_id`` (when known), ``start``, ``end``, ``weeks``,
        ``max_utilisation`` and ``ongoing`` (the run reaches the last date), longest first.

    Examples
    --------
    >>> dates = pd.date_range("2026-01-04", periods=6, freq="7D")
    >>> h = pd.DataFrame({"date": dates, "worker_id": "H1",
    ...                   "utilisation": [1.0, 1.2, 1.3, 1.2, 1.15, 0.9]})
    >>> high_streaks(h, Bands())[["worker_id", "weeks", "ongoing"]].to_dict("records")
    [{'worker_id': 'H1', 'weeks': 4.0, 'ongoing': False}]
    """
    bands = scheme.bands if isinstance(scheme, Scheme) else scheme
    missing = {"date", by, "utilisation"} - set(history.columns)
    if missing:
        raise ValueError(f"the history frame lacks column(s) {sorted(missing)}")
    extra = ["team_id"] if "team_id" in history.columns and by != "team_id" else []
    columns = [by, *extra, "start", "end", "weeks", "max_utilisation", "ongoing"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    frame = history[[by, "date", "utilisation", *extra]].sort_values([by, "date"], kind="stable")
    dates = pd.DatetimeIndex(frame["date"].drop_duplicates().sort_values())
    steps = pd.Series(dates).diff().dt.total_seconds().dropna()
    step_days = float(steps.median()) / 86_400 if len(steps) else 7.0
    above = (frame["utilisation"] >= bands.high).to_numpy()
    same = (frame[by].to_numpy()[1:] == frame[by].to_numpy()[:-1]) if len(frame) else []
    previous = np.concatenate([[False], above[:-1] & np.asarray(same, bool)])
    run = np.cumsum(above & ~previous)
    kept = frame[above].assign(run=run[above])
    agg = {
        by: (by, "first"),
        "start": ("date", "min"),
        "end": ("date", "max"),
        "n": ("date", "size"),
        "max_utilisation": ("utilisation", "max"),
    }
    if extra:
        agg["team_id"] = ("team_id", "last")
    runs = kept.groupby("run", sort=False).agg(**agg)
    runs["weeks"] = runs["n"] * step_days / 7.0
    runs["ongoing"] = runs["end"] == dates[-1]
    runs = runs[runs["weeks"] >= min_weeks - 1e-9]
    runs = runs.sort_values(["ongoing", "weeks", "max_utilisation"], ascending=False)
    return runs[columns].reset_index(drop=True)
