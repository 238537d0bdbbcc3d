"""From the headers an export happens to have to the library's canonical columns.

Three layers, the later ones winning:

1. a built-in Swedish synonym table (:data:`SYNONYMS`), matched case- and accent-insensitively
   and ignoring punctuation (``Fr.o.m.``, ``fr o m`` and ``FROM`` are one header);
2. a **profile**: a TOML file kept per export (see ``docs/mapping-profiles.md``) with column
   mappings, value maps (``Barnavårdsutredning`` → ``bou_utredning``), worker aliases and
   read options;
3. ``columns={...}`` given to a reader.

Headers that map to nothing are kept under a normalised name (``Hög konflikt`` →
``hog_konflikt``), which is how complexity-flag columns meet the scheme's multiplier names.

Examples
--------
>>> normalise_header("Fr.o.m.-datum"), slug("Hög konflikt")
('fr o m datum', 'hog_konflikt')
>>> match_headers(["Dnr", "Handläggare", "Ärendetyp", "Fr.o.m."], "cases")
{'Dnr': 'case_id', 'Handläggare': 'worker_id', 'Ärendetyp': 'case_type', 'Fr.o.m.': 'opened'}
"""

from __future__ import annotations

import functools
import re
import tomllib
import types
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._contract.columns import CASE_COLUMNS, TEAM_COLUMNS, WORKER_COLUMNS
from .._contract.columns import SYNONYMS as CONTRACT_SYNONYMS
from ..errors import LabelledWarning, Phrase, Said, toml_said

__all__ = [
    "KINDS",
    "SYNONYMS",
    "HeaderWarning",
    "Profile",
    "load_profile",
    "match_headers",
    "normalise_header",
    "normalise_name",
    "slug",
]

KINDS = ("cases", "workers", "teams")


class HeaderWarning(LabelledWarning):
    """A header decision a person should know about: a mapping names a header the file does
    not have, a header appears twice, or two headers both look like one column."""


CANONICAL: dict[str, tuple[str, ...]] = {
    "cases": CASE_COLUMNS,
    "workers": WORKER_COLUMNS,
    "teams": TEAM_COLUMNS,
}

#: Built-in header synonyms per table, most specific first (from the data contract). Entries
#: are written as people write them; matching compares :func:`normalise_header` forms.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = CONTRACT_SYNONYMS


def normalise_header(text: Any) -> str:
    """Lower case, accents dropped, punctuation and runs of space as one space.

    Examples
    --------
    >>> normalise_header("  Ärende-ID ")
    'arende id'
    """
    folded = unicodedata.normalize("NFKD", str(text).replace("\ufeff", ""))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", plain).split())


def slug(text: Any) -> str:
    """A Python-identifier-like name: ``Skyddad identitet`` → ``skyddad_identitet``."""
    out = normalise_header(text).replace("%", "procent").replace(" ", "_")
    return out or "column"


def normalise_name(text: Any) -> str:
    """A person's name compared loosely: accents, case, order and commas do not matter.

    Examples
    --------
    >>> normalise_name("Andersson, Åsa") == normalise_name("åsa  ANDERSSON")
    True
    """
    return " ".join(sorted(normalise_header(text).split()))


def _synonym_index(kind: str) -> Mapping[str, tuple[str, int]]:
    # keyed by the synonyms themselves, so the index follows any change to the table
    return _index_of(tuple((c, tuple(words)) for c, words in SYNONYMS[kind].items()))


