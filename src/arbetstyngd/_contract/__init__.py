"""The data contract: canonical columns, reason codes, coercion, suggestions and validators.

Each idea has one module: :mod:`.columns` (the canonical columns), :mod:`.reasons` (the
rejection reason codes), :mod:`.problems` (the rejection collector), :mod:`.coerce` (value
coercion), :mod:`.suggest` ("did you mean") and :mod:`.validate` / :mod:`.validate_cases`
(the validators that turn input tables into the engine's tables and rejection rows).
"""

from .columns import CASE_COLUMNS, REDUCTION_COLUMNS, TEAM_COLUMNS, WORKER_COLUMNS, required_columns
from .problems import REJECTED_COLUMNS, Problems

__all__ = [
    "CASE_COLUMNS",
    "REDUCTION_COLUMNS",
    "REJECTED_COLUMNS",
    "TEAM_COLUMNS",
    "WORKER_COLUMNS",
    "Problems",
    "required_columns",
]
