"""A synthetic case history with a known arrival and duration process.

The forecast's own model, with its parameters written down: cases of each (team, case type,
phase) arrive as a Poisson process at a daily rate (times a monthly seasonal factor), go to a
worker of the team chosen at random, and last a gamma-distributed number of days whose mean
depends on the type and phase. The export holds every case opened from ``start`` on; cases
still open on ``end`` have no close date. Everything is invented.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..scheme import Scheme

__all__ = ["History", "make_history"]


@attrs.frozen(eq=False)
class History:
    """A synthetic history and the process that made it.

    Attributes
    ----------
    cases, workers, teams : DataFrame
        Canonical tables (see the data contract); ``cases`` spans ``start`` to ``end``.
    scheme : Scheme
        The scheme the caseload was sized for.
    start, end : Timestamp
        The first day of the history and the export date.
    rates : DataFrame
        The truth of the arrivals: ``team_id``, ``case_type``, ``phase``, ``per_day`` (new
        cases per day before the seasonal factor).
    durations : DataFrame
        The truth of the durations: ``case_type``, ``phase``, ``mean_days``, ``shape``
        (gamma, rounded up to whole days).
    season : ndarray
        Twelve monthly factors on the arrival rate (January first).
    """

    cases: pd.DataFrame
    workers: pd.DataFrame
    teams: pd.DataFrame
    scheme: Scheme
    start: pd.Timestamp
    end: pd.Timestamp
    rates: pd.DataFrame
    durations: pd.DataFrame
    season: np.ndarray


def _owners(roster: Any, team_ids: list[Any], team: np.ndarray, rng: Any) -> np.ndarray:
    """A worker of each case's team at random: members of all teams in one array, by team."""
    worker_ids = roster.ids.to_numpy(dtype=object)
    team_of = np.searchsorted(team_ids, roster.team_ids)
    members = worker_ids[np.argsort(team_of, kind="stable")]
    size = np.bincount(team_of, minlength=len(team_ids))
    offset = np.cumsum(size) - size
    return members[offset[team] + (rng.random(len(team)) * size[team]).astype(np.int64)]


def make_history(
    n_workers: int = 30,
    n_teams: int = 3,
    seed: int = 0,
    *,
    scheme: Scheme | str = "barn-och-unga",
    start: Any = "2023-01-01",
    end: Any = "2025-12-31",
    mean_utilisation: float = 1.0,
    seasonality: float = 0.0,
    shape: float = 2.0,
) -> History:
    """A case history drawn from a known Poisson arrival and gamma duration process.

    The roster and teams are those of :func:`arbetstyngd.datasets.make_municipality`. Each
    team's arrival rate is set so that, once the caseload has built up, the team's expected
    load is ``mean_utilisation`` of its capacity; the case mix and mean durations per type and
    phase are the municipality generator's. ``seasonality`` is the amplitude of a yearly
    cosine on the arrival rate (0.2: 20 % more new cases in January than on average, 20 %
    fewer in July).

    Examples
    --------
    >>> import arbetstyngd as at
    >>> h = at.datasets.make_history(n_workers=6, n_teams=2, seed=1)
    >>> bool(h.cases["opened"].min() >= h.start), bool(h.cases["closed"].max() <= h.end)
    (True, True)
    >>> sorted(h.rates.columns)
    ['case_type', 'per_day', 'phase', 'team_id']
    """
    from .._engine.scoring import capacity_parts, prepare
    from .municipality import case_mix, make_municipality

    town = make_municipality(n_workers, n_teams, seed, scheme=scheme, start=start, end=end)
    truth, workers, teams = town.scheme, town.workers, town.teams
    rng = np.random.default_rng([seed, 7])
    first, last = _day(town.start), _day(town.end)
    if last - first < 1:
        raise ValueError(f"'end' must be after 'start' (got {start} and {end})")
    empty = pd.DataFrame({"case_id": [], "worker_id": [], "case_type": [], "opened": []})
    roster = prepare(empty.astype({"opened": "datetime64[ns]"}), workers, truth, teams).roster
    _, _, capacity = capacity_parts(truth, roster, last)
    team_ids = sorted(set(roster.team_ids))
    team_capacity = np.array([capacity[roster.team_ids == t].sum() for t in team_ids])

    mix = case_mix(truth)
    mean_mult = np.prod([1 + 0.08 * (m.factor - 1) for m in truth.multipliers])
    point_days = float((mix["share"] * mix["weight"] * mix["duration"]).sum()) * mean_mult
    per_day = (team_capacity * mean_utilisation / point_days)[:, None] * mix["share"].to_numpy()
    season = 1.0 + seasonality * np.cos(2 * np.pi * np.arange(12) / 12)

    days = np.arange(first, last + 1)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    counts = rng.poisson(per_day[:, :, None] * season[months][None, None, :])
    team, item, day = np.unravel_index(
        np.repeat(np.arange(counts.size), counts.ravel()), counts.shape
    )
    opened = days[day]
    mean_days = mix["duration"].to_numpy(dtype=float)
    length = np.ceil(rng.gamma(shape, mean_days[item] / shape)).astype(np.int64)
    closed = opened + np.maximum(length, 1)
    owner = _owners(roster, team_ids, team, rng)
    cases = pd.DataFrame(
        {
            "case_id": [f"F{seed % 1000:03d}-{i + 1:06d}" for i in range(len(team))],
            "worker_id": owner,
            "case_type": mix["case_type"].to_numpy()[item],
            "phase": mix["phase"].to_numpy(dtype=object)[item],
            "opened": opened.astype("datetime64[D]").astype("datetime64[ns]"),
            "closed": pd.to_datetime(
                np.where(closed > last, np.datetime64("NaT"), closed.astype("datetime64[D]"))
            ),
        }
    )
    for m in truth.multipliers:
        cases[m.flag] = rng.random(len(cases)) < 0.08
    cases = cases.sort_values(["opened", "case_id"], kind="stable").reset_index(drop=True)
    n_items = len(mix)
    rates = pd.DataFrame(
        {
            "team_id": np.repeat(team_ids, n_items),
            "case_type": np.tile(mix["case_type"].to_numpy(), len(team_ids)),
            "phase": np.tile(mix["phase"].to_numpy(dtype=object), len(team_ids)),
            "per_day": per_day.ravel(),
        }
    )
    durations = mix[["case_type", "phase"]].assign(mean_days=mean_days, shape=shape)
    return History(
        cases=cases,
        workers=workers,
        teams=teams,
        scheme=truth,
        start=town.start,
        end=town.end,
        rates=rates,
        durations=durations,
        season=season,
    )


def _day(ts: pd.Timestamp) -> int:
    return int(np.datetime64(ts.date(), "D").astype(np.int64))
