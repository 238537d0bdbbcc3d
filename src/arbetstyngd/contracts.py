"""Output contracts: pandera schemas of the tables a :class:`~arbetstyngd.Workload` holds.

Integrators who store or forward results can check them with these schemas (lazily, so every
violation is listed at once), and the test suite checks every result it makes against them.

Examples
--------
>>> import arbetstyngd as at
>>> wl = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=0).score()
>>> check_workload(wl) is wl
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandera.pandas as pa

from ._contract.columns import Column, column
from ._contract.problems import REJECTED_COLUMNS
from .scheme import BAND_NAMES

if TYPE_CHECKING:
    from .result import Workload

__all__ = ["CASES", "REJECTED", "TEAMS", "WORKERS", "check_workload"]

_band = pa.Column(
    "category",
    pa.Check.isin(list(BAND_NAMES), error=f"band is one of {list(BAND_NAMES)}"),
    nullable=True,
)
_non_negative = pa.Check.ge(0, error="must be >= 0")


def _within(col: Column) -> pa.Check:
    """The data contract's interval of a column as a pandera check."""
    assert col.bounds is not None
    lo, hi = col.bounds
    return pa.Check.in_range(
        lo,
        hi,
        include_min=col.closed[0],
        include_max=col.closed[1],
        error=f"{col.name} in {col.interval()}",
    )


WORKERS = pa.DataFrameSchema(
    {
        "worker_id": pa.Column(nullable=False, unique=True),
        "team_id": pa.Column(nullable=False),
        "n_cases": pa.Column(int, _non_negative),
        "load": pa.Column(float, _non_negative),
        "fte": pa.Column(float, _within(column("workers", "fte"))),
        # a worker's own reduction plus dated ones may reach 1 (no capacity)
        "reduction": pa.Column(float, pa.Check.in_range(0, 1, error="reduction in [0, 1]")),
        # a worker on full leave has no capacity, and so no utilisation or band
        "capacity": pa.Column(float, _non_negative),
        "utilisation": pa.Column(float, _non_negative, nullable=True),
        "band": _band,
    },
    name="workers",
)

TEAMS = pa.DataFrameSchema(
    {
        "team_id": pa.Column(nullable=False, unique=True),
        "n_workers": pa.Column(int, pa.Check.gt(0, error="a team has workers")),
        "n_cases": pa.Column(int, _non_negative),
        "load": pa.Column(float, _non_negative),
        "capacity": pa.Column(float, _non_negative),
        "utilisation": pa.Column(float, _non_negative, nullable=True),
        "band": _band,
        **{f"n_{b}": pa.Column(int, _non_negative) for b in BAND_NAMES},
    },
    name="teams",
)

CASES = pa.DataFrameSchema(
    {
        "case_id": pa.Column(nullable=False, unique=True),
        "worker_id": pa.Column(nullable=False),
        "case_type": pa.Column(nullable=False),
        "active": pa.Column(bool),
        "opened": pa.Column(nullable=False),
        "weight": pa.Column(float, _non_negative),
        "points": pa.Column(float, _non_negative),
    },
    name="cases",
)

REJECTED = pa.DataFrameSchema(
    {c: pa.Column(nullable=c in ("id", "value")) for c in REJECTED_COLUMNS},
    strict=True,
    name="rejected",
)


def check_workload(workload: Workload) -> Workload:
    """Check every table of a result against its contract; raise listing every violation.

    Raises
    ------
    pandera.errors.SchemaErrors
        With ``failure_cases``: one row per violation.
    """
    WORKERS.validate(workload.workers, lazy=True)
    TEAMS.validate(workload.teams, lazy=True)
    CASES.validate(workload.cases, lazy=True)
    REJECTED.validate(workload.rejected, lazy=True)
    return workload
