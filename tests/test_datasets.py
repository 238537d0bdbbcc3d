"""The synthetic municipality: deterministic, realistic, scored without rejections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at


def test_deterministic_for_a_seed():
    a = at.datasets.make_municipality(n_workers=20, n_teams=3, seed=7)
    b = at.datasets.make_municipality(n_workers=20, n_teams=3, seed=7)
    c = at.datasets.make_municipality(n_workers=20, n_teams=3, seed=8)
    pd.testing.assert_frame_equal(a.cases, b.cases)
    pd.testing.assert_frame_equal(a.workers, b.workers)
    assert not a.cases.equals(c.cases)


def test_realistic_shape():
    town = at.datasets.make_municipality(n_workers=200, n_teams=8, seed=1)
    years = (town.on - pd.to_datetime(town.workers["profession_start"])).dt.days / 365.25
    assert 0.15 < (years < 1).mean() < 0.35  # about a quarter under one year
    assert town.workers["fte"].between(0.5, 1.0).all() and (town.workers["fte"] < 1).any()
    assert town.workers.groupby("team_id").size().nunique() > 1  # spans of control differ
    assert town.cases["closed"].isna().any() and town.cases["closed"].notna().any()
    assert set(town.cases["case_type"]) <= set(town.scheme.case_types)
    assert town.cases["tolk"].mean() == pytest.approx(0.08, abs=0.03)
    assert (town.cases["opened"] <= town.on).all()


def test_scores_cleanly_near_target():
    town = at.datasets.make_municipality(n_workers=300, n_teams=10, seed=2)
    wl = town.score()
    assert len(wl.rejected) == 0
    total = wl.workers["load"].sum() / wl.workers["capacity"].sum()
    assert total == pytest.approx(1.0, abs=0.1)
    corr = np.corrcoef(town.target.loc[wl.workers["worker_id"]], wl.workers["utilisation"])[0, 1]
    assert corr > 0.3


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_teams <= n_workers"):
        at.datasets.make_municipality(n_workers=2, n_teams=3)
    with pytest.raises(ValueError, match="'end' must be after 'start'"):
        at.datasets.make_municipality(start="2026-01-01", end="2025-01-01")


@pytest.mark.parametrize("name", at.list_schemes())
def test_every_builtin_scheme_generates(name):
    town = at.datasets.make_municipality(n_workers=10, n_teams=2, seed=0, scheme=name)
    assert len(town.score().rejected) == 0


def test_balanced_allocation_evens_out_caseloads():
    spreads = {}
    for allocation in ("poisson", "balanced"):
        town = at.datasets.make_municipality(
            n_workers=150, n_teams=6, seed=3, allocation=allocation
        )
        wl = town.score()
        assert len(wl.rejected) == 0
        total = wl.workers["load"].sum() / wl.workers["capacity"].sum()
        assert total == pytest.approx(1.0, abs=0.1)
        spreads[allocation] = wl.workers["utilisation"].std()
    assert spreads["balanced"] < 0.8 * spreads["poisson"]
    with pytest.raises(ValueError, match="'allocation' must be"):
        at.datasets.make_municipality(allocation="random")
