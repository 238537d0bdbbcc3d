"""Synthetic time logs and workload-rating surveys with a known truth.

Both generators start from a synthetic municipality (:func:`arbetstyngd.datasets.
make_municipality`) and its scheme, the truth: the exposure of each worker to each weight row
in each study period comes from :func:`arbetstyngd.calibrate.features`, so the truth and the
calibrators see the caseload the same way. Everything is invented.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..scheme import Scheme
from ..schemes import load_scheme
from .municipality import TEAM_NAMES, Municipality, make_municipality

#: The truth of the calibration study design in the tests, benchmark and docs: four case
#: types of very different weight and share, and an experience factor to recover.
STUDY_SCHEME = Scheme.from_dict(
    {
        "name": "mini",
        "version": "1",
        "capacity": 120,
        "weights": [
            {"case_type": "intake", "weight": 2},
            {"case_type": "utredning", "weight": 10},
            {"case_type": "insats", "weight": 6},
            {"case_type": "placering", "weight": 14},
        ],
        "adjustments": [
            {
                "covariate": "experience_years",
                "name": "experience",
                "breaks": [1.0],
                "factors": [0.75, 1.0],
            }
        ],
    }
)


__all__ = [
    "STUDY_SCHEME",
    "Survey",
    "TimeLog",
    "make_ratings",
    "make_specialised_municipality",
    "make_time_log",
]

#: Share of a full-time worker's hours left for casework after leave, training and admin.
CASEWORK_SHARE = 0.6
MINUTES_PER_WEEK = 40 * 60


@attrs.frozen(eq=False)
class TimeLog:
    """A synthetic time study and its truth.

    Attributes
    ----------
    log : DataFrame
        One row per (worker, period, weight row) entry: ``worker_id``, ``period``,
        ``case_type``, ``phase``, ``minutes``; rows without a case type are non-case time.
    totals : DataFrame
        Casework minutes per (worker, period) that answered: ``worker_id``, ``period``,
        ``minutes``.
    minutes : Series
        The true minutes per case and period of mean length, by load column.
    available_minutes_per_fte : float
        Casework minutes of a full-time worker in a period of mean length.
    start, end : Timestamp
        The study window; ``periods`` its frequency.
    """

    log: pd.DataFrame
    totals: pd.DataFrame
    minutes: pd.Series
    available_minutes_per_fte: float
    start: pd.Timestamp
    end: pd.Timestamp
    periods: str


@attrs.frozen(eq=False)
class Survey:
    """A synthetic workload-rating survey and its truth.

    Attributes
    ----------
    ratings : DataFrame
        ``worker_id``, ``period``, ``rating`` (NaN where the worker did not answer).
    scheme : Scheme
        The true scheme: ratings respond to utilisation under it.
    scale : tuple of int
        The rating scale ``(low, high)``; ``optimum`` is the "balanced" answer.
    leniency : Series
        Each worker's true offset (some people always answer higher).
    utilisation : Series
        True utilisation per (worker, period) row of the study.
    start, end : Timestamp
        The study window; ``periods`` its frequency.
    """

    ratings: pd.DataFrame
    scheme: Scheme
    scale: tuple[float, float]
    optimum: float
    slope: float
    leniency: pd.Series
    utilisation: pd.Series
    start: pd.Timestamp
    end: pd.Timestamp
    periods: str


def _window(town: Municipality, start: Any, end: Any, months: int) -> tuple[Any, Any]:
    end_ts = pd.Timestamp(town.end if end is None else end).normalize()
    start_ts = (
        (end_ts + pd.Timedelta(days=1) - pd.DateOffset(months=months)).normalize()
        if start is None
        else pd.Timestamp(start).normalize()
    )
    return start_ts, end_ts


def _study_features(
    town: Municipality, periods: str, start: Any, end: Any
) -> tuple[pd.DataFrame, list[str]]:
    import warnings

    from ..calibrate import features
    from ..errors import RejectedRowsWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RejectedRowsWarning)
        X = features(
            town.cases,
            town.workers,
            teams=town.teams,
            scheme=town.scheme,
            periods=periods,
            start=start,
            end=end,
        )
    return X, [c for c in X.columns if c.startswith("cases:")]


def _true_weights(scheme: Scheme, columns: list[str]) -> np.ndarray:
    from ..calibrate import parse_load_column

    return np.array([scheme.weight_of(*parse_load_column(c)) for c in columns])


def make_time_log(
    town: Municipality,
    *,
    periods: str = "M",
    start: Any = None,
    end: Any = None,
    months: int = 6,
    casework_share: float = CASEWORK_SHARE,
    speed_sd: float = 0.15,
    noise_sd: float = 0.25,
    response_rate: float = 0.9,
    admin_share: float = 0.3,
    seed: int = 0,
) -> TimeLog:
    """A time log of the municipality's caseworkers over a study window.

    Examples
    --------
    >>> from arbetstyngd.datasets import make_municipality
    >>> town = make_municipality(n_workers=8, n_teams=2, seed=0)
    >>> study = make_time_log(town, months=2, seed=0)
    >>> list(study.log.columns)
    ['worker_id', 'period', 'case_type', 'phase', 'minutes']

    A case of weight ``w`` points takes ``w * available / P`` minutes per period, where
    ``available`` is the casework minutes of a full-time worker (40 h a week times
    ``casework_share``) and ``P`` the scheme's capacity: a worker at normal load logs all of
    their casework time. Each worker works at their own speed (log-normal, mean 1, sd
    ``speed_sd``), each entry has log-normal noise (``noise_sd``), some (worker, period)
    pairs log nothing (``response_rate``), and every answering worker also logs non-case time
    (``admin_share`` of their casework minutes, without a case type). Minutes are rounded to 5.
    """
    rng = np.random.default_rng(seed)
    start, end = _window(town, start, end, months)
    X, cols = _study_features(town, periods, start, end)
    days = X["days"].to_numpy(dtype=float)
    mean_days = float(days.mean())
    available = casework_share * MINUTES_PER_WEEK * mean_days / 7.0
    per_day = _true_weights(town.scheme, cols) * available / town.scheme.capacity / mean_days
    workers = X["worker_id"].to_numpy(dtype=object)
    codes, uniq = pd.factorize(pd.Series(workers))
    speed = rng.lognormal(-(speed_sd**2) / 2, speed_sd, len(uniq))[codes]
    exposure = X[cols].to_numpy(dtype=float)
    expected = exposure * days[:, None] * per_day[None, :] * speed[:, None]
    noise = rng.lognormal(-(noise_sd**2) / 2, noise_sd, expected.shape)
    minutes = np.round(expected * noise / 5.0) * 5.0
    answered = rng.random(len(X)) < response_rate

    r_idx, c_idx = np.nonzero((minutes > 0) & answered[:, None])
    from ..calibrate import parse_load_column

    parsed = [parse_load_column(c) for c in cols]
    period_text = X["period"].astype(str).to_numpy()
    entries = pd.DataFrame(
        {
            "worker_id": workers[r_idx],
            "period": period_text[r_idx],
            "case_type": np.array([p[0] for p in parsed], dtype=object)[c_idx],
            "phase": np.array([p[1] for p in parsed], dtype=object)[c_idx],
            "minutes": minutes[r_idx, c_idx],
        }
    )
    casework = minutes.sum(axis=1)
    a_idx = np.flatnonzero(answered)
    admin = pd.DataFrame(
        {
            "worker_id": workers[a_idx],
            "period": period_text[a_idx],
            "case_type": None,
            "phase": None,
            "minutes": np.round(casework[a_idx] * admin_share / 5.0) * 5.0,
        }
    )
    log = (
        pd.concat([entries, admin], ignore_index=True)
        .sort_values(["worker_id", "period"], kind="stable")
        .reset_index(drop=True)
    )
    totals = pd.DataFrame(
        {"worker_id": workers[a_idx], "period": period_text[a_idx], "minutes": casework[a_idx]}
    )
    truth = pd.Series(per_day * mean_days, index=pd.Index(cols), name="minutes")
    return TimeLog(
        log=log,
        totals=totals,
        minutes=truth,
        available_minutes_per_fte=float(available),
        start=start,
        end=end,
        periods=periods,
    )


def make_ratings(
    town: Municipality,
    *,
    periods: str = "M",
    start: Any = None,
    end: Any = None,
    months: int = 6,
    scale: tuple[float, float] = (-3, 3),
    optimum: float | None = None,
    slope: float | None = None,
    leniency_sd: float = 0.4,
    noise_sd: float = 0.6,
    response_rate: float = 0.85,
    integer: bool = True,
    seed: int = 0,
) -> Survey:
    """A survey in which every worker rates their workload once per period.

    Examples
    --------
    >>> from arbetstyngd.datasets import make_municipality
    >>> town = make_municipality(n_workers=8, n_teams=2, seed=0)
    >>> survey = make_ratings(town, months=2, scale=(1, 5), seed=0)
    >>> survey.optimum, bool(survey.ratings["rating"].dropna().between(1, 5).all())
    (3.0, True)

    The answer of worker *i* in period *p* is
    ``optimum + slope * (u_ip - 1) + leniency_i + noise``, rounded to the scale's whole steps
    and clipped to it, where ``u_ip`` is the worker's true utilisation over the period under
    the municipality's scheme (mean load over capacity with experience and support counted at
    the period's middle). ``slope`` defaults to 0.75 of the half-width of the scale per unit
    of utilisation. Workers answer with their own probability (around ``response_rate``);
    unanswered periods have a NaN rating.
    """
    lo, hi = float(scale[0]), float(scale[1])
    if not lo < hi:
        raise ValueError(f"'scale' must be (low, high) with low < high (got {scale!r})")
    opt = (lo + hi) / 2.0 if optimum is None else float(optimum)
    beta = 0.75 * (hi - lo) / 2.0 if slope is None else float(slope)
    rng = np.random.default_rng(seed)
    start, end = _window(town, start, end, months)
    X, cols = _study_features(town, periods, start, end)
    scheme = town.scheme
    load = X[cols].to_numpy(dtype=float) @ _true_weights(scheme, cols)
    capacity = scheme.capacity * X["fte"].to_numpy() * (1.0 - X["reduction"].to_numpy())
    for adj in scheme.adjustments:
        capacity = capacity * adj.factor(X[adj.covariate].to_numpy(dtype=float))
    util = load / capacity
    workers = X["worker_id"].to_numpy(dtype=object)
    codes, uniq = pd.factorize(pd.Series(workers))
    leniency = rng.normal(0.0, leniency_sd, len(uniq))
    latent = opt + beta * (util - 1.0) + leniency[codes] + rng.normal(0.0, noise_sd, len(X))
    rating = np.clip(np.round(latent) if integer else latent, lo, hi) + 0.0  # no -0.0
    # some people answer less often than others
    k = 8.0
    p_answer = rng.beta(response_rate * k, (1 - response_rate) * k, len(uniq))[codes]
    rating = np.where(rng.random(len(X)) < p_answer, rating, np.nan)
    ratings = pd.DataFrame(
        {"worker_id": workers, "period": X["period"].astype(str).to_numpy(), "rating": rating}
    )
    return Survey(
        ratings=ratings,
        scheme=scheme,
        scale=(lo, hi),
        optimum=opt,
        slope=beta,
        leniency=pd.Series(leniency, index=pd.Index(uniq, name="worker_id"), name="leniency"),
        utilisation=pd.Series(util, name="utilisation"),
        start=start,
        end=end,
        periods=periods,
    )


def _team_name(j: int) -> str:
    """The name of team ``j`` (from 0), as :func:`arbetstyngd.datasets.make_municipality` names
    its teams: the units of a social services department, numbered once they run out."""
    name = TEAM_NAMES[j % len(TEAM_NAMES)]
    return name if j < len(TEAM_NAMES) else f"{name} {j // len(TEAM_NAMES) + 1}"


def make_specialised_municipality(
    n_workers: int = 60,
    n_teams: int = 6,
    seed: int = 0,
    *,
    scheme: Scheme | str = "barn-och-unga",
    share: float = 0.5,
    min_teams: int = 1,
    **options: Any,
) -> Municipality:
    """A municipality whose teams specialise: each handles its own subset of the case types.

    Real units divide the work (an intake team, investigation teams, a placement team …), and
    that is what lets a regression tell the case types apart. Each team takes about ``share``
    of the case types (at least two; every type is handled by some team); within a team the
    caseload is drawn as by :func:`arbetstyngd.datasets.make_municipality`, and the teams are
    joined into one municipality with ids ``T<j>-H<nnnn>``.

    ``min_teams`` is the least number of teams that handle each case type. With 1, a type
    may sit in a single team next to one other type, and a calibration from totals or
    ratings then has little to tell the two apart by; a study that includes at least two
    teams with each case type (``min_teams=2``) is the design ``docs/calibration.md``
    recommends and measures.

    Examples
    --------
    >>> town = make_specialised_municipality(n_workers=12, n_teams=3, seed=0)
    >>> per_team = town.cases.groupby(town.cases["worker_id"].str[:2])["case_type"].nunique()
    >>> bool(per_team.min() < len(town.scheme.case_types))
    True
    """

    truth = load_scheme(scheme)
    if n_teams < 1 or n_workers < n_teams:
        raise ValueError(
            f"need 1 <= n_teams <= n_workers (got n_workers={n_workers}, n_teams={n_teams})"
        )
    if not 1 <= min_teams <= n_teams:
        raise ValueError(f"'min_teams' must be in 1..n_teams={n_teams} (got {min_teams})")
    rng = np.random.default_rng(seed)
    types = truth.case_types
    k = max(2, round(share * len(types))) if len(types) > 1 else 1
    subsets = [set(rng.choice(len(types), size=min(k, len(types)), replace=False))]
    for _ in range(1, n_teams):
        subsets.append(set(rng.choice(len(types), size=min(k, len(types)), replace=False)))
    for t in set(range(len(types))) - set().union(*subsets):
        subsets[int(rng.integers(n_teams))].add(t)
    for t in range(len(types)):
        lacking = [j for j in range(n_teams) if t not in subsets[j]]
        short = min_teams - (n_teams - len(lacking))
        if short > 0:
            for j in rng.choice(lacking, size=short, replace=False):
                subsets[int(j)].add(t)
    sizes = np.full(n_teams, n_workers // n_teams) + (np.arange(n_teams) < n_workers % n_teams)
    parts = []
    for j, (subset, size) in enumerate(zip(subsets, sizes, strict=True)):
        chosen = {types[t] for t in subset}
        sub = truth.evolve(weights=[w for w in truth.weights if w.case_type in chosen])
        town = make_municipality(int(size), 1, seed=int(rng.integers(2**31)), scheme=sub, **options)
        team = f"T{j + 1}"
        workers = town.workers.assign(
            worker_id=team + "-" + town.workers["worker_id"], team_id=team
        )
        cases = town.cases.assign(
            case_id=team + "-" + town.cases["case_id"],
            worker_id=team + "-" + town.cases["worker_id"],
        )
        # make_municipality names its only team after the first unit; give each its own name
        teams = town.teams.assign(team_id=team, name=_team_name(j), manager_id=f"C{j + 1}")
        target = pd.Series(
            town.target.to_numpy(), index=pd.Index(workers["worker_id"], name="worker_id")
        )
        parts.append((cases, workers, teams, target, town))
    first = parts[0][4]
    missing_flags = [m.flag for m in truth.multipliers]
    cases = pd.concat([p[0] for p in parts], ignore_index=True)
    for flag in missing_flags:
        if flag in cases:
            cases[flag] = cases[flag].fillna(False).astype(bool)
    return Municipality(
        cases=cases.sort_values(["opened", "case_id"], kind="stable").reset_index(drop=True),
        workers=pd.concat([p[1] for p in parts], ignore_index=True),
        teams=pd.concat([p[2] for p in parts], ignore_index=True),
        scheme=truth,
        start=first.start,
        end=first.end,
        on=first.on,
        target=pd.concat([p[3] for p in parts]).rename("target"),
    )
