"""Rosters by name: a personnel list with names only, and names in the cases export."""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.errors import ColumnsError
from arbetstyngd.io import Profile

KEY = "k" * 32
CASES = (
    "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum\n"
    "A-1;Anna Andersson;bou_lvu;2026-01-05\n"
    "A-2;Andersson, Anna;bou_lvu;2026-01-06\n"
    "A-3;andersson anna;bou_lvu;2026-01-07\n"
    "A-4;Bo Ek;bou_lvu;2026-01-08\n"
    "A-5;Cecilia Okänd;bou_lvu;2026-01-09\n"
)


def _read(reader, text: str, **options):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reader(io.StringIO(text), key=KEY, **options)


def test_personnel_list_with_names_only() -> None:
    workers = _read(
        at.read_workers, "Namn;Enhet;Tjänstgöringsgrad\nAnna Andersson;T1;100\nBo Ek;T1;50\n"
    )
    assert workers[["worker_id", "name"]].to_dict("records") == [
        {"worker_id": "Anna Andersson", "name": "Anna Andersson"},
        {"worker_id": "Bo Ek", "name": "Bo Ek"},
    ]
    assert any("are the workers' ids" in n for n in workers.attrs["read"].notes)
    cases = _read(at.read_cases, CASES, roster=workers)
    assert cases["worker_id"].tolist() == ["Anna Andersson"] * 3 + ["Bo Ek"]
    rejected = pd.DataFrame(cases.attrs["rejected"])
    assert rejected[["row", "column", "code"]].to_dict("records") == [
        {"row": 6, "column": "worker_id", "code": "unknown_worker"}
    ]
    assert "add it to the alias table" in rejected["reason"].iloc[0]


def test_worker_id_mapped_to_a_name_column_keeps_the_tolerance() -> None:
    workers = _read(
        at.read_workers,
        "Namn;Enhet;Tjänstgöringsgrad\nAnna Andersson;T1;100\nBo Ek;T1;50\n",
        columns={"worker_id": "Namn"},
    )
    assert "name" not in workers.columns
    cases = _read(at.read_cases, CASES, roster=workers)
    assert cases["worker_id"].tolist() == ["Anna Andersson"] * 3 + ["Bo Ek"]


def test_worker_id_and_name_on_one_header_gives_both() -> None:
    profile = Profile.from_dict({"workers": {"columns": {"worker_id": "Namn", "name": "Namn"}}})
    workers = _read(
        at.read_workers, "Namn;Enhet;Tjänstgöringsgrad\nAnna Andersson;T1;100\n", columns=profile
    )
    assert workers[["worker_id", "name"]].to_dict("records") == [
        {"worker_id": "Anna Andersson", "name": "Anna Andersson"}
    ]
    assert any("both 'worker_id' and 'name'" in n for n in workers.attrs["read"].notes)


def test_the_same_from_a_plain_dict() -> None:
    workers = _read(
        at.read_workers,
        "Namn;Enhet;Tjänstgöringsgrad\nAnna Andersson;T1;100\n",
        columns={"worker_id": "Namn", "name": "Namn"},
    )
    assert workers.loc[0, "worker_id"] == workers.loc[0, "name"] == "Anna Andersson"


def test_missing_id_never_suggests_a_date_column() -> None:
    text = "Enhet;Anställningsdatum;Tjänstgöringsgrad\nT1;2020-01-01;100\n"
    with pytest.raises(ColumnsError) as info:
        _read(at.read_workers, text)
    message = str(info.value)
    assert "no column for 'worker_id'" in message
    assert "is 'Anställningsdatum' meant" not in message


def test_scores_a_roster_by_name() -> None:
    workers = _read(
        at.read_workers,
        "Namn;Enhet;Tjänstgöringsgrad;Erfarenhet år\nAnna Andersson;T1;100;3\nBo Ek;T1;50;1\n",
    )
    cases = _read(at.read_cases, CASES, roster=workers, scheme="barn-och-unga")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wl = at.score(cases, workers, "barn-och-unga")
    assert wl.workers.set_index("worker_id")["n_cases"].to_dict() == {
        "Anna Andersson": 3,
        "Bo Ek": 1,
    }
