"""Impact of one new case, hand-computed; and the allocation's hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at

SCHEME = """
name = "flat"
version = "1"
capacity = 100
[[weights]]
case_type = "A"
weight = 10
[[weights]]
case_type = "A"
phase = "utredning"
weight = 16
[[weights]]
case_type = "B"
weight = 4
[multipliers]
tolk = 1.5
[[adjustments]]
covariate = "experience_years"
name = "experience"
breaks = [1]
factors = [0.5, 1.0]
"""


@pytest.fixture
def flat() -> at.Scheme:
    return at.Scheme.from_toml(SCHEME)


@pytest.fixture
def workers() -> pd.DataFrame:
    # capacity: W1 100 × 1 = 100; W2 100 × 0.5 = 50; W3 100 × 1 × 0.5 (new) = 50
    return pd.DataFrame(
        {
            "worker_id": ["W1", "W2", "W3"],
            "team_id": ["T1", "T1", "T2"],
            "fte": [1.0, 0.5, 1.0],
            "experience_years": [10.0, 10.0, 0.5],
        }
    )


@pytest.fixture
def cases() -> pd.DataFrame:
    # load: W1 20 (u 0.20), W2 4 (u 0.08), W3 8 (u 0.16)
    return pd.DataFrame(
        {
            "case_id": ["c1", "c2", "c3", "c4", "c5"],
            "worker_id": ["W1", "W1", "W2", "W3", "W3"],
            "case_type": ["A", "A", "B", "B", "B"],
            "opened": "2026-01-01",
            "subject_id": ["s1", "s2", "s3", "s4", "s5"],
            "family_id": ["f1", "f2", "f3", "f4", "f4"],
        }
    )


@pytest.fixture
def wl(cases, workers, flat) -> at.Workload:
    return at.score(cases, workers, flat, on="2026-03-01")


def test_impact_hand_computed(wl):
    t = wl.impact({"case_type": "A", "phase": "utredning", "tolk": True}, lang="sv")
    # 16 × 1.5 = 24 points for everyone; after: W1 44/100, W2 28/50, W3 32/50
    assert t["worker_id"].tolist() == ["W1", "W2", "W3"]
    assert t["points"].tolist() == [24.0, 24.0, 24.0]
    assert t["load_after"].tolist() == [44.0, 28.0, 32.0]
    assert np.allclose(t["utilisation_before"], [0.20, 0.08, 0.16])
    assert np.allclose(t["utilisation_after"], [0.44, 0.56, 0.64])
    assert t["change"].tolist() == [
        "20\u00a0% → 44\u00a0%",
        "8\u00a0% → 56\u00a0%",
        "16\u00a0% → 64\u00a0%",
    ]
    assert t["band_after"].astype(str).tolist() == ["low", "low", "low"]


def test_impact_band_crossing_and_english(workers, flat):
    many = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(8)],
            "worker_id": "W1",
            "case_type": "A",
            "opened": "2026-01-01",
        }
    )
    wl = at.score(many, workers, flat, on="2026-03-01")  # W1: 80 points, u 0.80 (low)
    t = wl.impact({"case_type": "A"}, lang="en")
    w1 = t[t.worker_id == "W1"].iloc[0]
    assert (w1.band_before, w1.band_after) == ("low", "balanced")
    assert w1.change == "80% → 90%"


def test_impact_respects_rules(wl):
    t = wl.impact({"case_type": "A"}, rules={"paused": ["W1"], "team_case_types": {"T2": ["B"]}})
    assert t["worker_id"].tolist() == ["W2"]
    t = wl.impact({"case_type": "A"}, rules={"min_experience": {"A": 1}})
    assert sorted(t["worker_id"]) == ["W1", "W2"]


def test_impact_of_several_cases(wl):
    t = at.impact(wl, pd.DataFrame({"case_id": ["n1", "n2"], "case_type": ["A", "B"]}))
    assert len(t) == 6
    assert t.groupby("case_id")["points"].first().to_dict() == {"n1": 10.0, "n2": 4.0}


def test_impact_unknown_case_type_names_it(wl):
    with pytest.raises(at.DataError, match="unknown case type 'C'"):
        wl.impact({"case_type": "C"})


def test_impact_empty_input(wl):
    with pytest.raises(at.DataError, match="empty"):
        wl.impact(pd.DataFrame({"case_type": []}))


# --- allocation, hand-computed --------------------------------------------------------------


def test_allocate_hand_computed(wl):
    new = [{"case_id": "N1", "case_type": "A"}, {"case_id": "N2", "case_type": "B"}]
    a = at.allocate(wl, new, lang="en")
    # N1 (10 points): W1 0.30, W2 0.28, W3 0.36 -> W2, so the highest is 0.28 as long as
    # N2 (4 points) avoids W2 (W1 0.24 or W3 0.24). Then the lowest of the three: N2 on W1
    # leaves W3 at 0.16, N2 on W3 leaves W1 at 0.20 -> W3.
    assert a.method == "milp"
    assert a.suggestions["worker_id"].tolist() == ["W2", "W3"]
    assert a.highest == pytest.approx(0.28)
    reasons = a.suggestions["reasons"].tolist()
    assert reasons[0] == "lowest resulting utilisation of 3 who could take it; 8% → 28%"
    assert reasons[1].endswith("16% → 24%")
    assert "never an automatic decision" in str(a)


def test_allocate_greedy_and_exact_agree_on_the_easy_case(wl):
    new = [{"case_id": "N1", "case_type": "A"}, {"case_id": "N2", "case_type": "B"}]
    g = at.allocate(wl, new, method="greedy")
    assert g.method == "greedy"
    assert g.highest == pytest.approx(0.28)


def test_continuity_by_subject_and_by_family(wl, cases):
    new = [
        {"case_id": "N1", "case_type": "A", "subject_id": "s1"},  # W1 has s1
        {"case_id": "N2", "case_type": "B", "family_id": "f4"},  # W3 has family f4
    ]
    a = at.allocate(wl, new, cases=cases, lang="en")
    assert a.suggestions["worker_id"].tolist() == ["W1", "W3"]
    assert a.suggestions["reasons"][0].startswith("already has a case for the same person")
    assert a.suggestions["reasons"][1].startswith("has the sibling's case")


def test_continuity_gives_way_at_critical(workers, flat, cases):
    heavy = pd.concat(
        [
            cases,
            pd.DataFrame(
                {
                    "case_id": [f"h{i}" for i in range(10)],
                    "worker_id": "W3",
                    "case_type": "B",
                    "opened": "2026-01-01",
                }
            ),
        ]
    )  # W3: 12 × 4 = 48 points of 50: 0.96; +10 -> 1.16 (high), +16 -> 1.28 (critical)
    wl = at.score(heavy, workers, flat, on="2026-03-01")
    new = [{"case_id": "N1", "case_type": "A", "phase": "utredning", "family_id": "f4"}]
    a = at.allocate(wl, new, cases=heavy, rules={"ceiling": None}, lang="en")
    row = a.suggestions.iloc[0]
    assert row.worker_id != "W3"
    assert row.reasons.startswith("W3 has the family's case but cannot take more (would reach")


def test_new_cases_of_one_family_go_together(wl):
    new = [
        {"case_id": "N1", "case_type": "B", "family_id": "new"},
        {"case_id": "N2", "case_type": "B", "family_id": "new"},
    ]
    with pytest.warns(UserWarning, match="only new cases of the same subject or family"):
        a = at.allocate(wl, new, lang="en")
    assert a.suggestions["worker_id"].nunique() == 1
    assert "goes with a new case of the same family" in a.suggestions["reasons"][0]


def test_ceiling_leaves_a_case_unassigned_with_the_reason(wl):
    big = [{"case_id": "N1", "case_type": "A", "phase": "utredning", "tolk": True}] * 1
    # 24 points: W1 0.44, W2 0.56, W3 0.64: a ceiling at balanced (0.85) lets it through …
    assert at.allocate(wl, big, rules={"ceiling": "balanced"}).n_unassigned == 0
    # … but a pile of them does not fit under 0.85 everywhere
    pile = [{"case_id": f"N{i}", "case_type": "A", "phase": "utredning"} for i in range(12)]
    a = at.allocate(wl, pile, rules={"ceiling": "balanced"}, lang="en")
    left = a.suggestions[a.suggestions.worker_id.isna()]
    assert len(left) > 0
    assert set(left["reasons"]) == {
        "no room left under the ceiling (balanced) after the other cases"
    }
    placed = a.suggestions.dropna(subset=["worker_id"])
    assert (placed["utilisation_after"] < 0.85).all()


def test_only_experienced_worker_with_room(wl):
    a = at.allocate(
        wl,
        [{"case_id": "N1", "case_type": "A"}],
        rules={"min_experience": {"A": 1.0}, "paused": ["W2"]},
        lang="en",
    )
    assert a.suggestions["worker_id"][0] == "W1"
    assert a.suggestions["reasons"][0].startswith("only experienced worker with room")


@pytest.mark.parametrize(
    ("rules", "reason"),
    [
        ({"team_case_types": {"T1": ["B"], "T2": ["B"]}}, "no team takes case type A"),
        ({"min_experience": {"A": 20}}, "needs 20 years in the profession"),
        ({"paused": ["W1", "W2", "W3"]}, "every eligible worker is paused or absent"),
    ],
)
def test_unassignable_reasons(wl, rules, reason):
    a = at.allocate(wl, [{"case_id": "N1", "case_type": "A"}], rules=rules, lang="en")
    assert a.suggestions["worker_id"].isna().all()
    assert a.suggestions["reasons"][0].startswith(reason)


def test_swedish_reasons(wl):
    a = at.allocate(wl, [{"case_id": "N1", "case_type": "A"}], lang="sv")
    assert (
        a.suggestions["reasons"][0]
        == "lägst belastning efteråt bland 3 möjliga; 8\u00a0% → 28\u00a0%"
    )
    assert "inget automatiskt beslut" in a.note
