"""The data contract: every canonical column of every input table, once.

Each :class:`Column` says which table it belongs to, its name, its kind (``id``, ``text``,
``date``, ``number``, ``share``, ``flag``), whether it is required, the interval its values
must lie in, its Swedish and English label, the header synonyms the readers recognise and a
note for the documentation. The validators, the readers' canonical columns and synonyms, the
pandera schemas of :mod:`arbetstyngd.contracts` and the column tables of
``docs/data-contract.md`` are all derived from :data:`CONTRACT`: adding a column is one entry.

Examples
--------
>>> column("workers", "fte").interval()
'(0, 1.5]'
>>> required_columns("cases")
('case_id', 'worker_id', 'case_type', 'opened')
"""

from __future__ import annotations

import math
from typing import Literal

import attrs

__all__ = [
    "CASE_COLUMNS",
    "CONTRACT",
    "DERIVED_COVARIATES",
    "FALSE_WORDS",
    "REDUCTION_COLUMNS",
    "REQUIRED",
    "SYNONYMS",
    "TABLES",
    "TEAM_COLUMNS",
    "TRUE_WORDS",
    "WORKER_COLUMNS",
    "Column",
    "column",
    "columns_of",
    "markdown_table",
    "required_columns",
]

Kind = Literal["id", "text", "date", "number", "share", "flag"]
#: The input tables, in the order the documentation lists them.
TABLES = ("cases", "workers", "teams", "reductions")
_DOC_TYPE = {
    "id": "text",
    "text": "text",
    "date": "datetime64",
    "number": "float",
    "share": "float",
    "flag": "yes/no",
}


