"""The reader's fast paths read every file exactly as the careful path does.

The careful path is the reader before its fast paths: pandas' C parser on the decoded text,
every column checked for identity numbers on all its cells, each step factorising and
stripping the columns it reads, the subject column pseudonymised in line. The fast path reads
cp1252, latin-1 and UTF-8 files with pyarrow from their bytes, checks repetitive columns on
their distinct values, keeps one factorisation and one strip per column, and pseudonymises the
subject column in a thread of its own (here forced on for small files too). Frames, rejection
tables, read reports and pseudonyms must be identical.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.datasets import make_treserva_export, write_messy_export
from arbetstyngd.io import identity, parse, pseudonym, values
from arbetstyngd.io.formats import text
from arbetstyngd.io.personnummer import synthetic_personnummer

KEY = "fastpath-test-key-0123456789"


class _Forgetful(dict):  # type: ignore[type-arg]
    """A cache that keeps nothing: every step strips its columns again."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


def _careful(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_read_bytes_fast", lambda *a, **k: None)
    monkeypatch.setattr(text, "_read_csv_fast", lambda *a, **k: None)
    monkeypatch.setattr(identity, "_nothing_to_find", lambda *a, **k: False)
    monkeypatch.setattr(identity, "_THREADED_ROWS", 10**18)

    def plain(series: pd.Series) -> Any:
        return pd.factorize(series, use_na_sentinel=True)

    for module in (parse, identity, values, pseudonym):
        monkeypatch.setattr(module, "distinct", plain)
    monkeypatch.setattr(parse, "_STRIPPED", _Forgetful())


#: what the fast path did in the last read: pyarrow's rows taken, columns judged as distinct
TAKEN: dict[str, int] = {}


def _both(read: Callable[[], pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The read on the fast path (threads forced on), then on the careful path."""
    TAKEN.clear()

    def spy(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            out = function(*args, **kwargs)
            TAKEN[name] = TAKEN.get(name, 0) + int(out is not None and out is not False)
            return out

        return counted

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(identity, "_THREADED_ROWS", 0)
        mp.setattr(text, "_read_bytes_fast", spy("arrow", text._read_bytes_fast))
        mp.setattr(identity, "_nothing_to_find", spy("distinct", identity._nothing_to_find))
        yield read()
    with pytest.MonkeyPatch.context() as mp:
        _careful(mp)
        yield read()


def _same(read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast, careful = _both(read)
    assert len(fast) > 0
    pd.testing.assert_frame_equal(fast, careful, check_exact=True)
    pd.testing.assert_frame_equal(
        fast.attrs["rejected"], careful.attrs["rejected"], check_exact=True
    )
    assert fast.attrs["read"] == careful.attrs["read"]
    return fast


def _export(n: int, seed: int) -> pd.DataFrame:
    """A BI-style export: identity numbers of several forms, four date styles, stray spaces,
    identity numbers where they do not belong (a note, a date, a whole number)."""
    rng = np.random.default_rng(seed)
    people = np.array(synthetic_personnummer(40, seed=seed, born=(2000, 2020)), dtype=object)
    subject = people[rng.integers(0, len(people), n)]
    ten = rng.random(n) < 0.3
    subject[ten] = [p[2:] for p in subject[ten]]
    subject[rng.random(n) < 0.05] = ""
    subject[rng.random(n) < 0.05] = " " + subject[0] + " "
    opened = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    style = rng.integers(0, 4, n)
    written = np.where(
        style == 0,
        opened.strftime("%Y-%m-%d"),
        np.where(
            style == 1,
            opened.strftime("%d/%m %Y"),
            np.where(style == 2, opened.strftime("%Y%m%d"), opened.strftime("%d.%m.%Y")),
        ),
    ).astype(object)
    written[rng.random(n) < 0.02] = "31/2 2025"
    note = rng.choice(["", "Ring upp", "Åter", "Möte"], n).astype(object)
    mention = rng.random(n) < 0.05
    note[mention] = [
        "Kontakt med " + p for p in people[rng.integers(0, len(people), mention.sum())]
    ]
    frame = pd.DataFrame(
        {
            "Dnr": [f"A-{i}" for i in range(n)],
            "Handläggare": rng.choice(["H1", "H2", " H3", "H4 "], n),
            "Ärendetyp": rng.choice(["bou_utredning", "bou_oppenvard"], n),
            "Fas": rng.choice(["Utredning", "Insats", "Uppföljning", ""], n),
            "Aktualiseringsdatum": written,
            "Avslutsdatum": "",
            "Personnummer": subject,
            "Anteckning": note,
            "Poäng": np.char.replace(np.char.mod("%.1f", rng.random(n) * 10), ".", ","),
        }
    )
    if n > 10:
        frame.loc[3, "Avslutsdatum"] = people[1]  # an identity number in a date column
        frame.loc[5, "Poäng"] = "x"
    return frame


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig", "latin-1"])
@pytest.mark.parametrize("seed", [0, 1])
def test_bi_export_reads_the_same(encoding: str, seed: int) -> None:
    data = _export(300, seed).to_csv(sep=";", index=False).encode(encoding)
    cases = _same(lambda: at.read_cases(io.BytesIO(data), key=KEY))
    assert TAKEN["arrow"] == 1 and TAKEN["distinct"] >= 4  # the fast path was taken
    assert cases.attrs["read"].rows_rejected > 0
    assert cases["subject_id"].str.startswith("ps_").sum() > 0


def test_cp1252_columns_are_decoded_after_splitting() -> None:
    # accents (and characters of three UTF-8 bytes) in several columns, quoted values with the
    # delimiter, and a byte cp1252 leaves undefined far into the file (then the whole file is
    # read as latin-1, on both paths)
    n = 8000  # the undefined byte beyond the first 256 KiB, which are decoded first
    frame = _export(n, 4)
    frame["Anteckning"] = np.where(np.arange(n) % 7 == 0, 'Möte; Åsa "ÖÄ" – 5 €', "Ärende")
    data = frame.to_csv(sep=";", index=False).encode("cp1252")
    _same(lambda: at.read_cases(io.BytesIO(data), key=KEY))
    assert TAKEN["arrow"] == 1
    late = data + "A-x;H1;bou_utredning;;2025-01-01;;;".encode("cp1252") + b"\x81;1\n"
    cases = _same(lambda: at.read_cases(io.BytesIO(late), key=KEY))
    assert len(late) > 256 * 1024 and TAKEN["arrow"] == 0  # tried, and given up
    assert cases["anteckning"].iloc[-1] == "\x81"


@pytest.mark.parametrize(
    "change",
    [
        "trailing delimiter",
        "title line",
        "crlf",
        "blank line",
        "short row",
        "surplus field",
        "stray quote",
        "late byte",
        "quoted line break",
    ],
)
def test_awkward_files_read_the_same(change: str) -> None:
    body = _export(120, 7).to_csv(sep=";", index=False, lineterminator="\n")
    lines = body.splitlines(keepends=True)
    if change == "trailing delimiter":
        lines = [line.replace("\n", ";\n") for line in lines]
    elif change == "title line":
        lines.insert(0, "Ärendelista 2025\n")
    elif change == "crlf":
        lines = [line.replace("\n", "\r\n") for line in lines]
    elif change == "blank line":
        lines.insert(40, "\n")
    elif change == "short row":
        lines[30] = lines[30].replace(";", "", 1)
    elif change == "surplus field":
        lines[30] = lines[30].replace(";", ";;", 1)
    elif change == "stray quote":
        lines[30] = lines[30].replace(";", ';"', 1)
    elif change == "quoted line break":
        lines[30] = lines[30].replace(";Ring upp;", ';"Ring\nupp";').replace(";;", ';"a\nb";', 1)
    data = "".join(lines).encode("utf-8")
    if change == "late byte":
        # UTF-8 until a cp1252 byte near the end: the whole file is read as cp1252
        data = data.replace("Ä".encode(), b"A").replace("ä".encode(), b"a")
        data += "A-999;H1;bou_utredning;Fas;2025-01-01;;;Åter;1\n".encode("cp1252")
    _same(lambda: at.read_cases(io.BytesIO(data), key=KEY))


def test_messy_export_reads_the_same(tmp_path: Path) -> None:
    for encoding in ("cp1252", "utf-8-sig"):
        files = write_messy_export(tmp_path / encoding, n_workers=12, seed=3, encoding=encoding)
        workers = _same(lambda f=files: at.read_workers(f["workers"], key=KEY))
        cases = _same(
            lambda f=files, w=workers: at.read_cases(
                f["cases"], key=KEY, roster=w, scheme=f.scheme, demographics=True
            )
        )
        assert len(cases.attrs["rejected"]) > 0


def test_treserva_export_reads_the_same(tmp_path: Path) -> None:
    export = make_treserva_export(tmp_path, seed=0)
    scheme = at.load_scheme("barn-och-unga")
    columns = export["profile"]
    workers = _same(lambda: at.read_workers(export["workers"], columns=columns, scheme=scheme))
    _same(lambda: at.read_cases(export["cases"], columns=columns, scheme=scheme, roster=workers))


def test_identity_numbers_in_other_columns_are_found_on_both_paths() -> None:
    # a repetitive column holding numbers (whole, written, in text): found, not skipped
    rng = np.random.default_rng(5)
    people = synthetic_personnummer(6, seed=5, sep="", born=(2001, 2009))
    n = 400
    frame = _export(n, 5)
    frame["Kontakt"] = rng.choice([people[0][2:], people[1][3:], "inget", "Ring " + people[2]], n)
    data = frame.to_csv(sep=";", index=False).encode("cp1252")
    cases = _same(lambda: at.read_cases(io.BytesIO(data), key=KEY))
    assert dict(cases.attrs["read"].pseudonymised)["kontakt"] > 0
    assert not cases["kontakt"].str.contains(people[0][2:], regex=False).any()


@pytest.mark.parametrize("share", [0.2, 0.8])
def test_whole_numbers_judged_on_distinct_values_weigh_them_by_cells(share: float) -> None:
    # 7- and 8-digit numbers (born in 2000, stored as integers) are taken only where most of
    # the column's whole numbers are valid identity numbers: a share of cells, which the
    # distinct values give only when weighted (here 30 people against 300 other numbers)
    from arbetstyngd.io import personnummer as pnr

    rng = np.random.default_rng(int(share * 10))
    born = synthetic_personnummer(30, seed=3, sep="", born=(2000, 2000))
    short = [str(int(p[2:])) for p in born]
    other = [str(v) for v in rng.integers(10**6, 10**7, 300)]  # 7 digits: all candidates
    n = 3000
    cells = pd.Series(
        np.where(rng.random(n) < share, rng.choice(short, n), rng.choice(other, n)), dtype="str"
    )
    mask, forms = pnr.whole_number_identity(cells, stripped=True)
    codes, uniques = pd.factorize(cells)
    u = pd.Series(uniques, dtype="str")
    weights = np.bincount(codes, minlength=len(u))
    mask_u, forms_u = pnr.whole_number_identity(u, stripped=True, weights=weights)
    assert mask_u[codes].tolist() == mask.tolist()
    assert forms_u[codes].tolist() == forms.tolist()
    assert mask.any() == (share > 0.5)
    if share > 0.5:  # unweighted, the distinct values would not be evidence enough
        assert not pnr.whole_number_identity(u, stripped=True)[0].any()
