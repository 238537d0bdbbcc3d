"""Invariants of the engine, checked on random data with hypothesis."""

from __future__ import annotations

import importlib
from unittest import mock

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbetstyngd as at
from arbetstyngd.contracts import check_workload
from conftest import make_random_caseload

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
timeline_module = importlib.import_module("arbetstyngd._engine.timeline")
dates = st.dates(
    min_value=pd.Timestamp("2025-01-01").date(), max_value=pd.Timestamp("2026-01-01").date()
)


def _random(seed, scheme, n_cases=60, n_workers=7):
    return make_random_caseload(np.random.default_rng(seed), n_cases, n_workers, scheme)


@SETTINGS
@given(seed=seeds, on=dates)
def test_row_order_does_not_change_the_result(mini, seed, on):
    cases, workers = _random(seed, mini)
    shuffled = cases.sample(frac=1.0, random_state=seed % 1000).reset_index(drop=True)
    a = at.score(cases, workers, mini, on=on).workers
    b = at.score(shuffled, workers.iloc[::-1], mini, on=on).workers
    b = b.set_index("worker_id").loc[a["worker_id"]].reset_index()
    # exact: counts are integers and the sum order is fixed by the scheme, not the rows
    assert (a["load"].to_numpy() == b["load"].to_numpy()).all()
    assert (a["capacity"].to_numpy() == b["capacity"].to_numpy()).all()


@SETTINGS
@given(seed=seeds, on=dates)
def test_load_is_additive_over_disjoint_case_sets(mini, seed, on):
    cases, workers = _random(seed, mini)
    mask = np.random.default_rng(seed).random(len(cases)) < 0.5
    whole = at.score(cases, workers, mini, on=on).workers["load"].to_numpy()
    part1 = at.score(cases[mask], workers, mini, on=on).workers["load"].to_numpy()
    part2 = at.score(cases[~mask], workers, mini, on=on).workers["load"].to_numpy()
    np.testing.assert_allclose(whole, part1 + part2, rtol=1e-12, atol=1e-9)


@SETTINGS
@given(seed=seeds, factor=st.floats(min_value=0.1, max_value=10))
def test_utilisation_scales_inversely_with_capacity(mini, seed, factor):
    cases, workers = _random(seed, mini)
    base = at.score(cases, workers, mini, on="2025-08-01").workers
    bigger = at.score(
        cases, workers, mini.evolve(capacity=mini.capacity * factor), on="2025-08-01"
    ).workers
    np.testing.assert_allclose(bigger["utilisation"], base["utilisation"] / factor, rtol=1e-12)
    np.testing.assert_array_equal(bigger["load"], base["load"])


@SETTINGS
@given(seed=seeds, on=dates)
def test_explain_sums_exactly(mini, seed, on):
    cases, workers = _random(seed, mini)
    wl = check_workload(at.score(cases, workers, mini, on=on))
    for wid in wl.workers["worker_id"]:
        ex = wl.explain(wid)
        assert sum(ex.load_parts["points"]) == ex.load
        assert ex.capacity_parts["capacity"].iloc[-1] == ex.capacity


