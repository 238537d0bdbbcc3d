"""The first schema: measurements, their figures and key counts, row accounting, ratings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_FLOAT = sa.Float(precision=53, asdecimal=False)


def _mid() -> sa.Column:
    return sa.Column(
        "measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True
    )


def _group_columns() -> list[sa.Column]:
    kinds = {"fte": _FLOAT, "load": _FLOAT, "capacity": _FLOAT, "utilisation": _FLOAT}
    names = ["n_workers", "fte", "n_cases", "load", "capacity", "utilisation", "band"]
    names += ["n_low", "n_balanced", "n_high", "n_critical"]
    return [
        sa.Column(n, sa.String(16) if n == "band" else kinds.get(n, sa.Integer), nullable=True)
        for n in names
    ]


def upgrade() -> None:
    """The first schema, table by table, as it was released.

    Longer than the project's 80 lines on purpose: a migration is frozen history, and it
    reads best as one list of tables that matches the schema it created.
    """
    info = op.create_table(
        "archive_info",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.bulk_insert(
        info,
        [
            {"key": "kind", "value": "arbetstyngd-archive"},
            {"key": "created", "value": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
        ],
    )
    op.create_table(
        "measurement",
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
    op.create_table(
        "row_accounting",
        _mid(),
        sa.Column("table_name", sa.String(32), primary_key=True),
        sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column("n_valid", sa.Integer, nullable=False),
        sa.Column("n_rejected", sa.Integer, nullable=False),
        sa.Column("n_active", sa.Integer, nullable=True),
    )
    op.create_table(
        "rejection_count",
        _mid(),
        sa.Column("table_name", sa.String(32), primary_key=True),
        sa.Column("column_name", sa.String(200), primary_key=True),
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("n_rows", sa.Integer, nullable=False),
    )
    op.create_table(
        "worker_figure",
        _mid(),
        sa.Column("worker_id", sa.String(200), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("team_id", sa.String(200), nullable=False),
        sa.Column("source_row", sa.String(64), nullable=False),
        sa.Column("n_cases", sa.Integer, nullable=False),
        *(sa.Column(n, _FLOAT, nullable=False) for n in ("load", "fte", "reduction", "capacity")),
        sa.Column("utilisation", _FLOAT, nullable=True),
        sa.Column("band", sa.String(16), nullable=True),
    )
    op.create_index("ix_worker_figure_worker", "worker_figure", ["worker_id"])
    op.create_table(
        "worker_value",
        _mid(),
        sa.Column("worker_id", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("value", _FLOAT, nullable=True),
    )
    op.create_index("ix_worker_value_worker", "worker_value", ["worker_id"])
    op.create_table(
        "team_figure",
        _mid(),
        sa.Column("team_id", sa.String(200), primary_key=True),
        *_group_columns(),
    )
    op.create_table("unit_figure", _mid(), *_group_columns())
    op.create_table(
        "key_count",
        _mid(),
        sa.Column("worker_id", sa.String(200), primary_key=True),
        sa.Column("case_type", sa.String(200), primary_key=True),
        sa.Column("phase", sa.String(200), primary_key=True),
        sa.Column("flags", sa.String(1000), primary_key=True),
        sa.Column("n_cases", sa.Integer, nullable=False),
    )
    op.create_index("ix_key_count_worker", "key_count", ["worker_id"])
    op.create_table(
        "rating",
        sa.Column("worker_id", sa.String(200), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),
        sa.Column("rating", _FLOAT, nullable=True),
        sa.Column("scale", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "rating",
        "key_count",
        "unit_figure",
        "team_figure",
        "worker_value",
        "worker_figure",
        "rejection_count",
        "row_accounting",
        "measurement",
        "archive_info",
    ):
        op.drop_table(table)
