"""Calibrators recover a known scheme from synthetic time logs and rating surveys."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd._synthetic import make_specialised_municipality
from arbetstyngd.calibrate import PerceivedWorkload, TimeStudy, parse_load_column

MINI = at.Scheme.from_dict(
    {
        "name": "mini",
        "version": "1",
        "capacity": 120,
        "weights": [
            {"case_type": "intake", "weight": 2},
            {"case_type": "utredning", "weight": 10},
            {"case_type": "insats", "weight": 6},
            {"case_type": "placering", "weight": 14},
        ],
        "adjustments": [
            {
                "covariate": "experience_years",
                "name": "experience",
                "breaks": [1.0],
                "factors": [0.75, 1.0],
            }
        ],
    }
)


def relative(weights: pd.Series) -> pd.Series:
    return weights / weights.mean()


def truth_of(scheme: at.Scheme, columns) -> pd.Series:
    return pd.Series({c: scheme.weight_of(*parse_load_column(c)) for c in columns})


@pytest.fixture(scope="module")
def mini_town():
    return make_specialised_municipality(n_workers=120, n_teams=6, seed=2, scheme=MINI)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.calibrate.CalibrationWarning)
        yield


def fit_log(town, log, method, n_bootstrap=0, seed=0):
    return TimeStudy.from_log(
        log.log,
        town.cases,
        town.workers,
        teams=town.teams,
        scheme=town.scheme,
        periods="M",
        start=log.start,
        end=log.end,
        method=method,
        n_bootstrap=n_bootstrap,
        random_state=seed,
        progress=False,
    )


def test_ratio_time_study_recovers_minutes_of_the_default_scheme():
    town = at.datasets.make_municipality(n_workers=40, n_teams=4, seed=1)
    log = at.datasets.make_time_log(town, months=6, seed=2)
    ts = fit_log(town, log, "ratio")
    truth = log.minutes.reindex(ts.weights_.index)
    rel_err = (relative(ts.weights_) / relative(truth) - 1).abs()
    assert rel_err.max() < 0.15, rel_err.sort_values().tail(3)


def test_nnls_time_study_recovers_minutes_from_totals(mini_town):
    log = at.datasets.make_time_log(mini_town, months=12, seed=2)
    ts = fit_log(mini_town, log, "nnls")
    truth = log.minutes.reindex(ts.weights_.index)
    # totals carry less information than an attributed log: a looser bound
    assert (relative(ts.weights_) / relative(truth) - 1).abs().max() < 0.2
    assert ts.stats_["r2"] > 0.5


def test_time_study_scheme_and_staff_need(mini_town):
    log = at.datasets.make_time_log(mini_town, months=3, seed=0)
    ts = fit_log(mini_town, log, "ratio")
    scheme = ts.scheme(log.available_minutes_per_fte)
    assert scheme.capacity == pytest.approx(log.available_minutes_per_fte, rel=1e-5)
    assert scheme.provenance.method == "time-study"
    assert scheme.provenance.n_workers == ts.stats_["n_workers"]
    assert at.Scheme.from_toml(scheme.to_toml()) == scheme
    need = ts.staff_need(ts.features_, log.available_minutes_per_fte)
    assert {"team_id", "period", "minutes", "need_fte", "fte", "gap_fte"} <= set(need.columns)
    np.testing.assert_allclose(need["minutes"].sum(), ts.predict(ts.features_).sum(), rtol=1e-12)


def test_perceived_workload_recovers_weights_p_and_experience(mini_town):
    survey = at.datasets.make_ratings(mini_town, months=12, seed=2)
    pw = PerceivedWorkload.from_survey(
        survey.ratings,
        mini_town.cases,
        mini_town.workers,
        teams=mini_town.teams,
        scheme=MINI,
        periods="M",
        start=survey.start,
        end=survey.end,
        n_bootstrap=0,
    )
    truth = truth_of(MINI, pw.weights_.index)
    assert (relative(pw.weights_) / relative(truth) - 1).abs().max() < 0.15
    assert pw.capacity_ == pytest.approx(MINI.capacity, rel=0.07)
    assert pw.adjustments_[0].factors[0] == pytest.approx(0.75, abs=0.08)
    assert pw.leniency_sd_ == pytest.approx(0.4, abs=0.15)
    assert 0.6 < pw.response_rate_ < 0.95
    scheme = pw.scheme_
    assert scheme.provenance.method == "perceived-workload"
    assert scheme.provenance.period_start == survey.start.date()
    assert at.Scheme.from_toml(scheme.to_toml()) == scheme


def test_perceived_workload_on_a_one_to_five_scale(mini_town):
    survey = at.datasets.make_ratings(mini_town, months=12, scale=(1, 5), seed=3)
    pw = PerceivedWorkload.from_survey(
        survey.ratings,
        mini_town.cases,
        mini_town.workers,
        teams=mini_town.teams,
        scheme=MINI,
        periods="M",
        start=survey.start,
        end=survey.end,
        scale=(1, 5),
        n_bootstrap=0,
    )
    assert pw.stats_["optimum"] == 3.0
    assert pw.capacity_ == pytest.approx(MINI.capacity, rel=0.07)


def test_interval_coverage_on_a_few_seeds():
    """95 % worker-clustered intervals cover the truth most of the time (3 seeds here;
    benchmarks/bench_calibration_coverage.py runs the longer study)."""
    covered, total = 0, 0
    for seed in range(3):
        town = make_specialised_municipality(n_workers=60, n_teams=6, seed=seed, scheme=MINI)
        log = at.datasets.make_time_log(town, months=6, seed=seed)
        ts = fit_log(town, log, "ratio", n_bootstrap=200, seed=seed)
        truth = log.minutes.reindex(ts.intervals_.index)
        inside = (ts.intervals_["lower"] <= truth) & (truth <= ts.intervals_["upper"])
        covered += int(inside.sum())
        total += len(inside)
        survey = at.datasets.make_ratings(town, months=6, seed=seed)
        pw = PerceivedWorkload.from_survey(
            survey.ratings,
            town.cases,
            town.workers,
            teams=town.teams,
            scheme=MINI,
            periods="M",
            start=survey.start,
            end=survey.end,
            n_bootstrap=40,
            random_state=seed,
            progress=False,
        )
        lo, hi = pw.intervals_.loc["P", ["lower", "upper"]]
        covered += int(lo <= MINI.capacity <= hi)
        total += 1
    assert covered / total >= 0.8, f"{covered}/{total}"
