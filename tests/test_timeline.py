"""Timeline: hand-computed dates, team level, arguments."""

from __future__ import annotations

import pandas as pd
import pytest

import arbetstyngd as at


def test_hand_computed_dates(cases, workers, teams, mini):
    tl = at.timeline(
        cases, workers, mini, teams=teams, dates=["2026-02-15", "2026-03-01", "2026-03-02"]
    )
    w1 = tl[tl["worker_id"] == "W1"].set_index("date")["load"]
    # 15 Feb: c1 16, c2 15, c3 4, c9 24, c10 4 = 63;  1 Mar: c3 closed, c4 opens = 63
    assert w1[pd.Timestamp("2026-02-15")] == 63
    assert w1[pd.Timestamp("2026-03-01")] == 63
    w2 = tl[tl["worker_id"] == "W2"].set_index("date")["load"]
    # 2 Mar: c7 closes, c6 opens -> still 15 + 4 + 16
    assert w2[pd.Timestamp("2026-02-15")] == 15 + 4  # c8 opens 20 Feb
    assert w2[pd.Timestamp("2026-03-02")] == 35
    # experience grows over time: W3's capacity is the same before 1 year in the profession
    w3 = tl[tl["worker_id"] == "W3"]["capacity"]
    assert (w3 == 50).all()


def test_experience_changes_capacity_over_time(mini):
    workers = pd.DataFrame(
        {"worker_id": ["W"], "team_id": ["T"], "fte": [1.0], "profession_start": ["2025-01-01"]}
    )
    empty = pd.DataFrame({"case_id": [], "worker_id": [], "case_type": [], "opened": []})
    tl = at.timeline(empty, workers, mini, dates=["2025-06-01", "2026-01-02"])
    assert tl["capacity"].tolist() == [50.0, 80.0]  # < 1 y: 0.5, then 0.8


def test_team_level_is_ratio_of_sums(cases, workers, teams, mini):
    tl = at.timeline(
        cases,
        workers,
        mini,
        teams=teams,
        start="2026-02-01",
        end="2026-03-31",
        freq="W",
        level="team",
    )
    assert set(tl.columns) >= {"date", "team_id", "load", "capacity", "utilisation", "band"}
    row = tl[(tl["team_id"] == "T1")].iloc[-1]
    assert row["utilisation"] == pytest.approx(row["load"] / row["capacity"])
    snap = at.score(cases, workers, mini, teams=teams, on=row["date"]).teams
    assert snap.set_index("team_id").loc["T1", "load"] == row["load"]


def test_rejections_are_kept_in_attrs(cases, workers, mini):
    bad = cases.copy()
    bad.loc[0, "case_type"] = "X"
    with pytest.warns(at.RejectedRowsWarning, match="1 cases row"):
        tl = at.timeline(bad, workers, mini, start="2026-01-01", end="2026-02-01")
    assert len(tl.attrs["rejected"]) == 1


def test_bad_arguments(cases, workers, mini):
    with pytest.raises(ValueError, match="needs 'start' and 'end'"):
        at.timeline(cases, workers, mini)
    with pytest.raises(ValueError, match="no dates between"):
        at.timeline(cases, workers, mini, start="2026-02-01", end="2026-01-01")
    with pytest.raises(ValueError, match="'level' must be"):
        at.timeline(cases, workers, mini, start="2026-01-01", end="2026-02-01", level="unit")
    with pytest.raises(ValueError, match="increasing"):
        at.timeline(cases, workers, mini, dates=["2026-02-01", "2026-01-01"])


def test_many_cases_inside_one_cell_leave_the_counts_exact(workers, mini):
    """Cases opened and closed between two dates start and stop in one cell of the sweep.

    There the running code of a case type's counts passes a digit's base many times over
    (its bases are bounded by the fullest cell, here 2 cases); only the cell's final code is
    read, and it must decode to the exact counts.
    """
    kinds = [("A", "utredning", "ja"), ("A", None, "nej"), ("B", None, "ja"), ("B", None, "")]
    rows = [
        (f"d{i}", "W1", *kinds[i % 4][:2], "2026-01-05", "2026-01-08", kinds[i % 4][2])
        for i in range(200)
    ]
    rows += [
        ("a1", "W1", "A", "utredning", "2026-01-01", "2026-01-20", "ja"),
        ("a2", "W1", "B", None, "2026-01-09", None, ""),
        ("a3", "W2", "B", None, "2026-01-09", None, "ja"),
    ]
    cases = pd.DataFrame(
        rows, columns=["case_id", "worker_id", "case_type", "phase", "opened", "closed", "tolk"]
    )
    dates = ["2026-01-04", "2026-01-11", "2026-01-18", "2026-01-25"]
    tl = at.timeline(cases, workers, mini, dates=dates)
    for day in dates:
        snap = at.score(cases, workers, mini, on=day).workers
        got = tl[tl["date"] == pd.Timestamp(day)].reset_index(drop=True)
        assert got["n_cases"].tolist() == snap["n_cases"].tolist()
        assert got["load"].tolist() == snap["load"].tolist()
    w1 = tl[tl["worker_id"] == "W1"]["n_cases"].tolist()
    assert w1 == [1, 2, 2, 1]  # the 200 cases between 4 and 11 January never count
