"""What a measurement keeps of a :class:`~arbetstyngd.Workload`: aggregates only.

The worker and team tables, the unit row, counts of active cases per worker and value key
(case type × phase × complexity flags), row accounting and rejection counts by reason code.
No case id, client pseudonym, value from a rejected row or free text leaves this module; the
input fingerprint is a SHA-256 over the inputs the result was built from, which cannot be
turned back into them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..result import Workload

__all__ = ["FIXED_WORKER_COLUMNS", "GROUP_COLUMNS", "Extract", "extract", "scheme_hash"]

#: Worker columns with a column of their own; every other (numeric) column is a named value.
FIXED_WORKER_COLUMNS = (
    "worker_id",
    "team_id",
    "n_cases",
    "load",
    "fte",
    "reduction",
    "capacity",
    "utilisation",
    "band",
    "row",
)
GROUP_COLUMNS = (
    "n_workers",
    "fte",
    "n_cases",
    "load",
    "capacity",
    "utilisation",
    "band",
    "n_low",
    "n_balanced",
    "n_high",
    "n_critical",
)


@attrs.frozen
class Extract:
    """One measurement, ready to be written (frames of plain values)."""

    meta: dict[str, Any]
    workers: pd.DataFrame
    values: pd.DataFrame
    teams: pd.DataFrame
    unit: dict[str, Any]
    keys: pd.DataFrame
    accounting: pd.DataFrame
    rejections: pd.DataFrame


def scheme_hash(toml_text: str) -> str:
    """SHA-256 of a scheme's TOML text (the content hash kept with each measurement)."""
    return hashlib.sha256(toml_text.encode("utf-8")).hexdigest()


def element_kind(values: pd.Series) -> str:
    """How an id column's values are written back: ``int``, ``str`` or ``object``."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return "int"
    kinds = {type(v) for v in values.dropna()}
    if kinds <= {str}:
        return "str"
    if kinds <= {int, np.int64}:
        return "int"
    return "str"


def _column_spec(workers: pd.DataFrame) -> list[dict[str, str]]:
    spec = []
    for name in workers.columns:
        col = workers[name]
        dtype = "category" if isinstance(col.dtype, pd.CategoricalDtype) else str(col.dtype)
        spec.append({"name": str(name), "dtype": dtype, "element": element_kind(col)})
    return spec


def _observed_flags(wl: Workload, cases: pd.DataFrame) -> list[str]:
    # a flag is known when its column was in the export; with a factor of exactly 1 the
    # per-case table cannot tell whether it was set, so such a flag counts as not observed
    return [
        m.flag
        for m in wl.scheme.multipliers
        if f"{m.flag}_factor" in cases.columns and m.factor != 1.0
    ]


def key_counts(wl: Workload, flags: list[str]) -> pd.DataFrame:
    """Active cases per worker and value key (case type, phase text, flags set)."""
    cases = wl.cases
    active = cases[cases["active"].to_numpy(dtype=bool)] if "active" in cases else cases
    if not len(active):
        return pd.DataFrame(
            {"worker_id": [], "case_type": [], "phase": [], "flags": [], "n_cases": []}
        )
    bits = np.zeros(len(active), dtype=np.int64)
    for bit, flag in enumerate(flags):
        bits |= (active[f"{flag}_factor"].to_numpy() != 1.0).astype(np.int64) << bit
    phase = pd.Series(active["phase"].to_numpy(dtype=object)).astype("string").str.strip()
    frame = pd.DataFrame(
        {
            "worker": np.asarray(active["worker_id"].cat.codes),
            "case_type": active["case_type"].astype(str).to_numpy(),
            "phase": phase.fillna("").to_numpy(dtype=object),
            "bits": bits,
        }
    )
    counts = frame.groupby(["worker", "case_type", "phase", "bits"], sort=True).size()
    out = counts.rename("n_cases").reset_index()
    ids = np.asarray(active["worker_id"].cat.categories, dtype=object)
    out["worker_id"] = ids[out["worker"].to_numpy()]
    names = {b: ",".join(f for i, f in enumerate(flags) if b >> i & 1) for b in set(out["bits"])}
    out["flags"] = out["bits"].map(names)
    return out[["worker_id", "case_type", "phase", "flags", "n_cases"]]


def _rejections(rejected: pd.DataFrame) -> pd.DataFrame:
    if not len(rejected):
        return pd.DataFrame({"table_name": [], "column_name": [], "code": [], "n_rows": []})
    # reason texts can quote the rejected values (names, ids): only the code is kept
    code = (
        rejected["code"]
        if "code" in rejected.columns
        else pd.Series("unclassified", rejected.index)
    )
    frame = pd.DataFrame(
        {
            "table_name": rejected["table"].astype(str),
            "column_name": rejected["column"].fillna("").astype(str),
            "code": code.fillna("unclassified").astype(str),
            "row": rejected["row"].astype(str),
        }
    )
    out = frame.groupby(["table_name", "column_name", "code"], sort=True)["row"].nunique()
    return out.rename("n_rows").reset_index()


def _digest_column(digest: Any, series: pd.Series) -> None:
    """Feed one column's values to ``digest`` at C speed (raw buffers, not Python objects)."""
    import pyarrow as pa

    if isinstance(series.dtype, pd.CategoricalDtype):
        digest.update(np.asarray(series.cat.codes).tobytes())
        _digest_column(digest, pd.Series(series.cat.categories))
        return
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "biufmM":
        digest.update(np.ascontiguousarray(series.to_numpy()).tobytes())
        return
    if series.dtype == object:
        digest.update(pd.util.hash_pandas_object(series, index=False).to_numpy().tobytes())
        return
    data = pa.array(series, from_pandas=True)
    for chunk in data.chunks if isinstance(data, pa.ChunkedArray) else [data]:
        # offset and length with the buffers: equal content in the same layout, equal digest
        digest.update(f"{chunk.type}|{chunk.offset}|{len(chunk)}".encode())
        for buffer in chunk.buffers():
            if buffer is not None:
                digest.update(buffer)


