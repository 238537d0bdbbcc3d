"""Hand-computed cases for every rule of the measurement model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at

ON = "2026-03-01"


def test_points_phase_fallback_and_multiplier(cases, workers, teams, mini):
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    c = wl.cases.set_index("case_id")
    assert c.loc["c1", "points"] == 16  # own phase row
    assert c.loc["c2", "weight"] == 10 and bool(c.loc["c2", "phase_fallback"])  # insats: fallback
    assert c.loc["c2", "points"] == 15  # 10 x tolk 1.5
    assert c.loc["c5", "points"] == 15  # no phase: the type's row, tolk "ja"
    assert c.loc["c9", "points"] == 24  # 16 x 1.5, tolk "x"
    assert c.loc["c10", "points"] == 4  # empty flag = no
    assert c.loc["c7", "tolk_factor"] == 1.0  # "0" = no


def test_active_on_date(cases, workers, teams, mini):
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    active = wl.cases.set_index("case_id")["active"]
    assert not active["c3"]  # closed on the date: not active (t < closed fails)
    assert active["c4"]  # opened on the date: active (opened <= t)
    assert not active["c6"]  # opens the day after
    assert active["c7"]  # closes the day after


def test_snapshot_uses_closed_date_only(cases, workers, teams, mini):
    wl = at.score(cases, workers, mini, teams=teams)
    active = wl.cases.set_index("case_id")["active"]
    assert active["c6"] and not active["c7"] and not active["c3"]
    assert wl.on is None
    w = wl.workers.set_index("worker_id")
    assert w.loc["W1", "load"] == 63
    assert w.loc["W2", "load"] == 15 + 4 + 16


def test_load_capacity_utilisation_band(cases, workers, teams, mini):
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    w = wl.workers.set_index("worker_id")
    # W1: 16 + 15 + 4 + 24 + 4; capacity 100 x 1.0 x (1-0) x 0.8 (3 y) x 0.9 (span 12)
    assert w.loc["W1", "n_cases"] == 5
    assert w.loc["W1", "load"] == 63
    assert w.loc["W1", "capacity"] == pytest.approx(72.0)
    assert w.loc["W1", "utilisation"] == pytest.approx(63 / 72)
    assert w.loc["W1", "band"] == "balanced"
    # W2: 15 + 4 + 16; capacity 100 x 0.5 x 0.8 x 0.8 x 0.9
    assert w.loc["W2", "load"] == 35
    assert w.loc["W2", "capacity"] == pytest.approx(28.8)
    assert w.loc["W2", "band"] == "high"
    # W3: experience from profession_start (181 days -> 0.4956 y -> 0.5), span derived = 1
    assert w.loc["W3", "experience_years"] == pytest.approx(181 / 365.25)
    assert w.loc["W3", "span_of_control"] == 1
    assert w.loc["W3", "capacity"] == pytest.approx(50.0)
    assert w.loc["W3", "load"] == 0 and w.loc["W3", "band"] == "low"
    assert list(w.loc["W1", ["experience_factor", "support_factor"]]) == [0.8, 0.9]


def test_teams_are_ratios_of_sums(cases, workers, teams, mini):
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    t = wl.teams.set_index("team_id")
    assert t.loc["T1", "load"] == 98
    assert t.loc["T1", "capacity"] == pytest.approx(100.8)
    assert t.loc["T1", "utilisation"] == pytest.approx(98 / 100.8)
    mean_of_pct = (63 / 72 + 35 / 28.8) / 2
    assert t.loc["T1", "utilisation"] != pytest.approx(mean_of_pct)
    assert t.loc["T1", "band"] == "balanced"
    assert (t.loc["T1", "n_balanced"], t.loc["T1", "n_high"]) == (1, 1)
    assert t.loc["T2", "n_workers"] == 1 and t.loc["T2", "n_low"] == 1


def test_bands_boundaries():
    bands = at.Bands(balanced=0.85, high=1.10, critical=1.25)
    got = list(bands.classify([0.0, 0.849, 0.85, 1.0999, 1.10, 1.2499, 1.25, 9.0]))
    assert got == ["low", "low", "balanced", "balanced", "high", "high", "critical", "critical"]


def test_adjustment_step_and_linear():
    step = at.Adjustment("x", breaks=(1, 5), factors=(0.6, 0.8, 1.0))
    assert step.factor([0, 0.999, 1, 4.99, 5, 30]).tolist() == [0.6, 0.6, 0.8, 0.8, 1.0, 1.0]
    lin = at.Adjustment("x", breaks=(0, 10), factors=(1.0, 0.5), kind="linear")
    assert lin.factor([-5, 0, 5, 10, 20]).tolist() == [1.0, 1.0, 0.75, 0.5, 0.5]
    assert np.isnan(step.factor([np.nan])[0])


def test_covariate_from_team_table(cases, workers, mini):
    teams = pd.DataFrame({"team_id": ["T1", "T2"], "span_of_control": [20, 3]})
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    w = wl.workers.set_index("worker_id")
    assert w.loc["W3", "support_factor"] == 1.0 and w.loc["W1", "support_factor"] == 0.9


def test_span_of_control_derived_per_manager(cases, mini):
    workers = pd.DataFrame(
        {
            "worker_id": [f"W{i}" for i in range(12)],
            "team_id": ["T1"] * 6 + ["T2"] * 6,
            "fte": 1.0,
            "experience_years": 10.0,
        }
    )
    one_manager = pd.DataFrame({"team_id": ["T1", "T2"], "manager_id": ["M1", "M1"]})
    two_managers = pd.DataFrame({"team_id": ["T1", "T2"], "manager_id": ["M1", "M2"]})
    empty = cases.iloc[:0]
    a = at.score(empty, workers, mini, teams=one_manager, on=ON).workers
    b = at.score(empty, workers, mini, teams=two_managers, on=ON).workers
    assert set(a["span_of_control"]) == {12} and set(a["support_factor"]) == {0.9}
    assert set(b["span_of_control"]) == {6} and set(b["support_factor"]) == {1.0}


def test_explain_reproduces_figures(cases, workers, teams, mini):
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    ex = wl.explain("W1")
    parts = ex.load_parts.set_index("case_type")
    assert parts.loc["A", "points"] == 55 and parts.loc["B", "points"] == 8
    assert parts.loc["A", "n_cases"] == 3 and parts.loc["A", "complexity_points"] == 13
    assert sum(ex.load_parts["points"]) == ex.load == 63
    steps = ex.capacity_parts.set_index("step")
    assert list(steps.index) == ["normal_load", "fte", "reduction", "experience", "support"]
    assert steps["capacity"].iloc[-1] == ex.capacity
    assert ex.utilisation == ex.load / ex.capacity
    assert len(ex.cases) == 5
    with pytest.raises(KeyError, match="closest"):
        wl.explain("W9")


def test_result_records_scheme_and_dates(cases, workers, teams, mini):
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    assert wl.scheme is mini
    assert wl.meta()["scheme"] == "mini@1"
    assert wl.on == pd.Timestamp(ON) and wl.reference_date == pd.Timestamp(ON)
    assert "mini@1" in repr(wl) and "mini@1" in wl._repr_html_()


def test_scheme_by_name_and_builtin_municipality():
    town = at.datasets.make_municipality(n_workers=12, n_teams=3, seed=5)
    wl = at.score(town.cases, town.workers, "barn-och-unga", teams=town.teams, on=town.on)
    assert len(wl.workers) == 12 and len(wl.rejected) == 0
    assert wl.teams["load"].sum() == pytest.approx(wl.workers["load"].sum())
    acc = wl.accounting().set_index("table")
    assert acc.loc["cases", "rows"] == len(town.cases)


def test_timestamps_with_time_of_day_count_per_day(workers, teams, mini):
    cases = pd.DataFrame(
        {
            "case_id": ["x"],
            "worker_id": ["W1"],
            "case_type": ["B"],
            "opened": pd.to_datetime(["2026-03-01 15:30"]),
        }
    )
    wl = at.score(cases, workers, mini, teams=teams, on=ON)
    assert bool(wl.cases["active"].iloc[0])


def test_integer_ids_match_text_ids(mini):
    cases = pd.DataFrame(
        {
            "case_id": [1, 2],
            "worker_id": [7, 7],
            "case_type": ["B", "B"],
            "opened": ["2026-01-01", "2026-01-02"],
        }
    )
    workers = pd.DataFrame(
        {"worker_id": ["7"], "team_id": ["T"], "fte": [1.0], "experience_years": [9.0]}
    )
    wl = at.score(cases, workers, mini, on=ON)
    assert wl.workers["load"].iloc[0] == 8


def test_surrounding_spaces_in_ids_and_types_are_ignored(cases, workers, teams, mini):
    spaced = cases.copy()
    spaced["worker_id"] = spaced["worker_id"].map(lambda w: f" {w} ")
    spaced["case_type"] = spaced["case_type"].map(lambda t: f"{t}  ")
    a = at.score(cases, workers, mini, teams=teams, on=ON).workers
    b = at.score(spaced, workers, mini, teams=teams, on=ON).workers
    assert a["load"].tolist() == b["load"].tolist()


def test_result_does_not_change_when_the_input_is_edited_later(cases, workers, mini):
    frame = cases.astype({"case_id": "string[pyarrow]", "phase": "string[pyarrow]"})
    wl = at.score(frame, workers, mini, on=ON)
    before = wl.cases["case_id"].tolist()
    frame.loc[0, "case_id"] = "changed"
    frame.loc[1, "phase"] = "changed"
    assert wl.cases["case_id"].tolist() == before
    assert "changed" not in set(wl.cases["phase"].dropna())
