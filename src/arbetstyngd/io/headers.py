"""From the headers as written to canonical column names, and what to say about them.

Headers holding an identity number are pseudonymised first; then each header is matched
(profile, synonym, canonical name, scheme flag, or kept under a normalised name), and every
header that lost out or is missing gets a message a person can act on.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._contract.columns import required_columns
from .._contract.suggest import HEADER_CUTOFF, Suggester
from ..errors import ColumnsError, Phrase, Said, kind_words
from . import personnummer as pnr
from .columns import (
    CANONICAL,
    SYNONYMS,
    HeaderWarning,
    Profile,
    match_headers,
    normalise_header,
    resolve_user_columns,
    same_header_columns,
    slug,
)
from .formats.common import Raw, unique
from .pseudonym import Pseudonymiser

__all__ = [
    "Mapped",
    "MissingColumnsError",
    "hide_identity_headers",
    "map_headers",
    "scheme_columns",
]


class MissingColumnsError(ColumnsError):
    """A required column has no header; ``mapping`` says how the headers there are were read.

    Attributes
    ----------
    mapping : tuple of (header, column, how)
        As :attr:`arbetstyngd.io.ReadReport.mapping`, so a person can see the column table
        that lacks the column (``arbetstyngd validate`` prints it).
    """

    def __init__(self, message: str, mapping: tuple[tuple[str, str, str], ...] = ()) -> None:
        super().__init__(message)
        self.mapping = mapping


@attrs.frozen
class Mapped:
    """The table with canonical column names, and how each header was mapped."""

    frame: pd.DataFrame
    #: ``(header, column, how)`` per column
    mapping: list[tuple[str, str, str]]
    notes: list[str]


def map_headers(
    raw: Raw,
    kind: str,
    profile: Profile,
    columns: Any,
    pseudo: Pseudonymiser,
    scheme: Any = None,
) -> Mapped:
    """Rename ``raw.frame``'s columns to canonical names; warn about every doubtful header.

    ``columns`` is the mapping as the caller gave it (a dict is checked more strictly than a
    profile); with a ``scheme``, a header that is the name or the Swedish or English label of
    one of its complexity flags (cases) or capacity covariates (workers, teams) is read as
    that column (``how`` is ``"flag"`` or ``"scheme"``).

    Raises
    ------
    ColumnsError
        A required column of ``kind`` has no header.
    """
    frame = raw.frame
    notes: list[str] = []
    user_raw = profile.columns_for(kind)
    # Headers can hold identity numbers too (a pivoted export, a mistaken paste): they become
    # pseudonyms before any name is derived from them or shown in a message.
    written = raw.headers if raw.headers and len(raw.headers) == frame.shape[1] else None
    written = [
        w if w.strip() else str(c)
        for w, c in zip(written or map(str, frame.columns), frame.columns, strict=True)
    ]
    headers, hidden = hide_identity_headers(written, pseudo)
    if hidden:
        notes.append(Said("note.identity_headers", n=hidden))
        user_raw = {
            hide_identity_headers([k], pseudo)[0][0]: hide_identity_headers([v], pseudo)[0][0]
            for k, v in user_raw.items()
        }
    frame.columns = unique(headers)
    written_by_label = dict(zip(frame.columns, headers, strict=True))
    user = resolve_user_columns(user_raw, frame.columns, kind)
    mapping, header_notes = _map_columns(frame.columns, kind, user, written_by_label)
    header_notes = _absent_headers(columns, profile, kind, headers, mapping) + header_notes
    for message in header_notes:
        warnings.warn(message, HeaderWarning, stacklevel=4)
    notes.extend(header_notes)
    if scheme is not None:
        mapping = _scheme_headers(mapping, written_by_label, scheme, kind)
    frame = frame.rename(columns={h: c for h, c, _ in mapping})
    taken = {c: h for h, c, _ in mapping}
    for column, header in same_header_columns(user_raw, headers, kind):
        source = next(
            (c for h, c, _ in mapping if normalise_header(h) == normalise_header(header)), None
        )
        if source is not None and column not in frame.columns:
            frame[column] = frame[source]
            notes.append(
                Said("note.read_as_both", header=pnr.redact(header), source=source, column=column)
            )
    if kind == "workers" and "worker_id" not in frame.columns and "name" in frame.columns:
        # a personnel list with names only: the names are the ids, and a cases export's names
        # are matched to them as to aliases (word order, case, accents and commas ignored)
        frame.insert(list(frame.columns).index("name"), "worker_id", frame["name"])
        notes.append(Said("note.names_are_ids", header=pnr.redact(taken["name"])))
    missing = [c for c in required_columns(kind) if c not in frame.columns]
    if missing:
        shown = tuple((pnr.redact(str(h)), c, how) for h, c, how in mapping)
        raise MissingColumnsError(_missing_message(kind, missing, mapping, header_notes), shown)
    return Mapped(frame, mapping, notes)


def _map_columns(
    labels: pd.Index, kind: str, user: Mapping[str, str], written: Mapping[str, str]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """``(label, column, how)`` per column, and a message for every header that lost out.

    Two headers that are the same once case, accents and punctuation are ignored are one
    header written twice: the first is mapped, the others are kept under their own names and
    a message says so. Two different synonyms of one column (``Handläggare`` and ``Ansvarig``)
    are resolved by the more specific synonym, also with a message.
    """
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(normalise_header(written.get(label, label)), []).append(i)
    repeats = {i for positions in groups.values() for i in positions[1:]}
    matched = match_headers([h for i, h in enumerate(labels) if i not in repeats], kind, user)
    user_norm = {normalise_header(k) for k in user}
    canonical = set(CANONICAL[kind])
    used = set(matched.values())
    out = []
    for i, h in enumerate(labels):
        if h in matched and i not in repeats:
            c = matched[h]
            how = (
                "profile"
                if normalise_header(h) in user_norm
                else ("canonical" if str(h) == c else "synonym")
            )
        else:
            base = slug(written.get(h, h))
            c = base if base not in canonical else f"{base}_source"
            k = 2
            while c in used:
                c = f"{base}_{k}"
                k += 1
            how = "kept"
        used.add(c)
        out.append((h, c, how))
    return out, _header_messages(labels, written, groups, out, kind, user)


def _header_messages(
    labels: pd.Index,
    written: Mapping[str, str],
    groups: Mapping[str, list[int]],
    mapping: list[tuple[str, str, str]],
    kind: str,
    user: Mapping[str, str],
) -> list[str]:
    messages: list[str] = []
    for positions in groups.values():
        if len(positions) < 2:
            continue
        name = written.get(labels[positions[0]], labels[positions[0]])
        numbers = [str(i + 1) for i in positions]
        first = mapping[positions[0]]
        used = Phrase(
            "note.column_read_as" if first[2] != "kept" else "note.column_kept_as",
            {"number": numbers[0], "column": first[1]},
        )
        others = [
            Phrase("note.column_as", {"number": numbers[k], "column": mapping[i][1]})
            for k, i in enumerate(positions)
            if k
        ]
        messages.append(
            Said(
                "note.duplicate_header",
                name=name,
                times=Phrase(f"note.times.{min(len(positions), 4)}", {"k": len(positions)}),
                where=Phrase("note.and", {"first": ", ".join(numbers[:-1]), "last": numbers[-1]}),
                used=used,
                others=others,
            )
        )
    # different synonyms of the same column: say which one won
    index = {normalise_header(w): c for c, words in SYNONYMS[kind].items() for w in words}
    user_norm = {normalise_header(k) for k in user}
    taken = {c: written.get(h, h) for h, c, how in mapping if how in ("synonym", "canonical")}
    repeats = {i for positions in groups.values() for i in positions[1:]}
    for i, (h, c, how) in enumerate(mapping):
        target = index.get(normalise_header(written.get(h, h)))
        if how == "kept" and i not in repeats and target in taken and h not in user_norm:
            messages.append(
                Said(
                    "note.also_looks_like",
                    header=written.get(h, h),
                    target=target,
                    source=taken[target],
                    column=c,
                )
            )
    return messages


def _absent_headers(
    columns: Any,
    profile: Profile,
    kind: str,
    headers: list[str],
    mapping: list[tuple[str, str, str]],
) -> list[str]:
    """A message per column mapping that names a header the file does not have.

    Checked per target column: a profile may list alternatives (``worker_id = ["Ansvarig",
    "Handläggare"]``), and it is enough that one of them is present. Profile mappings that apply
    to every table (``[columns]``) are checked only for this table's canonical columns.
    """
    present = {normalise_header(h) for h in headers}
    canonical = set(CANONICAL[kind])
    sections: list[tuple[dict[str, str], bool]] = [(profile.columns.get(kind, {}), True)]
    sections.append((profile.columns.get("*", {}), isinstance(columns, Mapping)))
    by_target: dict[str, list[str]] = {}
    for section, strict in sections:
        for k, v in section.items():
            # {header: column} or {column: header}: the canonical side tells which is which
            header, target = (v, k) if k in canonical and v not in canonical else (k, v)
            if not strict and target not in canonical:
                continue
            by_target.setdefault(target, []).append(header)
    source = {c: h for h, c, how in mapping if how != "kept"}
    shown = [pnr.redact(h) for h in headers]
    messages: list[str] = []
    for target, names in by_target.items():
        if any(normalise_header(n) in present for n in names):
            continue
        named: Any = repr(pnr.redact(names[-1]))
        for n in reversed(names[:-1]):
            named = Phrase("note.or", {"first": repr(pnr.redact(n)), "last": named})
        instead: Any = (
            Phrase("note.instead", {"target": target, "source": pnr.redact(source[target])})
            if target in source
            else ""
        )
        messages.append(
            Said(
                "note.absent_header",
                named=named,
                target=target,
                headers=", ".join(f"'{h}'" for h in shown),
                instead=instead,
            )
        )
    return messages


def scheme_columns(scheme: Any, kind: str) -> dict[str, tuple[str, str]]:
    """``{normalised header: (column, how)}`` for the names and labels of a scheme's flags
    (cases) and capacity covariates (workers, teams)."""
    out: dict[str, tuple[str, str]] = {}
    if kind == "cases":
        for m in scheme.multipliers:
            for text in (m.flag, m.label.sv, m.label.en):
                if text:
                    out.setdefault(normalise_header(text), (m.flag, "flag"))
        return out
    for a in scheme.adjustments:
        if a.covariate in CANONICAL[kind]:
            for text in (a.label.sv, a.label.en):
                if text:
                    out.setdefault(normalise_header(text), (a.covariate, "scheme"))
    return out


def _scheme_headers(
    mapping: list[tuple[str, str, str]], written: Mapping[str, str], scheme: Any, kind: str
) -> list[tuple[str, str, str]]:
    """Kept headers that name a column of the scheme, read as that column (if it is free)."""
    known = scheme_columns(scheme, kind)
    taken = {c for _, c, how in mapping if how != "kept"}
    out = []
    for h, c, how in mapping:
        target = known.get(normalise_header(written.get(h, h))) if how == "kept" else None
        if target is None and how == "kept":
            # kept under its normalised name, which is the scheme's name of the column
            target = next((t for t in known.values() if t[0] == c), None)
        if target is not None and target[0] not in taken:
            taken.add(target[0])
            out.append((h, target[0], target[1]))
        else:
            out.append((h, c, how))
    return out


_DATE_WORDS = re.compile(r"datum|date|\bdag\b|\bfrom\b|\btom\b")


def _is_date_column(column: str) -> bool:
    return column in ("opened", "closed", "profession_start")


def _missing_message(
    kind: str, missing: list[str], mapping: list[tuple[str, str, str]], notes: list[str]
) -> Said:
    headers = [pnr.redact(str(h)) for h, _, _ in mapping]
    unmapped = [pnr.redact(str(h)) for h, _, how in mapping if how == "kept"]
    by_norm = {normalise_header(h): h for h in unmapped}
    hints = []
    for m in missing:
        words = [normalise_header(w) for w in SYNONYMS[kind][m]]
        # a date column is never the id, type or team that is missing (nor the other way)
        candidates = [n for n in by_norm if bool(_DATE_WORDS.search(n)) == _is_date_column(m)]
        guess = Suggester(candidates, cutoff=HEADER_CUTOFF)
        close = [c for w in words for c in guess.closest(w, n=1)]
        hints.append(
            Phrase("warn.flag_guess", {"flag": m, "close": by_norm[close[0]]})
            if close
            else Phrase("warn.flag", {"flag": m})
        )
    absent = [n for n in notes if "no such header" in n and any(f"'{m}'" in n for m in missing)]
    # each note as ". Note: …", chained so that the English text reads as it always has
    chained: Phrase | str = ""
    for note in reversed(absent):
        chained = Phrase("err.then_note", {"note": note, "more": chained})
    return Said(
        "err.missing_column",
        kind=kind_words(kind),
        hints=hints,
        listed=", ".join(f"'{h}'" for h in headers),  # as written, not as a Python list
        first=missing[0],
        notes=chained,
    )


def hide_identity_headers(headers: list[str], pseudo: Pseudonymiser) -> tuple[list[str], int]:
    """Headers with every identity number in them replaced by its pseudonym, and how many."""
    names = pd.Series(headers, dtype=object).astype("str")
    whole, forms = pnr.whole_number_identity(names)
    replaced, cells = pseudo.in_text(names.mask(whole, ""))
    out = np.array(replaced.astype(object).tolist(), dtype=object)
    if whole.any():
        out[whole] = pseudo.identifiers(pd.Series(forms[whole])).to_numpy(dtype=object)
    return [str(h) for h in out], cells + int(whole.sum())
