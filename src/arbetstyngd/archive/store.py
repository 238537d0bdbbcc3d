"""Writing a measurement (one transaction) and deleting rows (replace, purge, forget)."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from . import schema as s
from .connect import ArchiveError
from .extract import GROUP_COLUMNS, Extract

__all__ = [
    "SameMeasurementWarning",
    "delete_measurements",
    "insert_measurement",
    "plain",
    "records",
]


class SameMeasurementWarning(UserWarning):
    """The measurement is already in the archive; nothing was added."""


def plain(value: Any) -> Any:
    """A value the database drivers take as is: Python scalars, NaN as NULL."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(frame: pd.DataFrame, columns: Sequence[str], **constant: Any) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts of plain values (``constant`` added to each)."""
    lists = {}
    for c in columns:
        col = frame[c]
        if pd.api.types.is_float_dtype(col.dtype):
            arr = col.to_numpy(dtype=float)
            lists[c] = [None if v != v else v for v in arr.tolist()]
        elif isinstance(col.dtype, pd.CategoricalDtype):
            lists[c] = [None if v is None or v != v else str(v) for v in col.astype(object)]
        else:
            lists[c] = [plain(v) for v in col.tolist()]
    names = list(constant) + list(columns)
    columns_of_rows = [[v] * len(frame) for v in constant.values()] + [lists[c] for c in columns]
    rows = zip(*columns_of_rows, strict=True)
    return [dict(zip(names, r, strict=True)) for r in rows]


def _text(values: Iterable[Any]) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def _existing(conn: sa.Connection, ex: Extract, label: str) -> tuple[int | None, int | None]:
    m = s.measurement
    same = conn.execute(
        sa.select(m.c.id).where(m.c.input_fingerprint == ex.meta["input_fingerprint"])
    ).first()
    clash = conn.execute(
        sa.select(m.c.id, m.c.input_fingerprint).where(
            m.c.measured_on == ex.meta["measured_on"], m.c.label == label
        )
    ).first()
    return (None if same is None else same[0]), (None if clash is None else clash[0])


def insert_measurement(conn: sa.Connection, ex: Extract, label: str, replace: bool) -> int:
    """Write one measurement inside the caller's transaction; return its id."""
    if conn.dialect.name == "postgresql":
        # one writer per date and label at a time; other dates go on in parallel
        key = f"{ex.meta['measured_on']}|{label}"
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
    same, clash = _existing(conn, ex, label)
    if same is not None:
        warnings.warn(
            f"this measurement (same inputs, same scheme) is already in the archive as "
            f"measurement {same}; nothing was added",
            SameMeasurementWarning,
            stacklevel=4,
        )
        return same
    if clash is not None:
        if not replace:
            raise ArchiveError(
                f"the archive already has a different measurement for {ex.meta['measured_on']}"
                f"{f' labelled {label!r}' if label else ''} (measurement {clash}); record with "
                "replace=True to replace it, or give another label"
            )
        delete_measurements(conn, [clash])
    inserted = conn.execute(
        s.measurement.insert().values(
            label=label, recorded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), **ex.meta
        )
    ).inserted_primary_key
    assert inserted is not None
    mid = inserted[0]
    _insert_children(conn, ex, int(mid))
    return int(mid)


def _insert_children(conn: sa.Connection, ex: Extract, mid: int) -> None:
    w = ex.workers
    worker_rows = records(
        w, ["n_cases", "load", "fte", "reduction", "capacity", "utilisation", "band"]
    )
    for i, (row, wid, tid, src) in enumerate(
        zip(worker_rows, _text(w["worker_id"]), _text(w["team_id"]), _text(w["row"]), strict=True)
    ):
        row.update(measurement_id=mid, position=i, worker_id=wid, team_id=tid, source_row=src)
    _many(conn, s.worker_figure, worker_rows)
    values = records(ex.values, ["name", "value"], measurement_id=mid)
    for row, wid in zip(values, _text(ex.values["worker_id"]), strict=True):
        row["worker_id"] = wid
    _many(conn, s.worker_value, values)
    teams = records(ex.teams, GROUP_COLUMNS, measurement_id=mid)
    for row, tid in zip(teams, _text(ex.teams["team_id"]), strict=True):
        row["team_id"] = tid
    _many(conn, s.team_figure, teams)
    unit = {c: plain(str(v) if c == "band" and v is not None else v) for c, v in ex.unit.items()}
    conn.execute(s.unit_figure.insert().values(measurement_id=mid, **unit))
    keys = records(ex.keys, ["case_type", "phase", "flags", "n_cases"], measurement_id=mid)
    for row, wid in zip(keys, _text(ex.keys["worker_id"]), strict=True):
        row["worker_id"] = wid
    _many(conn, s.key_count, keys)
    acc = ex.accounting.rename(
        columns={"table": "table_name", "rows": "n_rows", "valid": "n_valid"}
    ).rename(columns={"rejected": "n_rejected", "active": "n_active"})
    _many(
        conn,
        s.row_accounting,
        records(
            acc,
            ["table_name", "n_rows", "n_valid", "n_rejected", "n_active"],
            measurement_id=mid,
        ),
    )
    _many(
        conn,
        s.rejection_count,
        records(ex.rejections, ["table_name", "column_name", "code", "n_rows"], measurement_id=mid),
    )


def _many(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def delete_measurements(conn: sa.Connection, ids: Sequence[int]) -> None:
    """Delete measurements with every row that belongs to them."""
    if not ids:
        return
    for table in s.MEASUREMENT_CHILDREN:
        conn.execute(table.delete().where(table.c.measurement_id.in_(ids)))
    conn.execute(s.measurement.delete().where(s.measurement.c.id.in_(ids)))
