"""No identity number survives reading, scoring and writing; every row is accounted for."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbetstyngd as at
from arbetstyngd.cli.app import app
from arbetstyngd.errors import DataError
from arbetstyngd.io.personnummer import synthetic_personnummer

KEY = "privacy-test-key-0123456789"


def forms(number: str) -> set[str]:
    """Every way the number could leak: 12/10 digits, with and without separator."""
    digits = number.replace("-", "").replace("+", "")
    twelve = digits if len(digits) == 12 else None
    ten = digits[-10:]
    out = {ten, f"{ten[:6]}-{ten[6:]}", f"{ten[:6]}+{ten[6:]}"}
    # an integer drops the leading zeros of people born 2000-2009
    out.add(ten.lstrip("0"))
    if twelve:
        out |= {twelve, f"{twelve[:8]}-{twelve[8:]}"}
    return out


def all_text(tmp: Path) -> str:
    parts = []
    for path in tmp.rglob("*"):
        if path.suffix in (".csv", ".json", ".toml", ".txt"):
            parts.append(path.read_text(encoding="utf-8-sig"))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                parts.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.suffix == ".parquet":
            parts.append(pd.read_parquet(path).to_csv())
    return "\n".join(parts)


row_strategy = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**31),
        "form": st.sampled_from(["10", "12"]),
        "sep": st.sampled_from(["-", ""]),
        "samordning": st.booleans(),
        "where": st.sampled_from(["subject", "note", "case_id", "worker", "opened", "type"]),
        "breakage": st.sampled_from(["none", "bad_date", "bad_check", "unknown_type"]),
    }
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(row_strategy, min_size=1, max_size=12))
def test_no_identifier_survives_and_rows_balance(tmp_path_factory, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("privacy")
    secrets_: list[str] = []
    lines = ["Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum;Personnummer;Anteckning"]
    for i, r in enumerate(rows):
        n = synthetic_personnummer(
            1, seed=r["seed"], form=r["form"], sep=r["sep"], samordning=r["samordning"]
        )[0]
        if r["breakage"] == "bad_check":
            n = n[:-1] + str((int(n[-1]) + 1) % 10)
        secrets_.append(n)
        case_id, worker, ctype, opened, subject, note = (
            f"A-{i}",
            "H1",
            "bou_lvu",
            "2025-01-01",
            n,
            "",
        )
        if r["where"] == "note":
            note = f"syskon {n}"
        elif r["where"] == "case_id":
            case_id = n
        elif r["where"] == "worker":
            worker = n
        elif r["where"] == "opened":
            opened = n
        elif r["where"] == "type":
            ctype = f"typ {n}"
        if r["breakage"] == "bad_date":
            opened = "31/2 2025"
        elif r["breakage"] == "unknown_type":
            ctype = f"okänd {n}"
        lines.append(";".join([case_id, worker, ctype, opened, subject, note]))
    export = tmp / "cases.csv"
    export.write_text("\n".join(lines) + "\n", encoding="cp1252")
    workers = pd.DataFrame(
        {"worker_id": ["H1"], "team_id": ["T1"], "fte": [1.0], "experience_years": [3.0]}
    )

    cases = at.read_cases(export, key=KEY)
    rejected = cases.attrs["rejected"]
    # rows in = rows out + rejected (distinct rows)
    assert len(cases) + rejected["row"].nunique() == len(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wl = at.score(cases, workers, "barn-och-unga")
    assert wl.cases["row"].nunique() + wl.rejected.query("table == 'cases'")[
        "row"
    ].nunique() == len(rows)
    wl.to_csv(tmp / "out")
    wl.to_csv(tmp / "out" / "sv", excel_friendly=True)
    wl.to_excel(tmp / "out" / "result.xlsx")
    rejected.to_csv(tmp / "out" / "reader_rejected.csv")
    text = "\n".join(
        [
            all_text(tmp / "out"),
            cases.to_csv(),
            wl.rejected.to_csv(),
            repr(wl),
            str(cases.attrs["read"]),
        ]
    )
    try:
        at.score(cases, workers, "barn-och-unga", strict=True)
    except DataError as exc:
        text += str(exc) + (exc.failures.to_csv() if exc.failures is not None else "")
    for n in secrets_:
        for form in forms(n):
            assert form not in text, "an identity number leaked into an output"


def test_exception_text_never_holds_a_number() -> None:
    n = synthetic_personnummer(1, seed=1)[0]
    bad_inputs = [
        f"{n};x\n1;2\n",  # no header, number in the header row
        f"Dnr;Handläggare;{n}\nA;H;x\n",  # missing columns, number as a header
    ]
    for text in bad_inputs:
        with pytest.raises(DataError) as info:
            at.read_cases(io.StringIO(text), key=KEY)
        for form in forms(n):
            assert form not in str(info.value)


number_strategy = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**31),
        "form": st.sampled_from(["10", "12"]),
        "samordning": st.booleans(),
        "born": st.sampled_from([(2000, 2000), (2001, 2009), (1930, 1999), (2010, 2024)]),
    }
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(number_strategy, min_size=1, max_size=8),
    st.sampled_from(["int64", "float64", "Int64", "object"]),
    st.sampled_from(["12-", "12", "10-", "10", "int"]),
    st.sampled_from(["frame", "parquet"]),
)
def test_numbers_stored_as_numbers_and_as_headers_never_leak(  # type: ignore[no-untyped-def]
    tmp_path_factory, monkeypatch, rows, dtype: str, header_form: str, via: str
) -> None:
    from typer.testing import CliRunner

    monkeypatch.setenv("ARBETSTYNGD_KEY", KEY)
    tmp = tmp_path_factory.mktemp("numbers")
    secrets_ = [
        synthetic_personnummer(
            1, seed=r["seed"], form="12", sep="", samordning=r["samordning"], born=r["born"]
        )[0]
        for r in rows
    ]
    stored = [
        int(n) if r["form"] == "12" else int(n[2:]) for n, r in zip(secrets_, rows, strict=True)
    ]
    column = pd.Series(stored, dtype=dtype if dtype != "object" else object)
    if dtype == "float64":
        column = pd.Series([*column.tolist()[:-1], np.nan] if len(column) > 1 else column)
        stored_secrets = secrets_[:-1] if len(column) > 1 else secrets_
    else:
        stored_secrets = secrets_
    head = secrets_[0]
    header: object = {
        "12-": f"{head[:8]}-{head[8:]}",
        "12": head,
        "10-": f"{head[2:8]}-{head[8:]}",
        "10": head[2:],
        "int": int(head[2:]),
    }[header_form]
    k = len(rows)
    frame = pd.DataFrame(
        {
            "Dnr": [f"A-{i}" for i in range(k)],
            "Handläggare": "H1",
            "Ärendetyp": "bou_lvu",
            "Startdatum": "2025-01-01",
            "Personnummer": column,
            "Klientnr": column,
            header: np.arange(k),
        }
    )
    source: object = frame
    if via == "parquet":
        frame.columns = [str(c) for c in frame.columns]
        source = tmp / "cases.parquet"
        frame.to_parquet(source)
    cases = at.read_cases(source, key=KEY)  # type: ignore[arg-type]
    assert len(cases) + cases.attrs["rejected"]["row"].nunique() == k
    workers = pd.DataFrame(
        {"worker_id": ["H1"], "team_id": ["T1"], "fte": [1.0], "experience_years": [3.0]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wl = at.score(cases, workers, "barn-och-unga")
    wl.to_csv(tmp / "out")
    wl.to_excel(tmp / "out" / "result.xlsx")
    text = "\n".join(
        [
            all_text(tmp / "out"),
            cases.to_csv(),
            " ".join(map(str, cases.columns)),
            str(cases.attrs["read"]),
            repr(wl),
        ]
    )
    if via == "parquet":
        result = CliRunner().invoke(app, ["validate", str(source), "--report", str(tmp / "r.csv")])
        text += result.output
    for n in {*stored_secrets, head}:
        for form in forms(n):
            assert form not in text, "an identity number stored as a number leaked"
