"""Suggestions for unknown names: exact-ignoring-case always, fuzzy within a budget."""

from __future__ import annotations

import warnings

import pandas as pd

import arbetstyngd as at
from arbetstyngd._contract.suggest import Suggester


def test_a_match_ignoring_case_and_spaces_comes_first():
    assert Suggester(["H0002", "H0001", "X"]).closest(" h0001 ")[0] == "H0001"


def test_fuzzy_search_stops_at_its_budget_but_exact_matches_do_not():
    names = [f"H{i:04d}" for i in range(100)]
    suggest = Suggester(names, fuzzy_budget=700)  # 700 // 100 names = 7 fuzzy searches
    assert suggest.fuzzy_left == 7
    fuzzy = [suggest.closest(f"H{i:04d}x") for i in range(9)]
    assert all(fuzzy[:7]) and fuzzy[7:] == [[], []]
    assert suggest.closest("h0042") == ["H0042"]  # found by dictionary, budget spent or not


def test_at_least_five_values_get_a_fuzzy_search():
    assert Suggester([str(i) for i in range(10**6)]).fuzzy_left == 5


def test_many_unknown_workers_are_each_rejected_and_the_first_get_suggestions():
    town = at.datasets.make_municipality(n_workers=10, n_teams=2, seed=4)
    cases = town.cases.copy()
    unknown = [f"Z{i:03d}" for i in range(len(cases))]
    cases["worker_id"] = pd.Series(unknown, dtype="str", index=cases.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        wl = at.score(cases, town.workers, town.scheme, on=town.on)
    rej = wl.rejected[wl.rejected["column"] == "worker_id"]
    assert len(rej) == len(cases) and len(wl.cases) == 0
    assert rej["reason"].str.contains("is not in the roster").all()
    with_hint = rej["reason"].str.contains("closest known").sum()
    # 200,000 comparisons against 10 names: every value gets its fuzzy search here
    assert with_hint >= 5
