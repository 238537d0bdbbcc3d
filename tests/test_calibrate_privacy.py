"""No identity number typed into a calibration file reaches a message or an output file."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app
from arbetstyngd.io.personnummer import synthetic_personnummer

runner = CliRunner()


@pytest.fixture
def town():
    return at.datasets.make_municipality(n_workers=12, n_teams=2, seed=5)


def test_ratings_command_does_not_print_or_write_an_identity_number(tmp_path, town, monkeypatch):
    monkeypatch.setenv("ARBETSTYNGD_KEY", "calibrate-privacy-key-0123")
    number = synthetic_personnummer(1, seed=3)[0]
    paths = {}
    for name in ("cases", "workers", "teams"):
        paths[name] = tmp_path / f"{name}.csv"
        getattr(town, name).to_csv(paths[name], index=False)
    ratings = at.datasets.make_ratings(town, months=3, seed=1).ratings
    ratings = ratings.astype({"worker_id": object})
    ratings.loc[0, "worker_id"] = number
    ratings.loc[1, "period"] = number
    ratings.to_csv(tmp_path / "ratings.csv", index=False)
    out = tmp_path / "r.toml"
    result = runner.invoke(
        app,
        [
            "calibrate",
            "ratings",
            str(paths["cases"]),
            str(paths["workers"]),
            str(tmp_path / "ratings.csv"),
            "--teams",
            str(paths["teams"]),
            "--n-bootstrap",
            "0",
            "--out",
            str(out),
            "--report",
            str(tmp_path / "r.md"),
        ],
    )
    digits = number.replace("-", "")
    written = [p.read_text() for p in (out, tmp_path / "r.md") if p.exists()]
    for text in (result.output, *written):
        assert number not in text and digits not in text and digits[2:] not in text


def test_api_messages_hide_identity_numbers(town):
    number = synthetic_personnummer(1, seed=4)[0]
    ratings = pd.DataFrame(
        {"worker_id": [number, number], "period": ["2026-05", "2026-06"], "rating": [1, 2]}
    )
    with pytest.raises(at.DataError) as err:
        at.calibrate.PerceivedWorkload.from_survey(
            ratings,
            town.cases,
            town.workers,
            periods="M",
            start="2026-04-01",
            end="2026-06-30",
            n_bootstrap=0,
        )
    assert number not in str(err.value)
    assert number not in err.value.failures.astype(str).to_string()


def test_one_answered_period_is_a_plain_error(town):
    ratings = pd.DataFrame({"worker_id": ["H0001"], "period": ["2026-05"], "rating": [1]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(at.DataError, match="cover only 1 answered"):
            at.calibrate.PerceivedWorkload.from_survey(
                ratings,
                town.cases,
                town.workers,
                periods="M",
                start="2026-04-01",
                end="2026-06-30",
                n_bootstrap=0,
            )


def test_infinite_panel_estimates_are_refused():
    panel = pd.DataFrame(
        {"expert": ["a", "b", "c"], "case_type": ["x"] * 3, "estimate": [np.inf, 1, 2]}
    )
    with pytest.raises(at.DataError, match="finite numbers >= 0"):
        at.calibrate.Delphi().fit(panel)


def test_feature_periods_accept_month_starts_and_refuse_numbers(town):
    months = at.calibrate.features(
        town.cases, town.workers, periods="MS", start="2026-01-01", end="2026-06-30"
    )
    assert months["period"].nunique() == 6
    with pytest.raises(ValueError, match="'start' must be a date"):
        at.calibrate.features(town.cases, town.workers, periods="M", start=5, end="2026-06-30")
    with pytest.raises(ValueError, match="'periods' must be a period frequency"):
        at.calibrate.features(
            town.cases, town.workers, periods="XX", start="2026-01-01", end="2026-06-30"
        )
