"""One way to read: `score`, `report` and Python read an export with a profile alike."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app
from arbetstyngd.result import Workload

runner = CliRunner()
KEY = "cli-options-key-0123456789"

# headers no synonym knows, a flag column under an export's own name, names for workers,
# a case-type label, and three bad rows (an unknown worker, a non-date, a surplus field)
CASES = (
    "Ärendenummer;Ansvarig;Typ;Start;Slut;Tolkbehov\n"
    "A-1;Anna Berg;Barnavårdsutredning;2026-01-05;;Ja\n"
    "A-2;Berg, Anna;bou_lvu;3/2 2026;;Nej\n"
    "A-3;Bo Ek;bou_lvu;2026-01-07;;Ja\n"
    "A-4;Okänd Person;bou_lvu;2026-01-08;;Nej\n"
    "A-5;Bo Ek;bou_lvu;inte ett datum;;Nej\n"
    "A-6;Bo Ek;extra;bou_lvu;2026-01-09;;Nej\n"
)
WORKERS = (
    "Handläggar-id;Namn;Enhet;Tjänstgöringsgrad;Erfarenhet år\n"
    "H1;Anna Berg;T1;100;5\nH2;Bo Ek;T1;80;2\n"
)
PROFILE = """
[read]
encoding = "cp1252"
[cases.columns]
case_id = "Ärendenummer"
worker_id = "Ansvarig"
case_type = "Typ"
opened = "Start"
closed = "Slut"
tolk = "Tolkbehov"
[cases.values.tolk]
Ja = true
Nej = false
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("ARBETSTYNGD_KEY", KEY)
    paths = {
        "cases": tmp_path / "arenden.csv",
        "workers": tmp_path / "personal.csv",
        "profile": tmp_path / "profil.toml",
    }
    paths["cases"].write_bytes(CASES.encode("cp1252"))
    paths["workers"].write_bytes(WORKERS.encode("cp1252"))
    paths["profile"].write_text(PROFILE, encoding="utf-8")
    return paths


def _python_path(files: dict[str, Path]) -> Workload:
    scheme = at.load_scheme("barn-och-unga")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workers = at.read_workers(files["workers"], columns=files["profile"])
        cases = at.read_cases(
            files["cases"], columns=files["profile"], scheme=scheme, roster=workers
        )
        return at.score(cases, workers, scheme)


def _rejected_rows(frame: pd.DataFrame) -> list[tuple[str, int]]:
    return sorted((str(t), int(r)) for t, r in frame[["table", "row"]].drop_duplicates().to_numpy())


def test_python_path_reads_the_flag_and_rejects_three_rows(files: dict[str, Path]) -> None:
    wl = _python_path(files)
    assert _rejected_rows(wl.rejected) == [("cases", 5), ("cases", 6), ("cases", 7)]
    # the interpreter flag (×1.2) reached the cases
    assert wl.cases.set_index("case_id").loc["A-1", "points"] == pytest.approx(
        1.2 * wl.cases.set_index("case_id").loc["A-1", "weight"]
    )


def test_score_and_report_read_as_python_does(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _python_path(files)
    out = tmp_path / "res"
    common = ["--columns", str(files["profile"]), "--date-order", "dmy"]
    result = runner.invoke(
        app, ["score", str(files["cases"]), str(files["workers"]), "--out", str(out), *common]
    )
    assert result.exit_code == 0, result.output
    rejected = pd.read_csv(out / "rejected.csv")
    assert _rejected_rows(rejected) == _rejected_rows(expected.rejected)
    workers = pd.read_csv(out / "workers.csv").set_index("worker_id")
    assert workers["load"].to_dict() == pytest.approx(
        expected.workers.set_index("worker_id")["load"].to_dict()
    )

    seen: list[Workload] = []

    def capture(self: Workload, path: Any = None, **options: Any) -> str:
        seen.append(self)
        return ""

    monkeypatch.setattr(Workload, "to_html", capture)
    html = tmp_path / "rapport.html"
    result = runner.invoke(
        app, ["report", str(files["cases"]), str(files["workers"]), "--out", str(html), *common]
    )
    assert result.exit_code == 0, result.output
    (wl,) = seen
    assert _rejected_rows(wl.rejected) == _rejected_rows(expected.rejected)
    pd.testing.assert_series_equal(
        wl.workers.set_index("worker_id")["load"],
        expected.workers.set_index("worker_id")["load"],
    )
    assert wl.unit["load"] == pytest.approx(expected.unit["load"])


def test_reading_options_are_the_same_on_every_command() -> None:
    names = {"--columns", "--key", "--date-order", "--encoding", "--sheet", "--scheme"}
    for command in (["score"], ["report"], ["calibrate", "time-study"], ["calibrate", "ratings"]):
        result = runner.invoke(app, [*command, "--help"], terminal_width=200)
        assert result.exit_code == 0
        missing = {n for n in names if n not in result.output}
        assert not missing, (command, missing)
