"""Synthetic municipalities with a known ground truth.

Everything here is invented: no real person, worker or case. The generator draws a roster
(fte, experience with about a quarter under one year, reductions), teams with different spans
of control, and a caseload whose open and close dates follow each case type's typical
duration, so that each worker's expected load is a chosen share of their capacity under the
scheme given. Calibration tests fit on this data and check that they recover the scheme.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..scheme import Scheme
from ..schemes import load_scheme

__all__ = ["TEAM_NAMES", "Municipality", "make_municipality"]

# Typical time a case spends in a type/phase (days); matched on words in its names.
_DURATIONS = (
    ("aktualisering", 10),
    ("forhandsbedomning", 14),
    ("utredning", 110),
    ("uppfoljning", 90),
    ("lvu", 300),
    ("lvm", 150),
    ("placering", 420),
    ("familjehem", 240),
    ("insats", 200),
    ("ensamkommande", 300),
)
_DEFAULT_DURATION = 180

TEAM_NAMES = (
    "Mottagning",
    "Utredning",
    "Familjehem",
    "Placering",
    "Öppenvård",
    "Ungdom",
    "Familjerätt",
    "Vuxen",
)


@attrs.frozen(eq=False)
class Municipality:
    """A synthetic municipality: the tables to score and the scheme that generated them.

    Attributes
    ----------
    cases, workers, teams : DataFrame
        Canonical tables (see the data contract).
    scheme : Scheme
        The ground truth the caseload was generated from.
    start, end : Timestamp
        The period covered; cases open before ``start`` so the caseload is in steady state.
    on : Timestamp
        The export date (``end``): cases closing later have no ``closed`` date yet.
    target : Series
        Each worker's expected utilisation under ``scheme``, indexed by ``worker_id``.
    """

    cases: pd.DataFrame
    workers: pd.DataFrame
    teams: pd.DataFrame
    scheme: Scheme
    start: pd.Timestamp
    end: pd.Timestamp
    on: pd.Timestamp
    target: pd.Series

    def score(self, **options: Any) -> Any:
        """Score the municipality on its export date with its own scheme."""
        from .._engine.scoring import score

        options.setdefault("on", self.on)
        return score(self.cases, self.workers, self.scheme, teams=self.teams, **options)


def _duration(case_type: str, phase: str | None) -> float:
    for word, days in _DURATIONS:
        if phase is not None and word in phase:
            return days
    for word, days in _DURATIONS:
        if word in case_type:
            return days
    return _DEFAULT_DURATION


def case_mix(scheme: Scheme) -> pd.DataFrame:
    """The (case_type, phase) items a case can be drawn as, with weights and durations.

    A case type with phase rows is drawn in one of its phases (and sometimes with no phase,
    to exercise the fallback); one without is drawn as itself.
    """
    table = scheme.weights_table()
    has_phases = set(table.loc[table["phase"].notna(), "case_type"])
    rows = []
    for case_type, phase_value, weight in table[["case_type", "phase", "weight"]].itertuples(
        index=False
    ):
        phase = None if phase_value is None or pd.isna(phase_value) else str(phase_value)
        share = 0.1 if case_type in has_phases and phase is None else 1.0
        rows.append((case_type, phase, float(weight), _duration(str(case_type), phase), share))
    mix = pd.DataFrame(rows, columns=["case_type", "phase", "weight", "duration", "share"])
    mix["share"] /= mix["share"].sum()
    return mix


def _teams(
    rng: np.random.Generator, n_workers: int, n_teams: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Team sizes, ids and the teams table."""
    # teams of unequal size, so the span-of-control adjustment has something to do
    sizes = rng.multinomial(n_workers - n_teams, rng.dirichlet(np.full(n_teams, 2.0))) + 1
    team_ids = np.array([f"T{i + 1}" for i in range(n_teams)])
    teams = pd.DataFrame(
        {
            "team_id": team_ids,
            "name": [
                f"{TEAM_NAMES[i % len(TEAM_NAMES)]}"
                + (f" {i // len(TEAM_NAMES) + 1}" if i >= len(TEAM_NAMES) else "")
                for i in range(n_teams)
            ],
            "manager_id": [f"C{i + 1}" for i in range(n_teams)],
            "supervision_hours": rng.choice([1.0, 2.0, 4.0, 6.0, 8.0], size=n_teams),
        }
    )

    return sizes, team_ids, teams


