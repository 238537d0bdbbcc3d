"""Every console line in the command's language: warnings, notes, validate and the counts.

Issue 10: "One language per output" — with ``--lang sv`` the engine's warnings (a flag with no
column, no pseudonymisation key, a header twice, a thin forecast history) were printed in
English, ``validate`` had no ``--lang``, and the console said "1 rader".
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd._label_messages import MESSAGES
from arbetstyngd.cli.app import app
from arbetstyngd.errors import (
    LabelledWarning,
    MissingColumnWarning,
    ReductionsWarning,
    RejectedRowsWarning,
    Said,
    ThinHistoryWarning,
    say,
)
from arbetstyngd.io import HeaderWarning, PseudonymKeyWarning
from arbetstyngd.io.personnummer import synthetic_personnummer
from arbetstyngd.labels import text_n

runner = CliRunner()

#: English words that never belong in a Swedish line (option names such as --key and
#: column identifiers such as case_id are not words here).
ENGLISH = {
    "the", "of", "and", "no", "not", "is", "are", "row", "rows", "column", "columns",
    "header", "note", "rejected", "given", "used", "read", "with", "for", "could", "scored",
    "file", "table", "checks", "made", "found", "problems", "wrote", "appears", "twice",
    "kept", "instead", "cells", "random", "only", "day", "days", "case", "cases",
    "scheme", "before", "start", "without", "them", "every", "counts", "mapping",
}  # fmt: skip

# a case-type label, a misspelt type, an unknown worker, closed before opened, a bad date;
# no flag column, and the same header twice
CASES = (
    "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Avslutsdatum;Notering;Notering\n"
    "A-1;H1;Barnavårdsutredning;2026-01-05;;x;y\n"
    "A-2;H1;bou_utreding;2026-01-06;;x;y\n"
    "A-3;H9;bou_lvu;2026-01-07;;x;y\n"
    "A-4;H2;bou_lvu;2026-02-07;2026-01-01;x;y\n"
    "A-5;H2;bou_lvu;inte ett datum;;x;y\n"
    "A-6;H2;bou_lvu;2026-01-09;;x;y\n"
)
WORKERS = "Handläggar-id;Enhet;Tjänstgöringsgrad;Erfarenhet år\nH1;T1;100;5\nH2;T1;80;2\n"
TEAMS = "team_id;name;span_of_control\nT1;Norr;1\nT2;Syd;inte ett tal\n"


def words(output: str, tmp: Path) -> set[str]:
    plain = output.replace(str(tmp.resolve()), "<dir>").replace(str(tmp), "<dir>")
    # file names (rejected.csv, as score names it) and attributes named in a message
    # (.rejected) are names, not words
    plain = re.sub(r"\S*\.(?:csv|html|xlsx)\b|\.\w+", "", plain)
    # identifiers (case_id, not_a_date, ps_…) are one token, not words
    tokens = re.findall(r"[\w'-]+", plain)
    return {t.lower() for t in tokens if "_" not in t and not t.startswith("-")}


def assert_swedish(output: str, tmp: Path) -> None:
    found = words(output, tmp) & ENGLISH
    assert not found, (sorted(found), output)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    # no key: the pseudonymisation note is printed
    monkeypatch.delenv("ARBETSTYNGD_KEY", raising=False)
    monkeypatch.delenv("ARBETSTYNGD_KEY_FILE", raising=False)
    # Swedish file names: the output names its source
    names = {"cases": "arenden", "workers": "personal", "teams": "enheter"}
    paths = {n: tmp_path / f"{f}.csv" for n, f in names.items()}
    # identity numbers in the note column: pseudonyms are made, with a random key
    numbers = iter(synthetic_personnummer(6, seed=4))
    with_numbers = re.sub(r";x;", lambda _: f";ring {next(numbers)};", CASES)
    paths["cases"].write_text(with_numbers, encoding="utf-8")
    paths["workers"].write_text(WORKERS, encoding="utf-8")
    paths["teams"].write_text(TEAMS, encoding="utf-8")
    return paths


def _validate(files: dict[str, Path], lang: str) -> str:
    args = ["validate", str(files["cases"]), "--scheme", "barn-och-unga"]
    result = runner.invoke(app, [*args, "--roster", str(files["workers"]), "--lang", lang])
    assert result.exit_code == 1, result.output
    return result.output


def test_validate_in_swedish_has_no_english_word(files: dict[str, Path], tmp_path: Path) -> None:
    out = _validate(files, "sv")
    assert_swedish(out, tmp_path)
    for said in (
        "obs: ingen pseudonymiseringsnyckel angiven",  # PseudonymKeyWarning
        "ärendetabellen har ingen kolumn för komplexitetsflaggorna",  # MissingColumnWarning
        "'Notering' förekommer två gånger som rubrik",  # HeaderWarning
        "tabellen ärenden",
        "rader       6 lästa, 2 användbara, 4 avvisade",
        "Kolumner:",
        "(igenkänd)",
        "Problem: 4 på 4 rader",
        "Handläggaren finns inte i personallistan",
        "kommaseparerad" if "kommaseparerad" in out else "semikolonseparerad",
    ):
        assert said in out, (said, out)


def test_validate_in_english_says_the_same(files: dict[str, Path], tmp_path: Path) -> None:
    out = _validate(files, "en")
    for said in (
        "note: no pseudonymisation key given",
        "the cases table has no column for the complexity flag(s)",
        "'Notering' appears twice as a header",
        "cases table",
        "rows        6 read, 2 usable, 4 rejected",
        "Columns:",
        "CSV text, UTF-8, semicolon-separated",
        "Problems: 4 in 4 row(s)",
    ):
        assert said in out, (said, out)
    assert "obs:" not in out and "ärendetabellen" not in out


def test_validate_defaults_to_swedish_like_the_other_commands(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", str(files["workers"]), "--kind", "workers"])
    assert result.exit_code == 0, result.output
    assert "Kolumner:" in result.output and "Inga problem" in result.output
    assert "Obs: 'fte' läses som procent (till exempel '100' → 1)" in result.output


def test_validate_workers_without_scheme_names_skipped_checks_in_swedish(
    files: dict[str, Path], tmp_path: Path
) -> None:
    result = runner.invoke(app, ["validate", str(files["cases"]), "--lang", "sv"])
    assert "Kontroller som inte gjordes" in result.output
    assert "(ange --scheme)" in result.output and "(ange --roster WORKERS)" in result.output
    assert_swedish(result.output, tmp_path)


@pytest.mark.parametrize("command", ["score", "report"])
def test_score_and_report_in_swedish(command: str, files: dict[str, Path], tmp_path: Path) -> None:
    out_opt = ["--out", str(tmp_path / ("res" if command == "score" else "rapport.html"))]
    args = [command, str(files["cases"]), str(files["workers"]), "--teams", str(files["teams"])]
    result = runner.invoke(app, [*args, *out_opt, "--lang", "sv"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert_swedish(out, tmp_path)
    assert "obs: ingen pseudonymiseringsnyckel" in out
    assert "obs: ärendetabellen har ingen kolumn för komplexitetsflaggorna" in out
    # counts in words, with the total and the share; one team row of two rejected
    assert "Ärenden: 4 av 6 rader kunde inte beräknas (67\xa0%)." in out
    assert "Team: 1 av 2 rader kunde inte beräknas (50\xa0%)." in out
    if command == "report":
        assert "Avvisade rader (CSV):" in out


@pytest.mark.parametrize("command", ["score", "report"])
def test_score_and_report_in_english(command: str, files: dict[str, Path], tmp_path: Path) -> None:
    out_opt = ["--out", str(tmp_path / ("res" if command == "score" else "report.html"))]
    args = [command, str(files["cases"]), str(files["workers"]), "--teams", str(files["teams"])]
    result = runner.invoke(app, [*args, *out_opt, "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "note: no pseudonymisation key given" in out
    assert "note: the cases table has no column for the complexity flag(s)" in out
    assert "Cases: 4 of 6 rows could not be scored (67%)." in out
    assert "Teams: 1 of 2 rows could not be scored (50%)." in out
    assert "obs:" not in out and "rader" not in out


def test_one_row_is_one_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARBETSTYNGD_KEY", "language-key-0123456789")
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "case_id;worker_id;case_type;opened\nA1;H1;bou_lvu;2026-01-05\nA2;H1;bou_lvu;x\n",
        encoding="utf-8",
    )
    workers = tmp_path / "workers.csv"
    workers.write_text("worker_id;team_id;fte;experience_years\nH1;T1;1;3\n", encoding="utf-8")
    base = ["score", str(cases), str(workers), "--out", str(tmp_path / "res")]
    sv = runner.invoke(app, [*base, "--lang", "sv"]).output
    en = runner.invoke(app, [*base, "--lang", "en"]).output
    assert "Ärenden: 1 av 2 rader kunde inte beräknas (50\xa0%)." in sv
    assert "Cases: 1 of 2 rows could not be scored (50%)." in en
    assert "Handläggare: 0 av 1 rad kunde inte beräknas (0\xa0%)." in sv
    assert "Caseworkers: 0 of 1 row could not be scored (0%)." in en
    assert re.search(r"Skrev \d+ filer till", sv), sv
    one = runner.invoke(app, [*base, "--lang", "sv", "--format", "excel"]).output
    assert "Skrev 1 fil till" in one


def test_count_sentences_have_both_forms() -> None:
    assert text_n("cli.rejected_count", 1, "sv", table="Team", n="1") == (
        "Team: 1 rad kunde inte beräknas."
    )
    assert text_n("cli.rejected_count", 3, "sv", table="Team", n="3") == (
        "Team: 3 rader kunde inte beräknas."
    )
    assert text_n("report.rejected_text", 1, "sv", n="1").startswith("1 rad i underlaget")
    assert text_n("report.rejected_text", 1, "en", n="1").startswith("1 row of the input")
    assert text_n("archive.period", 1, "sv", n="1", start="a", end="b").startswith("1 mätning,")
    # every counted label has both forms in both languages
    from arbetstyngd.labels import TEXT

    stems = {k.removesuffix(".one") for k in TEXT if k.endswith(".one")}
    for stem in stems:
        assert f"{stem}.one" in TEXT and f"{stem}.other" in TEXT, stem
        assert stem not in TEXT, stem


def test_forecast_thin_history_is_said_in_swedish(tmp_path: Path) -> None:
    town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=3)
    first = pd.Timestamp(town.cases["opened"].min())
    paths = {"cases": tmp_path / "cases.csv", "workers": tmp_path / "workers.csv"}
    town.cases.to_csv(paths["cases"], index=False)
    town.workers.to_csv(paths["workers"], index=False)
    start = (first + pd.Timedelta(days=40)).date().isoformat()
    base = ["forecast", str(paths["cases"]), str(paths["workers"]), "--start", start]
    base += ["--paths", "20", "--seed", "1", "--horizon", "4W", "--key", str(tmp_path / "k")]
    (tmp_path / "k").write_text("forecast-key-0123456789abcdef", encoding="utf-8")
    sv = runner.invoke(app, [*base, "--out", str(tmp_path / "f.csv"), "--lang", "sv"])
    en = runner.invoke(app, [*base, "--out", str(tmp_path / "f.csv"), "--lang", "en"])
    assert sv.exit_code == 0 and en.exit_code == 0, (sv.output, en.output)
    assert "obs: bara 40 dagars inflöde före starten" in sv.output
    assert "note: only 40 day(s) of inflow before the start" in en.output
    notes = [ln for ln in sv.output.splitlines() if ln.startswith("obs:")]
    assert notes and all(not (words(ln, tmp_path) & ENGLISH) for ln in notes), notes


# -- the warnings themselves -------------------------------------------------------------------


def _caught(func, *args, **kwargs) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        func(*args, **kwargs)
    return list(caught)


def test_python_users_still_read_english(tmp_path: Path) -> None:
    town = at.datasets.make_municipality(n_workers=4, n_teams=1, seed=2)
    cases = town.cases.drop(columns=[c for c in town.cases if c in ("tolk",)])
    cases.loc[cases.index[0], "opened"] = pd.NaT
    caught = _caught(at.score, cases, town.workers, town.scheme, on=town.on)
    kinds = {type(w.message): w.message for w in caught}
    rejected = kinds[RejectedRowsWarning]
    assert str(rejected).startswith("1 cases row(s) rejected; see the result's .rejected table")
    assert say(rejected, "sv").startswith("1 rad i tabellen Ärenden avvisades; se resultatets")
    assert isinstance(rejected, LabelledWarning) and rejected.key == "warn.rejected"


def test_reductions_warning_in_both_languages() -> None:
    w = ReductionsWarning.of("warn.reductions", n=2, who="H1, H2", max_share=1.25)
    assert "more than 100 % for 2 worker(s) (H1, H2)" in str(w) and "was 125%" in str(w)
    assert "(som mest 125\xa0%)" in say(w, "sv")


def test_said_text_survives_a_copy_and_a_pickle() -> None:
    import copy
    import pickle

    note = Said("note.read_as_both", header="Namn", source="name", column="worker_id")
    for again in (copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert again == note and again.in_language("sv") == note.in_language("sv")


def test_every_warning_kind_the_cli_can_show_is_labelled() -> None:
    for kind in (
        MissingColumnWarning,
        PseudonymKeyWarning,
        HeaderWarning,
        RejectedRowsWarning,
        ReductionsWarning,
        ThinHistoryWarning,
    ):
        assert issubclass(kind, LabelledWarning), kind


@pytest.mark.parametrize(
    "key", [k for k in MESSAGES if k.split(".")[0] in ("warn", "note", "validate", "sniff")]
)
def test_swedish_labels_of_messages_have_no_english_word(key: str) -> None:
    sv, en = MESSAGES[key]
    plain = re.sub(r"\{[^}]*\}|\.\w+", "", sv)
    found = {t.lower() for t in re.findall(r"[\w'-]+", plain) if "_" not in t} & ENGLISH
    assert not found, (key, found)
    assert set(re.findall(r"\{(\w+)", sv)) <= set(re.findall(r"\{(\w+)", en)) | {"table"}, key


def test_what_if_manager_warning_in_both_languages(tmp_path: Path) -> None:
    import attrs

    town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=3)
    scheme = town.scheme
    no_span = attrs.evolve(
        scheme,
        adjustments=tuple(a for a in scheme.adjustments if a.covariate != "span_of_control"),
    )
    for name, frame in (("cases", town.cases), ("workers", town.workers)):
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    no_span.to_toml(tmp_path / "schema.toml")
    (tmp_path / "scenario.toml").write_text(
        '[[changes]]\nkind = "manager"\nteam = "T1"\n', encoding="utf-8"
    )
    (tmp_path / "nyckel").write_text("what-if-key-0123456789abcdef", encoding="utf-8")
    args = ["what-if", str(tmp_path / "cases.csv"), str(tmp_path / "workers.csv")]
    args += ["--scheme", str(tmp_path / "schema.toml"), "--key", str(tmp_path / "nyckel")]
    args += ["--scenario", str(tmp_path / "scenario.toml"), "--on", str(town.on.date())]
    sv = runner.invoke(app, [*args, "--lang", "sv"])
    en = runner.invoke(app, [*args, "--lang", "en"])
    assert sv.exit_code == 0 and en.exit_code == 0, (sv.output, en.output)
    assert (
        "obs: ändring 1: schemat" in sv.output and "en chef till ändrar ingen siffra" in sv.output
    )
    assert "note: change 1: the scheme" in en.output and "changes no figure" in en.output
    notes = [ln for ln in sv.output.splitlines() if ln.startswith("obs:")]
    assert all(not (words(ln, tmp_path) & ENGLISH) for ln in notes), notes
