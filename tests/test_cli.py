"""The command line: demo, score, schemes, scheme show, and clear errors."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli import app

runner = CliRunner()


def test_demo_prints_team_table_and_writes_files(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "Belastning" in result.output and "Alla" in result.output
    assert (tmp_path / "demo" / "teams.csv").exists()
    assert (tmp_path / "demo" / "arbetstyngd.xlsx").exists()
    english = runner.invoke(app, ["demo", "--out", str(tmp_path / "d2"), "--lang", "en"])
    assert "Utilisation" in english.output


def _files(tmp_path, cases, workers, teams=None):
    c, w = tmp_path / "cases.csv", tmp_path / "workers.csv"
    cases.to_csv(c, index=False)
    workers.to_csv(w, index=False)
    args = [str(c), str(w)]
    if teams is not None:
        t = tmp_path / "teams.csv"
        teams.to_csv(t, index=False)
        args += ["--teams", str(t)]
    return args


def test_score_command(tmp_path):
    town = at.datasets.make_municipality(n_workers=10, n_teams=2, seed=4)
    args = _files(tmp_path, town.cases, town.workers, town.teams)
    out = tmp_path / "out"
    result = runner.invoke(app, ["score", *args, "--on", "2026-06-30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    workers = pd.read_csv(out / "workers.csv")
    direct = town.score()
    assert workers["load"].tolist() == direct.workers["load"].round(2).tolist()  # CSV: 2 places
    assert (out / "scheme.toml").exists() and (out / "meta.json").exists()
    for fmt, name in (("parquet", "workers.parquet"), ("excel", "arbetstyngd.xlsx")):
        r = runner.invoke(app, ["score", *args, "--out", str(tmp_path / fmt), "--format", fmt])
        assert r.exit_code == 0, r.output
        assert (tmp_path / fmt / name).exists()


def test_score_reports_rejections(tmp_path, cases, workers, mini):
    scheme = tmp_path / "mini.toml"
    mini.to_toml(scheme)
    bad = cases.copy()
    bad.loc[2, "case_type"] = "Q"
    args = _files(tmp_path, bad, workers)
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["score", *args, "--scheme", str(scheme), "--out", str(out), "--fail-on-rejected"]
    )
    assert result.exit_code == 1
    # Swedish (the default): the reason's label, beside the value as written
    assert "Ärendetypen finns inte i viktschemat" in result.output
    assert "unknown case type" not in result.output
    english = runner.invoke(
        app, ["score", *args, "--scheme", str(scheme), "--out", str(out), "--lang", "en"]
    )
    assert "unknown case type 'Q'" in english.output
    rejected = pd.read_csv(out / "rejected.csv")
    assert rejected["row"].tolist() == [4]  # header is row 1 in the file


def test_bad_files_give_one_line_and_exit_2(tmp_path):
    missing = runner.invoke(app, ["score", str(tmp_path / "nope.csv"), str(tmp_path / "w.csv")])
    # Swedish by default, the error line too
    assert missing.exit_code == 2 and missing.output.startswith("fel: det finns ingen fil")
    assert "Traceback" not in missing.output
    c = tmp_path / "c.csv"
    c.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(c), str(c), "--lang", "en"])
    assert result.exit_code == 2 and "lacks required column" in result.output


def test_schemes_and_scheme_show():
    listing = runner.invoke(app, ["schemes"])
    assert listing.exit_code == 0 and "barn-och-unga" in listing.output
    show = runner.invoke(app, ["scheme", "show", "vuxen"])
    assert show.exit_code == 0 and "vux_lvm" in show.output and "bands" in show.output
    toml = runner.invoke(app, ["scheme", "show", "vuxen", "--toml"])
    assert at.Scheme.from_toml(toml.output) == at.load_scheme("vuxen")
    unknown = runner.invoke(app, ["scheme", "show", "vuxne"])
    assert unknown.exit_code == 2 and "did you mean 'vuxen'" in unknown.output


@pytest.mark.parametrize("command", [[], ["score", "--help"], ["demo", "--help"]])
def test_help(command):
    result = runner.invoke(app, [*command, "--help"] if command == [] else command)
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_nothing_scored_is_said_plainly(tmp_path):
    c, w = tmp_path / "c.csv", tmp_path / "w.csv"
    c.write_text("case_id,worker_id,case_type,opened\nc1,w1,bou_utredning,2026-01-01\n")
    w.write_text("worker_id,fte,team_id\nw1,1,T\n")  # no experience column at all
    result = runner.invoke(app, ["score", str(c), str(w), "--out", str(tmp_path / "o")])
    # a covariate no table has is one clear error, as a missing case column is (issue 10 #6)
    assert result.exit_code == 2
    assert "fel: ingen tabell har 'experience_years'" in result.output  # Swedish by default
    assert "'profession_start'" in result.output
    assert "Traceback" not in result.output and "invalid value" not in result.output
