"""A what-if scenario in the forecast: every kind of change, checked exactly.

The same seed draws the same futures with and without a scenario (a scenario's added cases
draw from a stream of their own), so each change can be checked path by path against the
forecast without it, and capacity against :func:`arbetstyngd.what_if` on each date.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at

START = "2025-06-30"
CHANGE = "2025-08-03"  # a Sunday: the fifth weekly forecast date


@pytest.fixture(scope="module")
def history() -> at.datasets.History:
    return at.datasets.make_history(n_workers=16, n_teams=2, seed=3)


@pytest.fixture(scope="module")
def base(history):
    return _forecast(history, None)


def _forecast(h, changes, **options):
    scenario = None if changes is None else at.Scenario.from_dict({"changes": changes})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.ThinHistoryWarning)
        return at.forecast(
            h.cases, h.workers, h.scheme, teams=h.teams, start=START, horizon="12W",
            n_paths=60, random_state=0, scenario=scenario, **options,
        )  # fmt: skip


def _after(fc) -> np.ndarray:
    return np.asarray(fc.dates >= pd.Timestamp(CHANGE))


def _team(fc, team) -> int:
    return list(fc.capacity.index).index(team)


def _what_if_capacity(h, changes, date) -> pd.Series:
    w = at.what_if(h.cases, h.workers, h.scheme, {"changes": changes}, teams=h.teams, on=date)
    return w.after.teams.set_index("team_id")["capacity"]


def _capacity_is_what_ifs(h, fc, base, changes):
    after = _after(fc)
    np.testing.assert_array_equal(fc.capacity.loc[:, ~after], base.capacity.loc[:, ~after])
    for date in fc.dates[after]:
        expected = _what_if_capacity(h, changes, date).reindex(fc.capacity.index)
        np.testing.assert_allclose(fc.capacity[date], expected, rtol=1e-12)


def _other_team(h, team):
    return next(t for t in h.teams["team_id"] if t != team)


# --- capacity: fte, reduction, manager, normal load ----------------------------------------------


@pytest.mark.parametrize("kind", ["fte", "reduction", "reduction_ending", "manager", "hire"])
def test_capacity_changes_follow_what_if_and_leave_load_alone(history, base, kind):
    worker = str(history.workers["worker_id"].iloc[1])
    change = {
        "fte": {"kind": "fte", "worker": worker, "fte": 0.5, "date": CHANGE},
        "reduction": {"kind": "reduction", "worker": worker, "share": 0.5, "date": CHANGE},
        "reduction_ending": {
            "kind": "reduction", "worker": worker, "share": 0.5, "date": CHANGE,
            "end": "2025-08-20",
        },
        "manager": {"kind": "manager", "team": "T1", "n": 1, "date": CHANGE},
        "hire": {"kind": "hire", "team": "T2", "fte": 1.0, "experience_years": 3, "date": CHANGE},
    }[kind]  # fmt: skip
    fc = _forecast(history, [change])
    assert not fc.capacity.equals(base.capacity)
    if kind == "reduction_ending":
        # in force from CHANGE to its end (two weekly dates), then the original capacity
        ends = np.asarray(fc.dates > pd.Timestamp("2025-08-20"))
        np.testing.assert_array_equal(fc.capacity.loc[:, ends], base.capacity.loc[:, ends])
        inside = _after(fc) & ~ends
        assert inside.sum() == 3
        for date in fc.dates[inside]:
            expected = _what_if_capacity(history, [change], date).reindex(fc.capacity.index)
            np.testing.assert_allclose(fc.capacity[date], expected, rtol=1e-12)
    else:
        _capacity_is_what_ifs(history, fc, base, [change])
    np.testing.assert_allclose(fc.load_paths, base.load_paths, rtol=1e-12)


def test_normal_load_changes_capacity_and_staff_need(history, base):
    change = {"kind": "normal_load", "capacity": 2 * history.scheme.capacity, "date": CHANGE}
    fc = _forecast(history, [change])
    _capacity_is_what_ifs(history, fc, base, [change])
    load = fc.measure("load").set_index(["date", "level", "team_id"])["median"]
    need = fc.measure("staff_need").set_index(["date", "level", "team_id"])["median"]
    p = np.where(
        need.index.get_level_values("date") >= pd.Timestamp(CHANGE),
        2 * history.scheme.capacity,
        history.scheme.capacity,
    )
    np.testing.assert_allclose(need.to_numpy(), load.to_numpy() / p)


# --- points: weights ----------------------------------------------------------------------------


def test_doubled_weights_double_the_load_from_their_date(history, base):
    table = history.scheme.weights_table()
    changes = [
        {"kind": "weight", "case_type": row.case_type, "weight": 2 * float(row.weight),
         "date": CHANGE, **({} if pd.isna(row.phase) else {"phase": row.phase})}
        for row in table.itertuples()
    ]  # fmt: skip
    fc = _forecast(history, changes)
    after = _after(fc)
    # open cases and new cases alike: every point doubles, path by path
    np.testing.assert_allclose(
        fc.load_paths[..., after], 2 * base.load_paths[..., after], rtol=1e-12
    )
    np.testing.assert_allclose(fc.load_paths[..., ~after], base.load_paths[..., ~after], rtol=1e-12)
    np.testing.assert_array_equal(fc.capacity, base.capacity)


# --- teams: moves and leaves --------------------------------------------------------------------


@pytest.mark.parametrize("how", ["leave", "move_rule", "move_listed"])
def test_moved_cases_change_team_from_their_date(history, base, how):
    workers = history.workers
    who, team = str(workers["worker_id"].iloc[0]), str(workers["team_id"].iloc[0])
    other = _other_team(history, team)
    known = pd.to_datetime(history.cases["opened"]) <= pd.Timestamp(START)
    closed = pd.to_datetime(history.cases["closed"])
    open_now = known & (closed.isna() | (closed > pd.Timestamp(START)))
    theirs = history.cases[open_now & history.cases["worker_id"].eq(who)]
    change = {
        "leave": {"kind": "leave", "worker": who, "date": CHANGE, "cases_to": other},
        "move_rule": {"kind": "move", "worker": who, "to": other, "date": CHANGE},
        "move_listed": {
            "kind": "move", "cases": theirs["case_id"].astype(str).tolist(), "to": other,
            "date": CHANGE,
        },
    }[how]  # fmt: skip
    fc = _forecast(history, [change])
    after = _after(fc)
    t, o = _team(fc, team), _team(fc, other)
    np.testing.assert_allclose(fc.load_paths[..., ~after], base.load_paths[..., ~after], rtol=1e-12)
    # the unit's load is the same path by path; what leaves the team arrives in the other
    np.testing.assert_allclose(fc.load_paths.sum(axis=1), base.load_paths.sum(axis=1), rtol=1e-12)
    moved = base.load_paths[:, t, after] - fc.load_paths[:, t, after]
    np.testing.assert_allclose(fc.load_paths[:, o, after] - base.load_paths[:, o, after], moved)
    # at most the worker's cases open on the start, and on the first date some of them
    points = at.score(theirs, workers, history.scheme, teams=history.teams).cases["points"]
    assert (moved >= -1e-9).all() and (moved <= points.sum() + 1e-9).all()
    assert moved[:, 0].mean() > 0
    if how == "leave":
        _capacity_is_what_ifs(history, fc, base, [change])


# --- inflow -------------------------------------------------------------------------------------


def test_inflow_adds_its_cases_on_their_date(history, base):
    change = {"kind": "inflow", "case_type": "bou_utredning", "n": 3, "to": "T2", "date": CHANGE}
    fc = _forecast(history, [change])
    after = _after(fc)
    first = int(np.flatnonzero(after)[0])
    t2 = _team(fc, "T2")
    # the other cases draw as without the scenario
    np.testing.assert_allclose(fc.load_paths[..., ~after], base.load_paths[..., ~after], rtol=1e-12)
    others = [i for i in range(len(fc.capacity.index)) if i != t2]
    np.testing.assert_allclose(fc.load_paths[:, others], base.load_paths[:, others], rtol=1e-12)
    # on their opening date all three are open in every path: what what_if adds that day
    w = at.what_if(history.cases, history.workers, history.scheme, {"changes": [change]},
                   teams=history.teams, on=CHANGE)  # fmt: skip
    added = w.teams.set_index("team_id").loc["T2", "load_change"]
    extra = fc.load_paths[:, t2] - base.load_paths[:, t2]
    np.testing.assert_allclose(extra[:, first], added, rtol=1e-12)
    # later each is open or closed: 0 to 3 cases' points, fewer on average as time passes
    share = extra[:, first:] / (added / 3)
    np.testing.assert_allclose(share, np.round(share), atol=1e-9)
    share = np.round(share)
    assert share.min() >= 0 and share.max() <= 3
    assert share[:, -1].mean() < share[:, 0].mean()


def test_inflow_of_a_type_without_history_is_an_error(history):
    cases = history.cases[history.cases["case_type"] != "familjeratt"]
    change = {"kind": "inflow", "case_type": "familjeratt", "n": 1, "to": "T1", "date": CHANGE}
    with pytest.raises(at.ScenarioError, match=r"no case of type 'familjeratt'"):
        at.forecast(
            cases, history.workers, history.scheme, teams=history.teams, start=START,
            horizon="12W", n_paths=20, random_state=0,
            scenario=at.Scenario.from_dict({"changes": [change]}),
        )  # fmt: skip


# --- dates and the empty scenario -------------------------------------------------------------


@pytest.mark.parametrize("date", ["2025-06-01", "2026-03-01"])
def test_change_outside_the_horizon_is_an_error(history, date):
    change = {"kind": "hire", "team": "T1", "date": date}
    with pytest.raises(
        at.ScenarioError,
        match=rf"change 1 \(hire\): 'date' must be within the forecast's horizon.*got {date}",
    ):
        _forecast(history, [change])


def test_empty_scenario_is_the_forecast_without_one(history, base):
    fc = _forecast(history, [])
    pd.testing.assert_frame_equal(fc.table, base.table)
    np.testing.assert_array_equal(fc.load_paths, base.load_paths)
