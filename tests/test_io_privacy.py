"""No identity number survives reading, scoring and writing; every row is accounted for."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbetstyngd as at
from arbetstyngd.errors import DataError
from arbetstyngd.io.personnummer import synthetic_personnummer

KEY = "privacy-test-key-0123456789"


def forms(number: str) -> set[str]:
    """Every way the number could leak: 12/10 digits, with and without separator."""
    digits = number.replace("-", "").replace("+", "")
    twelve = digits if len(digits) == 12 else None
    ten = digits[-10:]
    out = {ten, f"{ten[:6]}-{ten[6:]}", f"{ten[:6]}+{ten[6:]}"}
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
    workers = pd.DataFrame({"worker_id": ["H1"], "team_id": ["T1"], "fte": [1.0]})

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
