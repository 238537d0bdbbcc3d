"""Case columns the intercept makes unidentifiable, and frames that are not case counts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.calibrate import CalibrationWarning, PerceivedWorkload, TimeStudy


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalibrationWarning)
        yield


def ratings_of(load: np.ndarray, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(-2.5 + 0.1 * load + rng.normal(0, 0.3, len(load)), -3, 3)


def test_a_column_of_ones_is_refused_naming_it():
    # today: intercept near -1e12, weights near 1e-12, no word
    rng = np.random.default_rng(1)
    cases = rng.uniform(10, 40, 80)
    X = pd.DataFrame({"cases:ekb": cases, "cases:konstant": 1.0})
    with pytest.raises(at.DataError, match=r"cases:konstant.*intercept") as info:
        PerceivedWorkload(leniency=False, n_bootstrap=0).fit(X, ratings_of(cases))
    assert "same value (1) on every row" in str(info.value)


def test_a_constant_column_in_a_plain_matrix_is_refused_naming_it():
    rng = np.random.default_rng(2)
    cases = rng.uniform(10, 40, 60)
    X = np.column_stack([cases, np.full(60, 3.0)])
    with pytest.raises(at.DataError, match=r"x1.*same value \(3\) on every row"):
        PerceivedWorkload(leniency=False, n_bootstrap=0).fit(X, ratings_of(cases))


def test_case_columns_that_add_up_to_a_constant_are_refused_with_the_intercept():
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 20, 70)
    X = pd.DataFrame({"cases:a": a, "cases:b": 20.0 - a, "cases:c": rng.uniform(0, 5, 70)})
    with pytest.raises(at.DataError, match=r"cases:a, cases:b and the intercept"):
        PerceivedWorkload(leniency=False, n_bootstrap=0).fit(X, ratings_of(a + X["cases:c"]))


def test_a_constant_load_per_fte_is_refused():
    # with fte, the design column is cases / fte: constant when cases follow fte exactly
    rng = np.random.default_rng(4)
    fte = rng.choice([0.5, 0.8, 1.0], 50)
    X = pd.DataFrame({"fte": fte, "cases:a": rng.uniform(5, 30, 50), "cases:b": 12.0 * fte})
    with pytest.raises(at.DataError, match=r"cases:b.*per full-time worker"):
        PerceivedWorkload(leniency=False, n_bootstrap=0).fit(X, ratings_of(X["cases:a"]))


def test_a_constant_column_is_fine_for_a_time_study_which_has_no_intercept():
    rng = np.random.default_rng(5)
    X = pd.DataFrame({"cases:a": rng.poisson(5, 40) + 1.0, "cases:b": 2.0})
    ts = TimeStudy(n_bootstrap=0).fit(X, X["cases:a"] * 60 + X["cases:b"] * 30)
    np.testing.assert_allclose(ts.coef_, [60.0, 30.0], rtol=1e-8)


@pytest.mark.parametrize("extra", ["fte", "worker_id", "period"])
@pytest.mark.parametrize("estimator", [PerceivedWorkload, TimeStudy])
def test_a_frame_with_capacity_or_id_columns_but_no_case_columns_is_an_error(extra, estimator):
    # today: read silently as a matrix of case counts (fte taken as a case type)
    rng = np.random.default_rng(6)
    X = pd.DataFrame({"utredning": rng.poisson(5, 30).astype(float)})
    X[extra] = np.arange(30) % 3 + 1.0 if extra != "fte" else rng.choice([0.5, 1.0], 30)
    y = (
        ratings_of(X["utredning"].to_numpy())
        if estimator is PerceivedWorkload
        else X["utredning"] * 50
    )
    with pytest.raises(at.ColumnsError, match=rf"'{extra}'.*no 'cases:' column") as info:
        estimator(n_bootstrap=0).fit(X, y)
    assert "at.calibrate.features" in str(info.value)


def test_a_plain_frame_of_case_counts_still_works():
    rng = np.random.default_rng(7)
    X = pd.DataFrame({"a": rng.poisson(4, 30) + 0.0, "b": rng.poisson(2, 30) + 0.0})
    ts = TimeStudy(n_bootstrap=0).fit(X, X["a"] * 40 + X["b"] * 10)
    assert list(ts.feature_names_in_) == ["a", "b"]
    np.testing.assert_allclose(ts.coef_, [40.0, 10.0], rtol=1e-8)
