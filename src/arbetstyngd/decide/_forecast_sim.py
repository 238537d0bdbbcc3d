"""Monte Carlo paths of team load: open cases closing, new cases arriving.

Paths are simulated in chunks; each chunk uses one bootstrap replicate of the fitted model
(so the spread of the paths includes the uncertainty of the estimates). Within a chunk every
step is a numpy operation over paths × cases: one uniform draw and one lookup per case for its
duration, and a bincount of each case's points into (path, team, step) difference arrays.
"""

from __future__ import annotations

import numpy as np

from ._forecast_model import Model

__all__ = ["WORK_FOR_PROGRESS", "expected_work", "simulate"]

#: Case draws (paths × cases) above which a progress bar is shown: a few seconds of work.
WORK_FOR_PROGRESS = 40_000_000


def expected_work(model: Model, n_paths: int, n_days: int) -> float:
    """Case draws the simulation will make: open cases plus expected arrivals, per path."""
    arrivals = float(model.arrival_rate[0].sum() * model.season.mean() * n_days)
    return n_paths * (len(model.open_age) + arrivals)


class _Steps:
    """Index of the first forecast date on or after a day (``len(days)`` past the last)."""

    def __init__(self, start: int, days: np.ndarray) -> None:
        self.start, self.last = start, int(days[-1])
        self.n = len(days)
        # dates after start number at most a few thousand days: one table, one gather per case
        self.table = np.searchsorted(days, np.arange(start, self.last + 2), side="left")

    def of(self, day: np.ndarray) -> np.ndarray:
        return self.table[np.clip(day, self.start, self.last + 1) - self.start]

    def close_day(self, opened: np.ndarray, duration: np.ndarray) -> np.ndarray:
        # a case is active on d while d < opened + duration, i.e. d < opened + ceil(duration)
        # (anything closing after the last date is simply still open on it)
        capped = np.minimum(np.ceil(duration), (self.last + 1 - opened).astype(float))
        return opened + capped.astype(np.int64)


def _open_load(
    model: Model, r: int, n_paths: int, n_teams: int, steps: _Steps, rng: np.random.Generator
) -> np.ndarray:
    """Load per (path, team, step) of the cases open on the start date."""
    n_t = steps.n
    if len(model.open_age) == 0:
        return np.zeros((n_paths, n_teams, n_t))
    dm = model.durations
    cell = dm.cell_at(model.open_group, model.open_age)
    u = rng.random((n_paths, len(model.open_age)))
    duration = dm.draw(r, model.open_group, model.open_age, u, cell=cell)
    stop = steps.of(steps.close_day(model.open_opened, duration))
    base = (np.arange(n_paths)[:, None] * n_teams + model.open_team) * (n_t + 1)
    weights = np.broadcast_to(model.open_points, stop.shape)
    closing = np.bincount(
        (base + stop).ravel(), weights=weights.ravel(), minlength=n_paths * n_teams * (n_t + 1)
    ).reshape(n_paths, n_teams, n_t + 1)
    # load on step k: points of the cases whose stop index is after k
    after = np.cumsum(closing[..., ::-1], axis=-1)[..., ::-1]
    return after[..., 1:]


def _new_load(
    model: Model, r: int, n_paths: int, n_teams: int, steps: _Steps, rng: np.random.Generator
) -> np.ndarray:
    """Load per (path, team, step) of the cases that arrive after the start date."""
    n_t, n_streams = steps.n, len(model.arrival_team)
    out = np.zeros((n_paths, n_teams, n_t))
    if n_streams == 0:
        return out
    days = np.arange(steps.start + 1, steps.last + 1)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    mean = model.arrival_rate[r][:, None] * model.season[months][None, :]
    counts = rng.poisson(mean, size=(n_paths, n_streams, len(days)))
    which = np.repeat(np.arange(counts.size), counts.ravel())
    if len(which) == 0:
        return out
    path, stream, day = np.unravel_index(which, counts.shape)
    keys = model.item_stream + model.item_cum
    item = np.searchsorted(keys, stream + rng.random(len(which)), side="right")
    group = model.item_group[item]
    duration = model.durations.draw(r, group, np.full(len(which), -1.0), rng.random(len(which)))
    opened = days[day]
    first = steps.of(opened)
    stop = steps.of(steps.close_day(opened, duration))
    base = (path * n_teams + model.arrival_team[stream]) * (n_t + 1)
    size = n_paths * n_teams * (n_t + 1)
    points = model.item_points[item]
    delta = np.bincount(base + first, weights=points, minlength=size)
    delta -= np.bincount(base + stop, weights=points, minlength=size)
    return np.cumsum(delta.reshape(n_paths, n_teams, n_t + 1), axis=-1)[..., :n_t]


def simulate(
    model: Model,
    start: int,
    days: np.ndarray,
    n_teams: int,
    n_paths: int,
    rng: np.random.Generator,
    progress: bool = False,
) -> np.ndarray:
    """Load per (path, team, forecast date): ``n_paths`` simulated futures."""
    from tqdm.auto import tqdm

    steps = _Steps(start, days)
    n_rep = model.durations.survival.shape[0]
    chunks = np.array_split(np.arange(n_paths), n_rep)
    load = np.empty((n_paths, n_teams, steps.n))
    with tqdm(total=n_paths, unit="path", desc="forecast", disable=not progress) as bar:
        for r, paths in enumerate(chunks):
            if len(paths) == 0:
                continue
            rows = slice(int(paths[0]), int(paths[-1]) + 1)
            load[rows] = _open_load(model, r, len(paths), n_teams, steps, rng)
            load[rows] += _new_load(model, r, len(paths), n_teams, steps, rng)
            bar.update(len(paths))
    return load
