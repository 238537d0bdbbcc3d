"""Rejection reason codes: a stable ``code`` on every rejection row, with its label in words.

The ``reason`` column of a rejection table says what was wrong with the value it shows; the
``code`` column says which kind of problem it is, in a form integrators can filter on and
reports can group by. Each code has one Swedish and one English label here, and nowhere else.

Examples
--------
>>> reason_label("unknown_worker", "sv")
'Handläggaren finns inte i personallistan'
>>> reason_label("unknown_worker", "en")
'The worker is not in the roster'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "REASONS",
    "Reason",
    "count_by_code",
    "localise_reasons",
    "markdown_table",
    "reason_label",
]


class Reason:
    """One reason code with its Swedish and English labels."""

    __slots__ = ("code", "en", "sv")

    def __init__(self, code: str, sv: str, en: str) -> None:
        self.code, self.sv, self.en = code, sv, en

    def __repr__(self) -> str:
        return f"Reason({self.code!r})"


#: Every reason code, in the order the documentation lists them.
REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        Reason("missing_value", "Ett obligatoriskt värde saknas", "A required value is missing"),
        Reason(
            "duplicate_case_id",
            "Ärendet förekommer på flera rader",
            "The case id appears on more than one row",
        ),
        Reason(
            "duplicate_worker_id",
            "Handläggaren förekommer på flera rader i personallistan",
            "The worker id appears on more than one roster row",
        ),
        Reason(
            "duplicate_team_id",
            "Teamet förekommer på flera rader",
            "The team id appears on more than one row",
        ),
        Reason(
            "unknown_worker",
            "Handläggaren finns inte i personallistan",
            "The worker is not in the roster",
        ),
        Reason(
            "unknown_team",
            "Teamet finns inte i teamtabellen",
            "The team is not in the teams table",
        ),
        Reason(
            "unknown_case_type",
            "Ärendetypen finns inte i viktschemat",
            "The case type is not in the scheme",
        ),
        Reason(
            "unknown_phase",
            "Fasen saknar vikt i viktschemat",
            "The phase has no weight in the scheme",
        ),
        Reason("not_a_date", "Värdet är inte ett datum", "The value is not a date"),
        Reason(
            "closed_before_opened",
            "Avslutsdatum före startdatum",
            "Closed before it was opened",
        ),
        Reason(
            "end_before_start", "Slutdatum före startdatum", "The end date is before the start date"
        ),
        Reason("not_a_number", "Värdet är inte ett tal", "The value is not a number"),
        Reason("not_a_flag", "Värdet är inte ja eller nej", "The value is not yes or no"),
        Reason(
            "fte_out_of_range",
            "Tjänstgöringsgraden ligger utanför det tillåtna intervallet",
            "The fte is outside the allowed range",
        ),
        Reason(
            "reduction_out_of_range",
            "Nedsättningen ligger utanför det tillåtna intervallet",
            "The reduction is outside the allowed range",
        ),
        Reason("negative_value", "Värdet är negativt", "The value is negative"),
        Reason(
            "percent_ambiguous",
            "Oklart om värdet är en andel eller procent",
            "Unclear whether the value is a share or a percentage",
        ),
        Reason(
            "worker_rejected",
            "Handläggarens rad i personallistan avvisades",
            "The worker's roster row was rejected",
        ),
        Reason(
            "team_rejected",
            "Teamets rad i teamtabellen avvisades",
            "The team's row in the teams table was rejected",
        ),
        Reason("malformed_row", "Raden kunde inte läsas", "The row could not be read"),
        Reason(
            "unknown_name",
            "Namnet matchar ingen i personallistan",
            "The name matches no one in the roster",
        ),
        Reason("unreadable_value", "Värdet kunde inte tolkas", "The value could not be read"),
    )
}


def reason_label(code: str, lang: Literal["sv", "en"] | str = "sv") -> str:
    """The label of a reason code in Swedish (``"sv"``) or English (``"en"``).

    An unknown code is returned as it is, so a report never fails on a reader's new code.
    """
    if lang not in ("sv", "en"):
        raise ValueError(f"'lang' must be 'sv' or 'en' (got {lang!r})")
    reason = REASONS.get(str(code))
    if reason is None:
        return str(code)
    return reason.sv if lang == "sv" else reason.en


def count_by_code(rejected: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Problems per ``table``, ``column`` and ``code`` (``n``), the most frequent first.

    Counting by code, not by reason text, keeps one line per kind of problem however many
    different values it was found with.
    """
    counts = (
        rejected.groupby(["table", "column", "code"], dropna=False, sort=False)
        .size()
        .sort_values(ascending=False, kind="stable")
        .reset_index(name="n")
    )
    return counts if limit is None else counts.head(limit)


def localise_reasons(rejected: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rejection table for an output in ``lang``: in Swedish the reason is its code's label.

    The English reason texts name values and fixes in English; a Swedish output shows the
    Swedish label of the code instead, so every text of the output speaks one language.
    """
    if lang == "en" or not len(rejected):
        return rejected
    out = rejected.copy()
    out["reason"] = [reason_label(c, lang) for c in out["code"]]
    return out


def markdown_table() -> str:
    """The documentation's table of every code (``docs/data-contract.md``)."""
    lines = ["| code | svenska | English |", "|---|---|---|"]
    lines += [f"| `{r.code}` | {r.sv} | {r.en} |" for r in REASONS.values()]
    return "\n".join(lines)
