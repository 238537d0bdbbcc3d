"""The exact allocation: level searches decided by the pattern relaxation, against the
compact mixed-integer programs (the first exact method, kept as the oracle), on hand-computed
batches (interchangeable cases, eligibility, continuity pins) and on random problems."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbetstyngd as at
import arbetstyngd.decide.allocation as allocation
from arbetstyngd.decide.levels import grid_of
from arbetstyngd.decide.solver import (
    _STRICT,
    TOL,
    Problem,
    after,
    solve_compact,
    solve_exact,
    solve_greedy,
)

SCHEME = at.Scheme.from_dict(
    {
        "name": "exact",
        "version": "1",
        "capacity": 100,
        "weights": [
            {"case_type": "A", "weight": 10},
            {"case_type": "B", "weight": 4},
            {"case_type": "C", "weight": 7},
            {"case_type": "D", "weight": 10},
        ],
    }
)


def _lowest(problem: Problem, greedy_highest: float, worker: np.ndarray) -> float:
    """Step 3's figure: the lowest level among workers who could take an item."""
    with np.errstate(invalid="ignore"):
        near = problem.utilisation[None, :] + problem.q <= greedy_highest + _STRICT
    could = (problem.fits() & near).any(axis=0)
    return float(after(problem, worker)[could].min())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31),
    n_classes=st.integers(1, 4),
    n_workers=st.integers(1, 7),
    ceiling=st.sampled_from([np.inf, 1.1, 1.25]),
)
def test_exact_matches_the_compact_oracle(seed, n_classes, n_workers, ceiling):
    rng = np.random.default_rng(seed)
    problem = Problem(
        points=rng.choice([1.25, 2.0, 10 / 3, 5.0, 9.0], n_classes),
        ok=rng.random((n_classes, n_workers)) < 0.8,
        utilisation=rng.uniform(0.2, 1.0, n_workers),
        capacity=rng.choice([50.0, 80.0, 100.0], n_workers),
        ceiling=ceiling,
        count=rng.integers(1, 5, n_classes),
    )
    greedy = solve_greedy(problem)
    exact = solve_exact(problem, greedy=greedy)
    oracle = solve_compact(problem, greedy=greedy)
    assert (exact.worker >= 0).sum() == (oracle.worker >= 0).sum()
    placed = exact.worker >= 0
    u = after(problem, exact.worker)
    # never a pair the rules bar, never at or over the ceiling
    assert problem.ok[problem.item_class[placed], exact.worker[placed]].all()
    assert (u[exact.worker[placed]] < ceiling).all()
    if not len(placed) or not (greedy.worker >= 0).all():
        # step 1 needed: solve_exact hands over to the compact programs
        assert exact.method == oracle.method
        return
    assert exact.highest <= greedy.highest + 1e-12
    assert exact.bound <= exact.highest + 1e-12
    if oracle.method == "milp":  # the bound never passes the best there is
        assert exact.bound <= oracle.highest + 1e-9
    if exact.method == "milp" and oracle.method == "milp":
        # the compact programs stop at a relative gap of 1e-4
        assert exact.highest == pytest.approx(oracle.highest, rel=1e-4, abs=TOL)
        assert _lowest(problem, greedy.highest, exact.worker) == pytest.approx(
            _lowest(problem, greedy.highest, oracle.worker), rel=1e-4, abs=TOL
        )


def test_whole_items_that_fit_only_in_sum_are_proven():
    # two workers at 50 % of 100 points and three items of 10: the item-by-worker
    # relaxation fills both to 65 %, but whole items give one worker two (70 %)
    problem = Problem(
        points=np.array([10.0]),
        ok=np.ones((1, 2), dtype=bool),
        utilisation=np.array([0.5, 0.5]),
        capacity=np.array([100.0, 100.0]),
        ceiling=np.inf,
        count=np.array([3]),
    )
    s = solve_exact(problem)
    assert s.method == "milp"
    assert s.highest == pytest.approx(0.7)
    assert s.bound == pytest.approx(0.7, abs=TOL)
    assert sorted(np.bincount(s.worker, minlength=2)) == [1, 2]


def test_time_limit_keeps_a_valid_bound():
    rng = np.random.default_rng(5)
    problem = Problem(
        points=rng.choice([1.5, 3.0, 4.5, 7.0, 10.0, 12.5], 6),
        ok=np.ones((6, 40), dtype=bool),
        utilisation=rng.uniform(0.3, 0.9, 40),
        capacity=rng.choice([60.0, 100.0], 40),
        ceiling=np.inf,
        count=rng.integers(2, 6, 6),
    )
    greedy = solve_greedy(problem)
    s = solve_exact(problem, greedy=greedy, time_limit=0.0)
    assert s.method == "milp-time-limit"
    assert s.highest <= greedy.highest + 1e-12
    assert s.bound <= s.highest + 1e-12


def test_grid_divides_the_points():
    assert grid_of(np.array([1.5, 1.725, 12.9375]), 50.0) == 0.0025
    assert grid_of(np.array([2.0, 4.0]), 50.0) == 0.05
    # no grid divides: the finest allowed for the widest room (sizes rounded down)
    assert grid_of(np.array([1 / 3]), 50.0) == pytest.approx(50.0 / 100_000)
    # a dividing grid too fine for the room gives way to a coarser, rounded one
    assert grid_of(np.array([1.0001]), 50.0) == pytest.approx(50.0 / 100_000)


