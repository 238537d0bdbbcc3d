"""Synthetic messy exports: a municipality written the way real systems write files.

For tests, examples and benchmarks only. Everything is invented (the identity numbers are
generated, Luhn-valid, at random): no real person or case. The files have what real exports
have: Swedish headers, a title line above the header, a blank row, semicolons, decimal commas,
cp1252 or UTF-8 with BOM, day-first dates, Excel date numbers, fte in per cent, caseworkers
named instead of identified, identity numbers in a subject column and in a free-text note, and
(``broken=True``) a handful of rows that cannot be read.

Examples
--------
>>> import tempfile, pathlib, warnings
>>> import arbetstyngd as at
>>> with tempfile.TemporaryDirectory() as d:
...     files = write_messy_export(pathlib.Path(d), n_workers=8, seed=1)
...     workers = at.read_workers(files["workers"], key="k" * 32)
...     cases = at.read_cases(files["cases"], key="k" * 32, roster=workers, scheme=files.scheme)
...     with warnings.catch_warnings():
...         warnings.simplefilter("ignore")
...         wl = at.score(cases, workers, files.scheme)
>>> len(wl.rejected) > 0  # the broken rows are listed, not dropped
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..io.personnummer import synthetic_personnummer
from ..scheme import Scheme
from .municipality import make_municipality

__all__ = ["MessyExport", "messy_cases_text", "write_messy_export"]

_FIRST = ("Anna", "Åsa", "Erik", "Björn", "Maria", "Sofia", "Jonas", "Karin", "Ömer", "Linnéa")
_LAST = ("Andersson", "Öberg", "Nilsson", "Lindqvist", "Åkesson", "Eriksson", "Håkansson")


@attrs.frozen
class MessyExport:
    """Paths of the files written, the scheme they go with and the number of data rows."""

    paths: dict[str, Path]
    scheme: Scheme
    rows: dict[str, int]

    def __getitem__(self, kind: str) -> Path:
        return self.paths[kind]


def _names(n: int, rng: np.random.Generator) -> list[str]:
    first = rng.choice(_FIRST, n)
    last = rng.choice(_LAST, n)
    names = [f"{f} {la}" for f, la in zip(first, last, strict=True)]
    seen: dict[str, int] = {}
    out = []
    for name in names:  # a roster never has two people of the same name here
        k = seen.get(name, 0)
        seen[name] = k + 1
        out.append(name if k == 0 else f"{name} {k + 1}")
    return out


def _swedish_number(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    text = np.char.mod(f"%.{decimals}f", values.astype(float))
    return np.char.replace(text, ".", ",")


def messy_cases_frame(
    cases: pd.DataFrame, names: dict[str, str], rng: np.random.Generator
) -> pd.DataFrame:
    """The cases of a synthetic municipality with Swedish headers and messy values."""
    n = len(cases)
    opened = pd.to_datetime(cases["opened"])
    closed = pd.to_datetime(cases["closed"])
    style = rng.integers(0, 4, n)
    iso = opened.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    dmy = (
        opened.dt.day.astype(str)
        + "/"
        + opened.dt.month.astype(str)
        + " "
        + opened.dt.year.astype(str)
    ).to_numpy(dtype=object)
    compact = opened.dt.strftime("%Y%m%d").to_numpy(dtype=object)
    serial = ((opened - pd.Timestamp("1899-12-30")).dt.days).astype(str).to_numpy(dtype=object)
    opened_text = np.select([style == 0, style == 1, style == 2], [iso, dmy, compact], serial)
    closed_text = closed.dt.strftime("%Y-%m-%d %H:%M").fillna("").to_numpy(dtype=object)
    subjects = np.asarray(synthetic_personnummer(n, seed=rng, born=(2008, 2024)), dtype=object)
    short = rng.random(n) < 0.3  # some systems write the 10-digit form
    subjects = np.where(short, [s[2:] for s in subjects], subjects)
    note = np.where(
        rng.random(n) < 0.05, "Syskon till " + np.asarray(subjects, dtype=str), ""
    ).astype(object)
    frame = pd.DataFrame(
        {
            "Dnr": cases["case_id"].to_numpy(),
            "Handläggare": cases["worker_id"].map(names).to_numpy(),
            "Ärendetyp": cases["case_type"].to_numpy(),
            "Fas": cases["phase"]
            .fillna("")
            .str.capitalize()
            .str.replace("Uppfoljning", "Uppföljning"),
            "Aktualiseringsdatum": opened_text,
            "Avslutsdatum": closed_text,
            "Personnummer": subjects,
            "Tolk": np.where(cases["tolk"], "Ja", "Nej"),
            "Skyddad identitet": np.where(cases["skyddad_identitet"], "ja", "nej"),
            "Hög konflikt": np.where(cases["hog_konflikt"], "X", ""),
            "Anteckning": note,
        }
    )
    return frame


def messy_cases_text(frame: pd.DataFrame, *, title: bool = True, broken: bool = True) -> str:
    """The semicolon text of a messy cases frame, with a title line and broken rows."""
    body = frame.to_csv(sep=";", index=False, lineterminator="\n")
    lines = body.splitlines()
    if broken and len(lines) > 6:
        # one row with an unquoted delimiter, one unparseable date, one blank row
        parts = lines[3].split(";")
        parts[0] = parts[0] + ";extra"
        lines[3] = ";".join(parts)
        parts = lines[5].split(";")
        parts[4] = "31/2 2025"
        lines[5] = ";".join(parts)
        lines.insert(6, "")
    head = ["Rapport: Aktiva ärenden, individ- och familjeomsorgen;;;", ""] if title else []
    return "\n".join([*head, *lines]) + "\n"


def write_messy_export(
    directory: str | Path,
    *,
    n_workers: int = 40,
    seed: int = 0,
    encoding: str = "cp1252",
    broken: bool = True,
    **municipality: Any,
) -> MessyExport:
    """Write ``cases.csv`` (semicolons, ``encoding``) and ``workers.xlsx`` for a synthetic town.

    Returns a :class:`MessyExport` with the paths, the scheme and the number of data rows.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    town = make_municipality(n_workers=n_workers, seed=seed, **municipality)
    rng = np.random.default_rng(seed)
    workers = town.workers
    names = dict(zip(workers["worker_id"], _names(len(workers), rng), strict=True))
    cases = messy_cases_frame(town.cases, names, rng)
    case_path = directory / "cases.csv"
    case_path.write_bytes(messy_cases_text(cases, broken=broken).encode(encoding))
    roster = pd.DataFrame(
        {
            "Handläggar-id": workers["worker_id"],
            "Namn": workers["worker_id"].map(names),
            "Enhet": workers["team_id"],
            "Tjänstgöringsgrad": (workers["fte"] * 100).round().astype(int).astype(str) + " %",
            "Anställningsdatum i yrket": pd.to_datetime(workers["profession_start"]).dt.date,
            "Nedsättning": _swedish_number(workers["reduction"].to_numpy()),
        }
    )
    worker_path = directory / "workers.xlsx"
    roster.to_excel(worker_path, index=False, sheet_name="Personal", engine="openpyxl")
    return MessyExport(
        paths={"cases": case_path, "workers": worker_path},
        scheme=town.scheme,
        rows={"cases": len(cases), "workers": len(roster)},
    )
