"""Readers: formats, encodings, delimiters, header mapping, profiles, aliases, bad input."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.errors import ColumnsError, InputFileError
from arbetstyngd.io import load_profile
from arbetstyngd.io.personnummer import synthetic_personnummer
from arbetstyngd.io.rejections import READ_REJECTED_COLUMNS

KEY = "test-key-0123456789abcdef"


def cases_text(delim: str = ";", decimal: str = ",") -> str:
    nums = synthetic_personnummer(3, seed=11)
    rows = [
        [
            "Ärendenummer",
            "Handläggare",
            "Ärendetyp",
            "Fas",
            "Fr.o.m.",
            "T.o.m.",
            "Pnr",
            "Tolk",
            "Poäng",
        ],
        [
            "A-1",
            "H1",
            "bou_utredning",
            "Utredning",
            "2025-01-15",
            "",
            nums[0],
            "Ja",
            f"1{decimal}5",
        ],
        ["A-2", "H1", "bou_oppenvard", "insats", "3/2 2025", "20250601", nums[1][2:], "nej", "2"],
        ["A-3", "H2", "bou_lvu", "", "45700", "2025-06-01 10:30", nums[2], "", f"0{decimal}5"],
    ]
    return "\n".join(delim.join(r) for r in rows) + "\n"


def expect_three_cases(frame: pd.DataFrame) -> None:
    assert frame["source_row"].tolist() == [2, 3, 4]
    assert frame["case_id"].tolist() == ["A-1", "A-2", "A-3"]
    assert frame["opened"].tolist() == [
        pd.Timestamp("2025-01-15"),
        pd.Timestamp("2025-02-03"),
        pd.Timestamp("1899-12-30") + pd.Timedelta(days=45700),
    ]
    assert frame["opened"].dtype == "datetime64[ns]"
    assert frame["subject_id"].str.startswith("ps_").all()
    assert frame["poang"].tolist() == [1.5, 2.0, 0.5]
    assert len(frame.attrs["rejected"]) == 0
    assert list(frame.attrs["rejected"].columns) == list(READ_REJECTED_COLUMNS)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delim", [";", ",", "\t", "|"])
def test_every_encoding_and_delimiter(tmp_path: Path, encoding: str, delim: str) -> None:
    decimal = "." if delim == "," else ","
    path = tmp_path / "export.csv"
    path.write_bytes(cases_text(delim, decimal).encode(encoding))
    frame = at.read_cases(path, key=KEY)
    expect_three_cases(frame)
    info = frame.attrs["read"]
    assert info.encoding == encoding and info.delimiter == delim
    assert dict((h, c) for h, c, _ in info.mapping)["Ärendenummer"] == "case_id"


def test_quoted_comma_decimals(tmp_path: Path) -> None:
    text = 'Dnr,Handläggare,Ärendetyp,Startdatum,Vikt\n"A-1","Andersson, Åsa",x,2025-01-01,"1,5"\n'
    frame = at.read_cases(io.BytesIO(text.encode()), key=KEY)
    assert frame["worker_id"][0] == "Andersson, Åsa" and frame["vikt"][0] == 1.5


def test_excel_round_trip_with_title_rows_and_typed_cells(tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Info"
    info["A1"] = "Exporterad 2025-06-01"
    ws = wb.create_sheet("Ärenden")
    ws["A1"] = "Aktiva ärenden"
    ws.append([])
    ws.append(["Dnr", "Handläggare", "Ärendetyp", "Aktualiseringsdatum", "Personnummer"])
    nums = synthetic_personnummer(2, seed=5)
    ws.append(["A-1", "H1", "bou_lvu", dt.datetime(2025, 1, 2), nums[0]])
    ws.append([])
    ws.append([17, "H2", "bou_lvu", 45700, nums[1]])
    ws.append(["A-3", "H2", "bou_lvu", "inte ett datum", None])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    frame = at.read_cases(path, key=KEY)
    assert frame.attrs["read"].sheet == "Ärenden" and frame.attrs["read"].header_row == 3
    assert frame["source_row"].tolist() == [4, 6]
    assert frame["case_id"].tolist() == ["A-1", "17"]
    assert frame["opened"].tolist()[0] == pd.Timestamp("2025-01-02")
    rej = frame.attrs["rejected"]
    assert rej[["row", "column", "value"]].values.tolist() == [[7, "opened", "inte ett datum"]]
    assert frame.attrs["read"].blank_rows == 1
    assert at.read_cases(path, key=KEY, sheet="Ärenden")["case_id"].tolist() == ["A-1", "17"]
    with pytest.raises(InputFileError, match=r"no sheet 'Arenden'.*'Ärenden'"):
        at.read_cases(path, key=KEY, sheet="Arenden")


def test_parquet_and_dataframe_input(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"Dnr": ["A-1"], "Handläggare": ["H1"], "Ärendetyp": ["x"], "Startdatum": ["20250101"]}
    )
    path = tmp_path / "cases.parquet"
    frame.to_parquet(path)
    for source in (path, frame):
        out = at.read_cases(source, key=KEY)
        assert out["opened"][0] == pd.Timestamp("2025-01-01") and out["source_row"][0] == 2


def test_workers_fte_in_percent_and_teams(tmp_path: Path) -> None:
    text = (
        "Handläggar-id;Namn;Enhet;Sysselsättningsgrad (%);Anställningsdatum i yrket;Nedsättning\n"
        "H1;Åsa Öberg;T1;75;2020-01-01;0\nH2;Erik Ek;T1;100 %;20190101;20 %\n"
        "H3;Karl Berg;T2;1;2018-01-01;0\nH4;Lisa Al;T2;åttio;2018-01-01;0\n"
    )
    workers = at.read_workers(io.StringIO(text), key=KEY)
    assert workers["fte"].tolist() == [0.75, 1.0]
    assert workers["reduction"].tolist() == [0.0, 0.2]
    rej = workers.attrs["rejected"]
    assert rej["row"].tolist() == [4, 5]
    assert "ambiguous" in rej["reason"].iloc[0] and "not a number" in rej["reason"].iloc[1]
    assert workers["profession_start"].dtype == "datetime64[ns]"
    forced = at.read_workers(io.StringIO(text.replace("åttio", "80")), key=KEY, fte_unit="share")
    assert forced.attrs["rejected"].empty or "fte" not in set(forced.attrs["rejected"]["column"])
    teams = at.read_teams(
        io.StringIO("Enhet;Enhetschef;Handledning h/mån\nT1;C1;2,5\nT2;C2;mycket\n"), key=KEY
    )
    assert teams["supervision_hours"].tolist() == [2.5]
    assert teams.attrs["rejected"]["row"].tolist() == [3]


def test_columns_argument_in_both_directions_and_profile(tmp_path: Path) -> None:
    text = "Löpnr;Ansv;Typ av insats;Datum\nA-1;Åsa Öberg;Barnavårdsutredning;2025-01-01\n"
    a = at.read_cases(
        io.StringIO(text),
        key=KEY,
        columns={"Löpnr": "case_id", "Ansv": "worker_id", "Datum": "opened"},
    )
    b = at.read_cases(
        io.StringIO(text),
        key=KEY,
        columns={"case_id": "Löpnr", "worker_id": "Ansv", "opened": "Datum"},
    )
    assert a["case_id"].tolist() == b["case_id"].tolist() == ["A-1"]
    profile = tmp_path / "profil.toml"
    profile.write_text(
        """
