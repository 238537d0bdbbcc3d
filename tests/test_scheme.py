"""Schemes: the TOML contract, built-ins, the weight table."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from conftest import MINI

ISSUE_EXAMPLE = """
name = "barn-och-unga"
version = "2026.1"
description = "..."
capacity = 150
[provenance]
method = "default"
note = "Illustrative starting point; calibrate locally."
[[weights]]
case_type = "utredning"
phase = "utredning"
weight = 10.0
label = { sv = "Barnavårdsutredning", en = "Child welfare investigation" }
[multipliers]
tolk = 1.2
[[adjustments]]
covariate = "experience_years"
kind = "step"
breaks = [1, 5]
factors = [0.6, 0.8, 1.0]
[bands]
balanced = 0.85
high = 1.10
critical = 1.25
"""


def test_documented_example_parses():
    s = at.Scheme.from_toml(ISSUE_EXAMPLE)
    assert s.capacity == 150 and s.weight_of("utredning", "utredning") == 10
    assert s.weight_of("utredning") != s.weight_of("utredning")  # nan: no phase-less row
    assert s.multipliers[0] == at.Multiplier("tolk", 1.2)
    assert s.adjustments[0].name == "experience_years"
    assert s.label("utredning", "en", phase="utredning") == "Child welfare investigation"
    assert at.Scheme.from_toml(s.to_toml()) == s


def test_toml_file_round_trip(tmp_path, mini):
    path = tmp_path / "s.toml"
    mini.to_toml(path)
    assert at.Scheme.from_toml(path) == mini
    assert at.Scheme.from_toml(str(path)) == mini
    assert at.load_scheme(path) == mini


def test_to_dict_is_plain_and_stable(mini):
    d = mini.to_dict()
    assert list(d)[:2] == ["name", "version"]
    assert d["weights"][1] == {"case_type": "A", "phase": "utredning", "weight": 16.0}
    assert d["multipliers"] == {"tolk": 1.5}
    assert d["bands"] == {"balanced": 0.85, "high": 1.1, "critical": 1.25}


@pytest.mark.parametrize("name", at.list_schemes())
def test_builtin_schemes(name):
    s = at.load_scheme(name)
    assert s.provenance.method == "default"
    assert "Illustrative" in s.provenance.note and s.provenance.references
    assert {a.covariate for a in s.adjustments} == {"experience_years", "span_of_control"}
    for w in s.weights:
        assert w.label.sv and w.label.en, w
    assert at.Scheme.from_toml(s.to_toml()) == s


def test_builtin_list():
    assert at.list_schemes() == [
        "barn-och-unga",
        "bistandshandlaggning",
        "ekonomiskt-bistand",
        "vuxen",
    ]
    bou = at.load_scheme("barn-och-unga")
    assert {"forhandsbedomning", "utredning", "insats", "uppfoljning"} <= set(bou.phases)
    assert "bou_lvu" in bou.case_types and "bou_placering" in bou.case_types


def test_weight_table_round_trip_through_csv(tmp_path, mini):
    path = tmp_path / "weights.csv"
    mini.weights_table().to_csv(path, index=False)
    edited = pd.read_csv(path)
    edited.loc[edited["case_type"] == "B", "weight"] = 5
    s2 = mini.with_weights(edited)
    assert s2.weight_of("B") == 5 and s2.weight_of("A", "utredning") == 16
    assert s2.label("A", "sv") == "Ärende A"
    with pytest.raises(at.SchemeError, match="weight table row 3: 'weight' must be >= 0"):
        mini.with_weights(edited.assign(weight=[1, 1, -1]))


def test_schemes_are_frozen_values(mini):
    with pytest.raises(AttributeError):
        mini.capacity = 5  # type: ignore[misc]
    assert mini == at.Scheme.from_toml(MINI)
    assert mini.evolve(version="2").id == "mini@2"


def test_dates_and_provenance():
    s = at.Scheme.from_dict(
        {
            "name": "x",
            "version": "1",
            "capacity": 1,
            "effective_date": "2026-01-01",
            "weights": [{"case_type": "a", "weight": 1}],
            "provenance": {
                "method": "time-study",
                "period_start": dt.date(2025, 1, 1),
                "n_workers": 12,
                "statistics": {"r2": 0.8},
            },
        }
    )
    assert s.effective_date == dt.date(2026, 1, 1)
    assert s.provenance.statistics == {"r2": 0.8}
    assert at.Scheme.from_toml(s.to_toml()) == s
    with pytest.raises(at.SchemeError, match="'method' must be one of"):
        at.Provenance(method="guess")


def test_band_codes_equal_a_binary_search_of_the_thresholds():
    """Counting the thresholds at or below a value is searchsorted(side="right"), NaN apart."""
    bands = at.Bands(balanced=0.8, high=1.05, critical=1.3)
    t = bands.thresholds
    values = np.concatenate(
        [
            np.random.default_rng(5).uniform(-1.0, 3.0, 5000),
            t,
            np.nextafter(t, -np.inf),
            np.nextafter(t, np.inf),
            [np.inf, -np.inf, np.nan, 0.0, -0.0],
        ]
    )
    want = np.where(np.isnan(values), -1, np.searchsorted(t, values, side="right"))
    got = bands.codes(values)
    assert got.dtype == np.int8
    np.testing.assert_array_equal(got, want)
    assert int(bands.codes(1.05)) == 2 and int(bands.codes(float("nan"))) == -1
