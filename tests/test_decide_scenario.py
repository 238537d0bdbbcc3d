"""What-if scenarios: each change hand-computed, the empty scenario to the bit, round trips
and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.decide import Scenario

SCHEME = at.Scheme.from_dict(
    {
        "name": "sc",
        "version": "1",
        "capacity": 100,
        "weights": [
            {"case_type": "A", "weight": 10},
            {"case_type": "A", "phase": "uppfoljning", "weight": 5},
            {"case_type": "B", "weight": 4},
        ],
        "multipliers": {"tolk": 1.5},
        "adjustments": [
            {
                "covariate": "experience_years",
                "name": "experience",
                "breaks": [1],
                "factors": [0.5, 1.0],
            },
            {
                "covariate": "span_of_control",
                "name": "support",
                "breaks": [2],
                "factors": [1.0, 0.8],
            },
        ],
    }
)
ON = "2026-03-01"


@pytest.fixture
def workers() -> pd.DataFrame:
    # T1 has 3 workers (span 3 -> support 0.8): capacity W1 80, W2 80, W3 40; T2: W4 100
    return pd.DataFrame(
        {
            "worker_id": ["W1", "W2", "W3", "W4"],
            "team_id": ["T1", "T1", "T1", "T2"],
            "fte": [1.0, 1.0, 0.5, 1.0],
            "experience_years": [10.0, 10.0, 10.0, 10.0],
        }
    )


@pytest.fixture
def cases() -> pd.DataFrame:
    # load: W1 10 + 5 + 5 = 20, W2 4, W3 4, W4 10
    return pd.DataFrame(
        {
            "case_id": ["c1", "c2", "c3", "c4", "c5", "c6", "c7"],
            "worker_id": ["W1", "W1", "W1", "W2", "W3", "W4", "W1"],
            "case_type": ["A", "A", "A", "B", "B", "A", "B"],
            "phase": [None, "uppfoljning", "uppfoljning", None, None, None, None],
            "opened": "2026-01-01",
            "closed": [None, None, None, None, None, None, "2026-02-01"],
            "tolk": False,
        }
    )


def run(cases, workers, *changes, on=ON):
    return at.what_if(cases, workers, SCHEME, {"changes": list(changes)}, on=on)


def team(w, team_id, column):
    return w.teams.set_index("team_id").loc[team_id, column]


def worker(w, worker_id, column):
    return w.workers.set_index("worker_id").loc[worker_id, column]


def test_empty_scenario_is_the_original_to_the_bit(cases, workers):
    direct = at.score(cases, workers, SCHEME, on=ON)
    w = at.what_if(cases, workers, SCHEME, Scenario(), on=ON)
    pd.testing.assert_frame_equal(w.after.workers, direct.workers, check_exact=True)
    pd.testing.assert_frame_equal(w.after.teams, direct.teams, check_exact=True)
    pd.testing.assert_series_equal(w.after.unit, direct.unit, check_exact=True)
    assert (w.workers["utilisation_change"] == 0).all()
    inputs = Scenario().apply(cases, workers, None, SCHEME, on=ON)
    assert inputs.cases is cases and inputs.workers is workers and inputs.scheme is SCHEME


def test_hire(cases, workers):
    w = run(cases, workers, {"kind": "hire", "team": "T1", "fte": 1.0, "date": "2026-02-01"})
    # T1 grows to 4 (support stays 0.8); the new worker has 28 days' experience (factor 0.5):
    # 100 × 1 × 0.5 × 0.8 = 40 on top of 200
    assert team(w, "T1", "capacity_before") == pytest.approx(200.0)
    assert team(w, "T1", "capacity_after") == pytest.approx(240.0)
    assert worker(w, "ny-T1-1", "status") == "new"
    # on a date before the hire it is not there yet
    inputs = Scenario.from_dict(
        {"changes": [{"kind": "hire", "team": "T1", "date": "2026-02-01"}]}
    ).apply(cases, workers, None, SCHEME, on="2026-01-15")
    assert len(inputs.workers) == 4


def test_leave_deals_open_cases_to_the_team(cases, workers):
    w = run(cases, workers, {"kind": "leave", "worker": "W1", "date": "2026-02-15"})
    # c1 -> W2, c2 -> W3, c3 -> W2 (c7 closed before leaving: history, goes with W1)
    assert worker(w, "W2", "load_after") == pytest.approx(4 + 10 + 5)
    assert worker(w, "W3", "load_after") == pytest.approx(4 + 5)
    assert worker(w, "W1", "status") == "gone"
    assert team(w, "T1", "load_change") == pytest.approx(0.0)
    # T1 has 2 workers: span 2 is still >= 2, support 0.8: capacity 80 + 40
    assert team(w, "T1", "capacity_after") == pytest.approx(120.0)


def test_change_fte(cases, workers):
    w = run(cases, workers, {"kind": "fte", "worker": "W3", "fte": 1.0})
    assert worker(w, "W3", "capacity_after") == pytest.approx(80.0)


def test_reduction_in_force_only_between_its_dates(cases, workers):
    ended = run(
        cases,
        workers,
        {
            "kind": "reduction",
            "worker": "W2",
            "share": 0.5,
            "date": "2026-01-01",
            "end": "2026-02-01",
        },
    )
    assert worker(ended, "W2", "capacity_change") == 0
    running = run(cases, workers, {"kind": "reduction", "worker": "W2", "share": 0.5})
    assert worker(running, "W2", "capacity_after") == pytest.approx(40.0)


def test_move_by_rule(cases, workers):
    w = run(cases, workers, {"kind": "move", "worker": "W1", "phase": "uppfoljning", "to": "T2"})
    assert worker(w, "W1", "load_after") == pytest.approx(10.0)
    assert worker(w, "W4", "load_after") == pytest.approx(20.0)
    w = run(cases, workers, {"kind": "move", "cases": ["c6"], "to": "W2"})
    assert worker(w, "W2", "load_after") == pytest.approx(14.0)


def test_add_manager_halves_the_span(cases, workers):
    w = run(cases, workers, {"kind": "manager", "team": "T1"})
    # span 3 -> 1.5 (< 2): support 0.8 -> 1.0 for T1
    assert team(w, "T1", "capacity_after") == pytest.approx(250.0)
    assert worker(w, "W4", "capacity_change") == 0


def test_change_weight(cases, workers):
    w = run(cases, workers, {"kind": "weight", "case_type": "A", "weight": 12})
    # the type's own row only: c1 (W1) and c6 (W4); follow-ups keep their row
    assert team(w, "T1", "load_change") == pytest.approx(2.0)
    assert team(w, "T2", "load_change") == pytest.approx(2.0)
    assert w.after.scheme.version == "1+what-if"


def test_change_normal_load(cases, workers):
    w = run(cases, workers, {"kind": "normal_load", "capacity": 200})
    assert w.unit["capacity_after"].iloc[0] == pytest.approx(2 * w.unit["capacity_before"].iloc[0])


def test_extra_inflow(cases, workers):
    w = run(
        cases,
        workers,
        {"kind": "inflow", "case_type": "B", "n": 3, "to": "T1", "flags": {"tolk": True}},
    )
    assert team(w, "T1", "load_change") == pytest.approx(3 * 4 * 1.5)
    assert team(w, "T1", "n_cases_change") == 3


def test_round_trip_every_kind():
    s = Scenario.from_dict(
        {
            "name": "all",
            "description": "every kind",
            "changes": [
                {
                    "kind": "hire",
                    "team": "T1",
                    "fte": 0.75,
                    "experience_years": 2,
                    "date": "2026-02-01",
                    "n": 2,
                },
                {"kind": "leave", "worker": "W1", "date": "2026-02-15", "cases_to": "W2"},
                {"kind": "fte", "worker": "W3", "fte": 1.0},
                {"kind": "reduction", "worker": "W2", "share": 0.2, "end": "2026-12-31"},
                {"kind": "move", "cases": ["c1"], "to": "T2"},
                {"kind": "manager", "team": "T1", "managers_now": 2},
                {"kind": "weight", "case_type": "A", "phase": "uppfoljning", "weight": 6},
                {"kind": "normal_load", "capacity": 140},
                {"kind": "inflow", "case_type": "B", "n": 2, "to": "W4", "flags": {"tolk": True}},
            ],
        }
    )
    assert Scenario.from_dict(s.to_dict()) == s
    assert Scenario.from_toml(s.to_toml()) == s


def test_workload_what_if_needs_or_keeps_its_inputs(cases, workers):
    wl = at.score(cases, workers, SCHEME, on=ON)
    with pytest.raises(ValueError, match="does not keep its inputs"):
        wl.what_if({"changes": []})
    w = wl.what_if(
        {"changes": [{"kind": "fte", "worker": "W3", "fte": 1.0}]}, cases=cases, workers=workers
    )
    again = w.after.what_if({"changes": [{"kind": "fte", "worker": "W2", "fte": 0.5}]})
    assert worker(again, "W3", "capacity_before") == pytest.approx(80.0)
    assert worker(again, "W2", "capacity_after") == pytest.approx(40.0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"kind": "leave", "worker": "W11"},
            "'worker' 'W11' is not in the roster; closest known: 'W1'",
        ),
        ({"kind": "hire", "team": "T9"}, r"team 'T9' is not in the roster \(teams: T1, T2\)"),
        (
            {"kind": "inflow", "case_type": "C", "n": 1, "to": "T1"},
            "case type 'C' is not in the scheme",
        ),
        (
            {"kind": "hire", "team": "T1", "date": "2026-09-01"},
            "'date' must be within the what-if date",
        ),
        (
            {"kind": "hire", "team": "T1", "fte": 2.0},
            r"'fte' must be a number in \(0, 1.5\] \(got 2.0\)",
        ),
        ({"kind": "fire", "worker": "W1"}, "'kind' must be one of"),
        ({"kind": "leave", "worker": "W1", "when": "2026-01-01"}, "unknown key 'when'"),
        ({"kind": "move", "to": "T2"}, "give 'cases'"),
        ({"kind": "move", "cases": ["c1"], "to": "T7"}, "neither a worker nor a team"),
        (
            {"kind": "inflow", "case_type": "B", "n": 1, "to": "T1", "flags": {"tolc": True}},
            "flag 'tolc'",
        ),
        ({"kind": "hire", "team": "T1", "date": "1 mars"}, "a date must be written YYYY-MM-DD"),
    ],
)
def test_bad_scenarios_name_field_expected_and_got(cases, workers, change, message):
    with pytest.raises(at.ScenarioError, match=message):
        run(cases, workers, change)


def test_unknown_scenario_key_and_missing_file(tmp_path):
    with pytest.raises(at.ScenarioError, match="unknown key 'chnges'"):
        Scenario.from_dict({"chnges": []})
    with pytest.raises(at.ScenarioError, match="no scenario file"):
        Scenario.from_toml(tmp_path / "missing.toml")


def test_scenario_dates_outside_a_horizon():
    s = Scenario.from_dict({"changes": [{"kind": "hire", "team": "T1", "date": "2027-01-01"}]})
    s.check_dates("2026-01-01", "2027-06-30")
    with pytest.raises(at.ScenarioError, match="within the horizon, 2026-01-01 to 2026-06-30"):
        s.check_dates("2026-01-01", "2026-06-30")
    assert s.dates() == [pd.Timestamp("2027-01-01")]
