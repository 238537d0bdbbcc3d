"""Error lines in the command's language: ``fel: …`` in Swedish, ``error: …`` in English.

Issue 10: "One language per output" — warnings were said in Swedish, but the errors a
command-line user meets (a missing column, a roster where every worker is rejected, a bad
``--on`` date, an unknown scheme, a file that is not there …) stayed English. Each error below
is triggered through the command line in both languages: the Swedish line has no English
word, the English line is the text the library has always printed (and ``str(exc)`` from
Python is that English text too).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import tomli_w
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd._label_errors import ERRORS
from arbetstyngd.cli.app import app
from arbetstyngd.errors import DataError, SchemeError, say
from test_cli_language import ENGLISH, words

runner = CliRunner()

CASES = "case_id;worker_id;case_type;opened\nA1;H1;bou_lvu;2026-01-05\nA2;H2;bou_lvu;2026-01-06\n"
WORKERS = "worker_id;team_id;fte;experience_years\nH1;T1;1;5\nH2;T1;0.8;2\n"
FILES = {
    "c.csv": CASES,
    "w.csv": WORKERS,
    "c_nocol.csv": "case_id;case_type;opened\nA1;bou_lvu;2026-01-05\n",
    "c_typo.csv": "case_id;workr;case_type;opened\nA1;H1;bou_lvu;2026-01-05\n",
    "w_bad.csv": "worker_id;team_id;fte;experience_years\nH1;T1;-1;5\nH2;T1;-2;2\n",
    "w_noexp.csv": "worker_id;team_id;fte\nH1;T1;1\nH2;T1;0.8\n",
    "empty.csv": "",
    "header_only.csv": "case_id;worker_id;case_type;opened\n",
    "no_header.csv": "a;b\n1;2\n",
    "bad.toml": "id = [\n",
    "profile_absent.toml": '[cases.columns]\nworker_id = "Handläggare"\n',
    "profile_key.toml": '[cases]\ncase_id = "Dnr"\n',
    "profile_section.toml": "[casez]\n",
    "rules_team.toml": '[team_case_types]\nT9 = ["bou_lvu"]\n',
    "rules_key.toml": "team_case_type = 1\n",
    "new.csv": "case_id;case_type\nN1;bou_lvu\n",
    "s_team.toml": '[[changes]]\nkind = "hire"\nteam = "T9"\ndate = "2026-01-06"\n',
    "s_late.toml": '[[changes]]\nkind = "hire"\nteam = "T1"\ndate = "2030-01-06"\n',
    "s_worker.toml": '[[changes]]\nkind = "leave"\nworker = "H9"\ndate = "2026-01-06"\n',
    "s_kind.toml": '[[changes]]\nkind = "hir"\nteam = "T1"\n',
    "s_key.toml": '[[change]]\nkind = "hire"\nteam = "T1"\n',
    "quote_header.csv": 'case_id;"worker_id;case_type;opened\nA1;H1;bou_lvu;2026-01-05\n',
    "short_key": "abc",
    "s_fte.toml": '[[changes]]\nkind = "fte"\nworker = "H1"\nfte = 3\n',
    "s_count.toml": '[[changes]]\nkind = "hire"\nteam = "T1"\nn = 0\n',
    "s_move.toml": '[[changes]]\nkind = "move"\nto = "H2"\ncases = ["Z1"]\n',
    "rules_ceiling.toml": 'ceiling = "huge"\n',
    "rules_paused.toml": 'paused = ["H9"]\n',
    "rules_type.toml": '[team_case_types]\nT1 = ["bou_lvuu"]\n',
    "profile_headers.toml": "[cases.columns]\nworker_id = 3\n",
    "profile_read.toml": '[read]\nencodng = "utf-8"\n',
    "new_repeated.csv": "case_id;case_type\nN1;bou_lvu\nN1;bou_lvu\n",
    "new_unknown.csv": "case_id;case_type\nN1;bou_lvuu\n",
    "rules_names.toml": 'paused = "H1"\n',
    "rules_team_table.toml": "team_case_types = 1\n",
    "rules_years_table.toml": "min_experience = 1\n",
    "s_changes.toml": "changes = 1\n",
    "s_change_table.toml": "changes = [1]\n",
    "s_missing.toml": '[[changes]]\nkind = "hire"\n',
    "s_inflow.toml": (
        '[[changes]]\nkind = "inflow"\ncase_type = "bou_placering"\nn = 2\nto = "T1"\n'
        'date = "2026-01-10"\n'
    ),
    "profile_header_row.toml": "[read]\nheader_row = 99\n",
    "new_empty.csv": "case_id;case_type\n",
}


@pytest.fixture
def d(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARBETSTYNGD_KEY", "errors-in-swedish-0123456789abcdef")
    for name, content in FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02\x03" * 50)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1" + b"\x00garbage" * 20 + b"PAR1")
    (tmp_path / "folder").mkdir()
    scheme = at.load_scheme("barn-och-unga").to_toml()
    (tmp_path / "s_unknown_key.toml").write_text("capacty = 1\n" + scheme, encoding="utf-8")
    bad_weight = re.sub(r"weight = [0-9.]+", 'weight = "x"', scheme, count=1)
    (tmp_path / "s_bad_weight.toml").write_text(bad_weight, encoding="utf-8")
    no_name = re.sub(r"^name = .*$", "", scheme, count=1, flags=re.M)
    (tmp_path / "s_no_name.toml").write_text(no_name, encoding="utf-8")
    one = {
        "case_id": ["A1"],
        "worker_id": ["H1"],
        "case_type": ["bou_lvu"],
        "opened": ["2026-01-05"],
    }
    pd.DataFrame(one).to_excel(tmp_path / "c.xlsx", index=False, sheet_name="Ärenden")
    for name, broken in _broken_schemes().items():
        (tmp_path / f"{name}.toml").write_text(tomli_w.dumps(broken), encoding="utf-8")
    return tmp_path


def _broken_schemes() -> dict[str, dict[str, Any]]:
    """A user's own scheme, each with one part wrong (read with --scheme file.toml)."""
    base = at.load_scheme("barn-och-unga").to_dict()

    def broken(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        d = copy.deepcopy(base)
        change(d)
        return d

    def first(d: dict[str, Any]) -> dict[str, Any]:
        return d["adjustments"][0]

    return {
        "scheme_label": broken(lambda d: d["weights"][0].update(label=3)),
        "scheme_adj_kind": broken(lambda d: first(d).update(kind="stepp")),
        "scheme_adj_breaks": broken(lambda d: first(d).update(breaks=[5.0, 1.0])),
        "scheme_adj_count": broken(lambda d: first(d).update(factors=[0.7, 1.0])),
        "scheme_adj_linear": broken(lambda d: first(d).update(kind="linear")),
        "scheme_adj_factor": broken(lambda d: first(d).update(factors=[0.0, 0.85, 1.0])),
        "scheme_adj_row": broken(lambda d: d.update(adjustments=[1])),
        "scheme_breaks_list": broken(lambda d: first(d).update(breaks=3)),
        "scheme_unique": broken(lambda d: d["adjustments"][1].update(name="experience")),
        "scheme_bands": broken(lambda d: d["bands"].update(balanced=1.2)),
        "scheme_no_weights": broken(lambda d: d.update(weights=[])),
        "scheme_two_rows": broken(lambda d: d["weights"].append(dict(d["weights"][0]))),
        "scheme_weights_list": broken(lambda d: d.update(weights=1)),
        "scheme_weights_row": broken(lambda d: d.update(weights=[1])),
        "scheme_method": broken(lambda d: d["provenance"].update(method="guess")),
        "scheme_stats": broken(lambda d: d["provenance"].update(statistics=3)),
        "scheme_stats_value": broken(lambda d: d["provenance"].update(statistics={"r": {"a": 1}})),
        "scheme_count": broken(lambda d: d["provenance"].update(n_workers=-1)),
    }


# (command line, a Swedish part of the error line, the whole English error line as it has
# always been printed); {d} is the folder of the files
ERRORS_SEEN = {
    "missing column": (
        ["score", "{d}/c_nocol.csv", "{d}/w.csv"],
        "fel: filen med ärenden saknar kolumn för 'worker_id'; dess rubriker är 'case_id'",
        "error: the cases file has no column for 'worker_id'; its headers are 'case_id', "
        "'case_type', 'opened'. Map them with columns={'<header>': 'worker_id'} or a mapping "
        "profile (see docs/mapping-profiles.md)",
    ),
    "missing column with a guess": (
        ["score", "{d}/c_typo.csv", "{d}/w.csv"],
        "kolumn för 'worker_id' (menas 'workr'?)",
        "error: the cases file has no column for 'worker_id' (is 'workr' meant?); its headers "
        "are 'case_id', 'workr', 'case_type', 'opened'. Map them with columns={'<header>': "
        "'worker_id'} or a mapping profile (see docs/mapping-profiles.md)",
    ),
    "profile names an absent header": (
        ["score", "{d}/c_nocol.csv", "{d}/w.csv", "--columns", "{d}/profile_absent.toml"],
        "Obs: kolumnmappningen anger 'Handläggare' för 'worker_id', men filen har ingen sådan "
        "rubrik",
        "error: the cases file has no column for 'worker_id'; its headers are 'case_id', "
        "'case_type', 'opened'. Map them with columns={'<header>': 'worker_id'} or a mapping "
        "profile (see docs/mapping-profiles.md). Note: the column mapping names 'Handläggare' "
        "for 'worker_id', but the file has no such header (its headers are 'case_id', "
        "'case_type', 'opened')",
    ),
    "every worker rejected": (
        ["score", "{d}/c.csv", "{d}/w_bad.csv"],
        "fel: varje handläggare i personallistan avvisades (Tjänstgöringsgraden ligger "
        "utanför det tillåtna intervallet: 2 rader), så inget ärende kan beräknas",
        "error: every worker of the roster was rejected (fte_out_of_range (2 row(s))), so no "
        "case can be scored; the first: 'fte' must be in (0, 1.5] (got -1). Fix the roster "
        "(one row per problem is in the error's .failures table); read files with "
        "at.read_workers, which reads Swedish numbers and per cent",
    ),
    "covariate no table has": (
        ["score", "{d}/c.csv", "{d}/w_noexp.csv"],
        "fel: ingen tabell har 'experience_years', som justeringen 'experience' i schemat",
        "error: no table has 'experience_years', which adjustment 'experience' of the scheme "
        "'barn-och-unga@2026.1' needs for every worker; give a column 'experience_years' or "
        "'profession_start' in the workers table, or use a scheme without this adjustment",
    ),
    "bad --on": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--on", "32/13 2026"],
        "fel: 'on' ska vara ett datum som '2026-03-31' (fick '32/13 2026'); skriv det som "
        "ÅÅÅÅ-MM-DD",
        "error: 'on' must be a date like '2026-03-31' (got '32/13 2026'); write it as "
        "YYYY-MM-DD (at.score takes ISO dates; the readers at.read_cases / at.read_workers "
        "also parse Swedish forms such as 3/4 2026)",
    ),
    "bad --start": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "nope"],
        "fel: 'start' ska vara ett datum som '2026-03-31' (fick 'nope')",
        "error: 'start' must be a date like '2026-03-31' (got 'nope'); write it as "
        "YYYY-MM-DD (at.score takes ISO dates; the readers at.read_cases / at.read_workers "
        "also parse Swedish forms such as 3/4 2026)",
    ),
    "unknown scheme": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "barn-och-ungaa"],
        "fel: det finns inget inbyggt schema som heter 'barn-och-ungaa' och ingen sådan fil; "
        "menade du 'barn-och-unga'?",
        "error: no built-in scheme called 'barn-och-ungaa' and no such file; did you mean "
        "'barn-och-unga'? (built-in: barn-och-unga, bistandshandlaggning, ekonomiskt-bistand, "
        "vuxen)",
    ),
    "scheme not TOML": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/bad.toml"],
        "fel: schemat är inte giltig TOML (i slutet av filen)",
        "error: the scheme is not valid TOML: Invalid value (at end of document)",
    ),
    "scheme with an unknown key": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/s_unknown_key.toml"],
        "fel: okänd nyckel 'capacty' i schemat; menade du 'capacity'?",
        "error: unknown key 'capacty' in scheme; did you mean 'capacity'?",
    ),
    "scheme with a weight that is no number": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/s_bad_weight.toml"],
        "fel: rad 1 i [[weights]]: 'weight' ska vara ett tal (fick 'x')",
        "error: weights row 1: 'weight' must be a number (got 'x')",
    ),
    "scheme without a name": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/s_no_name.toml"],
        "fel: ett schema behöver 'name'",
        "error: a scheme needs 'name'",
    ),
    "no such file": (
        ["score", "{d}/nix.csv", "{d}/w.csv"],
        "fel: det finns ingen fil med ärenden på '{d}/nix.csv'",
        "error: no cases file at '{d}/nix.csv'",
    ),
    "a folder": (
        ["score", "{d}/folder", "{d}/w.csv"],
        "fel: '{d}/folder' är en mapp, inte en fil med ärenden",
        "error: '{d}/folder' is a folder, not a cases file",
    ),
    "empty file": (
        ["score", "{d}/empty.csv", "{d}/w.csv"],
        "fel: filen är tom: den har varken rubrikrad eller data",
        "error: the file is empty: there is no header row and no data",
    ),
    "binary file": (
        ["score", "{d}/binary.csv", "{d}/w.csv"],
        "fel: filen är binär, inte en texttabell",
        "error: the file is binary, not a text table, Excel workbook or Parquet file; export "
        "it from the system as CSV or Excel",
    ),
    "unknown encoding": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--encoding", "nonsense"],
        "fel: filen kan inte avkodas som 'nonsense': okänd teckenkodning",
        "error: the file cannot be decoded as 'nonsense': LookupError; leave out 'encoding' "
        "to have it detected",
    ),
    "no recognisable header": (
        ["score", "{d}/no_header.csv", "{d}/w.csv"],
        "fel: filen med ärenden saknar de nödvändiga kolumnerna 'case_id'",
        "error: the cases file lacks required column(s) 'case_id', 'worker_id', 'case_type', "
        "'opened': no recognisable cases header in the first 2 rows (the first row has ['a', "
        "'b']); expected headers such as ärendenummer, handläggar-id, ärendetyp, "
        "aktualiseringsdatum. "
        "Map the columns with columns={...} or a mapping profile",
    ),
    "profile with a wrong key": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--columns", "{d}/profile_key.toml"],
        "fel: {d}/profile_key.toml: [cases] får innehålla 'columns' och 'values' (fick "
        "['case_id'])",
        "error: {d}/profile_key.toml: [cases] may hold 'columns' and 'values' (got "
        "['case_id'])",
    ),
    "profile with an unknown section": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--columns", "{d}/profile_section.toml"],
        "fel: {d}/profile_section.toml: okända avsnitt ['casez']",
        "error: {d}/profile_section.toml: unknown section(s) ['casez']; expected some of "
        "['aliases', 'cases', 'columns', 'description', 'name', 'read', 'teams', 'values', "
        "'workers']",
    ),
    "profile with a number for a header": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--columns", "{d}/profile_headers.toml"],
        "fel: {d}/profile_headers.toml [cases.columns]: 'worker_id' ska vara en rubrik eller "
        "en lista med rubriker (fick 3)",
        "error: {d}/profile_headers.toml [cases.columns]: 'worker_id' must be a header or a "
        "list of headers (got 3)",
    ),
    "profile not there": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--columns", "{d}/nix.toml"],
        "fel: det finns ingen mappningsprofil '{d}/nix.toml'",
        "error: no mapping profile at '{d}/nix.toml'",
    ),
    "profile not TOML": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--columns", "{d}/bad.toml"],
        "fel: mappningsprofilen '{d}/bad.toml' är inte giltig TOML (i slutet av filen)",
        "error: the mapping profile '{d}/bad.toml' is not valid TOML: Invalid value (at end "
        "of document)",
    ),
    "scenario: unknown team": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_team.toml"],
        "fel: ändring 1: teamet 'T9' finns inte i personallistan (team: T1); närmast kända: "
        "'T1'",
        "error: change 1: team 'T9' is not in the roster (teams: T1); closest known: 'T1'",
    ),
    "scenario: unknown worker": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_worker.toml"],
        "fel: ändring 1: handläggaren 'H9' finns inte i personallistan",
        "error: change 1: 'worker' 'H9' is not in the roster; closest known: 'H2', 'H1'",
    ),
    "scenario: date after the what-if date": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_late.toml", "--on",
         "2026-01-10"],
        "fel: ändring 1 (hire): 'date' måste ligga inom tiden fram till konsekvensanalysens "
        "datum, … till 2026-01-10 (fick 2030-01-06)",
        "error: change 1 (hire): 'date' must be within the what-if date, … to 2026-01-10 (got "
        "2030-01-06)",
    ),
    "scenario: date outside the forecast's horizon": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2026-01-06", "--scenario",
         "{d}/s_late.toml"],
        "fel: ändring 1 (hire): 'date' måste ligga inom prognosens horisont",
        "error: change 1 (hire): 'date' must be within the forecast's horizon (the start to "
        "the last forecast date), 2026-01-06 to 2026-07-05 (got 2030-01-06)",
    ),
    "scenario: unknown kind": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_kind.toml"],
        "(fick 'hir'); närmast kända: 'hire'",
        "error: change 1: 'kind' must be one of ['fte', 'hire', 'inflow', 'leave', 'manager', "
        "'move', 'normal_load', 'reduction', 'weight'] (got 'hir'); closest known: 'hire'",
    ),
    "scenario: unknown key": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_key.toml"],
        "fel: okänd nyckel 'change' i scenariot",
        "error: unknown key 'change' in the scenario; allowed: ['changes', 'description', "
        "'name']",
    ),
    "scenario: fte out of range": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_fte.toml"],
        "fel: ändring 1 (fte): 'fte' ska vara ett tal i (0, 1.5] (fick 3)",
        "error: change 1 (fte): 'fte' must be a number in (0, 1.5] (got 3)",
    ),
    "scenario: no one hired": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_count.toml"],
        "fel: ändring 1 (hire): 'n' ska vara ett heltal >= 1 (fick 0)",
        "error: change 1 (hire): 'n' must be a whole number >= 1 (got 0)",
    ),
    "scenario: moving cases that are not there": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_move.toml"],
        "fel: ändring 1: ärendena ['Z1'] finns inte i ärendelistan",
        "error: change 1: case(s) ['Z1'] are not in the caseload",
    ),
    "scenario not there": (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/nix.toml"],
        "fel: det finns ingen fil för scenariot på '{d}/nix.toml'",
        "error: no scenario file at '{d}/nix.toml'",
    ),
    "forecast: start outside the history": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2020-01-06"],
        "fel: 'start' måste vara ett datum inom historiken i ärendefilen, 2026-01-05 till "
        "2026-01-06 (fick 2020-01-06)",
        "error: 'start' must be a date within the history in 'cases', 2026-01-05 to "
        "2026-01-06 (got 2020-01-06)",
    ),
    "forecast: no case in the history": (
        ["forecast", "{d}/header_only.csv", "{d}/w.csv", "--start", "2026-01-06"],
        "fel: 'cases' har inget giltigt ärende",
        "error: 'cases' has no valid case: the forecast learns durations and arrivals from "
        "the history (expected open and closed cases; got 0 row(s), 0 rejected)",
    ),
    "rules: unknown team": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules", "{d}/rules_team.toml"],
        "fel: 'team_case_types' nämner teamet 'T9', som inte finns i beräkningen",
        "error: 'team_case_types' names team 'T9', which is not in the workload (teams: T1); "
        "closest known: 'T1'",
    ),
    "rules: unknown ceiling": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules", "{d}/rules_ceiling.toml"],
        "fel: 'ceiling' ska vara en av ['balanced', 'high', 'critical'] eller tom (fick 'huge')",
        "error: 'ceiling' must be one of ['balanced', 'high', 'critical'] or empty (got 'huge')",
    ),
    "rules: paused worker not scored": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules", "{d}/rules_paused.toml"],
        "fel: 'paused' nämner handläggaren 'H9', som inte finns bland de beräknade",
        "error: 'paused' names worker 'H9', who is not among the scored workers; closest "
        "known: 'H2', 'H1'",
    ),
    "rules: unknown case type": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules", "{d}/rules_type.toml"],
        "fel: 'team_case_types.T1' nämner ärendetypen 'bou_lvuu', som schemat "
        "barn-och-unga@2026.1 inte har; närmast kända: 'bou_lvu'",
        "error: 'team_case_types.T1' names case type 'bou_lvuu', which the scheme "
        "barn-och-unga@2026.1 does not have; closest known: 'bou_lvu'",
    ),
    "rules: unknown key": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules", "{d}/rules_key.toml"],
        "fel: okänd nyckel 'team_case_type' i fördelningsreglerna; menade du "
        "'team_case_types'?",
        "error: unknown key 'team_case_type' in the rules; did you mean 'team_case_types'?",
    ),
    "no such sheet": (
        ["score", "{d}/c.xlsx", "{d}/w.csv", "--sheet", "Arende"],
        "fel: arbetsboken har inget blad 'Arende' (menas 'Ärenden'?); bladen är ['Ärenden']",
        "error: no sheet 'Arende' in the workbook (is 'Ärenden' meant?); sheets: ['Ärenden']",
    ),
    "unclosed quote in the header": (
        ["score", "{d}/quote_header.csv", "{d}/w.csv"],
        "fel: filen med ärenden kan inte läsas: rad 1, på eller ovanför rubrikraden, har ett "
        'citattecken (")',
        "error: the cases file cannot be read: row 1, at or above the header, has a quote (\") "
        "that opens a value and is never closed; remove the quote or close it, and save the "
        "file again",
    ),
    "key file too short": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--key", "{d}/short_key"],
        "fel: nyckelfilen '{d}/short_key' innehåller 3 byte; en nyckel behöver minst 16",
        "error: the key file '{d}/short_key' holds 3 bytes; a key needs at least 16 (make one "
        "with arbetstyngd.io.new_key_file(path))",
    ),
    "key file not there": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--key", "{d}/nix.key"],
        "fel: nyckelfilen '{d}/nix.key' kan inte läsas: filen finns inte",
        "error: cannot read the key file '{d}/nix.key': No such file or directory",
    ),
    "bad --horizon": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2026-01-06", "--horizon", "lots"],
        "fel: 'horizon' ska vara en tidslängd som '26W' (veckor) eller '182D' (dagar) (fick "
        "'lots')",
        "error: 'horizon' must be a length of time such as '26W', '182D' (got 'lots')",
    ),
    "--horizon under a day": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2026-01-06", "--horizon", "0D"],
        "fel: 'horizon' måste vara minst en dag (fick '0D')",
        "error: 'horizon' must be at least one day (got '0D')",
    ),
    "bad --freq": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2026-01-06", "--freq", "XX"],
        "fel: 'freq' ska vara en pandas-frekvens som 'W' (varje vecka)",
        "error: 'freq' must be a pandas frequency such as 'W' (weekly), 'MS' or 'D' (got 'XX')",
    ),
    "no date in the horizon": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2026-01-06", "--horizon", "2D",
         "--freq", "MS"],
        "fel: inget datum med frekvensen 'MS' inom horisonten '2D'",
        "error: no 'MS' date within the horizon '2D'; lengthen it or use a shorter 'freq'",
    ),
    "--history-start after the end": (
        ["report", "{d}/c.csv", "{d}/w.csv", "--history-start", "2027-01-01", "--on",
         "2026-02-01", "--out", "{d}/r.html"],
        "fel: '--history-start' måste ligga på eller före slutet 2026-02-01 (fick 2027-01-01)",
        "error: '--history-start' must be on or before the end 2026-02-01 (got 2027-01-01)",
    ),
    "new cases: a case twice": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new_repeated.csv"],
        "fel: de nya ärendena: 'case_id' måste vara unikt (upprepade: ['N1'])",
        "error: new cases: 'case_id' must be unique (repeated: ['N1'])",
    ),
    "new cases: a type the scheme lacks": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new_unknown.csv"],
        "fel: de nya ärendena: 1 problem; varje ärende måste vara ett som schemat "
        "barn-och-unga@2026.1 kan beräkna:",
        "error: new cases: 1 problem(s); every case must be one the scheme "
        "barn-och-unga@2026.1 can score:",
    ),
    "scheme: label": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_label.toml"],
        "fel: rad 1 i [[weights]]: 'label' ska vara en tabell som { sv = ..., en = ... } (fick 3)",
        "error: weights row 1: 'label' must be a table like { sv = ..., en = ... } (got 3)",
    ),
    "scheme: adj kind": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_adj_kind.toml"],
        "fel: 'kind' för justeringen 'experience' ska vara 'step' eller 'linear' (fick 'stepp')",
        "error: 'kind' of adjustment 'experience' must be 'step' or 'linear' (got 'stepp')",
    ),
    "scheme: adj breaks": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_adj_breaks.toml"],
        "fel: 'breaks' för justeringen 'experience' måste vara strikt växande (fick (5.0, 1.0))",
        "error: 'breaks' of adjustment 'experience' must increase strictly (got (5.0, 1.0))",
    ),
    "scheme: adj count": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_adj_count.toml"],
        "fel: 'factors' för justeringen 'experience' (step) ska ha len(breaks) + 1 = 3 värden "
        "(fick 2)",
        "error: 'factors' of adjustment 'experience' (step) must have len(breaks) + 1 = 3 "
        "values (got 2)",
    ),
    "scheme: adj linear": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_adj_linear.toml"],
        "fel: 'factors' för justeringen 'experience' (linear) ska ha len(breaks) (minst 1) = 2 "
        "värden (fick 3)",
        "error: 'factors' of adjustment 'experience' (linear) must have len(breaks) (at least "
        "1) = 2 values (got 3)",
    ),
    "scheme: adj factor": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_adj_factor.toml"],
        "fel: alla 'factors' för justeringen 'experience' måste vara > 0 (fick (0.0, 0.85, 1.0))",
        "error: 'factors' of adjustment 'experience' must all be > 0 (got (0.0, 0.85, 1.0))",
    ),
    "scheme: bands": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_bands.toml"],
        "fel: nivågränserna måste uppfylla 0 < balanced < high < critical (fick balanced=1.2, "
        "high=1.1, critical=1.25)",
        "error: bands must satisfy 0 < balanced < high < critical (got balanced=1.2, high=1.1, "
        "critical=1.25)",
    ),
    "scheme: no weights": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_no_weights.toml"],
        "fel: 'weights' måste ha minst en rad",
        "error: 'weights' must have at least one row",
    ),
    "scheme: two rows": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_two_rows.toml"],
        "fel: 'weights' har två rader för case_type='bou_aktualisering'",
        "error: 'weights' has two rows for case_type='bou_aktualisering'",
    ),
    "scheme: unique": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_unique.toml"],
        "fel: namnen i 'adjustments' måste vara unika (upprepade: ['experience'])",
        "error: 'adjustments' names must be unique (repeated: ['experience'])",
    ),
    "scheme: weights list": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_weights_list.toml"],
        "fel: 'weights' ska vara en lista med [[weights]]-rader",
        "error: 'weights' must be a list of [[weights]] rows",
    ),
    "scheme: weights row": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_weights_row.toml"],
        'fel: rad 1 i [[weights]] ska vara en tabell (fick 1)',
        'error: weights row 1 must be a table (got 1)',
    ),
    "scheme: adj row": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_adj_row.toml"],
        'fel: rad 1 i [[adjustments]] ska vara en tabell (fick 1)',
        'error: adjustments row 1 must be a table (got 1)',
    ),
    "scheme: breaks list": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_breaks_list.toml"],
        "fel: 'breaks' ska vara en lista med tal (fick 3)",
        "error: 'breaks' must be a list of numbers (got 3)",
    ),
    "scheme: method": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_method.toml"],
        "fel: 'method' ska vara en av ['default', 'delphi', 'time-study', 'perceived-workload', "
        "'manual'] (fick 'guess')",
        "error: 'method' must be one of ['default', 'delphi', 'time-study', "
        "'perceived-workload', 'manual'] (got 'guess')",
    ),
    "scheme: stats": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_stats.toml"],
        "fel: 'statistics' ska vara en tabell med namn = värde (fick 3)",
        "error: 'statistics' must be a table of name = value (got 3)",
    ),
    "scheme: stats value": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_stats_value.toml"],
        "fel: värdena i 'statistics' ska vara tal, text eller listor av dem (fick {'a': 1} för "
        "'r')",
        "error: 'statistics' values must be numbers, text or lists of them (got {'a': 1} for 'r')",
    ),
    "scheme: count": (
        ["score", "{d}/c.csv", "{d}/w.csv", "--scheme", "{d}/scheme_count.toml"],
        'fel: ett antal ska vara ett heltal >= 0 (fick -1)',
        'error: a count must be a whole number >= 0 (got -1)',
    ),
    'rules: paused is no list': (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules", "{d}/rules_names.toml"],
        "fel: 'paused' ska vara en lista med namn (fick 'H1')",
        "error: 'paused' must be a list of names (got 'H1')",
    ),
    'rules: team case types no table': (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules",
         "{d}/rules_team_table.toml"],
        "fel: 'team_case_types' ska vara en tabell med team = [ärendetyper] (fick 1)",
        "error: 'team_case_types' must be a table of team = [case types] (got 1)",
    ),
    'rules: min experience no table': (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new.csv", "--rules",
         "{d}/rules_years_table.toml"],
        "fel: 'min_experience' ska vara en tabell med ärendetyp = år (fick 1)",
        "error: 'min_experience' must be a table of case type = years (got 1)",
    ),
    'scenario: changes no list': (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_changes.toml"],
        "fel: 'changes' ska vara en lista med ändringar (fick 1)",
        "error: 'changes' must be a list of changes (got 1)",
    ),
    'scenario: a change no table': (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_change_table.toml"],
        'fel: ändring 1 ska vara en tabell (fick 1)',
        'error: change 1 must be a table (got 1)',
    ),
    'scenario: a change lacks a field': (
        ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_missing.toml"],
        "fel: ändring 1 (hire): 'team' saknas",
        "error: change 1 (hire): Hire.__init__() missing 1 required positional argument: 'team'",
    ),
    'forecast scenario: a type without history': (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2026-01-06", "--scenario",
         "{d}/s_inflow.toml"],
        "fel: det tillagda ärendet 'change-1-1': historiken före starten har inget ärende av "
        "typen 'bou_placering' att skatta varaktigheten ur (typer med varaktighet: (alla "
        "ärendetyper), bou_lvu)",
        "error: the added case 'change-1-1': the history before the start has no case of type "
        "'bou_placering' to learn its durations from (types with durations: (all case types), "
        "bou_lvu)",
    ),
    'header_row outside the file': (
        ["score", "{d}/c.csv", "{d}/w.csv", "--columns", "{d}/profile_header_row.toml"],
        "fel: 'header_row' 99 ligger utanför de första 3 raderna",
        "error: 'header_row' 99 is outside the first 3 rows",
    ),
    'a broken Parquet file': (
        ["score", "{d}/broken.parquet", "{d}/w.csv"],
        'fel: filen med ärenden ser ut som Parquet men kan inte läsas (ArrowInvalid)',
        'error: the cases file looks like Parquet but cannot be read (ArrowInvalid)',
    ),
    'staffing: target not above 0': (
        ["staffing", "{d}/c.csv", "{d}/w.csv", "--target", "-1"],
        "fel: 'target' ska vara en beläggning > 0, t.ex. 1.0 (fick -1.0)",
        "error: 'target' must be a utilisation > 0, e.g. 1.0 (got -1.0)",
    ),
    "new cases: none": (
        ["allocate", "{d}/c.csv", "{d}/w.csv", "{d}/new_empty.csv"],
        "fel: de nya ärendena: tabellen är tom; ange minst ett ärende",
        "error: new cases: the table is empty; give at least one case",
    ),
    "forecast: no simulated path": (
        ["forecast", "{d}/c.csv", "{d}/w.csv", "--start", "2026-01-06", "--paths", "0"],
        "fel: 'n_paths' ska vara ett heltal, minst 1 (fick 0)",
        "error: 'n_paths' must be a whole number of at least 1 (got 0)",
    ),
}  # fmt: skip


