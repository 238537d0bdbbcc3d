"""The fast simulation against the simple one it replaced (kept as ``tests/forecast_oracle.py``).

Same draws where the two can be compared draw by draw (the stop step of an open case for
the same uniform, the new cases' stop tables), the same distribution of the paths otherwise
(within Monte Carlo noise), and the table lookup equal to a binary search.
"""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arbetstyngd as at
import forecast_oracle as oracle
from arbetstyngd.decide._forecast_engine import read_cases, to_day
from arbetstyngd.decide._forecast_lookup import Lookup
from arbetstyngd.decide._forecast_model import fit_model
from arbetstyngd.decide._survival import fit_durations, kaplan_meier

sim = importlib.import_module("arbetstyngd.decide._forecast_sim")
forecast_module = importlib.import_module("arbetstyngd.decide.forecast")


@pytest.fixture(scope="module")
def fitted():
    h = at.datasets.make_history(n_workers=30, n_teams=3, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = read_cases(h.cases, h.workers, h.scheme, h.teams, None)
        start = to_day("2025-06-30", "start")
        model = fit_model(data, start, 365, 8, np.random.default_rng(0))
    dates = forecast_module.forecast_dates(start, "26W", "W")
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    known = sim.known_from_model(model, len(days))
    plan = sim._Plan(
        model, known, sim.Steps(start, days), len(data.team_ids), model.item_points[None, :]
    )
    return model, start, days, plan, len(data.team_ids)


@pytest.mark.parametrize("replicate", [0, 5])
def test_open_case_stop_is_the_old_draw_for_the_same_uniform(fitted, replicate):
    model, start, days, plan, _ = fitted
    u = np.random.default_rng(1).random((20, len(model.open_age)), dtype=np.float32)
    table = Lookup(sim._ratio_table(plan, replicate), plan.k_bounds, 32, plan.k_keys)
    new = table.find(plan.k_class * 32, u) - plan.k_class * (len(days) + 1)
    # the old draw inverts the survival with u where the new one inverts 1 - S with 1 - u
    steps = oracle._Steps(start, days)
    duration = model.durations.sampler(replicate).draw(
        model.open_group, model.open_age, 1.0 - u.astype(float)
    )
    old = steps.of(steps.close_day(model.open_opened, duration))
    # they differ only where u lies within single-precision rounding of a boundary
    assert (new != old).mean() < 1e-4
    assert 0 < new.mean() < len(days)


def test_new_case_stop_table_is_the_old_one(fitted):
    model, start, days, plan, _ = fitted
    for r in (0, 3):
        inverse = oracle._stop_table(model, r, oracle._Steps(start, days))
        values = inverse.keys[:-1] - 2.0 * np.repeat(
            np.arange(len(plan.s_bounds) - 1), len(days) + 1
        )
        np.testing.assert_allclose(sim._stop_cdf(plan, r).ravel(), values, atol=1e-12)


def test_joint_table_is_step_weight_times_item_share(fitted):
    model, _, days, plan, _ = fitted
    w = np.random.default_rng(2).random(len(days)) + 0.1
    cdf = sim._joint_cdf(plan, w)
    p = np.diff(np.r_[0.0, cdf])
    starts = plan.j_bounds[:-1]
    p[starts] = cdf[starts]
    expected = (w / w.sum())[plan.j_step] * model.item_share[plan.j_item]
    np.testing.assert_allclose(p, expected, atol=1e-12)
    # every row ends at exactly 1
    assert (cdf[plan.j_bounds[1:] - 1] == 1.0).all()


def test_paths_have_the_old_distribution(fitted):
    model, start, days, plan, n_teams = fitted
    n = 2000
    old = oracle.simulate(model, start, days, n_teams, n, np.random.default_rng(1))
    new = sim.simulate(model, plan.known, start, days, n_teams, n, np.random.default_rng(2))
    z = (old.mean(0) - new.mean(0)) / np.sqrt((old.var(0) + new.var(0)) / n)
    assert np.abs(z).max() < 4.0  # 78 comparisons (3 teams x 26 dates)
    assert abs(z.mean()) < 1.0
    ratio = new.std(0) / old.std(0)
    assert ratio.min() > 0.9 and ratio.max() < 1.1
    for q in (0.025, 0.1, 0.5, 0.9, 0.975):
        gap = np.abs(np.quantile(old, q, axis=0) - np.quantile(new, q, axis=0))
        assert (gap <= 0.25 * old.std(0) + 1e-9).all()


def test_cell_level_bootstrap_has_the_case_level_distribution():
    rng = np.random.default_rng(3)
    d = np.ceil(rng.gamma(2.0, 20.0, 60))
    e = rng.random(60) < 0.7
    n = 3000
    cells = fit_durations(
        np.zeros(60, dtype=np.intp), d, e, n_groups=1, resample=n, rng=np.random.default_rng(4)
    )
    weights = np.random.default_rng(5).poisson(1.0, (n, 60))
    cases = fit_durations(np.zeros(60, dtype=np.intp), d, e, n_groups=1, weights=weights)
    t = np.quantile(d, [0.25, 0.5, 0.75])
    g = np.zeros(len(t), dtype=np.intp)
    a = np.array([cells.survival_at(r, g, t) for r in range(1, n + 1)])
    b = np.array([cases.survival_at(r, g, t) for r in range(n)])
    np.testing.assert_allclose(a.mean(0), b.mean(0), atol=0.01)
    np.testing.assert_allclose(a.std(0), b.std(0), rtol=0.08)
    # the first row is the estimate itself
    _, s = kaplan_meier(d, e)
    assert cells.survival[0].min() == pytest.approx(s.min())


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=5),
    seed=st.integers(0, 2**31),
    coarse=st.booleans(),
    m=st.sampled_from([1, 2, 8, 64]),
)
def test_lookup_equals_searchsorted(sizes, seed, coarse, m):
    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        row = np.sort(rng.choice([0.0, 0.25, 0.5, 1 / 3], n) if coarse else rng.random(n))
        row[-1] = 1.0  # every row ends at exactly 1
        rows.append(row.astype(np.float32))
    bounds = np.r_[0, np.cumsum(sizes)]
    lookup = Lookup(np.concatenate(rows), bounds, m)
    g = rng.integers(0, len(sizes), 300)
    u = np.r_[rng.random(290), [0, 0.25, 0.5, 1 / 3, 0.75, 0.125, 0.999, 1e-9, 0.5, 0.25]]
    u = u.astype(np.float32)
    got = lookup.find(g * m, u)
    expected = [
        bounds[r] + np.searchsorted(rows[r], x, side="right") for r, x in zip(g, u, strict=True)
    ]
    assert got.tolist() == expected
