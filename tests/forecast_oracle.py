"""The simple simulation that ``arbetstyngd.decide._forecast_sim`` replaced: its oracle.

The tests check that the fast simulation draws the same distribution: the same stop step
for the same uniform (mirrored), the same tables, and bands within Monte Carlo noise. It is
not used by the forecast itself.

Paths are simulated in chunks; each chunk uses one bootstrap replicate of the fitted model
(so the spread of the paths includes the uncertainty of the estimates). Within a chunk every
step is a numpy operation over paths × cases: a uniform draw and a lookup per case for when
it closes, and a bincount of each case's points into (path, team, step) difference arrays.
"""

from __future__ import annotations

import numpy as np

from arbetstyngd.decide._forecast_inverse import Inverse
from arbetstyngd.decide._forecast_model import Model
from arbetstyngd.decide._forecast_sim import Steps
from arbetstyngd.decide._survival import Sampler

__all__ = ["simulate"]


class _Steps(Steps):
    """The fast simulation's steps, with the day a case of a drawn duration stops."""

    def close_day(self, opened: np.ndarray, duration: np.ndarray) -> np.ndarray:
        # a case is active on d while d < opened + duration, i.e. d < opened + ceil(duration)
        # (anything closing after the last date is simply still open on it)
        capped = np.minimum(np.ceil(duration), (self.last + 1 - opened).astype(float))
        return opened + capped.astype(np.int64)


def _open_load(
    model: Model, draw: Sampler, n_paths: int, n_teams: int, steps: _Steps, rng: np.random.Generator
) -> np.ndarray:
    """Load per (path, team, step) of the cases open on the start date."""
    n_t = steps.n
    if len(model.open_age) == 0:
        return np.zeros((n_paths, n_teams, n_t))
    cell = model.durations.cell_at(model.open_group, model.open_age)
    u = rng.random((n_paths, len(model.open_age)))
    duration = draw.draw(model.open_group, model.open_age, u, cell=cell)
    stop = steps.of(steps.close_day(model.open_opened, duration))
    base = (np.arange(n_paths)[:, None] * n_teams + model.open_team) * (n_t + 1)
    weights = np.broadcast_to(model.open_points, stop.shape)
    closing = np.bincount(
        (base + stop).ravel(), weights=weights.ravel(), minlength=n_paths * n_teams * (n_t + 1)
    ).reshape(n_paths, n_teams, n_t + 1)
    # load on step k: points of the cases whose stop index is after k
    after = np.cumsum(closing[..., ::-1], axis=-1)[..., ::-1]
    return after[..., 1:]


def _stop_table(model: Model, r: int, steps: _Steps) -> Inverse:
    """For a new case of duration group g arriving in step j: the distribution of its stop.

    A case arriving on day ``a`` is active on date ``d_s`` while its duration exceeds
    ``d_s - a``, so ``P(stop <= s) = 1 - S(d_s - a)``; over the step's days (new cases come
    evenly within a step) that is the mean over ``a``. One table per replicate, with the
    tail, replaces a duration draw per new case by one lookup.
    """
    n_t, n_g = steps.n, model.durations.n_groups
    span = steps.last - steps.start
    x = np.arange(span + 1, dtype=float)
    grid = model.durations.survival_at(
        r, np.repeat(np.arange(n_g), span + 1), np.tile(x, n_g)
    ).reshape(n_g, span + 1)
    arrival = np.arange(steps.start + 1, steps.last + 1)
    lag = steps.days[None, :] - arrival[:, None]  # (arrival day, date)
    closed = np.where(lag >= 0, 1.0 - grid[:, np.maximum(lag, 0)], 0.0)  # (g, day, date)
    per_step = np.add.reduceat(closed, steps.first_day - steps.start - 1, axis=1)
    cdf = np.empty((n_g, n_t, n_t + 1))
    cdf[..., :n_t] = per_step / steps.n_days[None, :, None]
    cdf[..., n_t] = 1.0
    return Inverse(cdf.ravel(), np.arange(n_g * n_t + 1) * (n_t + 1))


def _new_load(
    model: Model,
    r: int,
    n_paths: int,
    n_teams: int,
    steps: _Steps,
    rng: np.random.Generator,
) -> np.ndarray:
    """Load per (path, team, step) of the cases that arrive after the start date.

    Counts per (path, stream, step) are Poisson with the stream's rate times the step's
    seasonal days; each new case then gets its item (points and duration group) from the
    stream's mix and the step it closes in from :func:`_stop_table`.
    """
    n_t, n_streams = steps.n, len(model.arrival_team)
    out = np.zeros((n_paths, n_teams, n_t))
    if n_streams == 0:
        return out
    mean = model.arrival_rate[r][:, None] * steps.seasonal_days(model.season[r])[None, :]
    counts = rng.poisson(mean, size=(n_paths, n_streams, n_t)).ravel()
    # per (path, stream, step) cell: its stream, step and row of the difference array
    cell_stream = np.tile(np.repeat(np.arange(n_streams), n_t), n_paths)
    cell_step = np.tile(np.arange(n_t), n_paths * n_streams)
    team = model.arrival_team[cell_stream]
    cell_row = (np.repeat(np.arange(n_paths), n_streams * n_t) * n_teams + team) * (n_t + 1)
    stream = np.repeat(cell_stream, counts)
    n_new = len(stream)
    if n_new == 0:
        return out
    step = np.repeat(cell_step, counts)
    row = np.repeat(cell_row, counts)
    item = model.items.find(stream, rng.random(n_new))
    table = _stop_table(model, r, steps)
    cdf_row = model.item_group[item] * n_t + step
    # 1 - u lies in (0, 1], so a stop before the arrival (probability 0) is never drawn
    stop = table.find(cdf_row, 1.0 - rng.random(n_new)) - cdf_row * (n_t + 1)
    size = n_paths * n_teams * (n_t + 1)
    points = model.item_points[item]
    delta = np.bincount(row + step, weights=points, minlength=size)
    delta -= np.bincount(row + stop, weights=points, minlength=size)
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
            draw = model.durations.sampler(r)
            load[rows] = _open_load(model, draw, len(paths), n_teams, steps, rng)
            load[rows] += _new_load(model, r, len(paths), n_teams, steps, rng)
            bar.update(len(paths))
    return load
