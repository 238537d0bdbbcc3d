"""Allocation properties (rules never broken, exact no worse than greedy), the solver's
bound, and the rules' validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbetstyngd as at
from arbetstyngd.decide.solver import Problem, lower_bound, solve_exact, solve_greedy

SCHEME = at.Scheme.from_dict(
    {
        "name": "prop",
        "version": "1",
        "capacity": 100,
        "weights": [
            {"case_type": "A", "weight": 10},
            {"case_type": "B", "weight": 4},
            {"case_type": "C", "weight": 7},
        ],
        "adjustments": [
            {
                "covariate": "experience_years",
                "name": "experience",
                "breaks": [1],
                "factors": [0.6, 1.0],
            }
        ],
    }
)


def _workload(rng: np.random.Generator, n_workers: int) -> tuple[at.Workload, pd.DataFrame]:
    workers = pd.DataFrame(
        {
            "worker_id": [f"W{i}" for i in range(n_workers)],
            "team_id": [f"T{i % 2}" for i in range(n_workers)],
            "fte": rng.choice([1.0, 0.75, 0.5], n_workers),
            "experience_years": rng.choice([0.5, 3.0, 10.0], n_workers),
        }
    )
    n_cases = int(rng.integers(0, 6 * n_workers))
    cases = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(n_cases)],
            "worker_id": [f"W{i}" for i in rng.integers(0, n_workers, n_cases)],
            "case_type": rng.choice(["A", "B", "C"], n_cases),
            "opened": "2026-01-01",
        }
    )
    return at.score(cases, workers, SCHEME, on="2026-02-01"), workers


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31),
    n_workers=st.integers(2, 7),
    n_new=st.integers(1, 9),
    ceiling=st.sampled_from(["balanced", "high", "critical", None]),
    restrict=st.booleans(),
)
def test_allocation_never_breaks_a_rule_and_beats_greedy(seed, n_workers, n_new, ceiling, restrict):
    rng = np.random.default_rng(seed)
    wl, workers = _workload(rng, n_workers)
    new = pd.DataFrame(
        {
            "case_id": [f"N{i}" for i in range(n_new)],
            "case_type": rng.choice(["A", "B", "C"], n_new),
        }
    )
    rules = {"ceiling": ceiling or "none", "continuity": False}
    if restrict:
        rules |= {
            "team_case_types": {"T1": ["B"]},
            "min_experience": {"A": 1.0},
            "paused": ["W0"],
        }
    exact = at.allocate(wl, new, rules=rules, method="exact")
    greedy = at.allocate(wl, new, rules=rules, method="greedy")
    limit = {"balanced": 0.85, "high": 1.10, "critical": 1.25, None: np.inf}[ceiling]
    for result in (exact, greedy):
        s = result.suggestions.merge(workers, on="worker_id", how="left")
        placed = s[s.worker_id.notna()]
        assert (placed["utilisation_after"] < limit).all()
        if restrict:
            assert not (placed["worker_id"] == "W0").any()
            assert not ((placed["team_id_x"] == "T1") & (placed["case_type"] != "B")).any()
            assert not ((placed["case_type"] == "A") & (placed["experience_years"] < 1)).any()
        # the per-worker after figure is the worker's load plus the points given, over capacity
        w = wl.workers.set_index("worker_id")
        given_points = placed.groupby("worker_id")["points"].sum()
        for worker, pts in given_points.items():
            expected = (w.loc[worker, "load"] + pts) / w.loc[worker, "capacity"]
            assert placed.loc[placed.worker_id == worker, "utilisation_after"].iloc[0] == (
                pytest.approx(expected)
            )
    assert exact.n_unassigned <= greedy.n_unassigned
    if exact.n_unassigned == greedy.n_unassigned and greedy.n_unassigned < n_new:
        assert exact.highest <= greedy.highest + 1e-9


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    n_classes=st.integers(1, 4),
    n_workers=st.integers(1, 6),
)
def test_solver_lower_bound_holds(seed, n_classes, n_workers):
    rng = np.random.default_rng(seed)
    problem = Problem(
        points=rng.choice([2.0, 5.0, 9.0], n_classes),
        ok=rng.random((n_classes, n_workers)) < 0.8,
        utilisation=rng.uniform(0.2, 1.0, n_workers),
        capacity=rng.choice([50.0, 100.0], n_workers),
        ceiling=np.inf,
        count=rng.integers(1, 4, n_classes),
    )
    if not problem.fits().any(axis=1).all():
        return
    greedy = solve_greedy(problem)
    exact = solve_exact(problem, greedy=greedy)
    bound = lower_bound(problem)
    assert bound <= exact.highest + 1e-9 <= greedy.highest + 2e-9
    assert bound <= greedy.bound + 1e-12
    if exact.method == "milp":  # proven best: the packing bound must not exceed it
        assert greedy.bound <= exact.highest + 1e-9


def test_greedy_is_used_above_the_size_limit(monkeypatch):
    import arbetstyngd.decide.allocation as alloc

    rng = np.random.default_rng(3)
    wl, _ = _workload(rng, 6)
    monkeypatch.setattr(alloc, "EXACT_MAX_PAIRS", 1)
    a = at.allocate(wl, [{"case_id": "N1", "case_type": "B"}, {"case_id": "N2", "case_type": "A"}])
    assert a.method == "greedy"
    assert np.isfinite(a.bound) and a.bound <= a.highest + 1e-12
    assert "tumregel" in a.note


# --- rules --------------------------------------------------------------------------------


@pytest.fixture
def wl():
    return _workload(np.random.default_rng(1), 4)[0]


def test_rules_round_trip_dict_and_toml():
    r = at.Rules.from_dict(
        {
            "team_case_types": {"T3": ["bou_placering", "bou_familjehem"]},
            "min_experience": {"bou_lvu": 1.0},
            "paused": ["H0007"],
            "ceiling": "high",
            "continuity": True,
        }
    )
    assert at.Rules.from_dict(r.to_dict()) == r
    assert at.Rules.from_toml(r.to_toml()) == r
    assert at.Rules.from_dict({"ceiling": "none"}).ceiling is None


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"team_case_types": {"T9": ["A"]}}, "names team 'T9', which is not in the workload"),
        ({"team_case_types": {"T1": ["Z"]}}, "case type 'Z', which the scheme prop@1"),
        ({"min_experience": {"AA": 1}}, "case type 'AA'.*closest known: 'A'"),
        ({"paused": ["W99"]}, "worker 'W99', who is not among the scored workers"),
    ],
)
def test_rules_naming_unknown_things(wl, rules, message):
    with pytest.raises(at.RulesError, match=message):
        at.allocate(wl, [{"case_id": "N1", "case_type": "A"}], rules=rules)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"ceilng": "high"}, "unknown key 'ceilng' in the rules; did you mean 'ceiling'"),
        ({"ceiling": "red"}, "'ceiling' must be one of"),
        ({"min_experience": {"A": -1}}, r"'min_experience.A' must be a number of years >= 0"),
        ({"paused": "W1"}, "'paused' must be a list of names"),
        ({"continuity": "yes"}, "'continuity' must be true or false"),
    ],
)
def test_rules_bad_values(rules, message):
    with pytest.raises(at.RulesError, match=message):
        at.Rules.from_dict(rules)


def test_worker_without_capacity_gets_nothing():
    workers = pd.DataFrame(
        {"worker_id": ["W1", "W2"], "team_id": "T1", "fte": 1.0, "experience_years": 5.0}
    )
    reductions = pd.DataFrame({"worker_id": ["W2"], "share": [1.0]})
    cases = pd.DataFrame(
        {"case_id": ["c1"], "worker_id": ["W1"], "case_type": ["A"], "opened": "2026-01-01"}
    )
    wl = at.score(cases, workers, SCHEME, reductions=reductions, on="2026-02-01")
    a = at.allocate(wl, [{"case_id": "N1", "case_type": "B"}])
    assert a.suggestions["worker_id"][0] == "W1"


def test_duplicate_new_case_ids(wl):
    with pytest.raises(at.DataError, match="'case_id' must be unique"):
        at.allocate(wl, [{"case_id": "N1", "case_type": "A"}, {"case_id": "N1", "case_type": "B"}])


def test_bad_method_and_language(wl):
    with pytest.raises(ValueError, match="'method' must be"):
        at.allocate(wl, [{"case_id": "N1", "case_type": "A"}], method="fast")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'lang' must be one of"):
        at.allocate(wl, [{"case_id": "N1", "case_type": "A"}], lang="de")


def test_empty_batch(wl):
    with pytest.raises(at.DataError, match="the table is empty"):
        at.allocate(wl, [])


def test_forecast_is_exported_only_when_its_module_exists():
    import importlib.util

    has_module = importlib.util.find_spec("arbetstyngd.decide.forecast") is not None
    if has_module:
        assert callable(at.decide.forecast)
    else:
        with pytest.raises(AttributeError, match="no forecast module"):
            _ = at.decide.forecast