@attrs.frozen
class Column:
    """One canonical column of one input table."""

    table: str
    name: str
    kind: Kind
    sv: str
    en: str
    required: bool = False
    #: the interval values must lie in (``None``: any value of the kind)
    bounds: tuple[float, float] | None = None
    #: whether each end of ``bounds`` is included
    closed: tuple[bool, bool] = (True, True)
    #: a value written the way the library wants it, for messages
    example: str = ""
    #: header synonyms the readers recognise, most specific first (the name itself first)
    synonyms: tuple[str, ...] = ()
    note: str = ""

    def interval(self) -> str:
        """The bounds written as an interval, e.g. ``(0, 1.5]``."""
        if self.bounds is None:
            return ""
        lo, hi = self.bounds
        return f"{'[' if self.closed[0] else '('}{lo:g}, {hi:g}{']' if self.closed[1] else ')'}"

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies within the bounds."""
        if self.bounds is None:
            return True
        lo, hi = self.bounds
        above = value >= lo if self.closed[0] else value > lo
        below = value <= hi if self.closed[1] else value < hi
        return above and below


_INF = math.inf

#: Every canonical column, table by table.
CONTRACT: tuple[Column, ...] = (
    # --- cases ---------------------------------------------------------------------------
    Column(
        "cases",
        "case_id",
        "id",
        "Ärende",
        "Case",
        required=True,
        synonyms=(
            "case_id", "ärendenummer", "ärendenr", "ärende-id", "ärendeid", "ärende id", "dnr",
            "diarienummer", "diarienr", "ärende", "akt-id", "aktnummer", "case", "case id",
        ),
        note="unique per row; leading zeros kept; compared as given (readers strip cells, "
        "and object-dtype columns are stripped on scoring)",
    ),
    Column(
        "cases",
        "worker_id",
        "id",
        "Handläggare",
        "Caseworker",
        required=True,
        synonyms=(
            "worker_id", "handläggar-id", "handläggarid", "handläggare id", "handläggarsignatur",
            "signatur", "handläggare", "ansvarig handläggare", "ansvarig", "utredare",
            "socialsekreterare", "worker", "caseworker",
        ),
        note="a roster id; display names are resolved with `roster=` / aliases",
    ),
    Column(
        "cases",
        "case_type",
        "text",
        "Ärendetyp",
        "Case type",
        required=True,
        synonyms=(
            "case_type", "ärendetyp", "ärendeslag", "insatstyp", "insats", "typ av ärende",
            "typ av insats", "ärendekategori", "kategori", "case type", "type",
        ),
        note="a case type of the scheme; map export values with a value map or `scheme=`",
    ),
    Column(
        "cases",
        "opened",
        "date",
        "Öppnat",
        "Opened",
        required=True,
        example="2026-03-31",
        synonyms=(
            "opened", "aktualiseringsdatum", "aktualiserad", "startdatum", "start", "fr.o.m.",
            "from", "fr.o.m.-datum", "från", "från och med", "inledd", "inledningsdatum",
            "öppnad", "öppnat", "registreringsdatum", "beslutsdatum start", "start date",
        ),
        note="start (aktualisering)",
    ),
    Column(
        "cases",
        "closed",
        "date",
        "Avslutat",
        "Closed",
        example="2026-03-31",
        synonyms=(
            "closed", "avslutsdatum", "avslutad", "avslutat", "slutdatum", "t.o.m.", "tom",
            "t.o.m.-datum", "till", "till och med", "stängd", "end date",
        ),
        note="empty = still open",
    ),
    Column(
        "cases",
        "phase",
        "text",
        "Fas",
        "Phase",
        synonyms=("phase", "fas", "ärendefas", "status", "ärendestatus", "skede", "steg"),
        note="a phase of the scheme (`utredning`, `insats`, `uppfoljning` …)",
    ),
    Column(
        "cases",
        "subject_id",
        "id",
        "Klient (pseudonym)",
        "Client (pseudonym)",
        synonyms=(
            "subject_id", "personnummer", "pnr", "person-nr", "personnr", "personnummer klient",
            "klientens personnummer", "samordningsnummer", "klient-id", "klientid", "klient",
            "brukare", "person-id", "subject",
        ),
        note="**always a keyed pseudonym** (`ps_` + 16 hex) after reading",
    ),
    # --- workers -------------------------------------------------------------------------
    Column(
        "workers",
        "worker_id",
        "id",
        "Handläggare",
        "Caseworker",
        required=True,
        synonyms=(
            "worker_id", "handläggar-id", "handläggarid", "handläggare id", "signatur",
            "anställningsnummer", "anst.nr", "anstnr", "medarbetar-id", "medarbetare id",
            "handläggare", "medarbetare", "worker",
        ),
        note="unique",
    ),
    Column(
        "workers",
        "fte",
        "share",
        "Tjänstgöringsgrad",
        "FTE",
        required=True,
        bounds=(0.0, 1.5),
        closed=(False, True),
        example="0.75",
        synonyms=(
            "fte", "tjänstgöringsgrad", "tjänstgöringsgrad %", "tjänstgöringsgrad (%)",
            "sysselsättningsgrad", "sysselsättningsgrad %", "sysselsättningsgrad (%)",
            "tjg-grad", "tjg grad", "tjänstgöring", "omfattning", "anställningsgrad",
            "arbetstid %", "heltidsandel",
        ),
        note="share of full time, 0 < fte ≤ 1.5; `75`, `75 %` and `0,75` all read as 0.75",
    ),
    Column(
        "workers",
        "team_id",
        "id",
        "Team",
        "Team",
        required=True,
        synonyms=(
            "team_id", "enhet", "arbetsgrupp", "grupp", "team", "enhetsnamn", "enhets-id",
            "avdelning", "sektion",
        ),
    ),
    Column(
        "workers",
        "experience_years",
        "number",
        "Erfarenhet (år)",
        "Experience (years)",
        bounds=(0.0, _INF),
        synonyms=(
            "experience_years", "år i yrket", "antal år i yrket", "yrkeserfarenhet",
            "erfarenhet år", "erfarenhet", "years of experience",
        ),
        note="used when there is no start date",
    ),
    Column(
        "workers",
        "profession_start",
        "date",
        "I yrket sedan",
        "In the profession since",
        example="2026-03-31",
        synonyms=(
            "profession_start", "anställningsdatum i yrket", "i yrket sedan", "yrkesstart",
            "examen", "examensdatum", "erfarenhet från", "start i yrket",
        ),
        note="start in the profession; experience is computed from it",
    ),
    Column(
        "workers",
        "reduction",
        "share",
        "Nedsättning (andel)",
        "Reduction (share)",
        bounds=(0.0, 1.0),
        closed=(True, False),
        example="0.1",
        synonyms=(
            "reduction", "nedsättning", "reducering", "avräkning", "andel ej ärendetid",
            "reduktion",
        ),
        note="share of time not available for cases (0–1; `20 %` reads as 0.2)",
    ),
    Column(
        "workers",
        "name",
        "text",
        "Namn",
        "Name",
        synonyms=("name", "namn", "handläggarnamn", "fullständigt namn", "för- och efternamn"),
        note="display name, used to resolve names in a cases export; shown beside the id",
    ),
    # --- teams ---------------------------------------------------------------------------
    Column(
        "teams",
        "team_id",
        "id",
        "Team",
        "Team",
        required=True,
        synonyms=("team_id", "enhet", "arbetsgrupp", "grupp", "team", "enhets-id", "enhetskod"),
        note="unique",
    ),
    Column(
        "teams",
        "manager_id",
        "id",
        "Chef",
        "Manager",
        synonyms=(
            "manager_id", "chef", "enhetschef", "första linjens chef", "gruppledare",
            "arbetsledare", "manager",
        ),
    ),
    Column(
        "teams",
        "span_of_control",
        "number",
        "Medarbetare per chef",
        "Workers per manager",
        bounds=(0.0, _INF),
        synonyms=(
            "span_of_control", "antal medarbetare per chef", "personal per chef",
            "kontrollspann", "medarbetare per chef",
        ),
        note="capacity covariate; derived from the roster when no table gives it",
    ),
    Column(
        "teams",
        "supervision_hours",
        "number",
        "Handledning (tim/mån)",
        "Supervision (h/month)",
        bounds=(0.0, _INF),
        synonyms=(
            "supervision_hours", "handledning", "handledningstimmar", "handledning timmar",
            "handledning h/mån", "handledning per månad", "timmar handledning",
        ),
        note="capacity covariate",
    ),
    Column(
        "teams",
        "support_score",
        "number",
        "Upplevt stöd",
        "Support score",
        synonyms=("support_score", "stöd", "stödindex", "upplevt stöd", "stödpoäng"),
        note="capacity covariate",
    ),
    Column(
        "teams",
        "name",
        "text",
        "Teamnamn",
        "Team name",
        synonyms=("name", "namn", "enhetsnamn", "benämning"),
    ),
    # --- reductions ------------------------------------------------------------------------
    Column("reductions", "worker_id", "id", "Handläggare", "Caseworker", required=True,
           note="a worker of the roster"),
    Column(
        "reductions",
        "share",
        "share",
        "Andel",
        "Share",
        required=True,
        bounds=(0.0, 1.0),
        closed=(False, True),
        example="0.25",
        note="in (0, 1]",
    ),
    Column("reductions", "start", "date", "Från", "Start", example="2026-03-31",
           note="first day in force (inclusive); empty = from the beginning"),
    Column("reductions", "end", "date", "Till", "End", example="2026-03-31",
           note="last day in force (inclusive); empty = open-ended"),
    Column("reductions", "reason", "text", "Orsak", "Reason",
           note="e.g. *fackligt uppdrag*, *utbildning*, *handledaruppdrag*"),
)  # fmt: skip


def columns_of(table: str) -> tuple[Column, ...]:
    """The canonical columns of one table, in contract order."""
    return tuple(c for c in CONTRACT if c.table == table)


def column(table: str, name: str) -> Column:
    """One canonical column; ``KeyError`` when the table has no such column."""
    for c in CONTRACT:
        if c.table == table and c.name == name:
            return c
    raise KeyError(f"the {table} table has no canonical column {name!r}")


def _names(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in columns_of(table))


#: Canonical columns of the cases table (flag columns are named by the scheme's multipliers).
CASE_COLUMNS: tuple[str, ...] = _names("cases")
#: Canonical columns of the workers table (covariates named by adjustments may be added).
WORKER_COLUMNS: tuple[str, ...] = _names("workers")
#: Canonical columns of the teams table (covariates named by adjustments may be added).
TEAM_COLUMNS: tuple[str, ...] = _names("teams")
#: Columns of the optional dated reductions table (a catalogue of reasons with dates).
REDUCTION_COLUMNS: tuple[str, ...] = _names("reductions")
#: Columns each table must have.
REQUIRED: dict[str, tuple[str, ...]] = {
    t: tuple(c.name for c in columns_of(t) if c.required) for t in TABLES
}
#: Header synonyms per table the readers recognise, most specific first.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    t: {c.name: c.synonyms for c in columns_of(t) if c.synonyms} for t in TABLES[:3]
}

#: Text values read as true / false in complexity-flag columns (case-insensitive).
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "ja", "j", "x", "sant"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "nej", "", "falskt", "-"})

#: Covariates the engine can derive when no table gives them.
DERIVED_COVARIATES = ("experience_years", "span_of_control")


def required_columns(kind: str) -> tuple[str, ...]:
    """Columns a ``kind`` ("cases", "workers", "teams") table must have."""
    return REQUIRED[kind]


def markdown_table(table: str) -> str:
    """The documentation's table of one table's canonical columns (``docs/data-contract.md``)."""
    lines = ["| column | required | type | notes |", "|---|---|---|---|"]
    for c in columns_of(table):
        lines.append(
            f"| `{c.name}` | {'yes' if c.required else 'no'} | {_DOC_TYPE[c.kind]} | {c.note} |"
        )
    return "\n".join(lines)
