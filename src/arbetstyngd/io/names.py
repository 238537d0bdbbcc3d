"""Values the scheme or a profile names differently, and caseworkers given by name.

Case types written as the scheme's labels (``Barnavårdsutredning``) become its codes, phases
its phases, profile value maps apply; worker names are matched to the roster (word order,
case, accents and commas ignored) or an alias table, and an unmatched name is rejected with
the closest roster names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._contract.suggest import Suggester
from ..errors import ColumnsError
from .columns import Profile, normalise_header, normalise_name
from .parse import gather, text_column
from .reading import Reading

__all__ = ["map_values"]


def map_values(
    r: Reading,
    profile: Profile,
    scheme: Any,
    roster: pd.DataFrame | None,
    aliases: Mapping[str, Any] | None,
) -> None:
    """Apply value maps to ``r.frame`` and resolve worker names of a cases table in place."""
    frame = r.frame
    maps = _value_maps(profile, r.kind, scheme)
    for col, vmap in maps.items():
        if col in frame.columns:
            frame[col] = _apply_value_map(frame[col], vmap)
    if r.kind == "cases":
        alias_table = {**profile.aliases, **{str(k): str(v) for k, v in (aliases or {}).items()}}
        if roster is not None or alias_table:
            ids, unmatched, reasons = _resolve_workers(frame["worker_id"], roster, alias_table)
            frame["worker_id"] = ids
            r.reject(unmatched, "worker_id", frame["worker_id"], reasons, "unknown_worker")


def _value_maps(profile: Profile, kind: str, scheme: Any) -> dict[str, dict[str, Any]]:
    maps: dict[str, dict[str, Any]] = {}
    if kind == "cases" and scheme is not None:
        types: dict[str, Any] = {}
        phases: dict[str, Any] = {}
        for w in scheme.weights:
            types.setdefault(w.case_type, w.case_type)
            if w.phase is None:
                for label in (w.label.sv, w.label.en):
                    if label:
                        types.setdefault(label, w.case_type)
            else:
                phases.setdefault(w.phase, w.phase)
        maps["case_type"] = types
        maps["phase"] = phases
    for col, vmap in profile.values_for(kind).items():
        maps[col] = {**maps.get(col, {}), **vmap}
    return maps


def _apply_value_map(series: pd.Series, vmap: Mapping[str, Any]) -> pd.Series:
    lookup = {normalise_header(k): v for k, v in vmap.items()}
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = [lookup.get(normalise_header(v), v) for v in pd.Series(uniques).tolist()]
    return pd.Series(gather(codes, mapped), index=series.index, dtype="object")


def _resolve_workers(
    values: pd.Series, roster: pd.DataFrame | None, aliases: Mapping[str, str]
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Worker ids from ids or display names; unmatched names with the closest roster names."""
    text = text_column(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    u = [str(v) for v in uniques]
    roster_ids: set[str] = set()
    names: dict[str, str] = {normalise_name(k): str(v) for k, v in aliases.items()}
    display: list[str] = list(aliases)
    if roster is not None:
        if "worker_id" not in roster.columns:
            raise ColumnsError("'roster' must have a worker_id column (read it with read_workers)")
        roster_ids = set(text_column(roster["worker_id"]).dropna())
        if "name" in roster.columns:
            for n, w in zip(roster["name"], roster["worker_id"], strict=True):
                if isinstance(n, str) and n.strip():
                    names.setdefault(normalise_name(n), str(w).strip())
                    display.append(n)
        else:
            # ids that are names (a personnel list with names only, or worker_id mapped to
            # a name column) are matched as loosely as names
            for w in sorted(roster_ids):
                if " " in w.strip() or "," in w:
                    names.setdefault(normalise_name(w), w)
                    display.append(w)
    resolved = []
    fail = []
    suggest = Suggester(display)
    for v in u:
        if v in roster_ids or v in aliases.values():
            resolved.append(v)
            fail.append("")
        elif normalise_name(v) in names:
            resolved.append(names[normalise_name(v)])
            fail.append("")
        elif roster is not None:
            close = suggest.closest(v)
            hint = f"; closest roster names: {', '.join(map(repr, close))}" if close else ""
            resolved.append(v)
            fail.append(
                f"worker {v!r} is neither a worker id of the roster nor a known name{hint}; "
                "add it to the alias table"
            )
        else:
            resolved.append(v)
            fail.append("")
    arr = np.asarray(resolved, dtype=object)
    why = np.asarray(fail, dtype=object)
    ids = gather(codes, arr)
    reasons = gather(codes, why, "")
    return (
        pd.Series(ids, index=values.index, dtype=object),
        reasons != "",
        reasons,
    )
