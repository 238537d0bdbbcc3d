"""The canonical columns of each input table and which of them are required."""

from __future__ import annotations

__all__ = [
    "CASE_COLUMNS",
    "DERIVED_COVARIATES",
    "FALSE_WORDS",
    "REDUCTION_COLUMNS",
    "REQUIRED",
    "TEAM_COLUMNS",
    "TRUE_WORDS",
    "WORKER_COLUMNS",
    "required_columns",
]

#: Canonical columns of the cases table (flag columns are named by the scheme's multipliers).
CASE_COLUMNS: tuple[str, ...] = (
    "case_id",
    "worker_id",
    "case_type",
    "opened",
    "closed",
    "phase",
    "subject_id",
)
#: Canonical columns of the workers table (covariates named by adjustments may be added).
WORKER_COLUMNS: tuple[str, ...] = (
    "worker_id",
    "fte",
    "team_id",
    "experience_years",
    "profession_start",
    "reduction",
    "name",
)
#: Canonical columns of the teams table (covariates named by adjustments may be added).
TEAM_COLUMNS: tuple[str, ...] = (
    "team_id",
    "manager_id",
    "span_of_control",
    "supervision_hours",
    "support_score",
    "name",
)
#: Columns of the optional dated reductions table (a catalogue of reasons with dates).
REDUCTION_COLUMNS: tuple[str, ...] = ("worker_id", "share", "start", "end", "reason")
#: Columns each table must have.
REQUIRED = {
    "reductions": ("worker_id", "share"),
    "cases": ("case_id", "worker_id", "case_type", "opened"),
    "workers": ("worker_id", "fte", "team_id"),
    "teams": ("team_id",),
}

#: Text values read as true / false in complexity-flag columns (case-insensitive).
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "ja", "j", "x", "sant"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "nej", "", "falskt", "-"})

#: Covariates the engine can derive when no table gives them.
DERIVED_COVARIATES = ("experience_years", "span_of_control")


def required_columns(kind: str) -> tuple[str, ...]:
    """Columns a ``kind`` ("cases", "workers", "teams") table must have."""
    return REQUIRED[kind]
