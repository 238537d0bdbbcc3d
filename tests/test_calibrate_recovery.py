"""Calibrators recover a known scheme from synthetic time logs and rating surveys."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.calibrate import PerceivedWorkload, TimeStudy, parse_load_column
from arbetstyngd.datasets.studies import STUDY_SCHEME, make_specialised_municipality

MINI = STUDY_SCHEME


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


# -- the study design of docs/calibration.md: accuracy and coverage over a few seeds -----------
#
# 120 caseworkers in 6 teams, each case type handled by at least 2 teams, studied for 12
# months: a time log (about 90 % of worker-months logged) and a monthly one-question rating
# survey (about 85 % response). benchmarks/bench_calibration_coverage.py runs the same design
# over 20 seeds; the bounds below are the targets, not loosened to what 3 seeds give.

STUDY_SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def study():
    fits = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.calibrate.CalibrationWarning)
        for seed in STUDY_SEEDS:
            town = make_specialised_municipality(
                n_workers=120, n_teams=6, seed=seed, scheme=MINI, min_teams=2
            )
            log = at.datasets.make_time_log(town, months=12, seed=seed)
            survey = at.datasets.make_ratings(town, months=12, seed=seed)
            fit = {"log": log}
            for method in ("ratio", "nnls"):
                fit[method] = fit_log(town, log, method, n_bootstrap=100, seed=seed)
            fit["ratings"] = PerceivedWorkload.from_survey(
                survey.ratings,
                town.cases,
                town.workers,
                teams=town.teams,
                scheme=MINI,
                periods="M",
                start=survey.start,
                end=survey.end,
                n_bootstrap=100,
                random_state=seed,
                progress=False,
            )
            fits.append(fit)
    return fits


def max_relative_error(weights: pd.Series, truth: pd.Series) -> float:
    return float((relative(weights) / relative(truth.reindex(weights.index)) - 1).abs().max())


def test_ratio_time_study_is_within_ten_percent(study):
    errors = [max_relative_error(f["ratio"].weights_, f["log"].minutes) for f in study]
    assert max(errors) < 0.10, errors


def test_nnls_on_totals_is_within_fifteen_percent(study):
    errors = [max_relative_error(f["nnls"].weights_, f["log"].minutes) for f in study]
    assert max(errors) < 0.15, errors


def test_perceived_workload_weights_within_fifteen_and_p_within_five_percent(study):
    for f in study:
        pw = f["ratings"]
        assert max_relative_error(pw.weights_, truth_of(MINI, pw.weights_.index)) < 0.15
        assert pw.capacity_ == pytest.approx(MINI.capacity, rel=0.05)


def test_pooled_interval_coverage_is_close_to_95_percent(study):
    covered, total = 0, 0
    for f in study:
        for method in ("ratio", "nnls"):
            iv = f[method].intervals_
            truth = f["log"].minutes.reindex(iv.index)
            covered += int(((iv["lower"] <= truth) & (truth <= iv["upper"])).sum())
            total += len(iv)
        iv = f["ratings"].intervals_
        truth = pd.concat(
            [truth_of(MINI, iv.index[:-2]), pd.Series({"P": 120.0, "experience[0]": 0.75})]
        )
        assert list(truth.index) == list(iv.index)
        covered += int(((iv["lower"] <= truth) & (truth <= iv["upper"])).sum())
        total += len(iv)
    assert total == len(STUDY_SEEDS) * (4 + 4 + 6)
    assert covered / total >= 0.88, f"{covered}/{total}"


def test_relative_weighting_beats_plain_nnls_on_a_small_study():
    """60 workers x 6 months: weighting rows by their relative error (and by worker) is
    what makes totals usable at this size (median error 13 % against 31 % over 20 seeds)."""
    errors: dict[str, list[float]] = {"relative": [], "none": []}
    for seed in STUDY_SEEDS:
        town = make_specialised_municipality(n_workers=60, n_teams=6, seed=seed, scheme=MINI)
        log = at.datasets.make_time_log(town, months=6, seed=seed)
        for weighting in errors:
            ts = TimeStudy.from_log(
                log.log,
                town.cases,
                town.workers,
                teams=town.teams,
                scheme=MINI,
                periods="M",
                start=log.start,
                end=log.end,
                method="nnls",
                weighting=weighting,
                n_bootstrap=0,
            )
            errors[weighting].append(max_relative_error(ts.weights_, log.minutes))
    assert np.mean(errors["relative"]) < 0.75 * np.mean(errors["none"]), errors


def test_an_imprecise_weight_is_a_warning_that_says_what_to_collect():
    town = make_specialised_municipality(n_workers=60, n_teams=6, seed=2, scheme=MINI, min_teams=2)
    log = at.datasets.make_time_log(town, months=6, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", at.calibrate.CalibrationWarning)
        with pytest.raises(at.calibrate.CalibrationWarning) as info:
            fit_log(town, log, "nnls", n_bootstrap=100, seed=2)
    message = str(info.value)
    assert "imprecise" in message and "cases:intake" in message
    assert "as many needed" in message and "Collect more" in message


def test_specialised_teams_cover_each_type_at_least_min_teams_times():
    town = make_specialised_municipality(n_workers=30, n_teams=6, seed=16, scheme=MINI, min_teams=3)
    per_type = town.cases.groupby("case_type")["worker_id"].agg(
        lambda w: w.str.split("-").str[0].nunique()
    )
    assert (per_type >= 3).all(), per_type
    with pytest.raises(ValueError, match=r"'min_teams' must be in 1\.\.n_teams=6"):
        make_specialised_municipality(n_workers=30, n_teams=6, min_teams=7)
