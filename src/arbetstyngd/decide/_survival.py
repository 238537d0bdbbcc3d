"""Case durations with right-censoring: Kaplan–Meier per group, with an explicit tail.

A case still open when the history ends is *censored*: it has lasted at least its age, and
the Kaplan–Meier estimator counts it as at risk up to that age. The estimate ends at the
longest observed time; beyond it the survival is continued with a constant hazard (an
exponential tail) whose rate comes from the longest quarter of the group's observations, so
that a case older than anything closed in the history still has a finite remaining duration.

All groups are estimated at once on one grid of (group, time) cells, so a bootstrap replicate
(the same data with Poisson(1) weights) costs a few numpy passes, not a loop over groups.
"""

from __future__ import annotations

import functools
from typing import Any

import attrs
import numpy as np

from ._forecast_inverse import Inverse

__all__ = ["DurationModel", "Sampler", "fit_durations", "kaplan_meier"]

#: Quantile of each group's observed times from which the tail rate is estimated.
TAIL_FROM = 0.75


def kaplan_meier(
    durations: np.ndarray, observed: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The Kaplan–Meier survival function of one sample.

    Parameters
    ----------
    durations : array of float
        Time to close, or to the end of the history for a censored case.
    observed : array of bool
        True where the case closed (an event), False where it is still open (censored).
    weights : array of float, optional
        Case weights (a bootstrap replicate); 1 for each case by default.

    Returns
    -------
    times, survival : arrays
        The distinct times and ``S(t) = P(duration > t)`` just after each of them.

    Examples
    --------
    >>> t, s = kaplan_meier(np.array([2.0, 3, 3, 5]), np.array([True, True, False, True]))
    >>> t.tolist(), s.round(4).tolist()
    ([2.0, 3.0, 5.0], [0.75, 0.5, 0.0])
    """
    model = fit_durations(
        np.zeros(len(durations), dtype=np.intp), durations, observed, n_groups=1, weights=weights
    )
    # the model gives every group a cell at time 0; keep only the times observed
    keep = np.isin(model.times, durations)
    return model.times[keep], model.survival[0][keep]


@attrs.frozen(eq=False)
class DurationModel:
    """Survival per group on a shared grid, for one or more bootstrap replicates.

    Attributes
    ----------
    times : array, shape (n_cells,)
        The distinct observed times, group by group, increasing within a group.
    bounds : array, shape (n_groups + 1,)
        Group ``g`` owns cells ``bounds[g]:bounds[g + 1]``.
    survival : array, shape (n_replicates, n_cells)
        ``S(t)`` just after each cell's time.
    t_max, tail_rate : arrays, shape (n_groups,)
        The longest observed time and the constant hazard beyond it (per day).
    n_closed : array, shape (n_groups,)
        Closed cases per group (unweighted).
    """

    times: np.ndarray
    bounds: np.ndarray
    survival: np.ndarray
    t_max: np.ndarray
    tail_rate: np.ndarray
    n_closed: np.ndarray

    @property
    def n_groups(self) -> int:
        return len(self.bounds) - 1

    @functools.cached_property
    def times_ext(self) -> np.ndarray:
        """``times`` with a sentinel after the last cell (a lookup past the end lands there)."""
        return np.append(self.times, np.inf)

    def cell_at(self, group: np.ndarray, age: np.ndarray) -> np.ndarray:
        """Index of the last cell of ``group`` at or before ``age``; -1 when there is none."""
        scale = float(self.times.max(initial=0.0)) + 2.0
        keys = np.repeat(np.arange(self.n_groups), np.diff(self.bounds)) * scale + self.times
        i = np.searchsorted(keys, group * scale + np.minimum(age, scale - 1.0), side="right") - 1
        return np.where(i >= self.bounds[group], i, -1)

    def survival_at(self, replicate: int, group: np.ndarray, age: np.ndarray) -> np.ndarray:
        """``S(age)`` per case, the tail included (``age < 0`` gives 1)."""
        cell = self.cell_at(group, age)
        s = np.where(cell >= 0, self.survival[replicate][np.maximum(cell, 0)], 1.0)
        beyond = age > self.t_max[group]
        return np.where(beyond, s * np.exp(-self.tail_rate[group] * (age - self.t_max[group])), s)

    def locate(self, group: np.ndarray, age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where :meth:`survival_at` reads each ``S(age)``, independent of the replicate.

        Returns ``cell`` and ``factor`` with ``survival_at(r, group, age)`` equal to
        ``surv1[cell] * factor``, where ``surv1`` is ``survival[r]`` with a 1.0 appended
        (the cell of an age before the group's first time) and ``factor`` the tail's decay.
        """
        cell = self.cell_at(group, age)
        cell = np.where(cell >= 0, cell, self.survival.shape[1])
        beyond = age > self.t_max[group]
        with np.errstate(over="ignore"):
            decay = np.exp(-self.tail_rate[group] * np.where(beyond, age - self.t_max[group], 0.0))
        return cell, np.where(beyond, decay, 1.0)

    def sampler(self, replicate: int) -> Sampler:
        """Draws from one replicate's survival curves."""
        return Sampler(self, replicate)

    def draw(self, replicate: int, group: np.ndarray, age: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Total durations of cases that have lasted ``age`` (see :meth:`Sampler.draw`)."""
        return self.sampler(replicate).draw(group, age, u)


class Sampler:
    """Inverse-transform draws of durations from one replicate of a :class:`DurationModel`."""

    def __init__(self, model: DurationModel, replicate: int) -> None:
        self.model = model
        self.surv = model.survival[replicate]
        self.inverse = Inverse(1.0 - self.surv, model.bounds)

    def draw(
        self, group: np.ndarray, age: np.ndarray, u: np.ndarray, cell: np.ndarray | None = None
    ) -> np.ndarray:
        """Total durations of cases that have lasted ``age`` days.

        Inverse transform on the conditional survival ``S(t) / S(age)``: with ``u`` uniform
        in [0, 1), the duration is the first time at which ``S(t) <= u * S(age)``; past the
        longest observed time, the tail's constant hazard. ``group`` and ``age`` are per
        case; ``u`` has the cases on its last axis (paths × cases); ``cell`` is
        :meth:`DurationModel.cell_at` of the cases, passed in when drawing many times.
        """
        m = self.model
        if cell is None:
            cell = m.cell_at(group, age)
        s_age = np.where(cell >= 0, self.surv[np.maximum(cell, 0)], 1.0)
        # u = 0 (one draw in 2**53) gives an infinite duration: the case stays open
        target = u * s_age
        out = self._invert(group, 1.0 - target, lambda where: target[where])
        # a case older than anything observed: a memoryless remaining time from the tail
        old = np.flatnonzero(age >= m.t_max[group])
        if len(old):
            with np.errstate(divide="ignore"):
                out[..., old] = age[old] - np.log(u[..., old]) / m.tail_rate[group[old]]
        return out

    def draw_new(self, group: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Durations of new cases (age 0), one per entry of ``group``.

        The same inverse transform as :meth:`draw` with ``S(age) = 1``, written with
        ``1 - u`` (as uniform as ``u``) to spare tens of millions of operations.
        """
        return self._invert(group, u, lambda where: 1.0 - u[where])

    def _invert(self, group: np.ndarray, x: np.ndarray, target_at: Any) -> np.ndarray:
        """The first time with ``1 - S >= x``; the exponential tail where S never gets there."""
        m = self.model
        j = self.inverse.find(group, x)
        out = m.times_ext[j]
        where = np.nonzero(j >= m.bounds[group + 1])  # past the group's last cell
        if len(where[0]):
            g = np.broadcast_to(group, j.shape)[where]
            s_max = self.surv[m.bounds[g + 1] - 1]
            with np.errstate(divide="ignore", invalid="ignore"):
                out[where] = m.t_max[g] + np.log(s_max / target_at(where)) / m.tail_rate[g]
        return out


def fit_durations(
    group: np.ndarray,
    durations: np.ndarray,
    observed: np.ndarray,
    *,
    n_groups: int,
    weights: np.ndarray | None = None,
    resample: int = 0,
    rng: np.random.Generator | None = None,
) -> DurationModel:
    """Kaplan–Meier per group (and per row of ``weights``: one replicate each).

    ``weights`` has shape ``(n_cases,)`` or ``(n_replicates, n_cases)``. ``resample`` adds
    that many bootstrap replicates with Poisson(1) case weights, drawn with ``rng`` per cell
    rather than per case: a cell's weighted count of closed (or of censored) cases is a sum
    of Poisson(1) weights, so Poisson with the cell's count as mean — the same distribution
    for a fraction of the draws. Groups without any observation get one cell at time 0 with
    survival 1 and no tail: callers check :attr:`DurationModel.n_closed` before drawing.
    """
    group = np.asarray(group, dtype=np.intp)
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    w = np.ones((1, len(durations))) if weights is None else np.atleast_2d(weights).astype(float)
    # every group gets a cell at time 0 so that empty groups still own a cell
    g_all = np.concatenate([group, np.arange(n_groups)])
    t_all = np.concatenate([durations, np.zeros(n_groups)])
    cell, cell_group, times, order = group_time_cells(g_all, t_all)
    cell = cell[: len(group)]
    bounds = np.searchsorted(cell_group, np.arange(n_groups + 1))
    n_cells = len(times)
    # per replicate: weighted closed (d) and all (c) cases per cell
    d = np.vstack([np.bincount(cell, weights=wr * observed, minlength=n_cells) for wr in w])
    c = np.vstack([np.bincount(cell, weights=wr, minlength=n_cells) for wr in w])
    if resample:
        if rng is None:
            raise ValueError("'rng' is needed to resample")
        d0 = np.bincount(cell, weights=observed, minlength=n_cells)
        c0 = np.bincount(cell, minlength=n_cells).astype(float)
        d = np.vstack([d, _bootstrap_counts(rng, d0, resample)])
        c = np.vstack([c, d[len(w) :] + _bootstrap_counts(rng, c0 - d0, resample)])
    survival = np.empty((len(d), n_cells))
    for r in range(len(d)):
        survival[r] = _km_cells(d[r], c[r], cell_group, bounds)
    t_max = times[bounds[1:] - 1]
    return DurationModel(
        times=times,
        bounds=bounds,
        survival=survival,
        t_max=t_max,
        # the cases in (group, time) order: the sort above without the added cells
        tail_rate=_tail_rates(group, durations, observed, n_groups, order[order < len(group)]),
        n_closed=np.bincount(group, weights=observed, minlength=n_groups).astype(np.int64),
    )


def _bootstrap_counts(rng: np.random.Generator, mean: np.ndarray, rows: int) -> np.ndarray:
    """``rows`` draws of Poisson counts with ``mean`` per cell; only cells of mean > 0 draw
    (most cells have no censored case, and a zero mean still costs a draw)."""
    out = np.zeros((rows, len(mean)))
    where = np.flatnonzero(mean > 0)
    out[:, where] = rng.poisson(mean[where], (rows, len(where)))
    return out


def group_time_cells(
    group: np.ndarray, time: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (group, time) pairs, in (group, time) order: each entry's cell, each
    cell's group and time, and the order that sorts the entries.

    One sort of a single key ``group * scale + time`` is several times faster than a
    lexsort; where rounding or negative times could have mixed two groups or two times, the
    order is checked and the lexsort done after all.
    """
    scale = float(np.max(time, initial=0.0)) + 2.0
    order = np.argsort(group * scale + time)
    g_s, t_s = group[order], time[order]
    same = g_s[1:] == g_s[:-1]
    if not ((g_s[1:] >= g_s[:-1]) & (~same | (t_s[1:] >= t_s[:-1]))).all():
        order = np.lexsort((time, group))
        g_s, t_s = group[order], time[order]
    new = np.r_[True, (g_s[1:] != g_s[:-1]) | (t_s[1:] != t_s[:-1])]
    cell = np.empty(len(order), dtype=np.intp)
    cell[order] = np.cumsum(new) - 1
    return cell, g_s[new], t_s[new], order


def _km_cells(
    d: np.ndarray, c: np.ndarray, cell_group: np.ndarray, bounds: np.ndarray
) -> np.ndarray:
    """Kaplan–Meier survival per cell from the closed (``d``) and all (``c``) counts."""
    # at risk at a cell: everyone of the group whose time is at or after it
    cs = np.cumsum(c)
    at_risk = cs[bounds[1:] - 1][cell_group] - (cs - c)
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(at_risk > 0, d / at_risk, 0.0)
        # a group whose survival reaches 0 gets a large finite log (exp gives exactly 0),
        # so that the cumulative sum stays finite for the groups after it
        log_s = np.maximum(np.log1p(-np.minimum(hazard, 1.0)), -1000.0)
    cum = np.cumsum(log_s)
    start_cum = (cum - log_s)[bounds[:-1]]
    return np.exp(cum - np.repeat(start_cum, np.diff(bounds)))


def _tail_rates(
    group: np.ndarray,
    durations: np.ndarray,
    observed: np.ndarray,
    n_groups: int,
    order: np.ndarray,
) -> np.ndarray:
    """Constant hazard per group from its longest observations (exponential MLE).

    Over the cases whose time passes the group's 75th percentile ``q``: closed cases divided
    by days lived beyond ``q``. Where that part has no closed case, the whole group's rate
    (closed cases over all days lived) is used; a group with no closed case gets rate 0.
    ``order`` sorts the cases by group and time.
    """
    rates = np.zeros(n_groups)
    g_sorted, t_sorted, e_sorted = group[order], durations[order], observed[order]
    starts = np.searchsorted(g_sorted, np.arange(n_groups + 1))
    for g in range(n_groups):  # a loop over the few groups, not over cases
        t = t_sorted[starts[g] : starts[g + 1]]
        e = e_sorted[starts[g] : starts[g + 1]]
        if not e.any():
            continue
        q = float(np.quantile(t, TAIL_FROM))
        late = t > q
        exposure, events = float((t[late] - q).sum()), int(e[late].sum())
        if events == 0 or exposure <= 0:
            exposure, events = float(t.sum()), int(e.sum())
        rates[g] = events / max(exposure, 1.0)
    return rates
