"""Reading the archive back as pandas frames: measurements, figures, history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ..scheme import BAND_NAMES
from . import schema as s
from .extract import FIXED_WORKER_COLUMNS, GROUP_COLUMNS

__all__ = [
    "MEASUREMENT_COLUMNS",
    "frame_of",
    "group_history",
    "measurements",
    "month_floor",
    "restate_inputs",
    "restore_group",
    "stack",
    "to_date",
    "with_head",
    "worker_history",
    "worker_spec",
    "workers_of",
]

#: The columns of :meth:`Archive.measurements`, in order.
MEASUREMENT_COLUMNS = (
    "measurement_id",
    "measured_on",
    "label",
    "snapshot",
    "scheme_name",
    "scheme_version",
    "scheme_hash",
    "library_version",
    "recorded_at",
    "n_workers",
    "n_cases",
    "utilisation",
    "band",
    "rows_rejected",
)


def to_date(value: Any, name: str) -> dt.date | None:
    """A date from anything pandas reads as one (``None`` stays ``None``)."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{name}' must be a date such as 2026-03-31 (got {value!r})") from None
    if stamp is pd.NaT:
        raise ValueError(f"'{name}' must be a date such as 2026-03-31 (got {value!r})")
    return stamp.date()


def frame_of(conn: sa.Connection, query: sa.Select[Any]) -> pd.DataFrame:
    """The rows of a query as a frame with the query's column names (also when empty)."""
    result = conn.execute(query)
    names = list(result.keys())
    rows = result.fetchall()
    # column by column: pandas would probe every Row object for attributes it does not have
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pd.DataFrame({n: list(c) for n, c in zip(names, columns, strict=True)}, columns=names)


def _bands(values: Any) -> pd.Categorical:
    return pd.Categorical(values, categories=pd.Index(BAND_NAMES), ordered=True)


def _floats(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    for c in columns:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)


def _ids(values: pd.Series, kind: str) -> pd.Series:
    if kind == "int":
        return values.astype(np.int64)
    return values.astype(object)


def measurements(conn: sa.Connection) -> pd.DataFrame:
    """One row per measurement: date, label, scheme, figures of the unit, rows rejected."""
    m, u, a = s.measurement, s.unit_figure, s.row_accounting
    rejected = (
        sa.select(sa.func.coalesce(sa.func.sum(a.c.n_rejected), 0))
        .where(a.c.measurement_id == m.c.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            m.c.id.label("measurement_id"),
            m.c.measured_on,
            m.c.label,
            m.c.snapshot,
            m.c.scheme_name,
            m.c.scheme_version,
            m.c.scheme_hash,
            m.c.library_version,
            m.c.recorded_at,
            u.c.n_workers,
            u.c.n_cases,
            u.c.utilisation,
            u.c.band,
            rejected.label("rows_rejected"),
        )
        .select_from(m.outerjoin(u, u.c.measurement_id == m.c.id))
        .order_by(m.c.measured_on, m.c.label, m.c.id)
    )
    frame = frame_of(conn, query)
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["snapshot"] = frame["snapshot"].astype(bool)
    _floats(frame, ["utilisation"])
    frame["band"] = _bands(frame["band"])
    return frame


def workers_of(conn: sa.Connection, mid: int) -> pd.DataFrame:
    """The worker table of one measurement, as :attr:`Workload.workers` had it."""
    spec = worker_spec(conn, mid)
    w, v = s.worker_figure, s.worker_value
    fixed = frame_of(conn, sa.select(w).where(w.c.measurement_id == mid).order_by(w.c.position))
    values = frame_of(
        conn, sa.select(v.c.worker_id, v.c.name, v.c.value).where(v.c.measurement_id == mid)
    )
    wide = values.pivot(index="worker_id", columns="name", values="value")
    fixed = fixed.rename(columns={"source_row": "row"})
    out = {}
    for col in spec:
        name = col["name"]
        if name in fixed.columns:
            series = fixed[name]
        else:
            series = pd.Series(
                wide[name].reindex(fixed["worker_id"]).to_numpy()
                if name in wide.columns
                else np.nan
            )
        out[name] = _restore(series.reset_index(drop=True), col)
    return pd.DataFrame(out)


def _restore(series: pd.Series, col: dict[str, str]) -> Any:
    dtype: Any = col["dtype"]
    if dtype == "category":
        return _bands(series.tolist())
    if dtype.startswith("float"):
        return pd.to_numeric(series, errors="coerce").astype(dtype).to_numpy()
    if dtype.startswith("int"):
        return series.astype(dtype).to_numpy()
    if dtype == "object":
        values = series.tolist()
        if col["element"] == "int":
            values = [int(v) for v in values]
        return pd.array(values, dtype=object)
    return series.astype(dtype).array


def worker_history(
    conn: sa.Connection, start: dt.date | None, end: dt.date | None, worker_id: Any = None
) -> pd.DataFrame:
    """Figures per worker and measurement, oldest first."""
    m, w = s.measurement, s.worker_figure
    heads = frame_of(
        conn,
        _between(
            sa.select(
                m.c.id.label("measurement_id"),
                m.c.measured_on,
                m.c.label,
                m.c.scheme_name,
                m.c.scheme_version,
            ).order_by(m.c.measured_on, m.c.label, m.c.id),
            start,
            end,
        ),
    )
    body = [w.c.worker_id, w.c.team_id, w.c.n_cases, w.c.load, w.c.fte, w.c.reduction]
    body += [w.c.capacity, w.c.utilisation, w.c.band]
    # no ORDER BY: the database would sort every row; the order is restored below in numpy
    query = sa.select(w.c.measurement_id, w.c.position, *body)
    if start is not None or end is not None:
        query = query.where(w.c.measurement_id.in_(heads["measurement_id"].tolist()))
    if worker_id is not None:
        query = query.where(w.c.worker_id == str(worker_id))
    # the few measurement rows are joined here, not per worker row in the database: dates
    # then pass through the driver once per measurement instead of once per row
    rows = frame_of(conn, query)
    order = pd.Series(np.arange(len(heads)), index=heads["measurement_id"].to_numpy())
    rank = order.reindex(rows["measurement_id"].to_numpy()).to_numpy()
    rows = rows.iloc[np.lexsort((rows["position"].to_numpy(), rank))].reset_index(drop=True)
    pick = order.reindex(rows["measurement_id"].to_numpy()).to_numpy()
    frame = heads.iloc[pick].reset_index(drop=True)
    for c in rows.columns[2:]:
        frame[c] = rows[c].to_numpy()
    _floats(frame, ["load", "fte", "reduction", "capacity", "utilisation"])
    frame["n_cases"] = frame["n_cases"].astype(np.int64)
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["band"] = _bands(frame["band"])
    return frame