# --- hand-computed batches ----------------------------------------------------------------


def _roster(loads: dict[str, list[str]], teams: dict[str, str] | None = None):
    teams = teams or {}
    workers = pd.DataFrame(
        {
            "worker_id": list(loads),
            "team_id": [teams.get(w, "T0") for w in loads],
            "fte": 1.0,
        }
    )
    rows = [(w, t) for w, types in loads.items() for t in types]
    cases = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(len(rows))],
            "worker_id": [w for w, _ in rows],
            "case_type": [t for _, t in rows],
            "opened": "2026-01-01",
            "subject_id": [f"s{i}" for i in range(len(rows))],
        }
    )
    return at.score(cases, workers, SCHEME, on="2026-02-01"), cases


@pytest.fixture
def problems(monkeypatch):
    """The problems the allocation hands to the exact solver."""
    seen: list[Problem] = []

    def spy(problem, **kw):
        seen.append(problem)
        return solve_exact(problem, **kw)

    monkeypatch.setattr(allocation, "solve_exact", spy)
    return seen


def test_identical_cases_form_one_class(problems):
    # W1 at 50 %, W2 at 55 % (capacity 100); four cases of 10 points:
    # 2 + 2 gives 70 % and 75 %, better than 3 + 1 (80 %, 65 %) or 4 + 0 (90 %)
    wl, _ = _roster({"W1": ["A"] * 5, "W2": ["A"] * 4 + ["C"] + ["B"] * 2})
    new = [{"case_id": f"N{i}", "case_type": "A"} for i in range(4)]
    a = at.allocate(wl, new, rules={"ceiling": "none"}, method="exact", lang="en")
    (problem,) = problems
    assert problem.count.tolist() == [4]
    assert problem.points.tolist() == [10.0]
    assert a.method == "milp"
    assert a.highest == pytest.approx(0.75)
    assert a.suggestions["worker_id"].value_counts().to_dict() == {"W1": 2, "W2": 2}


def test_same_points_other_workers_are_another_class(problems):
    # A and D both weigh 10; team T1 takes only A. W1 (T0) and W2 (T1) at 50 %:
    # the two D go to W1 (70 %), the two A to W2 (70 %)
    wl, _ = _roster({"W1": ["A"] * 5, "W2": ["A"] * 5}, teams={"W2": "T1"})
    new = [{"case_id": f"N{i}", "case_type": t} for i, t in enumerate(["A", "D", "A", "D"])]
    rules = {"ceiling": "none", "team_case_types": {"T1": ["A"]}}
    a = at.allocate(wl, new, rules=rules, method="exact", lang="en")
    (problem,) = problems
    assert problem.count.tolist() == [2, 2]
    assert problem.points.tolist() == [10.0, 10.0]
    assert problem.ok.tolist() == [[True, True], [True, False]]
    assert a.highest == pytest.approx(0.7)
    assert a.suggestions["worker_id"].tolist() == ["W2", "W1", "W2", "W1"]


def test_continuity_pin_is_placed_before_the_classes(problems):
    # W1 at 50 %, W2 at 55 %; N0 continues W2's subject s0 (W2 to 65 %); the two other
    # cases of 10 points then both go to W1 (70 %): a split would take W2 to 75 %
    wl, cases = _roster({"W2": ["A"] * 4 + ["C"] + ["B"] * 2, "W1": ["A"] * 5})
    new = [
        {"case_id": "N0", "case_type": "A", "subject_id": "s0"},
        {"case_id": "N1", "case_type": "A"},
        {"case_id": "N2", "case_type": "A"},
    ]
    a = at.allocate(wl, new, rules={"ceiling": "none"}, cases=cases, method="exact", lang="en")
    (problem,) = problems
    assert problem.count.tolist() == [2]
    order = wl.workers["worker_id"].tolist()
    assert problem.utilisation[order.index("W2")] == pytest.approx(0.65)
    assert a.suggestions["worker_id"].tolist() == ["W2", "W1", "W1"]
    assert a.highest == pytest.approx(0.7)
    assert a.suggestions["reasons"][0].startswith("already has a case for the same person")


def test_a_small_municipality_is_solved_exactly_as_the_oracle_does():
    town = at.datasets.make_municipality(n_workers=60, n_teams=2, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wl = town.score()
    new = (
        town.cases.sample(20, random_state=0)
        .drop(columns=["worker_id", "opened", "closed"])
        .assign(case_id=[f"N{i}" for i in range(20)])
    )
    rules = {"ceiling": "high", "min_experience": {"bou_lvu": 1.0}, "continuity": False}
    exact = at.allocate(wl, new, rules=rules, method="exact")
    greedy = at.allocate(wl, new, rules=rules, method="greedy")
    assert exact.method == "milp"
    assert exact.gap == 0.0
    assert exact.highest == pytest.approx(0.680952380952381, abs=TOL)
    assert exact.highest < greedy.highest - 0.002