def _run(args: list[str], d: Path, lang: str) -> str:
    result = runner.invoke(app, [a.replace("{d}", str(d)) for a in args] + ["--lang", lang])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, TypeError)
    return result.output


def _error_lines(output: str, prefix: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith(prefix)]


@pytest.mark.parametrize("case", ERRORS_SEEN)
def test_error_line_in_swedish(case: str, d: Path) -> None:
    args, swedish, _ = ERRORS_SEEN[case]
    out = _run(args, d, "sv")
    lines = _error_lines(out, "fel: ")
    assert len(lines) == 1 and "error:" not in out, out
    assert swedish.replace("{d}", str(d)) in lines[0], (swedish, lines[0])
    # paths, identifiers and a TOML section's name ([cases], as written in the file) aside,
    # no English word on any line
    found = words(re.sub(r"\[[\w.]+\]", "", out), d) & ENGLISH
    assert not found, (sorted(found), out)


@pytest.mark.parametrize("case", ERRORS_SEEN)
def test_error_line_in_english_is_as_it_was(case: str, d: Path) -> None:
    args, _, english = ERRORS_SEEN[case]
    out = _run(args, d, "en")
    assert _error_lines(out, "error: ") == [english.replace("{d}", str(d))], out
    assert "fel:" not in out


