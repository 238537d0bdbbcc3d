"""Staffing need: the weighted-caseload identity and hand-computed adjustments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at

PLAIN = at.Scheme.from_dict(
    {
        "name": "plain",
        "version": "1",
        "capacity": 120,  # points of one FTE (the weighted-caseload method's "year value")
        "weights": [
            {"case_type": "utredning", "weight": 10},
            {"case_type": "insats", "weight": 6},
            {"case_type": "uppfoljning", "weight": 2.5},
        ],
    }
)


def _cases(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    rows = [
        (worker, kind)
        for worker, by_type in counts.items()
        for kind, n in by_type.items()
        for _ in range(n)
    ]
    return pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(len(rows))],
            "worker_id": [w for w, _ in rows],
            "case_type": [k for _, k in rows],
            "opened": "2026-01-01",
        }
    )


def test_weighted_caseload_identity():
    counts = {
        "W1": {"utredning": 7, "insats": 4},
        "W2": {"insats": 9, "uppfoljning": 6},
        "W3": {"utredning": 3, "uppfoljning": 11},
    }
    workers = pd.DataFrame(
        {"worker_id": ["W1", "W2", "W3"], "team_id": ["T1", "T1", "T2"], "fte": [1.0, 0.8, 1.0]}
    )
    wl = at.score(_cases(counts), workers, PLAIN, on="2026-02-01")
    need = wl.staff_need(target=1.0)
    # by hand: T1 = (7×10 + 4×6 + 9×6 + 6×2.5) / 120 = 163 / 120; T2 = (30 + 27.5) / 120
    t1, t2, unit = need.iloc[0], need.iloc[1], need.iloc[2]
    assert t1.need_reference == pytest.approx(163 / 120, abs=1e-15)
    assert t2.need_reference == pytest.approx(57.5 / 120, abs=1e-15)
    assert unit.need_reference == pytest.approx(220.5 / 120, abs=1e-15)
    # no adjustments, no reductions: as staffed equals reference, gaps against the FTE
    assert need["need_staffed"].to_numpy() == pytest.approx(need["need_reference"].to_numpy())
    assert t1.gap_staffed == pytest.approx(163 / 120 - 1.8)
    assert t1.gap_reference == pytest.approx(163 / 120 - 1.8)
    assert need["level"].tolist() == ["team", "team", "unit"]
    assert unit.n_workers == 3


def test_target_below_one_needs_more_staff():
    workers = pd.DataFrame({"worker_id": ["W1"], "team_id": ["T1"], "fte": [1.0]})
    wl = at.score(_cases({"W1": {"utredning": 12}}), workers, PLAIN, on="2026-02-01")
    assert wl.staff_need(0.8)["need_reference"].iloc[0] == pytest.approx(120 / (0.8 * 120))


def test_as_staffed_uses_the_teams_mean_adjustment():
    scheme = PLAIN.evolve(
        adjustments=[at.Adjustment("experience_years", breaks=(1,), factors=(0.5, 1.0))]
    )
    workers = pd.DataFrame(
        {
            "worker_id": ["W1", "W2"],
            "team_id": "T1",
            "fte": [1.0, 1.0],
            "reduction": [0.0, 0.5],
            "experience_years": [0.5, 10.0],
        }
    )
    # load 240; capacity 120×0.5 + 120×0.5×1 = 120; effective FTE 1.5; ḡ = 120 / (120×1.5)
    wl = at.score(_cases({"W1": {"utredning": 12}, "W2": {"utredning": 12}}), workers, scheme)
    row = wl.staff_need().iloc[0]
    assert row.reference_fte == pytest.approx(1.0)
    assert row.need_reference == pytest.approx(2.0)
    assert row.gap_reference == pytest.approx(1.0)
    assert row.effective_fte == pytest.approx(1.5)
    assert row.mean_adjustment == pytest.approx(2 / 3)
    assert row.need_staffed == pytest.approx(3.0)
    assert row.gap_staffed == pytest.approx(1.5)


def test_staff_need_on_a_timeline_matches_each_date():
    town = at.datasets.make_municipality(n_workers=10, n_teams=2, seed=5)
    dates = ["2026-03-01", "2026-06-30"]
    tl = at.timeline(town.cases, town.workers, town.scheme, teams=town.teams, dates=dates)
    need = at.staff_need(tl, scheme=town.scheme)
    for date in dates:
        wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=date)
        mine = need[need.date == pd.Timestamp(date)]
        assert mine["need_reference"].to_numpy() == pytest.approx(
            wl.staff_need()["need_reference"].to_numpy(), rel=1e-12
        )
    assert need["need_staffed"].isna().all()  # a timeline has no effective FTE


@pytest.mark.parametrize("target", [0, -1, float("nan"), "high", True])
def test_bad_target(target):
    workers = pd.DataFrame({"worker_id": ["W1"], "team_id": ["T1"], "fte": [1.0]})
    wl = at.score(_cases({"W1": {"utredning": 1}}), workers, PLAIN)
    with pytest.raises(ValueError, match="'target' must be a utilisation > 0"):
        wl.staff_need(target)


def test_timeline_needs_the_scheme():
    frame = pd.DataFrame({"date": [], "team_id": [], "load": [], "capacity": []})
    with pytest.raises(ValueError, match="needs the scheme"):
        at.staff_need(frame)
    with pytest.raises(TypeError, match="must be a Workload or a timeline"):
        at.staff_need(np.zeros(3))  # type: ignore[arg-type]
