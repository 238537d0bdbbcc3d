"""Reading survey exports of self-rated workload (at.read_ratings) and storing them."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.archive import Archive
from arbetstyngd.archive.ratings import perceived_step

KEY = "ratings-test-key-" + "k" * 24
ROSTER = pd.DataFrame(
    {"worker_id": ["H1", "H2", "H3"], "name": ["Åsa Andersson", "Per Berg", "Lina Ek"]}
)


def read(text: str, **options: object) -> pd.DataFrame:
    options.setdefault("scale", "1-5")
    return at.read_ratings(io.StringIO(text), key=KEY, **options)  # type: ignore[arg-type]


def test_swedish_form_export_with_names_decimal_commas_and_text_answers():
    text = (
        "Tidsstämpel;Namn;Hur upplever du din arbetsbelastning?;Flexsaldo (timmar);Kommentar\n"
        "2026-03-28 14:02;andersson, åsa;4 – ganska hög;12,5;\n"
        "2026-03-29 09:10;Per Berg;3;-3,25;Lugn månad\n"
    )
    r = read(text, roster=ROSTER)
    assert r["worker_id"].tolist() == ["H1", "H2"]
    assert r["rating"].tolist() == [4.0, 3.0]
    assert r["flexi_hours"].tolist() == [12.5, -3.25]
    assert r["period"].tolist() == [pd.Timestamp("2026-03-01")] * 2
    assert r["comment"].tolist() == [None, "Lugn månad"]
    assert r.attrs["scale"] == "1-5" and r.attrs["rejected"].empty
    assert r["source_row"].tolist() == [2, 3]


def test_an_unknown_name_is_rejected_with_the_closest_roster_names():
    text = "Namn;Månad;Skattning\nPer Bergh;2026-03;3\nLina Ek;2026-03;2\n"
    r = read(text, roster=ROSTER)
    assert r["worker_id"].tolist() == ["H3"]
    rej = r.attrs["rejected"]
    assert rej["row"].tolist() == [2]
    assert rej["code"].tolist() == ["unknown_name"]
    assert "Per Berg" in rej["reason"].iloc[0]


def test_seven_point_scale_with_a_typographic_minus():
    text = "worker_id,month,rating\nH1,2026-04,\u22122\nH2,2026-04,+3\nH3,2026-04,0\n"
    r = read(text, scale="-3..3")
    assert r["rating"].tolist() == [-2.0, 3.0, 0.0]
    assert perceived_step(r["rating"], "-3..3").tolist() == pytest.approx([1 / 3, 3.0, 1.0])


@pytest.mark.parametrize(
    ("value", "code"),
    [("7", "unreadable_value"), ("mycket", "not_a_number"), ("", "missing_value")],
)
def test_each_kind_of_bad_rating_is_rejected_with_its_code(value, code):
    r = read(f"worker_id;period;rating\nH1;2026-04-10;{value}\nH2;2026-04-10;3\n")
    assert r["worker_id"].tolist() == ["H2"]
    assert r.attrs["rejected"]["code"].tolist() == [code]


def test_a_bad_date_is_rejected_and_period_can_be_given_for_the_whole_file():
    r = read("worker_id;period;rating\nH1;31 februari;3\n")
    assert r.empty and r.attrs["rejected"]["code"].tolist() == ["not_a_date"]
    r = read("worker_id;rating\nH1;3\n", period="2026-05-17")
    assert r["period"].tolist() == [pd.Timestamp("2026-05-01")]


def test_missing_columns_and_undeclared_scale_are_clear_errors():
    with pytest.raises(at.ColumnsError, match=r"lacks column\(s\) \['rating'\]"):
        read("worker_id;period\nH1;2026-01\n")
    with pytest.raises(ValueError, match="'scale' must be one of"):
        read("worker_id;period;rating\nH1;2026-01;3\n", scale="1-10")
    with pytest.raises(at.InputFileError, match="does not exist"):
        at.read_ratings("no-such-file.csv", scale="1-5")


def test_headers_named_by_the_caller_and_excel_files(tmp_path):
    frame = pd.DataFrame({"Vem": ["H1"], "När": ["2026-02-14"], "Poäng": [2]})
    path = tmp_path / "survey.xlsx"
    frame.to_excel(path, index=False)
    r = at.read_ratings(
        path, scale="1-5", columns={"Vem": "worker_id", "När": "period", "Poäng": "rating"}
    )
    assert r[["worker_id", "rating"]].to_dict("records") == [{"worker_id": "H1", "rating": 2.0}]


def test_read_ratings_round_trip_through_the_archive(archive_url):
    r = read("worker_id;period;rating;flexsaldo\nH1;2026-04-30;5;40\nH2;2026-04-02;1;\n")
    with Archive(archive_url) as archive:
        assert archive.record_ratings(r) == 2
        got = archive.ratings()
    assert got["worker_id"].tolist() == ["H1", "H2"]
    assert got["rating"].tolist() == [5.0, 1.0]
    assert got["flexi_hours"].iloc[0] == 40.0 and pd.isna(got["flexi_hours"].iloc[1])
    assert got["perceived_step"].tolist() == [3.0, 0.0]