def _roster(
    rng: np.random.Generator,
    sizes: np.ndarray,
    team_ids: np.ndarray,
    end_ts: pd.Timestamp,
    share_new: float,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Worker ids and the workers table (fte, start in the profession, reduction)."""
    n_workers = int(sizes.sum())
    worker_ids = np.array([f"H{i + 1:04d}" for i in range(n_workers)])
    fte = rng.choice([1.0, 0.9, 0.8, 0.75, 0.5], p=[0.68, 0.06, 0.1, 0.1, 0.06], size=n_workers)
    group = rng.choice(
        3, p=[share_new, (1 - share_new) * 0.45, (1 - share_new) * 0.55], size=n_workers
    )
    years = np.where(
        group == 0,
        rng.uniform(0.05, 0.99, n_workers),
        np.where(group == 1, rng.uniform(1.0, 4.99, n_workers), rng.uniform(5.0, 25.0, n_workers)),
    )
    profession_start = (end_ts - pd.to_timedelta(np.round(years * 365.25), unit="D")).normalize()
    reduction = np.where(
        rng.random(n_workers) < 0.2, rng.choice([0.1, 0.2, 0.25, 0.5], size=n_workers), 0.0
    )
    workers = pd.DataFrame(
        {
            "worker_id": worker_ids,
            "team_id": np.repeat(team_ids, sizes),
            "fte": fte,
            "profession_start": profession_start,
            "reduction": reduction,
        }
    )

    return worker_ids, workers


def _caseload(
    rng: np.random.Generator,
    scheme: Scheme,
    mix: pd.DataFrame,
    expected_points: np.ndarray,
    allocation: str,
    end_day: int,
    period_days: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Case items (rows of ``mix``), owners, opening days and lengths of a caseload whose
    expected active points per worker are ``expected_points``."""
    n_workers = len(expected_points)
    mean_mult = np.prod([1 + 0.08 * (m.factor - 1) for m in scheme.multipliers])
    point_days = float((mix["share"] * mix["weight"] * mix["duration"]).sum()) * mean_mult
    warmup = int(min(2 * mix["duration"].max(), 730))
    first_day = end_day - period_days - warmup
    span = end_day - first_day
    share = mix["share"].to_numpy()
    durations = mix["duration"].to_numpy()
    shape = 2.0
    if allocation == "poisson":
        # arrivals independent of how loaded a worker already is
        n_cases = rng.poisson(expected_points / point_days * span)
        owner = np.repeat(np.arange(n_workers), n_cases)
        item = rng.choice(len(mix), p=share, size=int(n_cases.sum()))
        opened = first_day + rng.integers(0, span, size=len(item))
        length = np.maximum(1, np.round(rng.gamma(shape, durations[item] / shape)))
    elif allocation == "balanced":
        # a manager refills a caseload: each worker holds a number of "slots", and a slot
        # gets its next case a few days after the previous one closes
        gap = 7.0
        mean_duration = float((share * durations).sum())
        # expected points a slot carries: time-weighted points per case x share of time busy
        per_case = point_days / (mean_duration + gap)
        slots = np.maximum(1, np.round(expected_points / per_case)).astype(np.int64)
        owner_of_slot = np.repeat(np.arange(n_workers), slots)
        depth = int(np.ceil(3 * span / (mean_duration + gap))) + 10
        item = rng.choice(len(mix), p=share, size=(len(owner_of_slot), depth))
        length = np.maximum(1, np.round(rng.gamma(shape, durations[item] / shape)))
        step = length + np.round(rng.exponential(gap, size=item.shape))
        begin = first_day - rng.integers(0, step[:, 0].astype(np.int64) + 1)
        starts = (begin[:, None] + np.cumsum(step, axis=1) - step).astype(np.int64)
        keep = (starts >= first_day) & (starts < end_day)
        owner = np.broadcast_to(owner_of_slot[:, None], item.shape)[keep]
        item, opened, length = item[keep], starts[keep], length[keep]
    else:
        raise ValueError(f"'allocation' must be 'poisson' or 'balanced' (got {allocation!r})")
    return item, owner, opened, length


def make_municipality(
    n_workers: int = 40,
    n_teams: int = 4,
    seed: int = 0,
    *,
    scheme: Scheme | str = "barn-och-unga",
    start: Any = "2025-01-01",
    end: Any = "2026-06-30",
    mean_utilisation: float = 1.0,
    spread: float = 0.2,
    share_new: float = 0.25,
    allocation: str = "poisson",
) -> Municipality:
    """Generate a synthetic municipality from a known scheme; deterministic for a seed.

    Parameters
    ----------
    n_workers, n_teams : int
        Size of the roster and number of teams (team sizes differ, so spans of control do).
    seed : int
        Seed of the random generator; the same seed gives the same tables.
    scheme : Scheme or str
        Ground truth; a built-in name or a Scheme.
    start, end : date-like
        The period. ``end`` is the export date.
    mean_utilisation, spread : float
        Each worker's expected utilisation is log-normal around ``mean_utilisation`` with
        this standard deviation (on the log scale).
    share_new : float
        Share of workers with under one year in the profession.
    allocation : {"poisson", "balanced"}
        How cases reach workers. ``"poisson"``: arrivals at a steady rate, independent of a
        worker's current load (caseloads vary a lot). ``"balanced"``: each worker holds a number
        of case slots and gets a new case shortly after one closes, the way a manager keeps
        caseloads even (utilisation varies much less; closer to a well-run unit).

    Returns
    -------
    Municipality

    Examples
    --------
    >>> town = make_municipality(n_workers=10, n_teams=2, seed=0)
    >>> len(town.workers), town.teams.team_id.tolist()
    (10, ['T1', 'T2'])
    """
    if n_workers < 1 or n_teams < 1 or n_teams > n_workers:
        raise ValueError(
            f"need 1 <= n_teams <= n_workers (got n_workers={n_workers}, n_teams={n_teams})"
        )
    scheme = load_scheme(scheme)
    rng = np.random.default_rng(seed)
    start_ts, end_ts = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if end_ts <= start_ts:
        raise ValueError(f"'end' must be after 'start' (got {start} and {end})")

    sizes, team_ids, teams = _teams(rng, n_workers, n_teams)
    worker_ids, workers = _roster(rng, sizes, team_ids, end_ts, share_new)
    # expected capacity at the export date under the true scheme
    from .._engine.scoring import capacity_parts, prepare

    empty = pd.DataFrame(
        {"case_id": [], "worker_id": [], "case_type": [], "opened": pd.to_datetime([])}
        | {m.flag: [] for m in scheme.multipliers}
    )
    roster = prepare(empty, workers, scheme, teams).roster
    end_day = int(np.datetime64(end_ts.date(), "D").astype(np.int64))
    _, _, capacity = capacity_parts(scheme, roster, end_day)
    target = np.exp(rng.normal(np.log(mean_utilisation), spread, n_workers))

    # caseload whose expected active points = each worker's target share of capacity
    mix = case_mix(scheme)
    item, owner, opened, length = _caseload(
        rng, scheme, mix, capacity * target, allocation, end_day, int((end_ts - start_ts).days)
    )
    total = len(item)
    closed = opened + length.astype(np.int64)
    still_open = closed > end_day
    cases = pd.DataFrame(
        {
            "case_id": [f"A{seed % 1000:03d}-{i + 1:06d}" for i in range(total)],
            "worker_id": worker_ids[owner],
            "case_type": mix["case_type"].to_numpy()[item],
            "phase": mix["phase"].to_numpy(dtype=object)[item],
            "opened": opened.astype("datetime64[D]").astype("datetime64[ns]"),
            "closed": pd.to_datetime(
                np.where(still_open, np.datetime64("NaT"), closed.astype("datetime64[D]"))
            ),
        }
    )
    for m in scheme.multipliers:
        cases[m.flag] = rng.random(total) < 0.08
    cases = cases.sort_values(["opened", "case_id"], kind="stable").reset_index(drop=True)
    return Municipality(
        cases=cases,
        workers=workers,
        teams=teams,
        scheme=scheme,
        start=start_ts,
        end=end_ts,
        on=end_ts,
        target=pd.Series(target, index=pd.Index(worker_ids, name="worker_id"), name="target"),
    )
