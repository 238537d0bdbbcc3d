"""The fast ratings fit equals the simple one (the oracle), and its parts equal theirs."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import lsq_linear

import arbetstyngd as at
from arbetstyngd.calibrate import CalibrationWarning, PerceivedWorkload, TimeStudy
from arbetstyngd.calibrate._design import variance_components
from arbetstyngd.calibrate._nnls import nnls_gram
from arbetstyngd.calibrate._ratings_fit import variances_from_sums
from arbetstyngd.datasets import STUDY_SCHEME, make_specialised_municipality

NUMBERS = ["estimate", "lower", "upper", "se"]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalibrationWarning)
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        yield


@pytest.fixture(scope="module")
def study():
    town = make_specialised_municipality(n_workers=40, n_teams=4, seed=5, scheme=STUDY_SCHEME)
    survey = at.datasets.make_ratings(town, months=8, seed=5)
    pw = PerceivedWorkload.from_survey(
        survey.ratings,
        town.cases,
        town.workers,
        teams=town.teams,
        scheme=STUDY_SCHEME,
        periods="M",
        start=survey.start,
        end=survey.end,
        n_bootstrap=0,
    )
    return pw.features_, pw.ratings_["rating"].to_numpy()


def fit_with(solver, X, y, **params):
    est = PerceivedWorkload(n_bootstrap=15, random_state=3, progress=False, **params)
    est._solver = solver
    return est.fit(X, y)


def assert_same_fit(fast, oracle):
    want = oracle.intervals_[NUMBERS].to_numpy()
    np.testing.assert_allclose(
        fast.intervals_[NUMBERS].to_numpy(), want, rtol=1e-6, atol=1e-10 * np.abs(want).max()
    )
    np.testing.assert_allclose(fast.intercept_, oracle.intercept_, rtol=1e-8)
    np.testing.assert_allclose(fast.leniency_.to_numpy(), oracle.leniency_.to_numpy(), atol=1e-8)
    np.testing.assert_allclose(fast.noise_sd_, oracle.noise_sd_, rtol=1e-8)
    np.testing.assert_allclose(fast.leniency_sd_, oracle.leniency_sd_, rtol=1e-6, atol=1e-10)
    assert fast.n_iter_ == oracle.n_iter_


@pytest.mark.parametrize(
    "params",
    [
        {"base": STUDY_SCHEME},
        {"base": STUDY_SCHEME, "leniency": False},
        {"base": STUDY_SCHEME, "adjustments": "fixed"},
        {"base": STUDY_SCHEME, "adjustments": "none", "normalise": "cases:utredning"},
        {},
    ],
    ids=["estimate", "no-leniency", "fixed-factors", "no-adjustments", "no-base"],
)
def test_cell_fit_equals_the_row_oracle_on_a_study(study, params):
    X, y = study
    fast = fit_with("cells", X, y, **params)
    oracle = fit_with("rows", X, y, **params)
    assert_same_fit(fast, oracle)
    assert fast.intervals_["n_bootstrap"].iloc[0] == 15


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cell_fit_equals_the_row_oracle_when_weights_hit_zero(seed):
    # a case type the ratings do not rise with: its weight sits on the bound in most steps
    rng = np.random.default_rng(seed)
    n_workers, n_periods = 25, 6
    worker = np.repeat(np.arange(n_workers), n_periods)
    fte = np.repeat(rng.choice([0.5, 0.8, 1.0], n_workers), n_periods)
    cases = rng.poisson([6.0, 3.0, 4.0], size=(len(worker), 3)) * fte[:, None]
    lenient = rng.normal(0, 0.4, n_workers)[worker]
    rating = -2 + cases @ [0.12, 0.25, -0.06] / fte + lenient + rng.normal(0, 0.3, len(worker))
    X = pd.DataFrame(cases, columns=["cases:a", "cases:b", "cases:c"])
    X.insert(0, "worker_id", worker.astype(str))
    X.insert(1, "fte", fte)
    y = np.clip(rating, -3, 3)
    fast = fit_with("cells", X, y)
    oracle = fit_with("rows", X, y)
    assert_same_fit(fast, oracle)
    assert fast.coef_[2] == oracle.coef_[2] == 0.0


def test_plain_matrix_fit_equals_the_row_oracle():
    rng = np.random.default_rng(8)
    X = rng.poisson(5.0, size=(60, 3)).astype(float)
    y = np.clip(-2.5 + X @ [0.1, 0.2, 0.05] + rng.normal(0, 0.3, 60), -3, 3)
    assert_same_fit(fit_with("cells", X, y), fit_with("rows", X, y))


def test_parallel_bootstrap_gives_the_same_intervals(study):
    X, y = study
    one = PerceivedWorkload(STUDY_SCHEME, n_bootstrap=12, random_state=1, progress=False)
    two = PerceivedWorkload(STUDY_SCHEME, n_bootstrap=12, random_state=1, progress=False, n_jobs=2)
    pd.testing.assert_frame_equal(one.fit(X, y).intervals_, two.fit(X, y).intervals_)
    rng = np.random.default_rng(4)
    Xt = rng.poisson(4, size=(60, 2)).astype(float)
    yt = Xt @ np.array([50.0, 20.0]) * rng.lognormal(0, 0.1, 60)
    a = TimeStudy(n_bootstrap=20, random_state=3, progress=False).fit(Xt, yt)
    b = TimeStudy(n_bootstrap=20, random_state=3, progress=False, n_jobs=2).fit(Xt, yt)
    pd.testing.assert_frame_equal(a.intervals_, b.intervals_)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 8),
    guess=st.sampled_from(["none", "all", "random"]),
)
def test_nnls_gram_equals_bounded_least_squares(seed, k, guess):
    rng = np.random.default_rng(seed)
    n = 3 * k + 5
    A = np.column_stack([np.ones(n), rng.normal(size=(n, k))])
    b = A @ rng.normal(size=k + 1) + rng.normal(size=n)
    active = {
        "none": None,
        "all": np.ones(k, dtype=bool),
        "random": rng.random(k) < 0.5,
    }[guess]
    x = nnls_gram(A.T @ A, A.T @ b, active)
    lower = np.r_[-np.inf, np.zeros(k)]
    ref = lsq_linear(A, b, bounds=(lower, np.full(k + 1, np.inf)), method="bvls").x
    assert x is not None
    assert (x[1:] >= 0).all()
    np.testing.assert_allclose(x, ref, atol=1e-8 * (1 + np.abs(ref).max()))


def test_nnls_gram_refuses_a_singular_problem():
    A = np.column_stack([np.ones(10), np.arange(10.0), 2 * np.arange(10.0)])
    assert nnls_gram(A.T @ A, A.T @ np.arange(10.0)) is None


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_groups=st.integers(1, 12))
def test_variances_from_sums_equal_the_anova_on_residuals(seed, n_groups):
    rng = np.random.default_rng(seed)
    codes = np.r_[np.arange(n_groups), rng.integers(0, n_groups, 3 * n_groups)]
    resid = rng.normal(size=len(codes)) + rng.normal(size=n_groups)[codes]
    counts = np.bincount(codes).astype(float)
    got = variances_from_sums(
        float((resid**2).sum()),
        float(resid.sum()),
        np.bincount(codes, weights=resid),
        counts,
    )
    np.testing.assert_allclose(got, variance_components(resid, codes), rtol=1e-9, atol=1e-12)
