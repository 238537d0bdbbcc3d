"""`arbetstyngd validate` and `arbetstyngd score` on messy exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from arbetstyngd.cli.app import app
from arbetstyngd.datasets.messy import write_messy_export
from arbetstyngd.io.personnummer import synthetic_personnummer

runner = CliRunner()


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ARBETSTYNGD_KEY", "cli-test-key-0123456789")
    return write_messy_export(tmp_path, n_workers=6, seed=4)


def test_validate_reports_mapping_problems_and_exits_1(export, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "problems.csv"
    result = runner.invoke(
        app,
        [
            "validate",
            "--lang",
            "en",
            str(export["cases"]),
            "--scheme",
            "barn-och-unga",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 1, result.output
    out = result.output
    assert "CSV text, cp1252, semicolon-separated" in out
    assert "Aktualiseringsdatum" in out and "→ opened" in out
    assert "Problems: 2 in 2 row(s)" in out and "31/2 2025" in out
    problems = pd.read_csv(report)
    assert problems["row"].tolist() == [6, 8]


def test_validate_clean_file_exits_0(export) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["validate", "--lang", "en", str(export["workers"]), "--kind", "workers"]
    )
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output and "per cent" in result.output


def test_validate_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = runner.invoke(app, ["validate", "--lang", "en", str(path)])
    assert result.exit_code == 2 and "empty" in result.output
    assert "Traceback" not in result.output


def test_score_with_a_profile(export, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    profile = tmp_path / "profil.toml"
    profile.write_text(
        '[cases.columns]\ncase_id = "Dnr"\n[cases.values.case_type]\n"bou_lvu" = "bou_lvu"\n',
        encoding="utf-8",
    )
    out = tmp_path / "res"
    result = runner.invoke(
        app,
        [
            "score",
            str(export["cases"]),
            str(export["workers"]),
            "--columns",
            str(profile),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Avvisade rader" in result.output
    assert (out / "rejected.csv").exists() or any(out.iterdir())


def test_validate_lists_scheme_flags_as_mapped(export) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["validate", "--lang", "en", str(export["cases"]), "--scheme", "barn-och-unga"]
    )
    lines = {ln.split("→")[0].strip(): ln for ln in result.output.splitlines() if "→" in ln}
    assert "complexity flag of the scheme" in lines["Tolk"], result.output
    assert "not mapped" in lines["Anteckning"]
    plain = runner.invoke(app, ["validate", "--lang", "en", str(export["cases"])])
    assert (
        "not mapped"
        in {ln.split("→")[0].strip(): ln for ln in plain.output.splitlines() if "→" in ln}["Tolk"]
    )


def test_validate_never_prints_an_identity_number_header(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ARBETSTYNGD_KEY", "cli-test-key-0123456789")
    n = synthetic_personnummer(1, seed=21, sep="")[0]
    path = tmp_path / "cases.csv"
    path.write_text(
        f"Dnr;Handläggare;Ärendetyp;Startdatum;{n[:8]}-{n[8:]};Handläggare\n"
        "A;H;x;2025-01-01;v;H2\nB;H;x;4/13/2026;w;H2\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", "--lang", "en", str(path)])
    assert result.exit_code == 1, result.output
    for form in (n, n[2:], n[:8] + "-" + n[8:], n[:8] + "_" + n[8:], n[2:8] + "-" + n[8:]):
        assert form not in result.output
    assert "ps_" in result.output and "appears twice" in result.output
    assert "4/13/2026" in result.output and "month first" in result.output
