"""Forecast of load, capacity, utilisation and staff need, with bands, and its backtest.

The model (``docs/forecast.md``): open cases close by Kaplan–Meier duration distributions of
their type (and phase) conditioned on their age; new cases arrive per team and type as a
Poisson stream at the recent rate (seasonal by month with two years of history) and take
points and durations like the recent new cases; capacity comes from the engine on each date
(dated reductions, experience passing the scheme's breaks). A scenario's changes take
effect from their dates through the engine (``._forecast_scenario``).
"""

from __future__ import annotations

import warnings
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..errors import DataError, Phrase, Said, ThinHistoryWarning
from ..scheme import Scheme
from ..schemes import load_scheme
from ._forecast_engine import NAT_DAY, CaseArrays, read_cases, team_capacity, to_day, warn_rejected
from ._forecast_model import MIN_INFLOW_DAYS, fit_model
from ._forecast_result import BAND_COLUMNS, Backtest, Forecast, band_table
from ._forecast_scenario import Plan, plan_forecast
from ._forecast_sim import WORK_FOR_PROGRESS, expected_work, n_threads, simulate

__all__ = ["Backtest", "Forecast", "backtest", "forecast"]

#: Bootstrap replicates of the fitted model (at most; one per 25 paths); paths are split
#: evenly among them.
N_REPLICATES = 40
PATHS_PER_REPLICATE = 25


class ScenarioLike(Protocol):
    """What the forecast needs of a scenario: the inputs as they stand on a date."""

    def apply(
        self,
        cases: pd.DataFrame,
        workers: pd.DataFrame,
        teams: pd.DataFrame | None,
        scheme: Scheme,
        *,
        on: Any,
    ) -> Any: ...


def _days(value: Any, name: str, default: str) -> int:
    text = default if value is None else value
    try:
        days = pd.Timedelta(text).days
    except (TypeError, ValueError):
        raise ValueError(Said("err.length", name=name, value=repr(value))) from None
    if days < 1:
        raise ValueError(Said("err.length_short", name=name, value=repr(value)))
    return int(days)


def forecast_dates(start: int, horizon: Any, freq: str) -> pd.DatetimeIndex:
    """The forecast's dates: ``freq`` dates after ``start`` up to ``start + horizon``."""
    first = pd.Timestamp(np.datetime64(start + 1, "D"))
    last = pd.Timestamp(np.datetime64(start + _days(horizon, "horizon", "26W"), "D"))
    try:
        dates = pd.date_range(first, last, freq=freq)
    except (TypeError, ValueError):
        raise ValueError(Said("err.freq", freq=repr(freq))) from None
    if len(dates) == 0:
        raise ValueError(Said("err.no_dates", freq=repr(freq), horizon=repr(horizon)))
    return dates


def _history(data: CaseArrays, n_rows: int) -> tuple[int, int]:
    """First and last day of the history (earliest opened, latest opened or closed)."""
    if len(data.opened) == 0:
        raise DataError(
            Said("err.forecast_no_case", rows=str(n_rows), rejected=str(len(data.rejected))),
            failures=data.rejected,
        )
    closed = data.closed[data.closed != NAT_DAY]
    last = max(int(data.opened.max()), int(closed.max()) if len(closed) else NAT_DAY)
    return int(data.opened.min()), last


def _check_start(start: int, first: int, last: int) -> None:
    if not first <= start <= last:
        day = lambda d: str(np.datetime64(d, "D"))  # noqa: E731
        raise DataError(
            Said("err.forecast_start", first=day(first), last=day(last), start=day(start))
        )


def _capacity(
    inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, Scheme],
    reductions: pd.DataFrame | None,
    dates: pd.DatetimeIndex,
) -> pd.DataFrame:
    """Capacity per team and date (from the engine's capacity chain)."""
    _, workers, teams, scheme = inputs
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    out = team_capacity(workers, scheme, teams, reductions, days)
    out.columns = dates
    return out


def _check_scenario(scenario: Any, start: int, dates: pd.DatetimeIndex) -> None:
    """A scenario must have ``apply``, and its changes must be dated within the horizon."""
    if scenario is None:
        return
    if not callable(getattr(scenario, "apply", None)):
        raise TypeError(
            "'scenario' must be a Scenario (an object with apply(cases, workers, teams, "
            f"scheme, *, on)); got {type(scenario).__name__}"
        )
    check = getattr(scenario, "check_dates", None)
    if callable(check):
        first = pd.Timestamp(np.datetime64(start, "D"))
        check(first, dates[-1], Said("err.what.forecast_horizon"))


