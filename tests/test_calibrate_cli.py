"""The calibrate commands read files and write a scheme plus a fit report."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app

runner = CliRunner()


def _tables(tmp_path, town):
    paths = {}
    for name in ("cases", "workers", "teams"):
        paths[name] = tmp_path / f"{name}.csv"
        getattr(town, name).to_csv(paths[name], index=False)
    return paths


def test_ratings_and_time_study_commands(tmp_path):
    town = at.datasets.make_municipality(n_workers=30, n_teams=3, seed=5)
    p = _tables(tmp_path, town)
    survey = at.datasets.make_ratings(town, months=4, seed=1)
    survey.ratings.to_csv(tmp_path / "ratings.csv", index=False)
    out = tmp_path / "r.toml"
    res = runner.invoke(
        app,
        [
            "calibrate",
            "ratings",
            str(p["cases"]),
            str(p["workers"]),
            str(tmp_path / "ratings.csv"),
            "--teams",
            str(p["teams"]),
            "--n-bootstrap",
            "5",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    scheme = at.Scheme.from_toml(out)
    assert scheme.provenance.method == "perceived-workload"
    assert "normal load P" in (tmp_path / "r.report.md").read_text()

    log = at.datasets.make_time_log(town, months=3, seed=1)
    log.log.to_csv(tmp_path / "log.csv", index=False)
    out = tmp_path / "t.toml"
    res = runner.invoke(
        app,
        [
            "calibrate",
            "time-study",
            str(p["cases"]),
            str(p["workers"]),
            str(tmp_path / "log.csv"),
            "--teams",
            str(p["teams"]),
            "--available-minutes",
            "6000",
            "--n-bootstrap",
            "5",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert at.Scheme.from_toml(out).capacity == 6000


def test_delphi_command_and_bad_input(tmp_path):
    panel = pd.DataFrame(
        {
            "expert": list("abcabc"),
            "round": [1, 1, 1, 2, 2, 2],
            "case_type": "bou_utredning",
            "estimate": [8, 12, 14, 10, 11, 11.5],
        }
    )
    panel.to_csv(tmp_path / "panel.csv", index=False)
    out = tmp_path / "d.toml"
    res = runner.invoke(
        app, ["calibrate", "delphi", str(tmp_path / "panel.csv"), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert at.Scheme.from_toml(out).weight_of("bou_utredning") == 11.0
    res = runner.invoke(app, ["calibrate", "delphi", str(tmp_path / "nope.csv")])
    assert res.exit_code == 2 and "no panel file" in res.output
