"""One language per output: the Swedish outputs hold no English words, and vice versa.

Each output (HTML report with charts, Excel workbook, console, CSV headers) is made in both
languages and its visible words are checked against a list of words of the other language.
Data (team names, ids, the rejection reasons that helper "core" turns into coded labels) is
taken out before the check: only the library's own words are judged.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app

#: English words that must not appear in a Swedish output.
ENGLISH = {
    "the",
    "and",
    "of",
    "for",
    "with",
    "to",
    "by",
    "points",
    "load",
    "capacity",
    "caseworker",
    "caseworkers",
    "workers",
    "worker",
    "utilisation",
    "band",
    "bands",
    "balanced",
    "high",
    "critical",
    "low",
    "rejected",
    "rows",
    "row",
    "step",
    "steps",
    "breaks",
    "factors",
    "illustrative",
    "starting",
    "calibrate",
    "weights",
    "weight",
    "scheme",
    "made",
    "sources",
    "note",
    "total",
    "all",
    "wrote",
    "files",
    "report",
    "cases",
    "case",
    "type",
    "active",
    "normal",
    "experience",
    "support",
    "reduction",
    "missing",
    "yes",
    "no",
    "over",
    "time",
    "january",
    "june",
    "july",
    "unit",
    "overview",
    "why",
    "number",
    "effective",
    "from",
    "library",
    "child",
    "welfare",
    "figures",
    "incomplete",
    "count",
    "intake",
    "investigation",
    "municipality",
    "synthetic",
    "years",
    "manager",
    "mix",
}
#: Swedish words that must not appear in an English output.
SWEDISH = {
    "och",
    "för",
    "med",
    "av",
    "till",
    "poäng",
    "belastning",
    "belastningsgrad",
    "kapacitet",
    "handläggare",
    "nivå",
    "låg",
    "hög",
    "kritisk",
    "balanserad",
    "avvisade",
    "rader",
    "ärenden",
    "ärende",
    "ärendetyp",
    "schema",
    "källor",
    "kommentar",
    "gäller",
    "från",
    "veckor",
    "rapport",
    "skapad",
    "enheten",
    "utveckling",
    "alla",
    "inte",
    "är",
    "som",
    "den",
    "vikt",
    "vikter",
    "trappsteg",
    "gränser",
    "faktorer",
    "erfarenhet",
    "syntetisk",
    "kommun",
    "juni",
    "januari",
    "varför",
    "översikt",
    "antal",
    "aktiva",
    "nedsättning",
    "tjänstgöringsgrad",
    "siffrorna",
    "ofullständiga",
    "illustrativ",
    "utgångspunkt",
    "normalbelastning",
    "tidsstudie",
    "medarbetare",
    "chef",
    "juli",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _foreign(text: str, lang: str) -> set[str]:
    return _words(text) & (ENGLISH if lang == "sv" else SWEDISH)


class _Visible(HTMLParser):
    """The text a reader sees: everything but style, script and the title attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "code"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "code"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def _without_data(text: str, wl: at.Workload, town: at.datasets.Municipality) -> str:
    """Take out what comes from the data, not from the library."""
    data = [*town.teams["name"], *wl.rejected["reason"], *wl.rejected["value"].dropna()]
    # the scheme's id, and the name of its field, a Swedish domain term kept in English
    data += [wl.scheme.id, "barn och unga"]
    for value in sorted(map(str, data), key=len, reverse=True):
        text = text.replace(value, " ")
    return text


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=8, n_teams=2, seed=11)


@pytest.fixture(scope="module")
def wl(town) -> at.Workload:
    cases = town.cases.copy()
    cases.loc[cases.index[:3], "case_type"] = "no_such_type"
    with pytest.warns(at.RejectedRowsWarning):
        return at.score(cases, town.workers, town.scheme, teams=town.teams, on=town.on)


@pytest.fixture(scope="module")
def history(town) -> pd.DataFrame:
    dates = pd.date_range(end=town.on, periods=10, freq="7D")
    return at.timeline(town.cases, town.workers, town.scheme, teams=town.teams, dates=dates)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_html_report_speaks_one_language(wl, town, history, lang) -> None:
    page = wl.to_html(lang=lang, history=history, streak_weeks=1)
    text = _without_data(_visible(page), wl, town)
    assert not _foreign(text, lang), sorted(_foreign(text, lang))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_excel_report_speaks_one_language(wl, town, lang, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(wl.to_excel(tmp_path / "a.xlsx", lang=lang))
    cells = " ".join(
        str(c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    )
    text = _without_data(cells + " " + " ".join(book.sheetnames), wl, town)
    # reason codes (unknown_case_type …) are identifiers for programs, the same in every
    # language, beside the reason in words
    codes = wl.rejected["code"] if "code" in wl.rejected.columns else ()
    for code in sorted(set(codes), key=len, reverse=True):
        text = text.replace(str(code), " ")
    # the scheme sheet names case types and flags by their keys (bou_utredning, tolk): data
    keys = {*wl.scheme.case_types, *(m.flag for m in wl.scheme.multipliers)}
    keys |= {a.name for a in wl.scheme.adjustments} | {"P"}
    found = _foreign(text, lang) - {k.lower() for k in keys}
    assert not found, sorted(found)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_csv_headers_follow_the_language(wl, lang, tmp_path: Path) -> None:
    wl.to_csv(tmp_path, lang=lang)
    for name in ("teams", "workers", "cases", "rejected"):
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert not _foreign(header, lang), (name, header)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_console_speaks_one_language(town, lang, tmp_path: Path) -> None:
    town.cases.assign(case_type=lambda f: f["case_type"].where(f.index > 4, "x")).to_csv(
        tmp_path / "cases.csv", index=False
    )
    town.workers.to_csv(tmp_path / "workers.csv", index=False)
    town.teams.to_csv(tmp_path / "teams.csv", index=False)
    result = CliRunner().invoke(
        app,
        [
            "score",
            str(tmp_path / "cases.csv"),
            str(tmp_path / "workers.csv"),
            "--teams",
            str(tmp_path / "teams.csv"),
            "--lang",
            lang,
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    reasons = pd.read_csv(tmp_path / "out" / "rejected.csv")["reason"]
    text = result.stdout.replace(str((tmp_path / "out").resolve()), " ")
    for value in [*town.teams["name"], *reasons, "barn-och-unga@2026.1"]:
        text = text.replace(str(value), " ")
    assert not _foreign(text, lang), sorted(_foreign(text, lang))
    # numbers in the language's format: a decimal comma in Swedish
    if lang == "sv":
        assert re.search(r"\d,\d", text) and not re.search(r"\d\.\d", text)
    else:
        assert re.search(r"\d\.\d", text)


def test_the_treserva_fixture_reports_in_swedish_only(tmp_path: Path, monkeypatch) -> None:
    """From the messy fixture export to the Swedish report with the CLI: no English word.

    Its bad rows include one that cannot be split into fields, whose rejection concerns the
    whole row rather than a column.
    """
    from arbetstyngd.datasets import make_treserva_export

    monkeypatch.setenv("ARBETSTYNGD_KEY", "language-test-key-0123456789")
    export = make_treserva_export(tmp_path, seed=0)
    html = tmp_path / "rapport.html"
    args = ["report", str(export["cases"]), str(export["workers"]), "--on", "2026-06-30"]
    args += ["--columns", str(export["profile"]), "--out", str(html)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "Raden kunde inte läsas" in page  # the row that could not be split is there
    assert not _foreign(_visible(page), "sv"), sorted(_foreign(_visible(page), "sv"))