def test_profile_with_an_unknown_read_option(d: Path) -> None:
    args = ["score", str(d / "c.csv"), str(d / "w.csv"), "--columns"]
    args.append(str(d / "profile_read.toml"))
    sv = _error_lines(_run(args, d, "sv"), "fel: ")
    en = _error_lines(_run(args, d, "en"), "error: ")
    # the allowed options are a set, printed in no fixed order
    assert sv[0].startswith(f"fel: {d}/profile_read.toml: [read] har okända inställningar")
    assert en[0].startswith(
        f"error: {d}/profile_read.toml: [read] has unknown option(s) ['encodng']; allowed {{"
    )


def test_lines_under_an_error_in_the_language(d: Path) -> None:
    args = ["allocate", str(d / "c.csv"), str(d / "w.csv"), str(d / "new_unknown.csv")]
    sv = runner.invoke(app, [*args, "--lang", "sv"]).output
    en = runner.invoke(app, [*args, "--lang", "en"]).output
    assert "\n  rad 2, case_type: Ärendetypen finns inte i viktschemat ('bou_lvuu')" in sv
    assert (
        "\n  row 2, case_type: unknown case type 'bou_lvuu'; closest known: 'bou_lvu'; known "
        "types are in the scheme 'barn-och-unga@2026.1' (map export values with a value map)"
    ) in en


