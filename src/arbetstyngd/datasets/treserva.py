"""A synthetic Treserva-style export, as a municipal analyst gets it, with its mapping profile.

For tests, examples and the docs only. Everything is invented: the caseworkers' names are
drawn from lists of common names, the identity numbers are generated (Luhn-valid) at random,
the cases come from :func:`arbetstyngd.datasets.make_municipality`. The files have what real
exports have and what makes the road from file to report hard:

* ``arenden.csv`` — cp1252, semicolons, two title lines and a blank line above the header,
  Swedish headers that need a profile (``Aktualiserad``, ``Tolkbehov``, ``Hot/konflikt``) and
  one a scheme label maps (``Skyddade personuppgifter``), case types written as the scheme's
  Swedish labels or as the system's own names, phases with capitals and accents, caseworkers
  by name (``Förnamn Efternamn``, ``Efternamn, Förnamn`` or in lower case), dates in four
  styles, identity numbers in the subject column and in a free-text note, and bad rows: a
  misspelt case type, a caseworker not on the roster, a case closed before it was opened, a
  date that does not exist, a row with one field too many, a blank row;
* ``personal.xlsx`` — a title row, names only (no ids), ``Tjänstgöringsgrad`` in per cent,
  ``Yrkesverksam sedan`` (profession start) and an unrelated ``Anställningsdatum``;
* ``treserva.toml`` — the mapping profile for both.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     paths = make_treserva_export(d, seed=1)
...     sorted(paths)
['cases', 'profile', 'workers']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..io.personnummer import synthetic_personnummer
from ..scheme import Scheme
from .municipality import make_municipality

__all__ = ["PROFILE", "make_treserva_export"]

_FIRST = ("Anna", "Åsa", "Erik", "Björn", "Maria", "Sofia", "Jonas", "Karin", "Ömer", "Linnéa")
_LAST = ("Andersson", "Öberg", "Nilsson", "Lindqvist", "Åkesson", "Eriksson", "Håkansson")
# the system's own names for two case types, which the profile maps; the others are written
# as the scheme's Swedish labels
_SYSTEM_NAMES = {"bou_placering": "Placering familjehem/HVB", "familjeratt": "Familjerätt"}
_PHASES = {
    "insats": "Insats",
    "uppfoljning": "Uppföljning",
    "utredning": "Utredning",
    "forhandsbedomning": "Förhandsbedömning",
}

#: The mapping profile of the export (TOML).
PROFILE = """\
name = "treserva-syntetisk"
description = "Synthetic Treserva-style export (arbetstyngd.datasets.treserva)"

[read]
encoding = "cp1252"
date_order = "dmy"

[cases.columns]
case_id = "Ärendenummer"
worker_id = "Handläggare"
case_type = "Ärendetyp"
phase = "Fas"
opened = "Aktualiserad"
closed = "Avslutad"
subject_id = "Personnummer"
tolk = "Tolkbehov"
hog_konflikt = "Hot/konflikt"

[cases.values.case_type]
"Placering familjehem/HVB" = "bou_placering"
"Familjerätt" = "familjeratt"

