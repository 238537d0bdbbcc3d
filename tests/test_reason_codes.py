"""Every rejection row carries a stable reason code; one test per code the engine gives."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at

ON = "2026-03-01"
DOCS = Path(__file__).parents[1] / "docs" / "data-contract.md"


def rejected(cases, workers, scheme, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        return at.score(cases, workers, scheme, on=ON, **kw).rejected


def codes_of(rej: pd.DataFrame, table: str, id_: str) -> set[str]:
    mine = rej[(rej["table"] == table) & (rej["id"].astype(str) == id_)]
    return set(mine["code"])


def with_case(cases: pd.DataFrame, **values) -> pd.DataFrame:
    out = cases.copy()
    for column, value in values.items():
        out.loc[0, column] = value
    return out


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("worker_id", None, "missing_value"),
        ("case_type", "", "missing_value"),
        ("opened", None, "missing_value"),
        ("worker_id", "W9", "unknown_worker"),
        ("case_type", "Q", "unknown_case_type"),
        ("opened", "10/1 2026", "not_a_date"),
        ("closed", "not a date", "not_a_date"),
        ("closed", "2025-01-01", "closed_before_opened"),
        ("tolk", "kanske", "not_a_flag"),
    ],
)
def test_a_bad_case_value_gets_its_code(cases, workers, mini, column, value, code):
    rej = rejected(with_case(cases, **{column: value}), workers, mini)
    assert codes_of(rej, "cases", "c1") == {code}


def test_a_missing_case_id_is_a_missing_value(cases, workers, mini):
    rej = rejected(with_case(cases, case_id=None), workers, mini)
    assert set(rej.loc[rej["column"] == "case_id", "code"]) == {"missing_value"}


def test_a_repeated_case_id_is_duplicate_case_id(cases, workers, mini):
    rej = rejected(with_case(cases, case_id="c2"), workers, mini)
    assert codes_of(rej, "cases", "c2") == {"duplicate_case_id"}


def test_a_phase_without_weight_or_fallback_is_unknown_phase(cases, workers):
    scheme = at.Scheme(
        name="phased",
        version="1",
        capacity=100,
        weights=[at.Weight("A", 10), at.Weight("C", 5, phase="insats")],
    )
    rej = rejected(with_case(cases, case_type="C", phase="utredning"), workers, scheme)
    assert codes_of(rej, "cases", "c1") == {"unknown_phase"}


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("fte", None, "missing_value"),
        ("fte", "mycket", "not_a_number"),
        ("fte", 2.0, "fte_out_of_range"),
        ("fte", 0.0, "fte_out_of_range"),
        ("reduction", 1.0, "reduction_out_of_range"),
        ("team_id", None, "missing_value"),
        ("experience_years", -1.0, "negative_value"),
        ("experience_years", "many", "not_a_number"),
        ("profession_start", "igår", "not_a_date"),
    ],
)
def test_a_bad_worker_value_gets_its_code(cases, workers, mini, column, value, code):
    bad = workers.astype(object)
    bad.loc[0, column] = value
    rej = rejected(cases, bad, mini)
    assert code in codes_of(rej, "workers", "W1")
    # the worker's cases go with it, each with the code that says why
    assert set(rej.loc[rej["table"] == "cases", "code"]) == {"worker_rejected"}


def test_a_repeated_worker_id_is_duplicate_worker_id(cases, workers, mini):
    bad = workers.copy()
    bad.loc[1, "worker_id"] = "W1"
    assert codes_of(rejected(cases, bad, mini), "workers", "W1") == {"duplicate_worker_id"}


def test_a_worker_without_a_covariate_value_is_a_missing_value(cases, workers, mini):
    bad = workers.copy()
    bad.loc[0, "experience_years"] = np.nan
    assert codes_of(rejected(cases, bad, mini), "workers", "W1") == {"missing_value"}


def test_team_codes(cases, workers, mini, teams):
    t3 = pd.DataFrame({"team_id": ["T3", "T3"], "span_of_control": [5.0, 6.0]})
    bad_teams = pd.concat([teams, t3], ignore_index=True)  # T3 twice
    bad_teams.loc[0, "span_of_control"] = -3.0  # T1 rejected
    moved = workers.copy()
    moved.loc[1, "team_id"] = "T3"
    rej = rejected(cases, moved, mini, teams=bad_teams)
    assert codes_of(rej, "teams", "T3") == {"duplicate_team_id"}
    assert codes_of(rej, "teams", "T1") == {"negative_value"}
    # workers of a rejected team, and of a team that is not in the teams table
    assert codes_of(rej, "workers", "W1") == {"team_rejected"}
    assert codes_of(rej, "workers", "W2") == {"team_rejected"}
    other = workers.copy()
    other.loc[2, "team_id"] = "T7"
    rej = rejected(cases, other, mini, teams=teams)
    assert codes_of(rej, "workers", "W3") == {"unknown_team"}


def test_team_covariate_not_a_number(cases, workers, mini, teams):
    bad = teams.astype(object)
    bad.loc[0, "span_of_control"] = "tolv"
    assert codes_of(rejected(cases, workers, mini, teams=bad), "teams", "T1") == {"not_a_number"}


def test_reduction_codes(cases, workers, mini):
    reductions = pd.DataFrame(
        {
            "worker_id": ["W1", "W9", "W2", "W3"],
            "share": [1.5, 0.1, 0.1, 0.1],
            "start": ["2026-01-01", None, "2026-02-01", "då"],
            "end": [None, None, "2026-01-01", None],
        }
    )
    rej = rejected(cases, workers, mini, reductions=reductions)
    rej = rej[rej["table"] == "reductions"]
    assert dict(zip(rej["id"], rej["code"], strict=True)) == {
        "W1": "reduction_out_of_range",
        "W9": "unknown_worker",
        "W2": "end_before_start",
        "W3": "not_a_date",
    }


def test_reader_rows_without_a_code_get_one(cases, workers, mini):
    frame = cases.copy()
    frame.attrs["rejected"] = pd.DataFrame(
        [
            {"table": "cases", "row": 98, "column": "(row)", "reason": "too many fields"},
            {"table": "cases", "row": 99, "column": "opened", "value": "x", "reason": "no"},
        ]
    )
    rej = rejected(frame, workers, mini)
    by_row = dict(zip(rej["row"], rej["code"], strict=False))
    assert by_row[98] == "malformed_row" and by_row[99] == "unreadable_value"


def test_every_rejection_row_has_a_known_code(cases, workers, mini):
    from arbetstyngd._contract.problems import REJECTED_COLUMNS
    from arbetstyngd._contract.reasons import REASONS

    bad = with_case(cases, case_type="Q")
    bad.loc[1, "opened"] = "?"
    rej = rejected(bad, workers, mini)
    assert list(rej.columns) == list(REJECTED_COLUMNS)
    assert rej["code"].isin(list(REASONS)).all()


def test_labels_exist_in_both_languages_and_unknown_codes_pass_through():
    from arbetstyngd._contract.reasons import REASONS, reason_label

    for code, reason in REASONS.items():
        assert reason.code == code and reason.sv and reason.en and reason.sv != reason.en
    assert reason_label("something_new", "en") == "something_new"
    with pytest.raises(ValueError, match="'lang' must be 'sv' or 'en'"):
        reason_label("missing_value", "de")


def test_counts_are_by_code_and_swedish_outputs_show_swedish_labels(cases, workers, mini):
    from arbetstyngd._contract.reasons import count_by_code, localise_reasons

    bad = cases.copy()
    bad.loc[0, "case_type"] = "Q1"
    bad.loc[1, "case_type"] = "Q2"  # two texts, one kind of problem
    rej = rejected(bad, workers, mini)
    counts = count_by_code(rej)
    assert counts.loc[counts["code"] == "unknown_case_type", "n"].tolist() == [2]
    sv = localise_reasons(rej, "sv")
    assert set(sv["reason"]) >= {"Ärendetypen finns inte i viktschemat"}
    assert localise_reasons(rej, "en") is rej


def test_the_documented_code_table_is_the_code_table():
    from arbetstyngd._contract.reasons import REASONS, markdown_table

    text = DOCS.read_text(encoding="utf-8")
    assert markdown_table() in text
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert set(REASONS) <= documented


def test_a_flag_of_the_scheme_without_a_column_warns_naming_the_closest_header(
    cases, workers, mini
):
    renamed = cases.rename(columns={"tolk": "Tolkbehov"})
    with pytest.warns(at.MissingColumnWarning, match=r"'tolk' \(is 'Tolkbehov' meant\?\)"):
        rejected(renamed, workers, mini)


def test_a_covariate_no_table_has_is_a_data_error(cases, workers, mini):
    no_experience = workers.drop(columns=["experience_years", "profession_start"])
    with pytest.raises(at.DataError, match=r"no table has 'experience_years'.*profession_start"):
        rejected(cases, no_experience, mini)


def test_a_roster_without_a_single_valid_worker_is_a_data_error(cases, workers, mini):
    in_percent = workers.assign(fte=100.0)
    with pytest.raises(at.DataError, match=r"every worker of the roster was rejected") as err:
        rejected(cases, in_percent, mini)
    assert "fte_out_of_range (3 row(s))" in str(err.value)
    assert set(err.value.failures["code"]) == {"fte_out_of_range"}


@pytest.mark.parametrize("on", ["30/6 2026", "10/1 2026", "2026/13/01"])
def test_score_takes_iso_dates_and_says_which_form_it_wants(cases, workers, mini, on):
    with pytest.raises(ValueError, match=r"write it as YYYY-MM-DD.*Swedish forms"):
        at.score(cases, workers, mini, on=on)


def test_a_swedish_date_in_a_table_is_rejected_with_the_form_wanted(cases, workers, mini):
    rej = rejected(with_case(cases, opened="10/1 2026"), workers, mini)
    reason = rej.loc[rej["id"] == "c1", "reason"].iloc[0]
    assert "write it as YYYY-MM-DD" in reason and "Swedish forms" in reason


def test_the_roster_name_reaches_the_workers_table_and_the_explanation(cases, workers, mini):
    named = workers.assign(name=["Anna Ek", "Bo Lind", "Cilla Ås"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        wl = at.score(cases, named, mini, on=ON)
    assert wl.workers.set_index("worker_id").loc["W2", "name"] == "Bo Lind"
    explained = wl.explain("W2")
    assert explained.name == "Bo Lind" and "W2 Bo Lind" in str(explained)
    plain = at.score(cases, workers, mini, on=ON)
    assert "name" not in plain.workers.columns and plain.explain("W2").name is None


def test_reports_show_the_reason_by_code_in_their_language(cases, workers, mini, tmp_path):
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        wl = at.score(with_case(cases, case_type="Q"), workers, mini, on=ON)
    assert "Ärendetypen finns inte i viktschemat" in wl.to_html(lang="sv")
    assert "The case type is not in the scheme" in wl.to_html(lang="en")
    for lang, sheet, label in [
        ("sv", "Avvisade rader", "Ärendetypen finns inte i viktschemat"),
        ("en", "Rejected rows", "unknown case type 'Q'"),
    ]:
        path = wl.to_excel(tmp_path / f"{lang}.xlsx", lang=lang)
        cells = [str(c.value) for row in load_workbook(path)[sheet].iter_rows() for c in row]
        assert any(label in c for c in cells), (lang, cells)
        assert "unknown_case_type" in cells