def test_commands_without_lang_stay_english(d: Path) -> None:
    result = runner.invoke(app, ["scheme", "show", "vuxne"])
    assert result.exit_code == 2
    assert result.output.startswith("error: no built-in scheme called 'vuxne'"), result.output


# -- the same errors from Python --------------------------------------------------------------


def test_python_users_read_the_english_text(d: Path) -> None:
    workers = pd.DataFrame(
        {"worker_id": ["H1", "H2"], "team_id": ["T1", "T1"], "fte": [-1.0, -2.0]}
    ).assign(experience_years=[5, 2])
    cases = pd.DataFrame(
        {"case_id": ["A1"], "worker_id": ["H1"], "case_type": ["bou_lvu"], "opened": ["2026-01-05"]}
    )
    with pytest.raises(DataError, match=r"every worker of the roster was rejected") as caught:
        at.score(cases, workers, "barn-och-unga", on="2026-02-01")
    assert str(caught.value).startswith(
        "every worker of the roster was rejected (fte_out_of_range (2 row(s))), so no case"
    )
    assert say(caught.value, "sv").startswith("varje handläggare i personallistan avvisades")
    assert say(caught.value, "en") == str(caught.value)
    with pytest.raises(ValueError, match=r"'on' must be a date like '2026-03-31'") as bad_on:
        at.score(cases, workers.assign(fte=1.0), "barn-och-unga", on="30/6 2026")
    assert say(bad_on.value, "sv").startswith("'on' ska vara ett datum som '2026-03-31'")
    with pytest.raises(SchemeError) as scheme:
        at.load_scheme("vuxne")
    assert str(scheme.value) == (
        "no built-in scheme called 'vuxne' and no such file; did you mean 'vuxen'? "
        "(built-in: barn-och-unga, bistandshandlaggning, ekonomiskt-bistand, vuxen)"
    )


