"""Rows with more fields than the header: never a silent shift of values between columns."""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest

import arbetstyngd as at

KEY = "k" * 32
HEADER = "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum"


def _cases(text: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return at.read_cases(io.StringIO(text), key=KEY)


def _rejected(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.attrs["rejected"])


def test_trailing_delimiter_on_every_row_is_dropped() -> None:
    # BI tools end every data row (not the header) with the delimiter
    text = (
        f"{HEADER}\n"
        "A-1;H1;bou_utredning;2026-01-05;\n"
        "A-2;H2;bou_lvu;2026-01-06;\n"
        "A-3;H1;bou_lvu;2026-01-07;\n"
    )
    cases = _cases(text)
    assert cases[["case_id", "worker_id", "case_type"]].to_dict("records") == [
        {"case_id": "A-1", "worker_id": "H1", "case_type": "bou_utredning"},
        {"case_id": "A-2", "worker_id": "H2", "case_type": "bou_lvu"},
        {"case_id": "A-3", "worker_id": "H1", "case_type": "bou_lvu"},
    ]
    assert cases["source_row"].tolist() == [2, 3, 4]
    assert len(_rejected(cases)) == 0


def test_first_row_with_one_field_too_many_is_rejected_not_shifted() -> None:
    # pandas alone would put 'A-1' in the index and the worker under case_id
    text = (
        f"{HEADER}\n"
        "A-1;extra;H1;bou_utredning;2026-01-05\n"
        "A-2;H2;bou_lvu;2026-01-06\n"
        "A-3;H1;bou_lvu;2026-01-07\n"
    )
    cases = _cases(text)
    assert cases["case_id"].tolist() == ["A-2", "A-3"]
    assert cases["worker_id"].tolist() == ["H2", "H1"]
    rejected = _rejected(cases)
    assert rejected[["row", "column", "code"]].to_dict("records") == [
        {"row": 2, "column": "(row)", "code": "malformed_row"}
    ]
    assert "the row has 5 fields but the header has 4" in rejected["reason"].iloc[0]


def test_extra_value_on_a_row_whose_last_field_is_empty_is_rejected() -> None:
    # one field too many and an empty last column: the same count as a trailing delimiter,
    # but the other rows have none, so the row is shifted and must not be read
    text = (
        "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Anteckning\n"
        "A-1;H1;bou_utredning;2026-01-05;ok\n"
        "A-2;extra;H2;bou_lvu;2026-01-06;\n"
        "A-3;H1;bou_lvu;2026-01-07;\n"
    )
    cases = _cases(text)
    assert cases["case_id"].tolist() == ["A-1", "A-3"]
    rejected = _rejected(cases)
    assert rejected["row"].tolist() == [3]
    assert rejected["code"].tolist() == ["malformed_row"]


def test_trailing_delimiters_and_one_extra_value() -> None:
    text = (
        f"{HEADER}\n"
        "A-1;H1;bou_utredning;2026-01-05;\n"
        "A-2;H2;extra;bou_lvu;2026-01-06;\n"
        "A-3;H1;bou_lvu;2026-01-07;\n"
        "A-4;H1;bou_lvu;2026-01-08;\n"
    )
    cases = _cases(text)
    assert cases["case_id"].tolist() == ["A-1", "A-3", "A-4"]
    assert cases["case_type"].tolist() == ["bou_utredning", "bou_lvu", "bou_lvu"]
    rejected = _rejected(cases)
    assert rejected["row"].tolist() == [3]
    assert "(and the other rows 5)" in rejected["reason"].iloc[0]


def test_unquoted_decimal_comma_in_a_comma_separated_file() -> None:
    text = "Handläggar-id,Enhet,Tjänstgöringsgrad\nH1,T1,0,75\nH2,T1,1\nH3,T2,0.5\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workers = at.read_workers(io.StringIO(text), key=KEY, delimiter=",")
    assert workers[["worker_id", "team_id", "fte"]].to_dict("records") == [
        {"worker_id": "H2", "team_id": "T1", "fte": 1.0},
        {"worker_id": "H3", "team_id": "T2", "fte": 0.5},
    ]
    rejected = _rejected(workers)
    assert rejected[["row", "code"]].to_dict("records") == [{"row": 2, "code": "malformed_row"}]
    assert "delimiter ','" in rejected["reason"].iloc[0]


def test_teams_row_with_extra_fields_is_rejected_not_counted_blank() -> None:
    text = "Enhet;Handledning\nT1;2\nT2;1;5;x\nT3;3\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        teams = at.read_teams(io.StringIO(text), key=KEY)
    assert teams["team_id"].tolist() == ["T1", "T3"]
    info = teams.attrs["read"]
    assert info.blank_rows == 0 and info.rows_read == 3
    assert _rejected(teams)["row"].tolist() == [3]


@pytest.mark.parametrize("delim", [";", ",", "\t", "|"])
def test_every_row_returned_or_rejected(delim: str) -> None:
    rows = [
        ["A-1", "H1", "bou_lvu", "2026-01-05"],
        ["A-2", "H2", "x", "bou_lvu", "2026-01-06"],
        ["A-3", "H1", "bou_lvu", "2026-01-07", ""],
        ["A-4", "H1", "bou_lvu", "2026-01-08"],
    ]
    text = HEADER.replace(";", delim) + "\n" + "\n".join(delim.join(r) for r in rows) + "\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = at.read_cases(io.StringIO(text), key=KEY, delimiter=delim)
    kept = set(cases["source_row"])
    rejected = set(_rejected(cases)["row"])
    assert kept | rejected == {2, 3, 4, 5} and not kept & rejected
    # whatever was kept sits under its own column
    assert cases["case_id"].str.startswith("A-").all()
    assert cases["worker_id"].str.startswith("H").all()
    assert set(cases["case_type"]) == {"bou_lvu"}


def test_row_with_a_field_missing_is_rejected_not_shifted_left() -> None:
    text = (
        "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Anteckning\n"
        "A-1;H1;bou_utredning;2026-01-05;\n"
        "A-2;bou_lvu;2026-01-06;\n"
        "A-3;H1;bou_lvu;2026-01-07;ok\n"
    )
    cases = _cases(text)
    assert cases["case_id"].tolist() == ["A-1", "A-3"]
    rejected = _rejected(cases)
    assert rejected[["row", "code"]].to_dict("records") == [{"row": 3, "code": "malformed_row"}]
    assert "the row has 4 fields but the header has 5" in rejected["reason"].iloc[0]


def test_row_a_field_short_in_a_file_with_a_trailing_delimiter_is_rejected() -> None:
    # every row ends in ';' (6 fields under a header of 5): a row with 5 has lost a field of
    # its own, and read as it is every value after the gap would sit one column to the left
    text = (
        "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Anteckning\n"
        "A-1;H1;bou_utredning;2026-01-05;ok;\n"
        "H2;bou_lvu;2026-01-06;;\n"
        "A-3;H1;bou_lvu;2026-01-07;;\n"
        "A-4;H1;bou_lvu;2026-01-08;;\n"
    )
    cases = _cases(text)
    assert cases["case_id"].tolist() == ["A-1", "A-3", "A-4"]
    rejected = _rejected(cases)
    assert rejected[["row", "code"]].to_dict("records") == [{"row": 3, "code": "malformed_row"}]
    assert "the row has 5 fields but the other rows 6" in rejected["reason"].iloc[0]
