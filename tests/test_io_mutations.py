"""Seeded mutations of a valid export: a frame or the library's error, never a shifted field.

Every cell is tagged with its column (``cid``, ``wrk``, ``typ``, ``nt`` and the row), so a
value read under another column is seen at once, whatever the mutation did to the file.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.errors import DataError

KEY = "k" * 32
HEADER = ["Dnr", "Handläggare", "Ärendetyp", "Aktualiseringsdatum", "Anteckning"]
TAGS = {"case_id": "cid", "worker_id": "wrk", "case_type": "typ", "anteckning": "nt"}
N_ROWS = 24
# mutations that keep one line per row: every data line must come back, read or rejected
LINE_PRESERVING = {"flip", "delimiter", "encoding", "extra", "missing", "header", "trailing"}


def _lines(rng: np.random.Generator) -> list[str]:
    rows = [";".join(HEADER)]
    for r in range(N_ROWS):
        day = int(rng.integers(1, 29))
        note = f"nt{r}x å" if rng.random() < 0.7 else ""
        rows.append(f"cid{r}x;wrk{r}x;typ{r}x;2026-01-{day:02d};{note}")
    return rows


def _mutate(lines: list[str], kind: str, rng: np.random.Generator) -> bytes:
    lines = list(lines)
    pick = int(rng.integers(1, len(lines)))
    if kind == "flip":
        for _ in range(int(rng.integers(1, 6))):
            i = int(rng.integers(1, len(lines)))
            if lines[i]:
                j = int(rng.integers(0, len(lines[i])))
                lines[i] = lines[i][:j] + chr(int(rng.integers(97, 123))) + lines[i][j + 1 :]
    elif kind == "delimiter":
        j = int(rng.integers(0, len(lines[pick]) + 1))
        lines[pick] = lines[pick][:j] + ";" + lines[pick][j:]
    elif kind == "extra":
        fields = lines[pick].split(";")
        fields.insert(int(rng.integers(0, len(fields) + 1)), "extra")
        lines[pick] = ";".join(fields)
    elif kind == "missing":
        fields = lines[pick].split(";")
        del fields[int(rng.integers(0, len(fields)))]
        lines[pick] = ";".join(fields)
    elif kind == "header":
        fields = lines[0].split(";")
        i, j = rng.choice(len(fields), 2, replace=False)
        fields[int(i)] = fields[int(j)]
        lines[0] = ";".join(fields)
    elif kind == "trailing":
        lines = [line + ";" if k else line for k, line in enumerate(lines)]
    elif kind == "quote":
        j = int(rng.integers(0, len(lines[pick]) + 1))
        lines[pick] = lines[pick][:j] + '"' + lines[pick][j:]
    elif kind == "nul":
        j = int(rng.integers(0, len(lines[pick]) + 1))
        lines[pick] = lines[pick][:j] + "\x00" + lines[pick][j:]
    if kind == "encoding":
        # a file pasted together from a cp1252 and a UTF-8 export
        half = len(lines) // 2
        return ("\n".join(lines[:half]) + "\n").encode("cp1252") + (
            "\n".join(lines[half:]) + "\n"
        ).encode("utf-8")
    data = ("\n".join(lines) + "\n").encode("cp1252")
    if kind == "truncate":
        data = data[: int(rng.integers(0, len(data)))]
    return data


KINDS = [*sorted(LINE_PRESERVING), "quote", "nul", "truncate"]


def _other_tags(column: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"{t}\d+x" for c, t in TAGS.items() if c != column))


@pytest.mark.parametrize("seed", range(10))
def test_mutated_exports(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for kind in KINDS * 2:
        lines = _lines(rng)
        data = _mutate(lines, kind, rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                frame = at.read_cases(data, key=KEY)
            except DataError:
                continue
        _check(frame, data, kind)


def _check(frame: pd.DataFrame, data: bytes, kind: str) -> None:
    assert isinstance(frame, pd.DataFrame)
    rejected = pd.DataFrame(frame.attrs["rejected"])
    kept = set(frame["source_row"].tolist())
    refused = set(rejected["row"].astype(int).tolist())
    assert not kept & refused, kind
    for column in TAGS:
        if column in frame.columns:
            values = frame[column].dropna().astype(str)
            wrong = values[values.str.contains(_other_tags(column))]
            assert wrong.empty, (kind, column, wrong.tolist())
    if "opened" in frame.columns:
        assert frame["opened"].notna().all(), kind
    if kind in LINE_PRESERVING:
        info = frame.attrs["read"]
        text = data.decode("cp1252", errors="replace")
        below = text.split("\n")[info.header_row :]
        expected = {
            info.header_row + 1 + k for k, line in enumerate(below) if line.replace(";", "").strip()
        }
        assert kept | refused == expected, kind
