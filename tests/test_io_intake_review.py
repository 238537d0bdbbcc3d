"""Defects found by the intake review (issue 4): numeric identity numbers, identity-number
headers, unclosed quotes, day/month order, UTF-16, size messages, percent notes, mappings
naming absent headers and duplicate headers."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.errors import InputFileError
from arbetstyngd.io.columns import HeaderWarning
from arbetstyngd.io.personnummer import is_valid, synthetic_personnummer, whole_number_identity

KEY = "intake-review-key-0123456789"
BASE = {
    "Dnr": ["A-1", "A-2", "A-3"],
    "Handläggare": ["H1", "H1", "H2"],
    "Ärendetyp": ["bou_lvu"] * 3,
    "Startdatum": ["2025-01-01"] * 3,
}


def twelve(n: int, seed: int, **kw: object) -> list[str]:
    return synthetic_personnummer(n, seed=seed, sep="", **kw)  # type: ignore[arg-type]


def leaked(text: str, numbers: list[str]) -> list[str]:
    """The numbers (12-digit, 10-digit, and 10-digit without its leading zero) found in text."""
    out = []
    for n in numbers:
        ten = n[-10:]
        for form in {n, ten, ten.lstrip("0")}:
            if form in text:
                out.append(form)
    return out


# --- 1a: identity numbers in numeric columns ---------------------------------------------------


def test_whole_number_identity_handles_lost_leading_zero() -> None:
    young = twelve(4, seed=3, born=(2000, 2009))  # YY = 00..09: the 10-digit form starts with 0
    old = twelve(4, seed=4, born=(1950, 1990))
    wrong = old[0][:-1] + str((int(old[0][-1]) + 1) % 10)
    values = pd.Series(
        [int(young[0][2:]), float(young[1][2:]), int(old[0]), int(old[1][2:]), int(wrong), 5, None],
        dtype=object,
    )
    mask, forms = whole_number_identity(values)
    assert mask.tolist() == [True, True, True, True, False, False, False]
    assert forms[0] == young[0][2:] and forms[2] == old[0]
    assert all(is_valid(f) for f in forms[mask])
    ints = pd.Series([int(young[2][2:]), int(old[2]), 123456789], dtype="int64")
    assert whole_number_identity(ints)[0].tolist() == [True, True, False]
    floats = pd.Series([float(old[3]), np.nan, 0.5])
    assert whole_number_identity(floats)[0].tolist() == [True, False, False]
    text = pd.Series([young[3][2:].lstrip("0"), young[3][2:].lstrip("0") + ".0", "x"])
    assert whole_number_identity(text)[0].tolist() == [True, True, False]


@pytest.mark.parametrize("via", ["frame", "parquet"])
def test_integer_identity_columns_are_pseudonymised(tmp_path: Path, via: str) -> None:
    old = twelve(3, seed=5, born=(1940, 1990))
    young = twelve(3, seed=6, born=(2000, 2009), samordning=True)
    frame = pd.DataFrame(
        {
            **BASE,
            "Klientnr": np.array([int(v) for v in old], dtype="int64"),
            "Kort": np.array([int(v[2:]) for v in young], dtype="int64"),
            "Med lucka": [float(old[0][2:]), np.nan, 7.0],
            "Antal": [1, 2, 3],
        }
    )
    source: object = frame
    if via == "parquet":
        source = tmp_path / "cases.parquet"
        frame.to_parquet(source)
    cases = at.read_cases(source, key=KEY)  # type: ignore[arg-type]
    assert cases["klientnr"].str.startswith("ps_").all()
    assert cases["kort"].str.startswith("ps_").all()
    assert cases["med_lucka"].tolist()[0].startswith("ps_")
    assert cases["antal"].tolist() == [1, 2, 3]
    # the same person written as text or as a number gets the same pseudonym
    text_form = at.read_cases(
        pd.DataFrame({**BASE, "Klientnr": [old[0][:8] + "-" + old[0][8:], "x", "y"]}), key=KEY
    )
    assert text_form["klientnr"][0] == cases["klientnr"][0]
    report = dict(cases.attrs["read"].pseudonymised)
    assert report["klientnr"] == 3 and report["kort"] == 3 and report["med_lucka"] == 1
    assert not leaked(cases.to_csv() + str(cases.attrs["read"]), old + young)


def test_numeric_subject_id_matches_the_text_form() -> None:
    young = twelve(2, seed=7, born=(2003, 2006))
    as_int = pd.DataFrame({**BASE, "Personnummer": [int(young[0][2:]), int(young[1]), None]})
    as_text = pd.DataFrame({**BASE, "Personnummer": [young[0][2:], young[1], None]})
    a = at.read_cases(as_int, key=KEY)["subject_id"]
    b = at.read_cases(as_text, key=KEY)["subject_id"]
    assert a.tolist()[:2] == b.tolist()[:2] and pd.isna(a[2])


def test_identity_number_in_numeric_canonical_columns_is_rejected_unshown() -> None:
    n = twelve(2, seed=8, born=(2001, 2008))
    workers = pd.DataFrame(
        {
            "Handläggar-id": ["H1", "H2", "H3"],
            "Enhet": ["T1"] * 3,
            "Tjg-grad": np.array([1, int(n[0]), int(n[1][2:])], dtype="int64"),
        }
    )
    out = at.read_workers(workers, key=KEY)
    rej = out.attrs["rejected"]
    assert out["worker_id"].tolist() == ["H1"]
    assert rej["row"].tolist() == [3, 4] and rej["value"].isna().all()
    assert rej["reason"].str.contains("personal identity number").all()
    cases = pd.DataFrame({**BASE, "Startdatum": [45700, int(n[0]), 45701]})
    out = at.read_cases(cases, key=KEY)
    assert out["case_id"].tolist() == ["A-1", "A-3"]
    assert not leaked(out.attrs["rejected"].to_csv(), n)


def test_categorical_columns_are_scanned() -> None:
    n = synthetic_personnummer(2, seed=9)
    frame = pd.DataFrame({**BASE, "Anteckning": pd.Categorical([f"syskon {n[0]}", "", n[1]])})
    out = at.read_cases(frame, key=KEY)
    assert not leaked(out.to_csv(), [v.replace("-", "") for v in n])
    assert "-" not in "".join(out["anteckning"].astype(str))


def test_nine_digit_text_and_excel_number_cells(tmp_path: Path) -> None:
    import openpyxl

    young = twelve(2, seed=10, born=(2000, 2009))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Dnr", "Handläggare", "Ärendetyp", "Startdatum", "Syskon"])
    ws.append(["A-1", "H1", "x", "2025-01-01", int(young[0][2:])])  # a number cell
    ws.append(["A-2", "H1", "x", "2025-01-01", young[1][2:].lstrip("0")])  # text cell
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    out = at.read_cases(path, key=KEY)
    assert out["syskon"].str.startswith("ps_").all()
    assert not leaked(out.to_csv(), young)


# --- 1b: identity numbers as headers -----------------------------------------------------------


@pytest.mark.parametrize("form", ["12-", "12", "10-", "10"])
def test_identity_number_header_is_pseudonymised_everywhere(form: str) -> None:
    n = twelve(1, seed=11)[0]
    header = {
        "12-": f"{n[:8]}-{n[8:]}",
        "12": n,
        "10-": f"{n[2:8]}-{n[8:]}",
        "10": n[2:],
    }[form]
    text = (
        f"Dnr;Handläggare;Ärendetyp;Startdatum;{header};Anteckning {header}\nA;H;x;2025-01-01;v;w\n"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = at.read_cases(io.StringIO(text), key=KEY)
    kept = [c for c in out.columns if c not in ("source_row", "case_id", "worker_id")]
    everything = " ".join(
        [*map(str, out.columns), str(out.attrs["read"]), *(str(w.message) for w in caught)]
    )
    assert not leaked(everything, [n])
    assert any(c.startswith("ps_") for c in kept) and any(
        c.startswith("anteckning_ps_") for c in kept
    )
    assert any("identity number" in note for note in out.attrs["read"].notes)


def test_identity_number_header_in_a_dataframe_and_an_integer_header() -> None:
    n = twelve(2, seed=12, born=(2001, 2008))
    frame = pd.DataFrame({**BASE, int(n[0]): [1, 2, 3], int(n[1][2:]): ["a", "b", "c"]})
    out = at.read_cases(frame, key=KEY)
    assert not leaked(" ".join(map(str, out.columns)) + str(out.attrs["read"]), n)


# --- 2: a stray unclosed quote -----------------------------------------------------------------


@pytest.mark.parametrize("where", ["middle", "last", "first"])
def test_one_unclosed_quote_rejects_only_its_row(where: str) -> None:
    rows = [f"A-{i};H1;bou_lvu;2025-01-{i + 1:02d}" for i in range(6)]
    parts = rows[2].split(";")
    index = {"middle": 2, "last": 3, "first": 0}[where]
    parts[index] = '"' + parts[index]
    rows[2] = ";".join(parts)
    text = "Dnr;Handläggare;Ärendetyp;Startdatum\n" + "\n".join(rows) + "\n"
    out = at.read_cases(io.StringIO(text), key=KEY)
    assert out["case_id"].tolist() == ["A-0", "A-1", "A-3", "A-4", "A-5"]
    assert out["source_row"].tolist() == [2, 3, 5, 6, 7]
    rej = out.attrs["rejected"]
    assert rej["row"].tolist() == [4] and rej["column"].tolist() == ["(row)"]
    assert "quote" in rej["reason"][0] and "never closed" in rej["reason"][0]
    assert rej["value"][0].startswith('"')


def test_unclosed_quotes_with_legitimate_quoted_values_and_a_number() -> None:
    n = synthetic_personnummer(1, seed=13)[0]
    text = (
        "Dnr,Handläggare,Ärendetyp,Startdatum,Vikt\n"
        'A-1,"Andersson, Åsa",x,2025-01-01,"1,5"\n'
        'A-2,H1,x,2025-01-01,"2\n'
        '"A-3","multi\nline",x,2025-01-01,3\n'
        f'A-4,H1,"{n} x,2025-01-01,4\n'
        "A-5,H1,x,2025-01-01,5\n"
    )
    out = at.read_cases(io.StringIO(text), key=KEY)
    assert out["case_id"].tolist() == ["A-1", "A-3", "A-5"]
    assert out["worker_id"].tolist()[0] == "Andersson, Åsa" and out["vikt"].tolist()[0] == 1.5
    rej = out.attrs["rejected"]
    assert rej["row"].tolist() == [3, 5]
    assert n not in rej.to_csv() and n.replace("-", "") not in rej.to_csv()


def test_unclosed_quote_in_the_header_is_one_clear_error() -> None:
    text = 'Dnr;Handläggare;Ärendetyp;"Startdatum\nA;H;x;2025-01-01\n'
    with pytest.raises(InputFileError, match="quote"):
        at.read_cases(io.StringIO(text), key=KEY)


# --- 3: day first, always ----------------------------------------------------------------------


def test_one_month_first_date_does_not_flip_the_column() -> None:
    text = (
        "Dnr;Handläggare;Ärendetyp;Startdatum\n"
        "A;H;x;3/4 2026\nB;H;x;4/13/2026\nC;H;x;13/4 2026\nD;H;x;2026-05-01\n"
    )
    out = at.read_cases(io.StringIO(text), key=KEY)
    assert out["case_id"].tolist() == ["A", "C", "D"]
    assert out["opened"].tolist()[:2] == [pd.Timestamp("2026-04-03"), pd.Timestamp("2026-04-13")]
    rej = out.attrs["rejected"]
    assert rej[["row", "column", "value"]].values.tolist() == [[3, "opened", "4/13/2026"]]
    assert "month first" in rej["reason"][0] and "date_order" in rej["reason"][0]
    mdy = at.read_cases(io.StringIO(text), key=KEY, date_order="mdy")
    assert mdy["case_id"].tolist() == ["A", "B", "D"]
    assert mdy["opened"].tolist()[:2] == [pd.Timestamp("2026-03-04"), pd.Timestamp("2026-04-13")]
    assert "day first" in mdy.attrs["rejected"]["reason"][0]


# --- 4: nits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read(encoding: str) -> None:
    text = "Dnr\tHandläggare\tÄrendetyp\tStartdatum\nA-1\tÅsa\tx\t2025-01-01\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # Excel's "Unicode text" has a byte-order mark; test both
        data = ("\ufeff" + text).encode(encoding)
    out = at.read_cases(io.BytesIO(data), key=KEY)
    assert out["worker_id"].tolist() == ["Åsa"]
    assert "UTF-16" in out.attrs["read"].format


def test_utf16_without_bom_is_read_too() -> None:
    text = "Dnr;Handläggare;Ärendetyp;Startdatum\nA-1;Åsa;x;2025-01-01\n"
    out = at.read_cases(io.BytesIO(text.encode("utf-16-le")), key=KEY)
    assert out["worker_id"].tolist() == ["Åsa"]


@pytest.mark.parametrize(
    ("size", "limit", "expect"),
    [
        (300, 100, "300 bytes.*limit 100 bytes"),
        (5000, 2048, r"4\.9 KiB.*limit 2\.0 KiB"),
        (3 * 2**20, 2**20, r"3\.0 MiB.*limit 1\.0 MiB"),
    ],
)
def test_size_limit_message_uses_sensible_units(size: int, limit: int, expect: str) -> None:
    with pytest.raises(InputFileError, match=expect):
        at.read_cases(io.BytesIO(b"x" * size), key=KEY, max_bytes=limit)


def test_percent_note_shows_a_value_from_the_column() -> None:
    text = "Handläggar-id;Enhet;Tjg-grad\nH1;T;80\nH2;T;50 %\n"
    notes = at.read_workers(io.StringIO(text), key=KEY).attrs["read"].notes
    assert any("'80' → 0.8" in n for n in notes), notes
    assert not any("75" in n for n in notes)


def test_mapping_naming_an_absent_header_warns() -> None:
    text = "Dnr;Handläggare;Ärendetyp;Startdatum\nA;H;x;2025-01-01\n"
    with pytest.warns(HeaderWarning, match=r"'Nope'.*no such header.*'Dnr'") as caught:
        out = at.read_cases(io.StringIO(text), key=KEY, columns={"case_id": "Nope"})
    assert "Dnr" in str(caught[0].message)
    assert out["case_id"].tolist() == ["A"]
    assert any("Nope" in n for n in out.attrs["read"].notes)
    with pytest.warns(HeaderWarning, match="Nope"):
        at.read_cases(io.StringIO(text), key=KEY, columns={"Nope": "phase"})


def test_profile_alternatives_warn_only_when_none_is_present(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('[cases.columns]\nworker_id = ["Ansvarig", "Handläggare"]\n', "utf-8")
    text = "Dnr;Handläggare;Ärendetyp;Startdatum\nA;H;x;2025-01-01\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error", HeaderWarning)
        at.read_cases(io.StringIO(text), key=KEY, columns=profile)


def test_duplicate_headers_warn_and_say_which_one_is_used() -> None:
    text = "Dnr;Handläggare;Ärendetyp;Startdatum;Handläggare\nA;H1;x;2025-01-01;H2\n"
    with pytest.warns(HeaderWarning, match=r"'Handläggare'.*columns 2 and 5.*column 2.*worker_id"):
        out = at.read_cases(io.StringIO(text), key=KEY)
    assert out["worker_id"].tolist() == ["H1"]
    assert any("Handläggare" in n and "twice" in n for n in out.attrs["read"].notes)


def test_unclosed_quote_before_more_than_128_kib_of_rows() -> None:
    # Python's csv module stops a quoted value at 128 KiB: the end-of-file case must still
    # be recognised as such
    rows = [f"A-{i};H1;bou_lvu;2025-01-01;{'x' * 40}" for i in range(4000)]
    rows[10] = rows[10].replace(";H1", ';"H1', 1)
    text = "Dnr;Handläggare;Ärendetyp;Startdatum;Anteckning\n" + "\n".join(rows) + "\n"
    out = at.read_cases(io.StringIO(text), key=KEY)
    rej = out.attrs["rejected"]
    assert len(out) == 3999 and rej["row"].tolist() == [12]
    assert "end of the file" in rej["reason"][0]


def test_sheet_names_holding_an_identity_number_are_hidden(tmp_path):
    import openpyxl

    from arbetstyngd.io.personnummer import synthetic_personnummer

    number = synthetic_personnummer(1, seed=9)[0]
    book = openpyxl.Workbook()
    book.active.title = number
    book.create_sheet("Blad2")
    path = tmp_path / "pn.xlsx"
    book.save(path)
    with pytest.raises(at.InputFileError) as err:
        at.read_cases(path, sheet="nope", key=KEY)
    assert number not in str(err.value) and "Blad2" in str(err.value)


def test_out_of_range_percentages_are_shown_as_written():
    text = "Handläggare;Tjänstgöringsgrad;Enhet\nA;75;T\nB;-1;T\nC;1 000;T\nD;150;T\n"
    workers = at.read_workers(io.BytesIO(text.encode("utf-8")), key=KEY)
    assert workers["fte"].tolist() == [0.75, 1.5]
    rej = workers.attrs["rejected"]
    assert rej["value"].tolist() == ["-1", "1 000"]
    assert rej["reason"].str.contains("at most 150 %").all()
    assert not rej["reason"].str.contains("divide by 100").any()