[workers.columns]
name = "Namn"
team_id = "Enhet"
fte = "Tjänstgöringsgrad"
profession_start = "Yrkesverksam sedan"
"""


def make_treserva_export(directory: str | Path, *, seed: int = 0) -> dict[str, Path]:
    """Write ``arenden.csv``, ``personal.xlsx`` and ``treserva.toml`` into ``directory``.

    Parameters
    ----------
    directory : str or Path
        Created if missing.
    seed : int
        The same seed writes the same files.

    Returns
    -------
    dict
        ``{"cases": …, "workers": …, "profile": …}`` paths. Score on 2026-06-30 (the
        synthetic municipality's date) with the scheme ``barn-och-unga``.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    town = make_municipality(n_workers=12, seed=seed)
    names = _names(len(town.workers), rng)
    by_id = dict(zip(town.workers["worker_id"], names, strict=True))
    paths = {
        "cases": directory / "arenden.csv",
        "workers": directory / "personal.xlsx",
        "profile": directory / "treserva.toml",
    }
    cases = _cases(town.cases, town.on, by_id, town.scheme, rng)
    paths["cases"].write_bytes(_cases_text(cases, town.on, rng).encode("cp1252"))
    _roster(town.workers, by_id, rng).to_excel(
        paths["workers"], index=False, header=False, sheet_name="Personal", engine="openpyxl"
    )
    paths["profile"].write_text(PROFILE, encoding="utf-8")
    return paths


def _names(n: int, rng: np.random.Generator) -> list[str]:
    pairs = [(f, la) for f in _FIRST for la in _LAST]
    picked = rng.choice(len(pairs), size=n, replace=False)
    return [f"{pairs[i][0]} {pairs[i][1]}" for i in picked]


def _written_name(name: str, style: int) -> str:
    """A caseworker as the export writes them: as on the roster, reversed, or lower case."""
    first, last = name.split(" ", 1)
    return (name, f"{last}, {first}", name.lower())[style]


def _cases(
    cases: pd.DataFrame,
    on: pd.Timestamp,
    names: dict[str, str],
    scheme: Scheme,
    rng: np.random.Generator,
) -> pd.DataFrame:
    opened = pd.to_datetime(cases["opened"])
    closed = pd.to_datetime(cases["closed"])
    active = (opened <= on) & (closed.isna() | (closed > on))
    recent = ~active & (closed <= on) & (closed > on - pd.Timedelta(days=60))
    cases = cases.loc[active | (recent & (rng.random(len(cases)) < 0.3))]
    cases = cases.sample(frac=1.0, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    n = len(cases)
    labels = {w.case_type: w.label.sv for w in scheme.weights if w.phase is None}
    written_type = [_SYSTEM_NAMES.get(t) or labels[t] for t in cases["case_type"]]
    subjects = synthetic_personnummer(n, seed=rng, born=(2008, 2024))
    return pd.DataFrame(
        {
            "Ärendenummer": cases["case_id"].str.replace("A", "IFO-", regex=False),
            "Handläggare": [
                _written_name(names[w], int(s))
                for w, s in zip(cases["worker_id"], rng.integers(0, 3, n), strict=True)
            ],
            "Ärendetyp": written_type,
            "Fas": cases["phase"].map(_PHASES).fillna(""),
            "Aktualiserad": _dates(pd.to_datetime(cases["opened"]), rng),
            "Avslutad": pd.to_datetime(cases["closed"]).dt.strftime("%Y-%m-%d").fillna(""),
            "Personnummer": subjects,
            "Tolkbehov": np.where(cases["tolk"], "Ja", "Nej"),
            "Skyddade personuppgifter": np.where(cases["skyddad_identitet"], "ja", "nej"),
            "Hot/konflikt": np.where(cases["hog_konflikt"], "X", ""),
            "Anteckning": [
                f"Syskon {synthetic_personnummer(1, seed=rng)[0]}" if r < 0.06 else ""
                for r in rng.random(n)
            ],
        }
    )


def _dates(dates: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """ISO, ``D/M YYYY``, ``YYYYMMDD`` and ``YYYY-MM-DD 00:00``, mixed row by row."""
    style = rng.integers(0, 4, len(dates))
    iso = dates.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    day_first = (
        dates.dt.day.astype(str)
        + "/"
        + dates.dt.month.astype(str)
        + " "
        + dates.dt.year.astype(str)
    ).to_numpy(dtype=object)
    compact = dates.dt.strftime("%Y%m%d").to_numpy(dtype=object)
    clock = dates.dt.strftime("%Y-%m-%d 00:00").to_numpy(dtype=object)
    return np.select([style == 0, style == 1, style == 2], [iso, day_first, compact], clock)


def _cases_text(cases: pd.DataFrame, on: pd.Timestamp, rng: np.random.Generator) -> str:
    """The export's text, with the title lines and the bad rows a real export has."""
    bad = cases.copy()
    rows = rng.choice(np.arange(5, len(cases) - 5), size=5, replace=False)
    bad.loc[rows[0], "Ärendetyp"] = "Barnavårdsutredn."
    bad.loc[rows[1], "Handläggare"] = "Okänd Handläggare"
    bad.loc[rows[2], "Aktualiserad"] = "2026-05-02"
    bad.loc[rows[2], "Avslutad"] = "2026-04-01"
    bad.loc[rows[3], "Aktualiserad"] = "31/2 2026"
    lines = bad.to_csv(sep=";", index=False, lineterminator="\r\n").split("\r\n")
    # one field too many: a note with an unquoted semicolon, 1-based line of the data row
    line = int(rows[4]) + 1
    lines[line] = lines[line].replace(";Nej;", ";Nej; se akt;", 1)
    if lines[line].count(";") == lines[0].count(";"):
        lines[line] += ";se akt"
    lines.insert(len(lines) // 2, "")
    title = [
        "Treserva IFO - Ärendelista Barn och unga;;;;;;",
        f"Utskriven {on.date().isoformat()};;;;;;",
        "",
    ]
    return "\r\n".join([*title, *lines])


def _roster(workers: pd.DataFrame, names: dict[str, str], rng: np.random.Generator) -> pd.DataFrame:
    start = pd.to_datetime(workers["profession_start"])
    hired = start + pd.to_timedelta(rng.integers(0, 900, len(workers)), unit="D")
    body = pd.DataFrame(
        {
            "Namn": workers["worker_id"].map(names),
            "Enhet": workers["team_id"],
            "Tjänstgöringsgrad": (workers["fte"] * 100).round().astype(int),
            "Yrkesverksam sedan": start.dt.date,
            "Anställningsdatum": hired.dt.date,
        }
    )
    title = pd.DataFrame([["Personalförteckning IFO", "", "", "", ""], [""] * 5])
    header = pd.DataFrame([list(body.columns)])
    parts = [title, header, pd.DataFrame(body.to_numpy(dtype=object))]
    return pd.concat(parts, ignore_index=True)
