"""The archive's tables, as the current schema version has them.

The migrations under ``migrations/versions`` create and change these tables; this module
describes the result, so the queries can be written with SQLAlchemy Core. What is stored is
aggregates only: figures per worker, team and unit, and counts of cases per value key. No case
id, client pseudonym or free text from an export is ever written.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "ARCHIVE_KIND",
    "HEAD",
    "MEASUREMENT_CHILDREN",
    "metadata",
]

#: The value of ``archive_info.kind`` that marks a database as an arbetstyngd archive.
ARCHIVE_KIND = "arbetstyngd-archive"
#: The newest schema revision this version of the library writes.
HEAD = "0002"

metadata = sa.MetaData()
_FLOAT = sa.Float(precision=53, asdecimal=False)

archive_info = sa.Table(
    "archive_info",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

measurement = sa.Table(
    "measurement",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("measured_on", sa.Date, nullable=False),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("snapshot", sa.Boolean, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("scheme_name", sa.String(200), nullable=False),
    sa.Column("scheme_version", sa.String(100), nullable=False),
    sa.Column("scheme_hash", sa.String(64), nullable=False),
    sa.Column("scheme_toml", sa.Text, nullable=False),
    sa.Column("library_version", sa.String(64), nullable=False),
    sa.Column("input_fingerprint", sa.String(64), nullable=False),
    sa.Column("worker_id_kind", sa.String(8), nullable=False),
    sa.Column("worker_columns", sa.Text, nullable=False),
    sa.Column("flags_observed", sa.Text, nullable=False),
    sa.UniqueConstraint("measured_on", "label", name="uq_measurement_date_label"),
)

row_accounting = sa.Table(
    "row_accounting",
    metadata,
    sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    sa.Column("table_name", sa.String(32), primary_key=True),
    sa.Column("n_rows", sa.Integer, nullable=False),
    sa.Column("n_valid", sa.Integer, nullable=False),
    sa.Column("n_rejected", sa.Integer, nullable=False),
    sa.Column("n_active", sa.Integer, nullable=True),
)

rejection_count = sa.Table(
    "rejection_count",
    metadata,
    sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    sa.Column("table_name", sa.String(32), primary_key=True),
    sa.Column("column_name", sa.String(200), primary_key=True),
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("n_rows", sa.Integer, nullable=False),
)

worker_figure = sa.Table(
    "worker_figure",
    metadata,
    sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    sa.Column("worker_id", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("team_id", sa.String(200), nullable=False),
    sa.Column("source_row", sa.String(64), nullable=False),
    sa.Column("n_cases", sa.Integer, nullable=False),
    sa.Column("load", _FLOAT, nullable=False),
    sa.Column("fte", _FLOAT, nullable=False),
    sa.Column("reduction", _FLOAT, nullable=False),
    sa.Column("capacity", _FLOAT, nullable=False),
    sa.Column("utilisation", _FLOAT, nullable=True),
    sa.Column("band", sa.String(16), nullable=True),
    sa.Index("ix_worker_figure_worker", "worker_id"),
)

worker_value = sa.Table(
    "worker_value",
    metadata,
    sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    sa.Column("worker_id", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("value", _FLOAT, nullable=True),
    sa.Index("ix_worker_value_worker", "worker_id"),
)

_GROUP_COLUMNS = (
    ("n_workers", sa.Integer),
    ("fte", _FLOAT),
    ("n_cases", sa.Integer),
    ("load", _FLOAT),
    ("capacity", _FLOAT),
    ("utilisation", _FLOAT),
    ("band", sa.String(16)),
    ("n_low", sa.Integer),
    ("n_balanced", sa.Integer),
    ("n_high", sa.Integer),
    ("n_critical", sa.Integer),
)

team_figure = sa.Table(
    "team_figure",
    metadata,
    sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    sa.Column("team_id", sa.String(200), primary_key=True),
    *(sa.Column(name, kind, nullable=True) for name, kind in _GROUP_COLUMNS),
)

unit_figure = sa.Table(
    "unit_figure",
    metadata,
    sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    *(sa.Column(name, kind, nullable=True) for name, kind in _GROUP_COLUMNS),
)

key_count = sa.Table(
    "key_count",
    metadata,
    sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    sa.Column("worker_id", sa.String(200), primary_key=True),
    sa.Column("case_type", sa.String(200), primary_key=True),
    sa.Column("phase", sa.String(200), primary_key=True),
    sa.Column("flags", sa.String(1000), primary_key=True),
    sa.Column("n_cases", sa.Integer, nullable=False),
    sa.Index("ix_key_count_worker", "worker_id"),
)

rating = sa.Table(
    "rating",
    metadata,
    sa.Column("worker_id", sa.String(200), primary_key=True),
    sa.Column("period", sa.Date, primary_key=True),
    sa.Column("rating", _FLOAT, nullable=True),
    sa.Column("scale", sa.String(8), nullable=False),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    # added by revision 0002
    sa.Column("flexi_hours", _FLOAT, nullable=True),
)

#: Tables whose rows belong to one measurement, children first (deleted in this order).
MEASUREMENT_CHILDREN = (
    key_count,
    worker_value,
    worker_figure,
    team_figure,
    unit_figure,
    rejection_count,
    row_accounting,
)
