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


def values_of(series: pd.Series) -> list[Any]:
    """A column as a list of plain Python values, ``None`` where missing."""
    if pd.api.types.is_float_dtype(series.dtype):
        arr = series.to_numpy(dtype=float)
        out = arr.tolist()
        if np.isnan(arr).any():
            out = [None if v != v else v for v in out]
        return out
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [None if v is None or v != v else str(v) for v in series.astype(object)]
    if pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy().tolist()
    return [plain(v) for v in series.tolist()]


def records(frame: pd.DataFrame, columns: Sequence[str], **constant: Any) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts of plain values (``constant`` added to each)."""
    lists = [[v] * len(frame) for v in constant.values()] + [values_of(frame[c]) for c in columns]
    names = list(constant) + list(columns)
    return [dict(zip(names, r, strict=True)) for r in zip(*lists, strict=True)]


def bulk_insert(conn: sa.Connection, table: sa.Table, columns: dict[str, list[Any]]) -> None:
    """Insert many rows through the driver in the caller's transaction.

    PostgreSQL gets them by ``COPY``, SQLite by one prepared ``executemany``: both well over
    the speed of building one SQL statement per row.
    """
    names = list(columns)
    rows = list(zip(*columns.values(), strict=True))
    if not rows:
        return
    quoted = ", ".join(f'"{n}"' for n in names)
    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in names)
            cursor.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', rows)
    finally:
        cursor.close()


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
    n = len(w)
    figures: dict[str, list[Any]] = {"measurement_id": [mid] * n, "position": list(range(n))}
    figures["worker_id"] = _text(w["worker_id"])
    figures["team_id"] = _text(w["team_id"])
    figures["source_row"] = _text(w["row"])
    for c in ("n_cases", "load", "fte", "reduction", "capacity", "utilisation", "band"):
        figures[c] = values_of(w[c])
    _many(conn, s.worker_figure, figures)
    v = ex.values
    _many(
        conn,
        s.worker_value,
        {
            "measurement_id": [mid] * len(v),
            "worker_id": _text(v["worker_id"]),
            "name": _text(v["name"]),
            "value": values_of(v["value"]),
        },
    )
    t = ex.teams
    teams: dict[str, list[Any]] = {"measurement_id": [mid] * len(t)}
    teams["team_id"] = _text(t["team_id"])
    teams.update({c: values_of(t[c]) for c in GROUP_COLUMNS})
    _many(conn, s.team_figure, teams)
    unit = {c: plain(str(v) if c == "band" and v is not None else v) for c, v in ex.unit.items()}
    conn.execute(s.unit_figure.insert().values(measurement_id=mid, **unit))
    k = ex.keys
    keys: dict[str, list[Any]] = {"measurement_id": [mid] * len(k)}
    keys["worker_id"] = _text(k["worker_id"])
    keys.update({c: values_of(k[c]) for c in ("case_type", "phase", "flags", "n_cases")})
    _many(conn, s.key_count, keys)
    acc = ex.accounting
    _many(
        conn,
        s.row_accounting,
        {
            "measurement_id": [mid] * len(acc),
            "table_name": _text(acc["table"]),
            "n_rows": values_of(acc["rows"]),
            "n_valid": values_of(acc["valid"]),
            "n_rejected": values_of(acc["rejected"]),
            "n_active": [None if v is None else int(v) for v in values_of(acc["active"])],
        },
    )
    r = ex.rejections
    rejected: dict[str, list[Any]] = {"measurement_id": [mid] * len(r)}
    rejected.update({c: values_of(r[c]) for c in ("table_name", "column_name", "code", "n_rows")})
    _many(conn, s.rejection_count, rejected)


def _many(conn: sa.Connection, table: sa.Table, columns: dict[str, list[Any]]) -> None:
    bulk_insert(conn, table, columns)


def delete_measurements(conn: sa.Connection, ids: Sequence[int]) -> None:
    """Delete measurements with every row that belongs to them."""
    if not ids:
        return
    for table in s.MEASUREMENT_CHILDREN:
        conn.execute(table.delete().where(table.c.measurement_id.in_(ids)))
    conn.execute(s.measurement.delete().where(s.measurement.c.id.in_(ids)))