@SETTINGS
@given(seed=seeds, freq=st.sampled_from(["W", "MS", "14D"]))
def test_timeline_equals_score_per_date(mini, seed, freq):
    cases, workers = _random(seed, mini)
    tl = at.timeline(cases, workers, mini, start="2024-12-20", end="2025-12-31", freq=freq)
    for date in tl["date"].unique()[:: max(1, tl["date"].nunique() // 6)]:
        snap = at.score(cases, workers, mini, on=date).workers
        got = tl[tl["date"] == date].reset_index(drop=True)
        assert (got["worker_id"].to_numpy() == snap["worker_id"].to_numpy()).all()
        assert (got["load"].to_numpy() == snap["load"].to_numpy()).all()
        assert (got["capacity"].to_numpy() == snap["capacity"].to_numpy()).all()
        assert (got["n_cases"].to_numpy() == snap["n_cases"].to_numpy()).all()
        assert list(got["band"]) == list(snap["band"])


@SETTINGS
@given(
    seed=seeds,
    n_dates=st.integers(min_value=1, max_value=12),
    code_limit=st.sampled_from([None, 1, 40]),
    static=st.booleans(),
)
def test_timeline_equals_score_on_every_date(seed, n_dates, code_limit, static):
    """Bit for bit on every date, with a scheme of many keys and points such as 1.8 (not exact
    in binary, so the order of additions shows), several cases of a key per worker, dates in
    no pattern (some before or after every case), experience from a start date or fixed, and
    each case type's counts in one code or split over several."""
    scheme = at.load_scheme("barn-och-unga")
    rng = np.random.default_rng(seed)
    cases, workers = make_random_caseload(rng, 400, 4, scheme)
    if static:
        workers = workers.drop(columns="profession_start")
        workers["experience_years"] = rng.uniform(0.0, 8.0, len(workers))
    days = np.sort(rng.choice(np.arange(-30, 560), n_dates, replace=False))
    on = [str(np.datetime64("2025-01-01") + d) for d in days]
    limit = timeline_module._CODE_LIMIT if code_limit is None else code_limit
    with mock.patch.object(timeline_module, "_CODE_LIMIT", limit):
        tl = at.timeline(cases, workers, scheme, dates=on)
    assert tl["date"].nunique() == len(on)
    for day in on:
        snap = at.score(cases, workers, scheme, on=day).workers
        got = tl[tl["date"] == pd.Timestamp(day)].reset_index(drop=True)
        assert got["worker_id"].tolist() == snap["worker_id"].tolist()
        for column in ("n_cases", "load", "capacity", "utilisation"):
            np.testing.assert_array_equal(got[column], snap[column], err_msg=f"{column} {day}")
        assert got["band"].astype(str).tolist() == snap["band"].astype(str).tolist()


@SETTINGS
@given(seed=seeds)
def test_rows_in_equal_scored_plus_rejected(mini, seed):
    rng = np.random.default_rng(seed)
    cases, workers = _random(seed, mini)
    # damage some cells at random
    for col, junk in (
        ("case_type", "???"),
        ("opened", "not a date"),
        ("worker_id", "nobody"),
        ("tolk", "perhaps"),
    ):
        cases = cases.astype({col: object})
        cases.loc[rng.random(len(cases)) < 0.1, col] = junk
    wl = check_workload(_quiet_score(cases, workers, mini))
    n_rej = wl.rejected.loc[wl.rejected["table"] == "cases", "row"].nunique()
    assert len(wl.cases) + n_rej == len(cases)
    assert set(wl.cases["row"]).isdisjoint(set(wl.rejected["row"]))


def _quiet_score(*args, **kw):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        return at.score(*args, **kw)


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö_", min_size=1, max_size=8)
finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def schemes(draw):
    types = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    phases = draw(st.lists(names, max_size=3, unique=True))
    weights = []
    for t in types:
        weights.append(
            at.Weight(t, draw(finite), label=draw(st.sampled_from([None, {"sv": "å " + t}])))
        )
        for p in draw(st.lists(st.sampled_from(phases), unique=True)) if phases else []:
            weights.append(at.Weight(t, draw(finite), phase=p))
    flags = draw(st.lists(names, max_size=3, unique=True))
    mults = [
        at.Multiplier(
            f,
            draw(st.floats(min_value=0.01, max_value=5)),
            label=draw(st.sampled_from([None, {"en": f"flag {f}"}])),
        )
        for f in flags
    ]
    breaks = sorted(set(draw(st.lists(st.floats(0, 40), min_size=1, max_size=3))))
    factors = draw(st.lists(st.floats(0.1, 2), min_size=len(breaks) + 1, max_size=len(breaks) + 1))
    adj = [at.Adjustment("experience_years", breaks=breaks, factors=factors, name="exp")]
    b = sorted(draw(st.lists(st.floats(0.01, 5), min_size=3, max_size=3, unique=True)))
    return at.Scheme(
        name=draw(names),
        version=str(draw(st.integers(1, 99))),
        capacity=draw(st.floats(min_value=0.5, max_value=1e4)),
        weights=weights,
        multipliers=mults,
        adjustments=adj,
        bands=at.Bands(*b),
        description=draw(st.text(max_size=20)),
        effective_date=draw(st.one_of(st.none(), st.dates())),
        provenance=at.Provenance(
            method=draw(st.sampled_from(at.scheme.METHODS)),
            note=draw(st.text(max_size=20)),
            n_workers=draw(st.one_of(st.none(), st.integers(0, 500))),
            statistics=draw(st.dictionaries(names, finite, max_size=3)),
        ),
    )


@settings(max_examples=60, deadline=None)
@given(scheme=schemes())
def test_toml_round_trip_is_lossless(scheme):
    assert at.Scheme.from_toml(scheme.to_toml()) == scheme
    assert at.Scheme.from_dict(scheme.to_dict()) == scheme
    assert scheme.with_weights(scheme.weights_table()) == scheme
