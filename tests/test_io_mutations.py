"""Seeded mutations of a valid export: a frame or the library's error, never a shifted field.

Every cell is tagged with its column (``cid``, ``wrk``, ``typ``, ``nt`` and the row), so a
value read under another column is seen at once, whatever the mutation did to the file.

A read costs about the same for 40 rows as for 2 (the reader's fixed cost is pandas calls,
not rows), so each export carries several mutations: six to twelve on distinct data rows
(flipped bytes, a stray delimiter, quote or field, a missing field) and one on the whole file
(duplicated header, a trailing delimiter on every row, two encodings, truncation, a NUL
byte). Row mutations leave the other rows as written, so those rows must come back read.
"""

from __future__ import annotations

import collections
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
N_ROWS = 40
ROW_KINDS = ("flip", "delimiter", "extra", "missing", "quote")
# file mutations after which each line is still one row: every line comes back or is refused
LINE_PRESERVING = {None, "trailing", "encoding"}
# a file mutation that makes the whole file unreadable is tried on its own
ALONE = ("header", "nul")
FILE_KINDS = (None, "trailing", "encoding", "truncate")
SEEDS = range(8)


def _lines(rng: np.random.Generator) -> list[str]:
    rows = [";".join(HEADER)]
    for r in range(N_ROWS):
        day = int(rng.integers(1, 29))
        note = f"nt{r}x å" if rng.random() < 0.7 else ""
        rows.append(f"cid{r}x;wrk{r}x;typ{r}x;2026-01-{day:02d};{note}")
    return rows


def _mutate_row(line: str, kind: str, rng: np.random.Generator) -> str:
    j = int(rng.integers(0, len(line) + 1))
    if kind == "flip":
        for _ in range(int(rng.integers(1, 4))):
            k = int(rng.integers(0, len(line)))
            line = line[:k] + chr(int(rng.integers(97, 123))) + line[k + 1 :]
        return line
    if kind in ("delimiter", "quote"):
        return line[:j] + {"delimiter": ";", "quote": '"'}[kind] + line[j:]
    fields = line.split(";")
    if kind == "extra":
        fields.insert(int(rng.integers(0, len(fields) + 1)), "extra")
    else:  # missing
        del fields[int(rng.integers(0, len(fields)))]
    return ";".join(fields)


def _mutate_file(lines: list[str], kind: str | None, rng: np.random.Generator) -> bytes:
    lines = list(lines)
    if kind == "header":
        fields = lines[0].split(";")
        i, j = rng.choice(len(fields), 2, replace=False)
        fields[int(i)] = fields[int(j)]
        lines[0] = ";".join(fields)
    elif kind == "trailing":
        lines = [line + ";" if k else line for k, line in enumerate(lines)]
    elif kind == "nul":
        pick = int(rng.integers(1, len(lines)))
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


Export = tuple[bytes, str | None, set[int], list[str]]


def _exports(seed: int) -> list[Export]:
    """The seed's mutated exports.

    Each is the bytes, the file mutation, the file rows left as written, and every mutation
    made.
    """
    rng = np.random.default_rng(seed)
    out: list[Export] = []
    for kind in FILE_KINDS:
        lines = _lines(rng)
        made: list[str] = []
        picked = rng.choice(np.arange(1, len(lines)), int(rng.integers(6, 13)), replace=False)
        for i in picked:
            row_kind = ROW_KINDS[int(rng.integers(0, len(ROW_KINDS)))]
            lines[int(i)] = _mutate_row(lines[int(i)], row_kind, rng)
            made.append(row_kind)
        data = _mutate_file(lines, kind, rng)
        untouched = {k + 1 for k in range(1, len(lines)) if k not in picked}
        out.append((data, kind, untouched, [*made, *([kind] if kind else [])]))
    for kind in ALONE:
        out.append((_mutate_file(_lines(rng), kind, rng), kind, set(), [kind]))
    return out


def _other_tags(column: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"{t}\d+x" for c, t in TAGS.items() if c != column))


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_exports(seed: int) -> None:
    read = 0
    for data, kind, untouched, _ in _exports(seed):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                frame = at.read_cases(data, key=KEY)
            except DataError:
                continue
        read += 1
        _check(frame, data, kind, untouched)
    # most exports are still readable, so the checks above are not vacuous
    assert read >= len(FILE_KINDS) - 1


def test_every_kind_of_mutation_is_made_a_few_hundred_times_in_all() -> None:
    made = collections.Counter(k for seed in SEEDS for *_, kinds in _exports(seed) for k in kinds)
    assert sum(made.values()) >= 300, made
    kinds = [*ROW_KINDS, "trailing", "encoding", "truncate", *ALONE]
    assert min(made[k] for k in kinds) >= len(SEEDS), made


def _check(frame: pd.DataFrame, data: bytes, kind: str | None, untouched: set[int]) -> None:
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
        undated = set(frame.loc[frame["opened"].isna(), "source_row"])
        # only the line a truncation cut short may end before its date
        last = data.count(b"\n") + 1 if kind == "truncate" and not data.endswith(b"\n") else 0
        assert undated <= {last}, (kind, sorted(undated))
    if kind in LINE_PRESERVING:
        info = frame.attrs["read"]
        text = data.decode("cp1252", errors="replace")
        below = text.split("\n")[info.header_row :]
        expected = {
            info.header_row + 1 + k for k, line in enumerate(below) if line.replace(";", "").strip()
        }
        assert kept | refused == expected, kind
        # a mutation of one row costs that row only
        assert untouched <= kept, (kind, sorted(untouched - kept))