def fingerprint(wl: Workload, scheme_sha: str, keys: pd.DataFrame) -> str:
    """SHA-256 over the scored inputs: the per-case table, the worker table, the rejections."""
    digest = hashlib.sha256()
    digest.update(scheme_sha.encode())
    digest.update(str(wl.on).encode())
    digest.update(str(wl.reference_date).encode())
    for frame in (wl.cases, wl.workers, wl.rejected.astype(str), keys):
        digest.update(repr(list(frame.columns)).encode())
        for name in frame.columns:
            _digest_column(digest, frame[name])
    return digest.hexdigest()


def extract(wl: Workload, *, library_version: str) -> Extract:
    """The measurement of ``wl`` as plain frames (no database involved)."""
    cases = wl.cases
    toml_text = wl.scheme.to_toml()
    sha = scheme_hash(toml_text)
    flags = _observed_flags(wl, cases)
    keys = key_counts(wl, flags)
    # a worker's name is personal data the figures do not need: the archive keeps ids only
    workers = wl.workers.drop(columns=["name"], errors="ignore")
    unknown = [c for c in workers.columns if c not in FIXED_WORKER_COLUMNS]
    not_numeric = [c for c in unknown if not pd.api.types.is_numeric_dtype(workers[c].dtype)]
    if not_numeric:
        raise ValueError(f"worker column(s) {not_numeric} are not numbers and cannot be archived")
    values = workers[["worker_id", *unknown]].melt(
        id_vars="worker_id", var_name="name", value_name="value"
    )
    accounting = wl.accounting()
    on = wl.on if wl.on is not None else wl.reference_date
    meta = {
        "measured_on": on.date(),
        "snapshot": wl.on is None,
        "scheme_name": wl.scheme.name,
        "scheme_version": wl.scheme.version,
        "scheme_hash": sha,
        "scheme_toml": toml_text,
        "library_version": library_version,
        "input_fingerprint": fingerprint(wl, sha, keys),
        "worker_id_kind": element_kind(workers["worker_id"]),
        "worker_columns": json.dumps(_column_spec(workers)),
        "flags_observed": json.dumps(flags),
    }
    unit = wl.unit
    return Extract(
        meta=meta,
        workers=workers,
        values=values,
        teams=wl.teams,
        unit={c: unit[c] for c in GROUP_COLUMNS},
        keys=keys,
        accounting=accounting,
        rejections=_rejections(wl.rejected),
    )