def _between(query: sa.Select[Any], start: dt.date | None, end: dt.date | None) -> Any:
    m = s.measurement
    if start is not None:
        query = query.where(m.c.measured_on >= start)
    if end is not None:
        query = query.where(m.c.measured_on <= end)
    return query


def group_history(
    conn: sa.Connection, level: str, start: dt.date | None, end: dt.date | None
) -> pd.DataFrame:
    """Figures per team (or of the unit) and measurement, oldest first."""
    m = s.measurement
    table = s.team_figure if level == "team" else s.unit_figure
    ids = [table.c.team_id] if level == "team" else []
    query = (
        sa.select(
            m.c.id.label("measurement_id"),
            m.c.measured_on,
            m.c.label,
            m.c.scheme_name,
            m.c.scheme_version,
            *ids,
            *(table.c[c] for c in GROUP_COLUMNS),
        )
        .select_from(table.join(m, m.c.id == table.c.measurement_id))
        .order_by(m.c.measured_on, m.c.label, m.c.id, *ids)
    )
    frame = frame_of(conn, _between(query, start, end))
    _floats(frame, ["fte", "load", "capacity", "utilisation"])
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["band"] = _bands(frame["band"])
    return frame


def worker_spec(conn: sa.Connection, mid: int) -> list[dict[str, str]]:
    """Name, dtype and id kind of each worker column of a measurement, in order."""
    text = conn.execute(
        sa.select(s.measurement.c.worker_columns).where(s.measurement.c.id == mid)
    ).scalar_one()
    spec: list[dict[str, str]] = json.loads(text)
    return spec


def restore_group(frame: pd.DataFrame, spec: list[dict[str, str]]) -> pd.DataFrame:
    """A stored team table with the dtypes :func:`arbetstyngd.score` gives it."""
    team = next(c for c in spec if c["name"] == "team_id")
    out = pd.DataFrame({"team_id": _restore(frame["team_id"], team)})
    for c in GROUP_COLUMNS:
        if c == "band":
            out[c] = _bands(frame[c].tolist())
        elif c in ("fte", "load", "capacity", "utilisation"):
            out[c] = pd.to_numeric(frame[c], errors="coerce").astype(float).to_numpy()
        else:
            out[c] = frame[c].astype(np.int64).to_numpy()
    if team["element"] == "int" or team["dtype"].startswith("int"):
        out = out.sort_values("team_id", kind="stable").reset_index(drop=True)
    return out


def month_floor(day: dt.date) -> dt.date:
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def restate_inputs(conn: sa.Connection, mid: int) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Key counts, the worker table and the observed flags of one measurement."""
    k = s.key_count
    keys = frame_of(
        conn,
        sa.select(k.c.worker_id, k.c.case_type, k.c.phase, k.c.flags, k.c.n_cases).where(
            k.c.measurement_id == mid
        ),
    )
    flags = conn.execute(
        sa.select(s.measurement.c.flags_observed).where(s.measurement.c.id == mid)
    ).scalar_one()
    workers = workers_of(conn, mid)
    workers["worker_id"] = workers["worker_id"].astype(str)
    return keys, workers, flags


_HEAD = ("measurement_id", "measured_on", "label", "scheme_name", "scheme_version")
_WORKER = tuple(c for c in FIXED_WORKER_COLUMNS if c != "row")


def with_head(frame: pd.DataFrame, head: dict[str, Any], level: str) -> pd.DataFrame:
    """History columns of ``level`` from a result table, led by the measurement's columns."""
    body = {"worker": _WORKER, "team": ("team_id", *GROUP_COLUMNS), "unit": GROUP_COLUMNS}[level]
    out = frame[list(body)].reset_index(drop=True).copy()
    for i, name in enumerate(_HEAD):
        out.insert(i, name, head[name])
    for c in ("worker_id", "team_id"):
        if c in out.columns:
            out[c] = out[c].astype(str)
    return out


def stack(parts: list[pd.DataFrame], level: str) -> pd.DataFrame:
    """Restated tables of several measurements as one history frame."""
    body = {"worker": _WORKER, "team": ("team_id", *GROUP_COLUMNS), "unit": GROUP_COLUMNS}[level]
    if not parts:
        return pd.DataFrame(columns=[*_HEAD, *body])
    out = pd.concat(parts, ignore_index=True)
    for c in ("load", "fte", "capacity", "utilisation", "reduction"):
        if c in out.columns:
            out[c] = out[c].astype(float)
    for c in ("n_cases", "n_workers", "n_low", "n_balanced", "n_high", "n_critical"):
        if c in out.columns:
            out[c] = out[c].astype(np.int64)
    out["measured_on"] = pd.to_datetime(out["measured_on"])
    out["band"] = _bands(out["band"].astype(object).tolist())
    return out
