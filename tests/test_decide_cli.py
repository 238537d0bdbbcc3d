"""The decision commands end to end: allocate, staffing, what-if (Swedish and English)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app

runner = CliRunner()


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("ARBETSTYNGD_KEY", "k" * 40)
    town = at.datasets.make_municipality(n_workers=12, n_teams=2, seed=3)
    cases = town.cases.assign(subject_id=[f"S{i % 300}" for i in range(len(town.cases))])
    cases.to_csv(tmp_path / "cases.csv", index=False)
    town.workers.to_csv(tmp_path / "workers.csv", index=False)
    town.teams.to_csv(tmp_path / "teams.csv", index=False)
    (tmp_path / "new.csv").write_text(
        "case_id;case_type;phase;tolk\nN1;bou_utredning;;nej\nN2;bou_lvu;utredning;ja\n",
        encoding="utf-8",
    )
    (tmp_path / "rules.toml").write_text('ceiling = "critical"\n', encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        'name = "En till"\n[[changes]]\nkind = "hire"\nteam = "T2"\nfte = 1.0\n',
        encoding="utf-8",
    )
    return tmp_path


def common(files):
    return [
        str(files / "cases.csv"),
        str(files / "workers.csv"),
        "--teams",
        str(files / "teams.csv"),
        "--on",
        "2026-06-30",
    ]


def test_allocate_command(files):
    out = files / "s.csv"
    args = ["allocate", *common(files)[:2], str(files / "new.csv"), *common(files)[2:]]
    result = runner.invoke(
        app, [*args, "--rules", str(files / "rules.toml"), "--lang", "en", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "never an automatic decision" in result.output
    assert "N2" in result.output and out.exists()
    sv = runner.invoke(app, args)
    assert sv.exit_code == 0 and "inget automatiskt beslut" in sv.output


def test_staffing_command(files):
    result = runner.invoke(app, ["staffing", *common(files), "--target", "0.9", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Need (ref. FTE)" in result.output and "All" in result.output


def test_what_if_command(files):
    out = files / "wi"
    result = runner.invoke(
        app, ["what-if", *common(files), "--scenario", str(files / "s.toml"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "En till" in result.output and "Alla" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["teams.csv", "unit.csv", "workers.csv"]


def test_bad_scenario_is_one_readable_line(files):
    (files / "bad.toml").write_text('[[changes]]\nkind = "leave"\nworker = "H9999"\n')
    result = runner.invoke(app, ["what-if", *common(files), "--scenario", str(files / "bad.toml")])
    assert result.exit_code == 2
    assert "fel: ändring 1: handläggaren 'H9999' finns inte i personallistan" in result.output


def test_new_case_with_unknown_type(files):
    (files / "new.csv").write_text("case_id,case_type\nN1,bou_utrednin\n", encoding="utf-8")
    result = runner.invoke(app, ["allocate", *common(files)[:2], str(files / "new.csv")])
    assert result.exit_code == 2
    assert "bou_utrednin" in result.output