def _run(
    data: CaseArrays,
    inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, Scheme],
    reductions: pd.DataFrame | None,
    start: int,
    dates: pd.DatetimeIndex,
    *,
    n_paths: int,
    window: int,
    rng: np.random.Generator,
    progress: bool | None,
    scenario: ScenarioLike | None = None,
    capacity: pd.DataFrame | None = None,
    n_jobs: int | None = None,
) -> tuple[np.ndarray, Plan]:
    """Fit on the history up to ``start``, apply the scenario through the engine, simulate."""
    replicates = int(np.clip(n_paths // PATHS_PER_REPLICATE, 1, N_REPLICATES))
    model = fit_model(data, start, window, replicates, rng)
    plan = plan_forecast(inputs, reductions, data, model, start, dates, scenario, capacity)
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    if progress is None:
        progress = expected_work(model, n_paths, int(days[-1] - start)) > WORK_FOR_PROGRESS
    load = simulate(
        plan.model, plan.known, start, days, len(plan.team_ids), n_paths, rng, progress,
        item_points=plan.item_points, n_jobs=n_jobs,
    )  # fmt: skip
    return load, plan


def forecast(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme | str,
    *,
    teams: pd.DataFrame | None = None,
    start: Any,
    horizon: Any = "26W",
    freq: str = "W",
    n_paths: int = 1000,
    scenario: ScenarioLike | None = None,
    random_state: int | np.random.Generator | None = None,
    reductions: pd.DataFrame | None = None,
    window: Any = "365D",
    progress: bool | None = None,
    n_jobs: int | None = None,
) -> Forecast:
    """Load, capacity, utilisation and staff need per team and date ahead, with bands.

    Parameters
    ----------
    cases, workers, scheme, teams, reductions
        As for :func:`arbetstyngd.score`. ``cases`` is the history: open and closed cases
        with their open and close dates (only what was known on ``start`` is used).
    start : date-like
        The last day of history; the forecast's dates come after it. It must lie within
        the history (from the earliest opened to the latest opened or closed date).
    horizon : str, default "26W"
        How far ahead, as a pandas length of time ("26W", "182D").
    freq : str, default "W"
        The dates' pandas frequency ("W" Sundays, "W-MON", "MS" month starts, "D").
    n_paths : int, default 1000
        Simulated futures; bands are percentiles over them.
    scenario : Scenario, optional
        Changes dated from ``start`` to the last forecast date (a change dated outside is a
        :class:`~arbetstyngd.ScenarioError` naming it): anything with ``apply(cases,
        workers, teams, scheme, *, on)`` returning the inputs on that date. Each change
        takes effect on the first forecast date on or after its date, through the engine as
        in :func:`~arbetstyngd.what_if`: hires, leaves, fte, reductions, managers and the
        normal load change capacity; moves and leaves give open cases another team; a weight
        change gives open and new cases other points; an inflow adds its cases on its date,
        which then close like the type's new cases. New cases arrive in the teams that
        received them in the history.
    random_state : int or numpy Generator, optional
        Seed for reproducible paths.
    window : str, default "365D"
        The recent history whose inflow gives the arrival rates.
    progress : bool, optional
        Show a progress bar; by default only when the paths take more than a few seconds.
    n_jobs : int, optional
        Threads for the simulation (None: one; -1: every core). The paths are the same
        whatever the number: each chunk of paths has its own random stream.

    Returns
    -------
    Forecast
        ``.table``: one row per team (and the unit), date and measure with ``median`` and
        the 80 % (``low80``, ``high80``) and 95 % (``low95``, ``high95``) bands. Staff need
        is the full-time equivalents at utilisation 1.0: load / the scheme's normal load.

    Warns
    -----
    ThinHistoryWarning
        A case type has fewer than 20 closed cases, or there are under six months of inflow.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> h = at.datasets.make_history(n_workers=8, n_teams=2, seed=0)
    >>> fc = at.forecast(h.cases, h.workers, h.scheme, teams=h.teams, start="2025-06-30",
    ...                  horizon="8W", n_paths=200, random_state=0)
    >>> sorted(fc.table["measure"].unique())
    ['capacity', 'load', 'staff_need', 'utilisation']
    >>> u = fc.measure("utilisation", level="unit")
    >>> bool((u["low95"] <= u["median"]).all() and (u["median"] <= u["high95"]).all())
    True
    """
    scheme = load_scheme(scheme)  # a Scheme as it is, else by name or path
    n_paths = _n_paths(n_paths)
    n_threads(n_jobs)  # a bad value is an error before any work
    start_day = to_day(start, "start")
    dates = forecast_dates(start_day, horizon, freq)
    window_days = _days(window, "window", "365D")
    data = read_cases(cases, workers, scheme, teams, reductions)
    first, last = _history(data, len(cases))
    _check_start(start_day, first, last)
    _check_scenario(scenario, start_day, dates)
    if getattr(scenario, "is_empty", False):
        scenario = None  # nothing changes: the forecast without one, to the bit
    rng = np.random.default_rng(random_state)
    load, plan = _run(
        data, (cases, workers, teams, scheme), reductions, start_day, dates,
        n_paths=n_paths, window=window_days, rng=rng, progress=progress, scenario=scenario,
        n_jobs=n_jobs,
    )  # fmt: skip
    cap = plan.capacity
    table = band_table(load, cap.to_numpy(), plan.team_ids, dates, plan.normal_load)
    warn_rejected(data.rejected, "warn.where.forecast")
    return Forecast(
        table=table,
        load_paths=load,
        capacity=cap,
        start=pd.Timestamp(np.datetime64(start_day, "D")),
        scheme=scheme.id,
        notes=plan.model.notes,
        rejected=data.rejected,
    )


def _n_paths(n_paths: Any) -> int:
    if isinstance(n_paths, bool) or not isinstance(n_paths, int | np.integer) or n_paths < 1:
        raise ValueError(Said("err.n_paths", value=repr(n_paths)))
    return int(n_paths)


def _origins(
    origins: Any, n_origins: int, first: int, last: int, horizon: int, window: int
) -> np.ndarray:
    """Backtest origins: given, or ``n_origins`` evenly spaced where a full horizon follows."""
    latest = last - horizon
    if origins is not None:
        days = np.array([to_day(o, "origins") for o in origins], dtype=np.int64)
        bad = days[(days < first) | (days > latest)]
        if len(days) == 0 or len(bad):
            raise DataError(
                f"'origins' must be dates from {np.datetime64(first, 'D')} to "
                f"{np.datetime64(latest, 'D')} (a full horizon of realised history after each; "
                f"got {', '.join(str(np.datetime64(int(d), 'D')) for d in bad) or 'none'})"
            )
        return days
    earliest = first + max(window, MIN_INFLOW_DAYS)
    if latest < earliest:
        raise DataError(
            f"the history in 'cases' is too short for a backtest: each origin needs "
            f"{max(window, MIN_INFLOW_DAYS)} days of history before it and the horizon "
            f"({horizon} days) after it (got {last - first} days in all)"
        )
    if isinstance(n_origins, bool) or not isinstance(n_origins, int) or n_origins < 1:
        raise ValueError(f"'n_origins' must be a whole number of at least 1 (got {n_origins!r})")
    return np.unique(np.round(np.linspace(earliest, latest, n_origins)).astype(np.int64))


def _realised(tl: pd.DataFrame) -> pd.DataFrame:
    """Realised utilisation per (date, team) and for the unit (a ratio of sums)."""
    teams = tl[["date", "team_id", "utilisation"]].assign(level="team")
    sums = tl.groupby("date", sort=True)[["load", "capacity"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        unit_util = np.where(sums["capacity"] > 0, sums["load"] / sums["capacity"], np.nan)
    unit = pd.DataFrame(
        {"date": sums.index, "team_id": None, "utilisation": unit_util, "level": "unit"}
    )
    return pd.concat([teams, unit], ignore_index=True).rename(columns={"utilisation": "realised"})


def _from_origins(
    data: CaseArrays,
    frames: tuple[Any, Any, Any, Scheme],
    reductions: pd.DataFrame | None,
    every: dict[Any, pd.DatetimeIndex],
    capacity: pd.DataFrame,
    *,
    n_paths: int,
    window: int,
    rng: np.random.Generator,
) -> tuple[list[pd.DataFrame], dict[str, ThinHistoryWarning]]:
    """The utilisation bands forecast from each origin, and each distinct thin-history note.

    A note that holds at several origins is said once (``warn.at_origins``), not per origin.
    """
    parts = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ThinHistoryWarning)
        for o, dates in every.items():
            load, plan = _run(
                data, frames, reductions, int(o), dates,
                n_paths=n_paths, window=window, rng=rng, progress=False,
                capacity=capacity[dates],
            )  # fmt: skip
            cap = plan.capacity.to_numpy()
            bands = band_table(load, cap, plan.team_ids, dates, plan.normal_load)
            bands = bands[bands["measure"] == "utilisation"].drop(columns="measure")
            step = {d: i + 1 for i, d in enumerate(dates)}
            parts.append(
                bands.assign(
                    origin=pd.Timestamp(np.datetime64(int(o), "D")), step=bands["date"].map(step)
                )
            )
    thin = [w.message for w in caught if isinstance(w.message, ThinHistoryWarning)]
    notes = {str(w): w for w in thin}
    for note in notes.values():
        said = Phrase(note.key, note.values) if note.key else str(note)
        warnings.warn(ThinHistoryWarning.of("warn.at_origins", note=said), stacklevel=3)
    return parts, notes


def backtest(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme | str,
    *,
    teams: pd.DataFrame | None = None,
    reductions: pd.DataFrame | None = None,
    origins: Any = None,
    n_origins: int = 20,
    horizon: Any = "26W",
    freq: str = "W",
    n_paths: int = 500,
    window: Any = "365D",
    random_state: int | np.random.Generator | None = None,
) -> Backtest:
    """Rerun the forecast from past dates of the history and count how often reality fell
    inside its bands.

    From each origin the forecast sees only what was known then (cases opened later are
    unknown, later close dates are hidden); the realised team utilisation on each forecast
    date comes from :func:`arbetstyngd.timeline` on the whole history. A well-calibrated
    forecast has about 80 % of the realised figures inside the 80 % band and 95 % inside
    the 95 % band.

    Parameters
    ----------
    origins : sequence of date-like, optional
        The start dates; by default ``n_origins`` evenly spaced dates with ``window`` days of
        history before and a full ``horizon`` after each.
    cases, workers, scheme, teams, reductions, horizon, freq, n_paths, window, random_state
        As for :func:`forecast`.

    Returns
    -------
    Backtest
        ``.table`` per origin, date and team (and the unit) with the realised utilisation,
        the bands and ``inside80`` / ``inside95``; ``.coverage`` the shares per level.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> h = at.datasets.make_history(n_workers=8, n_teams=2, seed=0)
    >>> bt = at.forecast.backtest(h.cases, h.workers, h.scheme, teams=h.teams, n_origins=3,
    ...                           horizon="8W", n_paths=100, random_state=0)
    >>> list(bt.coverage.columns)
    ['n', 'inside80', 'inside95']
    """
    from .._engine.timeline import timeline

    scheme = load_scheme(scheme)  # a Scheme as it is, else by name or path
    n_paths = _n_paths(n_paths)
    data = read_cases(cases, workers, scheme, teams, reductions)
    first, last = _history(data, len(cases))
    horizon_days, window_days = _days(horizon, "horizon", "26W"), _days(window, "window", "365D")
    days = _origins(origins, n_origins, first, last, horizon_days, window_days)
    every = {o: forecast_dates(int(o), horizon, freq) for o in days}
    union = pd.DatetimeIndex(sorted(set().union(*(set(d) for d in every.values()))))
    capacity = _capacity((cases, workers, teams, scheme), reductions, union)
    rng = np.random.default_rng(random_state)
    parts, notes = _from_origins(
        data, (cases, workers, teams, scheme), reductions, every, capacity,
        n_paths=n_paths, window=window_days, rng=rng,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rejected rows: the caller sees them in a score
        tl = timeline(
            cases, workers, scheme, dates=union, teams=teams, reductions=reductions, level="team"
        )
    table = pd.concat(parts, ignore_index=True)
    table = table.merge(_realised(tl), on=["date", "level", "team_id"], how="left")
    table = table[table["realised"].notna() & table["median"].notna()].reset_index(drop=True)
    table["inside80"] = table["low80"].le(table["realised"]) & table["realised"].le(table["high80"])
    table["inside95"] = table["low95"].le(table["realised"]) & table["realised"].le(table["high95"])
    order = [
        "origin",
        "date",
        "step",
        "level",
        "team_id",
        "realised",
        *BAND_COLUMNS,
        "inside80",
        "inside95",
    ]
    table = table[order]
    coverage = table.groupby("level", sort=True).agg(
        n=("realised", "size"), inside80=("inside80", "mean"), inside95=("inside95", "mean")
    )
    return Backtest(
        table=table,
        coverage=coverage,
        origins=pd.DatetimeIndex(days.astype("datetime64[D]")),
        notes=tuple(notes),
    )


# at.forecast.backtest(...): the backtest sits beside the function it checks
setattr(forecast, "backtest", backtest)  # noqa: B010
