"""Dated reductions: a catalogue of reasons with dates that lowers capacity while in force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbetstyngd as at
from arbetstyngd.contracts import check_workload
from conftest import make_random_caseload


@pytest.fixture
def reductions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "worker_id": ["W1", "W1", "W2"],
            "share": [0.1, 0.2, 0.5],
            "start": ["2026-01-01", "2026-02-15", None],
            "end": ["2026-06-30", "2026-03-01", "2026-02-28"],
            "reason": ["fackligt uppdrag", "utbildning", "föräldraledighet"],
        }
    )


def test_reductions_in_force_add_up(cases, workers, teams, mini, reductions):
    wl = at.score(cases, workers, mini, teams=teams, reductions=reductions, on="2026-03-01")
    w = wl.workers.set_index("worker_id")
    # W1: 0.1 + 0.2 (training ends 1 March inclusive) = exactly 0.3; W2: leave ended 28 Feb
    assert w.loc["W1", "reduction"] == 0.3
    assert w.loc["W1", "capacity"] == pytest.approx(100 * 1.0 * 0.7 * 0.8 * 0.9)
    assert w.loc["W2", "reduction"] == 0.2  # its own column only
    ex = wl.explain("W1").capacity_parts.set_index("step")
    assert ex.loc["reduction", "value"] == 0.3
    later = at.score(cases, workers, mini, teams=teams, reductions=reductions, on="2026-03-02")
    assert later.workers.set_index("worker_id").loc["W1", "reduction"] == 0.1


def test_full_reduction_leaves_no_capacity(cases, workers, mini):
    full = pd.DataFrame({"worker_id": ["W1"], "share": [1.0]})
    wl = at.score(cases, workers, mini, reductions=full, on="2026-03-01")
    w1 = wl.workers.set_index("worker_id").loc["W1"]
    assert w1["capacity"] == 0 and np.isnan(w1["utilisation"]) and pd.isna(w1["band"])
    check_workload(wl)
    team = wl.teams.set_index("team_id").loc["T1"]
    assert team["utilisation"] == pytest.approx(team["load"] / team["capacity"])


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("worker_id", "W9", "worker 'W9' is not in the roster"),
        ("share", 25, "if it is a percentage, divide by 100"),
        ("share", 0, "'share' must be in (0, 1] (got 0)"),
        ("share", "mycket", "'share' must be a number"),
        ("start", "förra året", "'start' is not a date"),
        ("end", "2025-01-01", "end before start"),
    ],
)
def test_bad_reduction_rows(cases, workers, mini, reductions, column, value, expected):
    bad = reductions.astype({column: object}).copy()
    bad.loc[0, column] = value
    with pytest.warns(at.RejectedRowsWarning, match="reductions row"):
        wl = at.score(cases, workers, mini, reductions=bad, on="2026-03-01")
    rej = wl.rejected
    assert rej["table"].tolist() == ["reductions"] and expected in rej["reason"].iloc[0]


@pytest.mark.filterwarnings("ignore::arbetstyngd.errors.ReductionsWarning")
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1))
def test_timeline_equals_score_with_reductions(mini, seed):
    rng = np.random.default_rng(seed)
    cases, workers = make_random_caseload(rng, 40, 5, mini)
    start = np.datetime64("2025-01-01") + rng.integers(0, 300, 8).astype("timedelta64[D]")
    reductions = pd.DataFrame(
        {
            "worker_id": [f"W{i}" for i in rng.integers(0, 5, 8)],
            "share": rng.choice([0.1, 0.2, 0.25, 0.5, 0.05], 8),
            "start": np.where(rng.random(8) < 0.2, np.datetime64("NaT"), start),
            "end": np.where(
                rng.random(8) < 0.2,
                np.datetime64("NaT"),
                start + rng.integers(0, 120, 8).astype("timedelta64[D]"),
            ),
        }
    )
    tl = at.timeline(
        cases, workers, mini, reductions=reductions, start="2025-01-01", end="2025-12-31", freq="MS"
    )
    for date in tl["date"].unique():
        snap = at.score(cases, workers, mini, reductions=reductions, on=date).workers
        got = tl[tl["date"] == date]
        assert (got["capacity"].to_numpy() == snap["capacity"].to_numpy()).all()


def test_overlapping_reductions_above_100_percent_are_reported(cases, workers, mini):
    both = pd.DataFrame({"worker_id": ["W1", "W1"], "share": [0.6, 0.6]})
    with pytest.warns(at.ReductionsWarning, match=r"more than 100 % for 1 worker\(s\) \(W1\)"):
        wl = at.score(cases, workers, mini, reductions=both, on="2026-03-01")
    assert wl.workers.set_index("worker_id").loc["W1", "capacity"] == 0
