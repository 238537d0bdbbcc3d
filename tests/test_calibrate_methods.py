"""Features, the classic reduction, Delphi and bad-input messages."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.calibrate import (
    CalibrationWarning,
    Delphi,
    PerceivedWorkload,
    TimeStudy,
    features,
    parse_load_column,
)


@pytest.fixture(scope="module")
def town():
    return at.datasets.make_municipality(n_workers=12, n_teams=3, seed=4)


@pytest.fixture(scope="module")
def X(town):  # noqa: N802 - the estimators' X
    return features(
        town.cases,
        town.workers,
        teams=town.teams,
        scheme=town.scheme,
        periods="M",
        start="2026-01-01",
        end="2026-03-31",
    )


def test_features_agree_with_the_engine_day_by_day(town, X):
    tl = at.timeline(
        town.cases,
        town.workers,
        town.scheme,
        teams=town.teams,
        start="2026-02-01",
        end="2026-02-28",
        freq="D",
    )
    daily = tl.groupby("worker_id")["load"].mean()
    cols = [c for c in X.columns if c.startswith("cases:")]
    w = np.array([town.scheme.weight_of(*parse_load_column(c)) for c in cols])
    feb = X[X["period"].astype(str) == "2026-02"].set_index("worker_id")
    np.testing.assert_allclose(feb[cols].to_numpy() @ w, daily.reindex(feb.index), atol=1e-9)
    assert len(X) == 12 * 3 and X["days"].tolist()[:3] == [31, 28, 31]


def test_a_case_open_half_the_period_counts_half():
    cases = pd.DataFrame(
        {
            "case_id": ["a", "b"],
            "worker_id": ["w1", "w1"],
            "case_type": ["ekb", "ekb"],
            "opened": pd.to_datetime(["2026-04-16", "2026-01-01"]),
            "closed": pd.to_datetime([None, "2026-04-16"]),
        }
    )
    workers = pd.DataFrame({"worker_id": ["w1"], "fte": [1.0], "team_id": ["T"]})
    X = features(cases, workers, periods=[pd.Period("2026-04", "M")])
    assert X["cases:ekb"].iloc[0] == pytest.approx(1.0)  # 15/30 + 15/30
    X = features(cases.iloc[:1], workers, periods=[pd.Period("2026-04", "M")])
    assert X["cases:ekb"].iloc[0] == pytest.approx(0.5)


def test_period_without_caseload_warns(town):
    with pytest.warns(CalibrationWarning, match="no active case at all"):
        features(
            town.cases,
            town.workers,
            teams=town.teams,
            scheme=town.scheme,
            periods="M",
            start="2020-01-01",
            end="2020-01-31",
        )


@pytest.mark.parametrize("scale,optimum", [((-3, 3), None), ((1, 5), 3)])
def test_one_type_reduces_exactly_to_the_classic_zero_crossing(scale, optimum):
    rng = np.random.default_rng(7)
    fte = rng.choice([0.5, 0.8, 1.0], 60)
    cases = rng.uniform(5, 40, 60) * fte
    mid = (scale[0] + scale[1]) / 2
    rating = np.clip(mid - 2 + 0.09 * cases / fte + rng.normal(0, 0.4, 60), *scale)
    X = pd.DataFrame({"worker_id": np.arange(60), "fte": fte, "cases:ekb": cases})
    pw = PerceivedWorkload(scale=scale, optimum=optimum, leniency=False, n_bootstrap=0)
    pw.fit(X, rating)
    b, a = np.polyfit(cases / fte, rating, 1)
    np.testing.assert_allclose(pw.capacity_, (mid - a) / b, rtol=1e-10)
    np.testing.assert_allclose(pw.weights_["cases:ekb"], 1.0)
    if mid == 0:
        np.testing.assert_allclose(pw.capacity_, -a / b, rtol=1e-10)


def test_ratings_outside_the_scale_are_an_error():
    X = np.abs(np.random.default_rng(0).normal(size=(20, 2)))
    with pytest.raises(at.DataError, match=r"outside the scale -3..3"):
        PerceivedWorkload(n_bootstrap=0).fit(X, np.r_[np.zeros(19), 4.0])
    with pytest.raises(ValueError, match="missing ratings"):
        PerceivedWorkload(n_bootstrap=0).fit(X, np.r_[np.zeros(19), np.nan])


def test_collinear_case_types_are_an_error_naming_them():
    rng = np.random.default_rng(1)
    a = rng.poisson(5, 40).astype(float)
    X = pd.DataFrame({"cases:a": a, "cases:b": 2 * a, "cases:c": rng.poisson(3, 40) + 0.0})
    with pytest.raises(at.DataError, match=r"cases:a, cases:b cannot be told apart"):
        TimeStudy(n_bootstrap=0).fit(X, a * 30 + 5)


def test_unseen_and_thin_case_types_warn_what_to_collect():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"cases:a": rng.poisson(5, 40) + 1.0, "cases:b": 0.0, "cases:c": 0.0})
    X.loc[:2, "cases:c"] = 1.0
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ts = TimeStudy(n_bootstrap=0).fit(X, X["cases:a"] * 60 + X["cases:c"] * 30)
    text = " ".join(str(w.message) for w in seen)
    assert "no cases in the study data" in text and "cases:b" in text
    assert "collect" in text.lower() and "cases:c (3)" in text
    assert list(ts.weights_.index) == ["cases:a", "cases:c"]
    assert np.isfinite(ts.coef_).all() and (ts.coef_ >= 0).all()


def test_weights_are_never_negative_even_when_data_say_so():
    rng = np.random.default_rng(3)
    X = rng.poisson(4, size=(50, 3)).astype(float)
    y = X @ np.array([60.0, -30.0, 40.0]) + 400
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalibrationWarning)
        ts = TimeStudy(n_bootstrap=20, random_state=0, progress=False).fit(np.abs(X), np.abs(y))
    assert (ts.coef_ >= 0).all() and (ts.intervals_[["lower", "upper"]] >= 0).all().all()


def test_bootstrap_is_reproducible_with_a_seed():
    rng = np.random.default_rng(4)
    X = rng.poisson(4, size=(60, 2)).astype(float)
    y = X @ np.array([50.0, 20.0]) * rng.lognormal(0, 0.1, 60)
    groups = np.repeat(np.arange(20), 3)
    a = TimeStudy(n_bootstrap=50, random_state=3, progress=False).fit(X, y, groups=groups)
    b = TimeStudy(n_bootstrap=50, random_state=3, progress=False).fit(X, y, groups=groups)
    pd.testing.assert_frame_equal(a.intervals_, b.intervals_)
    assert (a.intervals_["lower"] < a.intervals_["estimate"]).all()


def test_delphi_rounds_consensus_and_scheme():
    rng = np.random.default_rng(5)
    rows = []
    for rnd, spread in ((1, 4.0), (2, 1.0)):
        for e in range(7):
            rows.append((f"e{e}", rnd, "bou_utredning", None, 10 + rng.normal(0, spread)))
            rows.append((f"e{e}", rnd, "bou_lvu", "insats", 12 + rng.normal(0, 6 / rnd)))
    panel = pd.DataFrame(rows, columns=["expert", "round", "case_type", "phase", "estimate"])
    d = Delphi(consensus=0.25).fit(panel)
    c = d.consensus_
    assert c.loc["bou_utredning", "consensus"]
    assert c.loc["bou_utredning", "narrowing"] < 1
    assert set(d.summary_["round"]) == {1, 2}
    s = d.scheme(base="barn-och-unga")
    assert s.provenance.method == "delphi"
    assert s.weight_of("bou_utredning") == pytest.approx(c.loc["bou_utredning", "median"], 1e-5)
    assert s.weight_of("bou_lvu", "insats") == pytest.approx(
        c.loc["bou_lvu/insats", "median"], 1e-5
    )
    assert s.weight_of("familjeratt") == 6.0  # untouched base weight
    assert "<table>" in d._repr_html_()


def test_delphi_quality_factors_adjust_time_study_weights():
    panel = pd.DataFrame(
        {"expert": list("abcd"), "case_type": "x0", "estimate": [1.2, 1.25, 1.2, 1.22]}
    )
    d = Delphi(kind="factor").fit(panel)
    adj = d.adjust(pd.Series({"x0": 100.0, "x1": 50.0}))
    assert adj.loc["x0", "adjusted"] == pytest.approx(121.0)
    assert adj.loc["x1", "adjusted"] == 50.0 and not adj.loc["x1", "changed"]
    with pytest.raises(ValueError, match="quality factors"):
        d.scheme(100)


def test_html_summaries(town):
    assert "not fitted" in TimeStudy()._repr_html_()
    rng = np.random.default_rng(0)
    X = rng.poisson(4, size=(30, 2)).astype(float)
    ts = TimeStudy(n_bootstrap=0).fit(X, X @ [10.0, 20.0])
    html = ts._repr_html_()
    assert "R²" in html and "x0" in html
    assert ts._repr_mimebundle_()["text/html"] == html
