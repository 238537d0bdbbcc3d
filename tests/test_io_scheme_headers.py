"""A header that is a label of a scheme's flag or covariate is read as that column."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest

import arbetstyngd as at

KEY = "k" * 32


@pytest.mark.parametrize("header", ["Tolk behövs", "Interpreter needed", "tolk", "TOLK"])
def test_flag_label_maps_to_the_flag(header: str) -> None:
    text = (
        f"Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;{header}\n"
        "A-1;H1;bou_lvu;2026-01-05;ja\nA-2;H1;bou_lvu;2026-01-06;nej\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = at.read_cases(io.StringIO(text), key=KEY, scheme="barn-och-unga")
    assert "tolk" in cases.columns
    assert ("tolk", "flag") in {(c, how) for _, c, how in cases.attrs["read"].mapping}


def test_flag_label_without_a_scheme_is_kept() -> None:
    text = (
        "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Tolk behövs\nA-1;H1;bou_lvu;2026-01-05;ja\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = at.read_cases(io.StringIO(text), key=KEY)
    assert "tolk" not in cases.columns


def test_covariate_label_maps_to_the_covariate() -> None:
    scheme = at.load_scheme("barn-och-unga")
    (experience,) = [a for a in scheme.adjustments if a.covariate == "experience_years"]
    for label in (experience.label.sv, experience.label.en):
        text = f"Handläggar-id;Enhet;Tjänstgöringsgrad;{label}\nH1;T1;100;4\n"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workers = at.read_workers(io.StringIO(text), key=KEY, scheme=scheme)
        assert workers["experience_years"].tolist() == [4.0]


def test_a_flag_with_no_column_is_said_by_score_and_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export's own name for a flag (``Tolkbehov``) is not guessed, but never ignored."""
    from typer.testing import CliRunner

    from arbetstyngd.cli.app import app

    monkeypatch.setenv("ARBETSTYNGD_KEY", KEY)
    cases = tmp_path / "arenden.csv"
    cases.write_text(
        "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Tolkbehov\n"
        "A-1;H1;bou_lvu;2026-01-05;ja\nA-2;H1;bou_lvu;2026-01-06;nej\n",
        encoding="utf-8",
    )
    workers = tmp_path / "personal.csv"
    workers.write_text("Handläggar-id;Enhet;Tjänstgöringsgrad;Erfarenhet (år)\nH1;T1;100;4\n")
    result = CliRunner().invoke(app, ["score", str(cases), str(workers), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split()).lower()
    # the console in the command's language (Swedish by default), Python in English
    assert "'tolk' (menas 'tolkbehov'?)" in said
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = at.read_cases(cases, key=KEY, scheme="barn-och-unga")
        at.score(frame, at.read_workers(workers, key=KEY), "barn-och-unga")
    messages = [str(w.message) for w in caught]
    assert any("'tolk' (is 'tolkbehov' meant?)" in m.lower() for m in messages), messages