name = "test"
[read]
delimiter = ";"
[cases.columns]
case_id = "Löpnr"
worker_id = ["Ansvarig", "Ansv"]
opened = "Datum"
[cases.values.case_type]
"barnavårdsutredning" = "bou_utredning"
[aliases]
"Öberg, Åsa" = "H1"
""",
        encoding="utf-8",
    )
    c = at.read_cases(io.StringIO(text), key=KEY, columns=profile)
    assert c["case_type"].tolist() == ["bou_utredning"] and c["worker_id"].tolist() == ["H1"]
    mapping = c.attrs["read"].mapping_frame()
    assert mapping.set_index("header").loc["Löpnr", "how"] == "profile"
    bad = tmp_path / "bad.toml"
    bad.write_text("[cases]\ncolumnz = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="may hold 'columns' and 'values'"):
        load_profile(bad)
    bad.write_text("[cases\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_profile(bad)


def test_scheme_labels_map_case_types_and_phases() -> None:
    text = (
        "Dnr;Handläggare;Ärendetyp;Fas;Startdatum\n"
        "A-1;H1;Barnavårdsutredning;;2025-01-01\nA-2;H1;Öppenvårdsinsats;Uppföljning;2025-01-01\n"
    )
    frame = at.read_cases(io.StringIO(text), key=KEY, scheme="barn-och-unga")
    assert frame["case_type"].tolist() == ["bou_utredning", "bou_oppenvard"]
    assert frame["phase"].tolist()[1] == "uppfoljning"


def test_worker_names_resolved_through_the_roster() -> None:
    roster = at.read_workers(
        io.StringIO("Handläggar-id;Namn;Enhet;Tjg-grad\nH1;Åsa Öberg;T1;1\nH2;Erik Ek;T1;1\n"),
        key=KEY,
    )
    text = (
        "Dnr;Handläggare;Ärendetyp;Startdatum\n"
        "A-1;Öberg, Åsa;x;2025-01-01\nA-2;H2;x;2025-01-01\nA-3;Asa Oberg;x;2025-01-01\n"
        "A-4;Åsa Öbergh;x;2025-01-01\nA-5;Kim;x;2025-01-01\n"
    )
    frame = at.read_cases(io.StringIO(text), key=KEY, roster=roster, aliases={"Kim": "H2"})
    assert frame["worker_id"].tolist() == ["H1", "H2", "H1", "H2"]
    rej = frame.attrs["rejected"]
    assert rej["row"].tolist() == [5]
    assert "closest roster names: 'Åsa Öberg'" in rej["reason"].iloc[0]


def test_bad_lines_blank_lines_and_every_row_accounted(tmp_path: Path) -> None:
    text = (
        "Export av ärenden\n\nDnr;Handläggare;Ärendetyp;Startdatum\n"
        "A-1;H1;x;2025-01-01\nA-2;H1;x;extra;2025-01-01\n\n"
        '"A-3";"H1";"multi\nline";"2025-01-01"\nA-4;H1;x;igår\nA-5;H1;x;2025-01-01\n;;;\n'
    )
    frame = at.read_cases(io.StringIO(text), key=KEY)
    assert frame["source_row"].tolist() == [4, 7, 9]
    rej = frame.attrs["rejected"]
    assert sorted(rej["row"].tolist()) == [5, 8]
    info = frame.attrs["read"]
    assert info.header_row == 3 and info.blank_rows == 2
    assert len(frame) + rej["row"].nunique() + info.blank_rows == info.rows_read + info.blank_rows


def test_demographics_on_request() -> None:
    nums = synthetic_personnummer(2, seed=3, born=(2010, 2010))
    text = (
        f"Dnr;Handläggare;Ärendetyp;Startdatum;Pnr\nA;H;x;2025-06-01;{nums[0]}\nB;H;x;;{nums[1]}\n"
    )
    frame = at.read_cases(io.StringIO(text), key=KEY, demographics=True)
    assert frame["subject_age_band"].tolist()[0] in ("13-17", "6-12")
    assert set(frame["subject_sex"]) <= {"man", "kvinna"}
    assert "subject_age_band" not in at.read_cases(io.StringIO(text), key=KEY).columns


def test_identity_number_in_a_date_or_number_column_is_rejected_unshown() -> None:
    n = synthetic_personnummer(1, seed=8)[0]
    text = f"Dnr;Handläggare;Ärendetyp;Startdatum\nA;H;x;{n}\n"
    frame = at.read_cases(io.StringIO(text), key=KEY)
    rej = frame.attrs["rejected"]
    assert rej["value"].tolist() == [None] and "personal identity number" in rej["reason"][0]
    roster = f"Handläggar-id;Enhet;Tjg-grad\nH1;T1;{n[2:].replace('-', '')}\n"
    workers = at.read_workers(io.StringIO(roster), key=KEY)
    assert workers.empty and n[2:].replace("-", "") not in workers.attrs["rejected"].to_csv()


def test_concat_of_two_read_tables_works() -> None:
    text = "Dnr;Handläggare;Ärendetyp;Startdatum\nA;H;x;2025-01-01\nB;H;x;nej\n"
    a = at.read_cases(io.StringIO(text), key=KEY)
    b = at.read_cases(io.StringIO(text.replace("A;", "C;")), key=KEY)
    both = pd.concat([a, b], ignore_index=True)
    assert len(both) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x00\x01\x02binary\x00\xff" * 20, "binary"),
        (b"%PDF-1.4\x00\x00\x00stuff", "binary"),
        (b"PK\x03\x04not really a zip", "cannot be opened"),
        (b"PAR1garbage", "Parquet"),
        (b"foo;bar;baz\n1;2;3\n", "no recognisable cases header"),
        (b"Dnr;Handl\xc3\xa4ggare\nA;H\n", "no column for 'case_type'"),
    ],
)
def test_bad_files_give_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises((InputFileError, ColumnsError), match=message) as info:
        at.read_cases(io.BytesIO(data), key=KEY)
    assert "Traceback" not in str(info.value)


def test_missing_folder_and_too_large(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no cases file"):
        at.read_cases(tmp_path / "nope.csv", key=KEY)
    with pytest.raises(InputFileError, match="is a folder"):
        at.read_cases(tmp_path, key=KEY)
    path = tmp_path / "big.csv"
    path.write_bytes(cases_text().encode() * 10)
    with pytest.raises(InputFileError, match="more than a caseload"):
        at.read_cases(path, key=KEY, max_bytes=100)
    with pytest.raises(TypeError, match="path_or_buffer"):
        at.read_cases(12, key=KEY)  # type: ignore[arg-type]


def test_missing_required_column_names_what_is_there() -> None:
    text = "Dnr;Handläggare;Ärendetyp;Startdat\nA;H;x;2025-01-01\n"
    with pytest.raises(ColumnsError, match=r"no column for 'opened'.*Startdat"):
        at.read_cases(io.StringIO(text), key=KEY)


def test_header_with_identity_number_is_redacted_in_errors() -> None:
    n = synthetic_personnummer(1, seed=9)[0]
    with pytest.raises(InputFileError) as info:
        at.read_cases(io.StringIO(f"{n};foo\n1;2\n"), key=KEY)
    assert n not in str(info.value) and "<personnummer>" in str(info.value)


def test_encoding_override_and_random_key_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARBETSTYNGD_KEY", raising=False)
    monkeypatch.delenv("ARBETSTYNGD_KEY_FILE", raising=False)
    data = cases_text().encode("cp1252")
    with pytest.warns(at.io.PseudonymKeyWarning):
        frame = at.read_cases(io.BytesIO(data), encoding="latin-1")
    assert frame["case_id"].tolist() == ["A-1", "A-2", "A-3"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputFileError, match="cannot be decoded"):
            at.read_cases(io.BytesIO("Dnr;Ä\n".encode("cp1252")), encoding="utf-8")


def test_large_file_fast_path_matches_the_careful_path() -> None:
    rng = np.random.default_rng(0)
    n = 500
    frame = pd.DataFrame(
        {
            "Dnr": [f"A-{i}" for i in range(n)],
            "Handläggare": rng.choice(["H1", "H2"], n),
            "Ärendetyp": "x",
            "Startdatum": "2025-01-01",
        }
    )
    clean = frame.to_csv(sep=";", index=False)
    fast = at.read_cases(io.StringIO(clean), key=KEY)
    careful = at.read_cases(io.StringIO(clean + "\n"), key=KEY)  # trailing blank line
    pd.testing.assert_frame_equal(fast, careful, check_like=True)


# --- progress bar of long reads ----------------------------------------------------------------


def test_a_long_read_shows_its_stages(monkeypatch, capsys):
    from arbetstyngd.io import readers

    # every read counts as long: the bar shows at once, and each stage is named on it
    monkeypatch.setattr(readers, "PROGRESS_DELAY", 0.0)
    text = "case_id;worker_id;case_type;opened\nA1;H1;bou_utredning;2026-01-05\n"
    frame = at.io.read_cases(io.StringIO(text), key="k" * 32)
    err = capsys.readouterr().err
    assert len(frame) == 1
    assert "reading cases" in err
    assert "6/6" in err and "table" in err


def test_no_progress_bar_when_asked_or_quick(monkeypatch, capsys):
    from arbetstyngd.io import readers

    text = "case_id;worker_id;case_type;opened\nA1;H1;bou_utredning;2026-01-05\n"
    at.io.read_cases(io.StringIO(text), key="k" * 32)  # quick: under the delay
    assert "reading" not in capsys.readouterr().err
    monkeypatch.setattr(readers, "PROGRESS_DELAY", 0.0)
    at.io.read_cases(io.StringIO(text), key="k" * 32, progress=False)
    assert "reading" not in capsys.readouterr().err