def test_an_error_survives_a_copy_and_a_pickle() -> None:
    import pickle

    with pytest.raises(SchemeError) as caught:
        at.load_scheme("vuxne")
    again = pickle.loads(pickle.dumps(caught.value))
    assert str(again) == str(caught.value)
    assert say(again, "sv") == say(caught.value, "sv") != str(caught.value)


def test_plain_errors_are_printed_as_written() -> None:
    assert say(ValueError("plain"), "sv") == "plain"
    assert say(KeyError("k"), "sv") == "'k'"


@pytest.mark.parametrize("key", sorted(ERRORS))
def test_swedish_labels_of_errors_have_no_english_word(key: str) -> None:
    sv, en = ERRORS[key]
    # placeholders, attributes and TOML sections ([read], named as in the file) aside
    plain = re.sub(r"\{[^}]*\}|\.\w+|\[[\w.]+\]", "", sv)
    found = {t.lower() for t in re.findall(r"[\w'-]+", plain) if "_" not in t} & ENGLISH
    assert not found, (key, found)
    # Swedish says nothing the English has no value for (the label of a code and the place
    # of a TOML error stand in for English-only words)
    instead = {"label", "where", "line", "col"}
    assert set(re.findall(r"\{(\w+)", sv)) <= set(re.findall(r"\{(\w+)", en)) | instead, key