@functools.lru_cache(maxsize=16)
def _index_of(
    synonyms: tuple[tuple[str, tuple[str, ...]], ...],
) -> Mapping[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for canonical, words in synonyms:
        for rank, word in enumerate(words):
            index.setdefault(normalise_header(word), (canonical, rank))
    return types.MappingProxyType(index)


def match_headers(
    headers: Iterable[Any], kind: str, user: Mapping[str, str] | None = None
) -> dict[Any, str]:
    """Map each recognised header to a canonical column (``{header: canonical}``).

    ``user`` maps headers to canonical names and wins over the synonyms. When two headers
    match the same canonical column, the better synonym wins (``Aktualiseringsdatum`` over
    ``Start``) and the other is left unmapped.
    """
    if kind not in SYNONYMS:
        raise ValueError(f"'kind' must be one of {KINDS} (got {kind!r})")
    headers = list(headers)
    index = _synonym_index(kind)
    out: dict[Any, str] = {}
    taken: dict[str, tuple[int, Any]] = {}
    user_norm = {normalise_header(k): v for k, v in (user or {}).items()}
    for h in headers:
        target = user_norm.get(normalise_header(h))
        if target is not None:
            out[h] = target
            taken[target] = (-1, h)
    for h in headers:
        if h in out:
            continue
        hit = index.get(normalise_header(h))
        if hit is None:
            continue
        canonical, rank = hit
        if canonical in taken and taken[canonical][0] <= rank:
            continue
        if canonical in taken:
            out.pop(taken[canonical][1], None)
        out[h] = canonical
        taken[canonical] = (rank, h)
    return out


def header_score(cells: Iterable[Any], kind: str, user: Mapping[str, str] | None = None) -> int:
    """How many distinct canonical columns a candidate header row would fill."""
    return len(set(match_headers([c for c in cells if str(c).strip()], kind, user).values()))


@attrs.frozen
class Profile:
    """A mapping profile: how one system's export maps to the canonical tables.

    Attributes
    ----------
    name : str
        For people (``"treserva-nassjo"``).
    columns : dict
        Per kind (``"cases"``, ``"workers"``, ``"teams"``, or ``"*"`` for all): a mapping of
        ``{header in the file: canonical column}``.
    values : dict
        Per kind, per canonical column: ``{value in the file: value to use}``, matched case-
        and accent-insensitively.
    aliases : dict
        ``{display name: worker_id}`` for exports that name caseworkers instead of giving ids.
    read : dict
        Read options: ``encoding``, ``delimiter``, ``sheet``, ``date_order``, ``fte_unit``,
        ``header_row``.

    Examples
    --------
    >>> p = Profile.from_dict({"cases": {"columns": {"case_id": "Löpnr"}}})
    >>> p.columns_for("cases")
    {'Löpnr': 'case_id'}
    """

    name: str = ""
    columns: dict[str, dict[str, str]] = attrs.field(factory=dict)
    values: dict[str, dict[str, dict[str, Any]]] = attrs.field(factory=dict)
    aliases: dict[str, str] = attrs.field(factory=dict)
    read: dict[str, Any] = attrs.field(factory=dict)

    def columns_for(self, kind: str) -> dict[str, str]:
        return {**self.columns.get("*", {}), **self.columns.get(kind, {})}

    def values_for(self, kind: str) -> dict[str, dict[str, Any]]:
        return {**self.values.get("*", {}), **self.values.get(kind, {})}

    def merged(self, other: Profile) -> Profile:
        """``other`` on top of this profile."""

        def deep(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
            out = dict(a)
            for k, v in b.items():
                out[k] = (
                    deep(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
                )
            return out

        return Profile(
            name=other.name or self.name,
            columns=deep(self.columns, other.columns),
            values=deep(self.values, other.values),
            aliases={**self.aliases, **other.aliases},
            read={**self.read, **other.read},
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "profile") -> Profile:
        """Build from the parsed TOML layout (see ``docs/mapping-profiles.md``)."""
        known = {"name", "description", "read", "columns", "values", "aliases", *KINDS}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                Said(
                    "err.profile_sections",
                    where=where,
                    unknown=str(unknown),
                    known=str(sorted(known)),
                )
            )
        columns: dict[str, dict[str, str]] = {}
        values: dict[str, dict[str, dict[str, Any]]] = {}
        if "columns" in data:
            columns["*"] = _column_map(data["columns"], f"{where} [columns]")
        if "values" in data:
            values["*"] = _value_maps(data["values"], f"{where} [values]")
        for kind in KINDS:
            section = data.get(kind)
            if section is None:
                continue
            if not isinstance(section, Mapping):
                raise ValueError(Said("err.profile_not_table", where=where, table=kind))
            extra = sorted(set(section) - {"columns", "values"})
            if extra:
                raise ValueError(
                    Said("err.profile_unknown_key", path=where, table=kind, got=str(extra))
                )
            columns[kind] = _column_map(section.get("columns", {}), f"{where} [{kind}.columns]")
            values[kind] = _value_maps(section.get("values", {}), f"{where} [{kind}.values]")
        aliases = data.get("aliases", {})
        if not isinstance(aliases, Mapping) or not all(
            isinstance(v, str | int) for v in aliases.values()
        ):
            raise ValueError(Said("err.profile_aliases", where=where))
        read = dict(data.get("read", {}))
        allowed = {"encoding", "delimiter", "sheet", "date_order", "fte_unit", "header_row"}
        bad = sorted(set(read) - allowed)
        if bad:
            raise ValueError(
                Said("err.profile_read", where=where, bad=str(bad), allowed=str(allowed))
            )
        return cls(
            name=str(data.get("name", "")),
            columns=columns,
            values=values,
            aliases={str(k): str(v) for k, v in aliases.items()},
            read=read,
        )

    @classmethod
    def coerce(cls, columns: Any) -> Profile:
        """A profile from ``columns=``: ``None``, a Profile, a TOML path or a dict."""
        if columns is None:
            return cls()
        if isinstance(columns, Profile):
            return columns
        if isinstance(columns, str | Path) and str(columns).lower().endswith(".toml"):
            return load_profile(columns)
        if isinstance(columns, Mapping):
            return cls(columns={"*": {str(k): str(v) for k, v in columns.items()}})
        raise TypeError(
            "'columns' must be a dict {header: canonical column}, a Profile or the path of a "
            f"mapping profile (.toml) (got {type(columns).__name__})"
        )


def _column_map(section: Any, where: str) -> dict[str, str]:
    """``canonical = "Header"`` (or a list of headers) in TOML → ``{header: canonical}``."""
    if not isinstance(section, Mapping):
        raise ValueError(Said("err.profile_columns", where=where))
    out: dict[str, str] = {}
    for canonical, headers in section.items():
        names = [headers] if isinstance(headers, str) else headers
        if not isinstance(names, list) or not all(isinstance(h, str) for h in names):
            raise ValueError(
                Said(
                    "err.profile_headers",
                    where=where,
                    column=str(canonical),
                    got=repr(headers),
                )
            )
        for h in names:
            if h in out and out[h] != str(canonical):
                # one header named for two columns (worker_id and name): kept as the reversed
                # pair, which the reader reads as a copy of the first column
                out[str(canonical)] = h
            else:
                out[h] = str(canonical)
    return out


def _value_maps(section: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(section, Mapping) or not all(
        isinstance(v, Mapping) for v in section.values()
    ):
        raise ValueError(Said("err.profile_values", where=where))
    return {str(col): {str(k): v for k, v in m.items()} for col, m in section.items()}


def load_profile(path: str | Path) -> Profile:
    """Read a mapping profile from a TOML file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '''
    ... name = "exempel"
    ... [cases.columns]
    ... case_id = "Löpnummer"
    ... [cases.values.case_type]
    ... "Barnavårdsutredning" = "bou_utredning"
    ... [aliases]
    ... "Anna Andersson" = "H0001"
    ... '''
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "profil.toml"
    ...     _ = p.write_text(text, encoding="utf-8")
    ...     profile = load_profile(p)
    >>> profile.columns_for("cases"), profile.aliases
    ({'Löpnummer': 'case_id'}, {'Anna Andersson': 'H0001'})
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise FileNotFoundError(Said("err.no_profile", path=repr(str(path)))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(
            toml_said("profile", exc, Phrase("err.what.profile", {"path": repr(str(path))}))
        ) from None
    return Profile.from_dict(data, where=str(path))


def resolve_user_columns(
    user: Mapping[str, str], headers: Iterable[Any], kind: str
) -> dict[str, str]:
    """Accept ``{header: canonical}`` and also the reversed ``{canonical: header}`` pairs.

    A pair is read as reversed when its key is not a header of the file but its value is.
    """
    present = {normalise_header(h) for h in headers}
    out: dict[str, str] = {}
    for k, v in user.items():
        if normalise_header(k) not in present and normalise_header(v) in present:
            # a header already mapped keeps its first column (see same_header_columns)
            out.setdefault(v, k)
        else:
            out[k] = v
    return out


def same_header_columns(
    user: Mapping[str, str], headers: Iterable[Any], kind: str
) -> list[tuple[str, str]]:
    """``(column, header)`` for each canonical column a mapping names a header for that
    another column was named for first (``worker_id = "Namn"`` and ``name = "Namn"``).

    Examples
    --------
    >>> same_header_columns({"Namn": "worker_id", "name": "Namn"}, ["Namn"], "workers")
    [('name', 'Namn')]
    """
    present = {normalise_header(h) for h in headers}
    first: dict[str, str] = {}
    out = []
    for k, v in user.items():
        header, column = (v, k) if normalise_header(k) not in present else (k, v)
        if normalise_header(header) not in present or column not in CANONICAL[kind]:
            continue
        if first.setdefault(normalise_header(header), column) != column:
            out.append((column, header))
    return out
