"""The forecast's pieces, hand-computed: Kaplan–Meier, conditional draws, the tail, arrival
rates and seasonality, the guide-table lookup and the band percentiles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import arbetstyngd as at
from arbetstyngd.decide._forecast_engine import read_cases, to_day
from arbetstyngd.decide._forecast_inverse import Inverse
from arbetstyngd.decide._forecast_model import fit_model
from arbetstyngd.decide._forecast_result import band_table
from arbetstyngd.decide._survival import fit_durations, kaplan_meier

# --- Kaplan–Meier -------------------------------------------------------------------------


def test_kaplan_meier_by_hand():
    # times 2, 3, 3 (one censored), 5: S = 3/4, then 3/4 * 2/3 = 1/2, then 0
    t, s = kaplan_meier(np.array([2.0, 3, 3, 5]), np.array([True, True, False, True]))
    assert t.tolist() == [2.0, 3.0, 5.0]
    np.testing.assert_allclose(s, [0.75, 0.5, 0.0])


def test_kaplan_meier_equals_scipy():
    rng = np.random.default_rng(4)
    d = np.ceil(rng.gamma(2.0, 40.0, 400))
    e = rng.random(400) < 0.7
    t, s = kaplan_meier(d, e)
    ref = stats.ecdf(stats.CensoredData(uncensored=d[e], right=d[~e])).sf
    # scipy lists the event times; ours every distinct time (flat at censoring-only times)
    np.testing.assert_allclose(np.interp(ref.quantiles, t, s), ref.probabilities, rtol=1e-12)


def test_weights_are_repeated_cases():
    d, e = np.array([1.0, 2, 4, 4]), np.array([True, False, True, True])
    w = np.array([2.0, 1, 0, 3])
    t_w, s_w = kaplan_meier(d, e, w)
    t_r, s_r = kaplan_meier(np.repeat(d, [2, 1, 0, 3]), np.repeat(e, [2, 1, 0, 3]))
    np.testing.assert_allclose(np.interp(t_r, t_w, s_w), s_r)


def test_groups_are_estimated_separately():
    group = np.array([0, 0, 1, 1, 1])
    model = fit_durations(
        group, np.array([2.0, 4, 1, 1, 3]), np.array([True, True, True, False, True]), n_groups=2
    )
    # group 0: 1/2 after 2, 0 after 4; group 1: 2/3 after 1, 0 after 3
    np.testing.assert_allclose(
        model.survival_at(0, np.array([0, 0, 1, 1]), np.array([2.0, 4, 1, 3])),
        [0.5, 0.0, 2 / 3, 0.0],
    )
    assert model.n_closed.tolist() == [2, 2]


# --- conditional draws and the tail ---------------------------------------------------------


def _one_group(d, e):
    return fit_durations(
        np.zeros(len(d), dtype=np.intp), np.asarray(d, float), np.asarray(e), n_groups=1
    )


def test_draw_is_conditional_on_age():
    # S: 0.75 after 2, 0.5 after 3, 0 after 5. A case aged 2 has S(age) = 0.75; with u the
    # duration is the first t with S(t) <= u * 0.75
    model = _one_group([2, 3, 3, 5], [True, True, False, True])
    u = np.array([0.9, 0.7, 0.5, 0.1])
    got = model.draw(0, np.zeros(1, dtype=np.intp), np.array([2.0]), u[:, None])[:, 0]
    assert got.tolist() == [3.0, 3.0, 5.0, 5.0]
    # P(D > 3 | D > 2) = S(3) / S(2) = 2/3: the share of u above 0.5 / 0.75
    us = np.random.default_rng(0).random((20000, 1))
    d = model.draw(0, np.zeros(1, dtype=np.intp), np.array([2.0]), us)
    assert abs((d > 3).mean() - 2 / 3) < 0.015
    assert (d > 2).all()


def test_tail_beyond_the_longest_time():
    # 1 and 2 closed, 4 still open: S(1) = 2/3, S(2) = 1/3 and stays 1/3 up to 4. The last
    # quarter (time > 3) has no closed case, so the tail rate is the whole group's:
    # 2 closed / 7 days lived
    model = _one_group([1, 2, 4], [True, True, False])
    rate = 2 / 7
    assert model.tail_rate[0] == pytest.approx(rate)
    g = np.zeros(1, dtype=np.intp)
    # a new case with u = 0.25: S never reaches 0.25 within the data, so the tail
    got = model.draw(0, g, np.array([-1.0]), np.array([[0.25]]))[0, 0]
    assert got == pytest.approx(4 + math.log((1 / 3) / 0.25) / rate)
    # a case older than anything observed: its remaining time is exponential
    got = model.draw(0, g, np.array([10.0]), np.array([[0.5]]))[0, 0]
    assert got == pytest.approx(10 + math.log(2) / rate)
    # the new-case shortcut agrees (it draws with 1 - u)
    sampler = model.sampler(0)
    assert sampler.draw_new(g, np.array([0.75]))[0] == pytest.approx(4 + math.log(4 / 3) / rate)


def test_tail_rate_from_the_longest_quarter():
    d = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    e = np.array([True] * 6 + [False, True])
    model = _one_group(d, e)
    q = np.quantile(d, 0.75)  # 6.25: times 7 (open) and 8 (closed) lie beyond it
    assert model.tail_rate[0] == pytest.approx(1 / ((7 - q) + (8 - q)))


# --- guide-table lookup -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=5),
    seed=st.integers(0, 2**31),
    coarse=st.booleans(),
)
def test_inverse_equals_searchsorted(sizes, seed, coarse):
    rng = np.random.default_rng(seed)
    values = [
        np.sort(rng.choice([0.0, 0.25, 0.5, 1 / 3, 1.0], n) if coarse else rng.random(n))
        for n in sizes
    ]
    bounds = np.r_[0, np.cumsum(sizes)]
    inv = Inverse(np.concatenate(values), bounds)
    g = rng.integers(0, len(sizes), 300)
    x = np.r_[rng.random(290) * 1.2, [0, 0.25, 0.5, 1 / 3, 1.0, 0.75, 0.125, 2, 0.999, 1e-9]]
    keys = 2.0 * np.repeat(np.arange(len(sizes)), sizes) + np.concatenate(values)
    assert (inv.find(g, x) == np.searchsorted(keys, 2.0 * g + x, side="left")).all()


# --- arrival rates and seasonality -------------------------------------------------------------


def _steady(mini, days, per_day, january=None):
    """One case of type B opened per day (``january`` a day in January), each lasting 10."""
    n = np.full(len(days), per_day)
    if january is not None:
        n = np.where(pd.DatetimeIndex(days).month == 1, january, n)
    opened = np.repeat(days, n)
    cases = pd.DataFrame(
        {
            "case_id": [f"C{i}" for i in range(len(opened))],
            "worker_id": "W1",
            "case_type": "B",
            "opened": opened,
            "closed": opened + pd.Timedelta(days=10),
        }
    )
    workers = pd.DataFrame(
        {"worker_id": ["W1"], "team_id": ["T1"], "fte": [1.0], "experience_years": [10.0]}
    )
    return read_cases(cases, workers, mini, None, None)


def test_arrival_rate_is_the_window_count_over_its_days(mini):
    days = pd.date_range("2025-01-01", "2025-12-31")
    data = _steady(mini, days, 2)
    model = fit_model(data, to_day("2025-12-31", "start"), 180, 1, np.random.default_rng(0))
    # 180 days of window, two new cases a day; under two years: no seasonality
    assert model.arrival_rate[0].tolist() == [2.0]
    assert model.season.tolist() == [[1.0] * 12]


def test_monthly_seasonality_with_two_years(mini):
    days = pd.date_range("2023-01-01", "2024-12-31")
    data = _steady(mini, days, 1, january=2)
    start = to_day("2024-12-31", "start")
    model = fit_model(data, start, 365, 1, np.random.default_rng(0))
    # two whole years back from the start (2023-01-02 … 2024-12-31): 61 January days with
    # 2 a day (one fell before the window), 669 other days with 1
    total = 2 * 61 + 669
    mean = total / 730
    assert model.season[0, 0] == pytest.approx(2 / mean)
    assert model.season[0, 6] == pytest.approx(1 / mean)
    # the base rate is the window's count over its season-weighted days
    window = pd.date_range("2024-01-01", "2024-12-31")  # the last 365 days
    count = 2 * 31 + 1 * 335
    exposure = sum(model.season[0, d.month - 1] for d in window)
    assert model.arrival_rate[0][0] == pytest.approx(count / exposure)


def test_season_replicates_keep_a_yearly_mean_of_one(mini):
    days = pd.date_range("2023-01-01", "2024-12-31")
    data = _steady(mini, days, 1, january=3)
    model = fit_model(data, to_day("2024-12-31", "start"), 365, 30, np.random.default_rng(2))
    # weighted by the days of each month over the two years, every replicate averages 1
    two_years = pd.date_range("2023-01-02", "2024-12-31")
    w2 = np.bincount(two_years.month - 1, minlength=12)
    np.testing.assert_allclose(model.season @ w2 / w2.sum(), 1.0)
    assert model.season[1:, 0].std() > 0  # the replicates differ
    assert abs(model.season[1:, 0].mean() - model.season[0, 0]) < 0.1


def test_rate_replicates_follow_the_gamma_posterior(mini):
    days = pd.date_range("2025-01-01", "2025-12-31")
    data = _steady(mini, days, 1)
    model = fit_model(data, to_day("2025-12-31", "start"), 100, 400, np.random.default_rng(1))
    draws = model.arrival_rate[1:, 0] * 100  # Gamma(100 + 1/2) in cases per window
    assert draws.mean() == pytest.approx(100.5, rel=0.03)
    assert draws.std() == pytest.approx(math.sqrt(100.5), rel=0.15)


# --- bands -------------------------------------------------------------------------------------


def test_band_percentiles_by_hand():
    load = np.arange(1.0, 102.0).reshape(101, 1, 1)  # 1 … 101 on one team and date
    table = band_table(load, np.array([[200.0]]), ["T1"], pd.DatetimeIndex(["2026-01-04"]), 50.0)
    team = table[table["level"] == "team"].set_index("measure")
    # linear percentiles of 1 … 101: 1 + q * 100
    assert team.loc["load", ["low95", "low80", "median", "high80", "high95"]].tolist() == [
        3.5, 11.0, 51.0, 91.0, 98.5,
    ]  # fmt: skip
    assert team.loc["utilisation", "median"] == pytest.approx(51 / 200)
    assert team.loc["staff_need", "high95"] == pytest.approx(98.5 / 50)
    assert team.loc["capacity", "low95"] == 200.0


def test_unit_is_a_ratio_of_sums():
    load = np.array([[[10.0], [30.0]], [[20.0], [50.0]]])  # 2 paths, 2 teams
    cap = np.array([[100.0], [50.0]])
    table = band_table(load, cap, ["T1", "T2"], pd.DatetimeIndex(["2026-01-04"]), 10.0)
    unit = table[table["level"] == "unit"].set_index("measure")
    assert unit.loc["capacity", "median"] == 150.0
    assert unit.loc["load", "median"] == 55.0  # median of the path sums 40 and 70
    assert unit.loc["utilisation", "median"] == pytest.approx(55 / 150)
    assert unit["team_id"].isna().all()


@settings(max_examples=40, deadline=None)
@given(
    n_paths=st.integers(1, 50),
    n_teams=st.integers(1, 4),
    seed=st.integers(0, 2**31),
)
def test_bands_are_ordered(n_paths, n_teams, seed):
    rng = np.random.default_rng(seed)
    load = rng.gamma(2.0, 50.0, (n_paths, n_teams, 3))
    cap = rng.uniform(0.0, 300.0, (n_teams, 3))
    dates = pd.date_range("2026-01-04", periods=3, freq="W")
    table = band_table(load, cap, [f"T{i}" for i in range(n_teams)], dates, 100.0)
    cols = table[["low95", "low80", "median", "high80", "high95"]].dropna().to_numpy()
    assert (np.diff(cols, axis=1) >= -1e-9 * np.abs(cols[:, 1:]).max(initial=1)).all()


# --- the synthetic history -------------------------------------------------------------------


def test_history_follows_its_rates():
    h = at.datasets.make_history(n_workers=12, n_teams=2, seed=5)
    days = (h.end - h.start).days + 1
    per_team = h.cases.merge(h.workers[["worker_id", "team_id"]]).groupby("team_id").size()
    expected = h.rates.groupby("team_id")["per_day"].sum() * days
    # Poisson counts: within four standard deviations of the truth
    assert ((per_team - expected).abs() < 4 * np.sqrt(expected)).all()
    closed = h.cases.dropna(subset=["closed"])
    length = (closed["closed"] - closed["opened"]).dt.days
    assert length.min() >= 1
    assert h.cases["case_id"].is_unique