def test_toml_error_names_line_and_column_in_swedish(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('name = "x"\nweights = [\n  { case_type = "a" weight = 1 },\n]\n')
    with pytest.raises(SchemeError) as caught:
        at.load_scheme(path)
    assert str(caught.value) == (
        "the scheme is not valid TOML: Unclosed inline table (at line 3, column 21)"
    )
    assert say(caught.value, "sv") == "schemat är inte giltig TOML (rad 3, kolumn 21)"


def test_a_scenario_the_engine_rejects(d: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no change a scenario file can hold makes the engine reject a row today (each change
    # checks its values first); the guard behind them is said in the language all the same
    import arbetstyngd.decide.whatif as whatif

    fresh = {
        "table": ["workers"],
        "row": [2],
        "id": ["H1"],
        "column": ["fte"],
        "value": ["3"],
        "code": ["fte_out_of_range"],
        "reason": ["'fte' must be in (0, 1.5] (got 3)"],
    }
    monkeypatch.setattr(whatif, "_new_rejections", lambda before, after: pd.DataFrame(fresh))
    args = ["what-if", "{d}/c.csv", "{d}/w.csv", "--scenario", "{d}/s_fte.toml"]
    (d / "s_fte.toml").write_text('[[changes]]\nkind = "fte"\nworker = "H1"\nfte = 0.5\n')
    sv = _error_lines(_run(args, d, "sv"), "fel: ")
    en = _error_lines(_run(args, d, "en"), "error: ")
    assert sv == [
        "fel: scenariot gör att beräkningen avvisar 1 rad(er); den första: personal 'H1', "
        "fte: Tjänstgöringsgraden ligger utanför det tillåtna intervallet"
    ], sv
    assert en == [
        "error: the scenario makes the engine reject 1 row(s); the first: workers 'H1', fte: "
        "'fte' must be in (0, 1.5] (got 3)"
    ]


def test_a_weight_table_row_in_python_and_in_swedish() -> None:
    scheme = at.load_scheme("barn-och-unga")
    table = scheme.weights_table()
    table.loc[2, "weight"] = -1.0
    with pytest.raises(SchemeError) as caught:
        scheme.with_weights(table)
    assert str(caught.value) == "weight table row 3: 'weight' must be >= 0 (got -1.0)"
    assert say(caught.value, "sv") == "rad 3 i vikttabellen: 'weight' måste vara >= 0 (fick -1.0)"


def test_a_file_too_large(d: Path) -> None:
    big = d / "big.csv"
    with big.open("wb") as f:  # sparse: the size is refused before a byte is read
        f.truncate((1 << 30) + 1)
    args = ["score", "{d}/big.csv", "{d}/w.csv"]
    sv = _error_lines(_run(args, d, "sv"), "fel: ")
    en = _error_lines(_run(args, d, "en"), "error: ")
    assert sv == [
        "fel: filen med ärenden är 1,0 GiB, mer än en export av ärenden bör vara (gränsen är "
        "1,0 GiB); kontrollera att det är rätt fil, eller ange max_bytes= för att läsa den ändå"
    ], sv
    assert en == [
        "error: the cases file is 1.0 GiB, more than a caseload export should be (limit 1.0 "
        "GiB); check that it is the right file, or pass max_bytes= to read it anyway"
    ]
