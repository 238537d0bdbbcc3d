"""A realistic export, file to HTML report with the CLI alone, checked against Python."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app
from arbetstyngd.datasets import make_treserva_export
from arbetstyngd.result import Workload

runner = CliRunner()
ON = "2026-06-30"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_treserva_export(tmp_path_factory.mktemp("treserva"), seed=0)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARBETSTYNGD_KEY", "treserva-test-key-0123456789")


def _python(export: dict[str, Path]) -> Workload:
    scheme = at.load_scheme("barn-och-unga")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workers = at.read_workers(export["workers"], columns=export["profile"], scheme=scheme)
        cases = at.read_cases(
            export["cases"], columns=export["profile"], scheme=scheme, roster=workers
        )
        return at.score(cases, workers, scheme, on=ON)


def _rows(frame: pd.DataFrame) -> list[tuple[str, int]]:
    return sorted((str(t), int(r)) for t, r in frame[["table", "row"]].drop_duplicates().to_numpy())


def test_the_generator_is_seeded(tmp_path: Path, export: dict[str, Path]) -> None:
    again = make_treserva_export(tmp_path, seed=0)
    assert again["cases"].read_bytes() == export["cases"].read_bytes()
    assert make_treserva_export(tmp_path / "other", seed=1)["cases"].read_bytes() != (
        export["cases"].read_bytes()
    )


def test_python_path_reads_it(export: dict[str, Path]) -> None:
    wl = _python(export)
    reasons = " ".join(wl.rejected["reason"])
    assert len(wl.workers) == 12
    for problem in ("not a date", "Okänd Handläggare", "fields but the header", "closed before"):
        assert problem in reasons
    assert "unknown case type 'Barnavårdsutredn.'" in reasons
    assert _rows(wl.rejected) == sorted(set(_rows(wl.rejected)))
    assert len(_rows(wl.rejected)) == 5


def test_validate_score_report_through_the_cli(
    export: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _python(export)
    reading = ["--columns", str(export["profile"])]
    problems = tmp_path / "problems.csv"
    validated = runner.invoke(
        app,
        [
            "validate",
            str(export["cases"]),
            "--scheme",
            "barn-och-unga",
            "--roster",
            str(export["workers"]),
            "--report",
            str(problems),
            *reading,
        ],
    )
    assert validated.exit_code == 1, validated.output
    assert _rows(pd.read_csv(problems)) == _rows(expected.rejected)

    out = tmp_path / "res"
    scored = runner.invoke(
        app,
        [
            "score",
            str(export["cases"]),
            str(export["workers"]),
            "--on",
            ON,
            "--out",
            str(out),
            *reading,
        ],
    )
    assert scored.exit_code == 0, scored.output
    assert _rows(pd.read_csv(out / "rejected.csv")) == _rows(expected.rejected)
    workers = pd.read_csv(out / "workers.csv").set_index("worker_id")["load"]
    assert workers.to_dict() == pytest.approx(
        expected.workers.set_index("worker_id")["load"].to_dict()
    )

    html = tmp_path / "rapport.html"
    reported = runner.invoke(
        app,
        [
            "report",
            str(export["cases"]),
            str(export["workers"]),
            "--on",
            ON,
            "--out",
            str(html),
            *reading,
        ],
    )
    assert reported.exit_code == 0, reported.output
    assert html.stat().st_size > 10_000

    # no identity number of the export reaches any output
    numbers = set(re.findall(r"\d{8}-\d{4}", export["cases"].read_text(encoding="cp1252")))
    assert numbers
    for path in [problems, html, *out.iterdir()]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not numbers & set(re.findall(r"\d{8}-\d{4}", text)), path

    # the report's figures are the Python path's
    seen: list[Workload] = []

    def capture(self: Workload, path: Any = None, **options: Any) -> str:
        seen.append(self)
        return ""

    monkeypatch.setattr(Workload, "to_html", capture)
    monkeypatch.chdir(tmp_path)  # the default out: rapport.html and rejected.csv in the cwd
    again = runner.invoke(
        app, ["report", str(export["cases"]), str(export["workers"]), "--on", ON, *reading]
    )
    assert again.exit_code == 0, again.output
    (wl,) = seen
    assert _rows(wl.rejected) == _rows(expected.rejected)
    assert wl.unit["load"] == pytest.approx(expected.unit["load"])
    assert wl.unit["utilisation"] == pytest.approx(expected.unit["utilisation"])


@pytest.mark.parametrize("friendly", [[], ["--excel-friendly"]])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_writes_the_rejected_rows_score_writes(
    export: dict[str, Path], tmp_path: Path, lang: str, friendly: list[str]
) -> None:
    # issue 10: "report writes the same rejected rows as score", next to the HTML
    common = [str(export["cases"]), str(export["workers"]), "--on", ON, "--lang", lang]
    common += ["--columns", str(export["profile"]), *friendly]
    scored = runner.invoke(app, ["score", *common, "--out", str(tmp_path / "score")])
    assert scored.exit_code == 0, scored.output
    html = tmp_path / "report" / ("rapport.html" if lang == "sv" else "report.html")
    reported = runner.invoke(app, ["report", *common, "--out", str(html)])
    assert reported.exit_code == 0, reported.output
    written = html.parent / "rejected.csv"
    assert written.read_bytes() == (tmp_path / "score" / "rejected.csv").read_bytes()
    said = "Avvisade rader (CSV)" if lang == "sv" else "Rejected rows (CSV)"
    assert f"{said}: {written.resolve()}" in " ".join(reported.output.split())
    # every rejection the report counts is in the file
    rows = pd.read_csv(written, sep=";" if friendly else ",", encoding="utf-8-sig")
    assert len(rows) == len(_python(export).rejected) > 0
