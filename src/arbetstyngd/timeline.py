"""Workload over time by an event sweep.

Each case adds its points from the first date on or after it opened until the first date on
or after it closed. Those two events per case go into a (worker, date) difference array; a
cumulative sum over dates gives the count of active cases per worker and date. Done per value
key, in integers, and multiplied out with the same arithmetic as :func:`arbetstyngd.score`, the
result equals scoring each date separately, bit for bit, at a fraction of the cost.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from .frames import NAT_DAY, to_day
from .scheme import Scheme
from .scoring import capacity_parts, prepare, utilisation, warn_rejected

__all__ = ["timeline"]


def _dates(start: Any, end: Any, freq: str, dates: Any) -> pd.DatetimeIndex:
    if dates is not None:
        try:
            out = pd.DatetimeIndex(pd.to_datetime(list(dates), format="ISO8601")).normalize()
        except (TypeError, ValueError):
            raise ValueError(
                f"'dates' must be dates like '2026-03-31' (got {list(dates)[:3]!r} …)"
            ) from None
    else:
        if start is None or end is None:
            raise ValueError("timeline needs 'start' and 'end' (or an explicit 'dates' list)")
        first = pd.Timestamp(np.datetime64(to_day(start, "start"), "D"))
        last = pd.Timestamp(np.datetime64(to_day(end, "end"), "D"))
        try:
            out = pd.date_range(first, last, freq=freq)
        except (TypeError, ValueError):
            raise ValueError(
                f"'freq' must be a pandas frequency such as 'W' (weekly), 'W-MON', 'MS' "
                f"(month starts) or 'D' (got {freq!r})"
            ) from None
    if len(out) == 0:
        raise ValueError(
            f"no dates between start={start!r} and end={end!r} at freq={freq!r}; "
            "widen the period or choose a shorter frequency"
        )
    if not out.is_monotonic_increasing or out.has_duplicates:
        raise ValueError("'dates' must be increasing and without repeats")
    return out


def timeline(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme | str,
    *,
    start: Any = None,
    end: Any = None,
    freq: str = "W",
    dates: Any = None,
    teams: pd.DataFrame | None = None,
    reductions: pd.DataFrame | None = None,
    level: Literal["worker", "team"] = "worker",
    strict: bool = False,
) -> pd.DataFrame:
    """Load, capacity, utilisation and band per worker (or team) on a series of dates.

    Equal to calling :func:`arbetstyngd.score` with ``on=date`` for each date, but computed in
    one sweep over the case open and close dates (experience is counted to each date).

    Parameters
    ----------
    cases, workers, scheme, teams, reductions, strict
        As for :func:`arbetstyngd.score`; dated reductions apply on the dates they are in force.
    start, end : date-like
        The period; dates are ``pandas.date_range(start, end, freq=freq)``.
    freq : str, default "W"
        A pandas frequency: "W" (weekly, Sundays), "W-MON", "MS" (month starts), "D" …
    dates : sequence of date-like, optional
        Explicit dates instead of ``start``/``end``/``freq``.
    level : {"worker", "team"}
        One row per worker and date, or per team and date (ratio of sums).

    Returns
    -------
    DataFrame
        ``date``, ``worker_id`` (worker level), ``team_id``, ``n_cases``, ``load``,
        ``capacity``, ``utilisation``, ``band``. Rejected input rows are in
        ``result.attrs["rejected"]``; a :class:`~arbetstyngd.RejectedRowsWarning` says so.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=3)
    >>> tl = at.timeline(town.cases, town.workers, town.scheme, start="2025-01-05",
    ...                  end="2025-03-30", freq="W")
    >>> int(tl.groupby("date").size().iloc[0])
    6
    """
    if not isinstance(scheme, Scheme):
        from .schemes import load_scheme

        scheme = load_scheme(scheme)
    if level not in ("worker", "team"):
        raise ValueError(f"'level' must be 'worker' or 'team' (got {level!r})")
    index = _dates(start, end, freq, dates)
    days = index.to_numpy(dtype="datetime64[D]").astype(np.int64)
    prep = prepare(cases, workers, scheme, teams, reductions=reductions, strict=strict)
    roster, table = prep.roster, prep.cases
    n_w, n_t = len(roster), len(days)

    # first date index at which each case is active, and the first at which it is not
    first = np.searchsorted(days, table.opened, side="left")
    stop = np.where(table.closed == NAT_DAY, n_t, np.searchsorted(days, table.closed, side="left"))
    live = first < stop
    worker, key, first, stop = table.worker[live], table.key[live], first[live], stop[live]
    order = np.argsort(key, kind="stable")
    worker, key, first, stop = worker[order], key[order], first[order], stop[order]
    bounds = np.searchsorted(key, np.arange(len(table.key_points) + 1))

    width = n_t + 1
    load = np.zeros((n_w, n_t))
    n_cases = np.zeros((n_w, n_t), dtype=np.int64)
    subtotal = np.zeros((n_w, n_t))
    current_type = None
    # the same order of operations as scoring.load_by_type: per type, key by key
    for k in range(len(table.key_points)):
        t = table.key_type[k]
        if current_type is not None and t != current_type:
            load += subtotal
            subtotal = np.zeros((n_w, n_t))
        current_type = t
        lo, hi = bounds[k], bounds[k + 1]
        cells = n_w * width
        delta = np.bincount(worker[lo:hi] * width + first[lo:hi], minlength=cells) - np.bincount(
            worker[lo:hi] * width + stop[lo:hi], minlength=cells
        )
        counts = np.cumsum(delta.reshape(n_w, width), axis=1)[:, :n_t]
        n_cases += counts
        subtotal += counts * table.key_points[k]
    if current_type is not None:
        load += subtotal

    _, _, capacity = capacity_parts(scheme, roster, days)
    util = utilisation(load, capacity)
    frame = pd.DataFrame(
        {
            "date": np.repeat(index.to_numpy(), n_w),
            "worker_id": np.tile(roster.ids.to_numpy(), n_t),
            "team_id": np.tile(roster.team_ids, n_t),
            "n_cases": n_cases.T.ravel(),
            "load": load.T.ravel(),
            "capacity": capacity.T.ravel(),
            "utilisation": util.T.ravel(),
        }
    )
    frame["band"] = scheme.bands.classify(frame["utilisation"].to_numpy())
    if level == "team":
        frame = aggregate(frame, scheme, by=["date", "team_id"])
    frame.attrs["rejected"] = prep.rejected
    frame.attrs["scheme"] = scheme.id
    warn_rejected(prep.rejected, "the result's .attrs['rejected'] table")
    return frame


def aggregate(frame: pd.DataFrame, scheme: Scheme, by: Any = "team_id") -> pd.DataFrame:
    """Sum load and capacity over groups and take their ratio (never a mean of percentages)."""
    out = (
        frame.groupby(by, sort=True, observed=True)
        .agg(
            n_workers=("load", "size"),
            n_cases=("n_cases", "sum"),
            load=("load", "sum"),
            capacity=("capacity", "sum"),
        )
        .reset_index()
    )
    out["utilisation"] = utilisation(out["load"].to_numpy(), out["capacity"].to_numpy())
    out["band"] = scheme.bands.classify(out["utilisation"].to_numpy())
    return out
