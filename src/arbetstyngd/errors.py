"""Exceptions and warnings raised by arbetstyngd.

Every exception subclasses a built-in so that callers who do not know the library can still
catch it (``except ValueError``). Data problems carry a table of every failure, not just the
first one found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ColumnsError",
    "DataError",
    "InputFileError",
    "MissingColumnWarning",
    "ReductionsWarning",
    "RejectedRowsWarning",
    "RulesError",
    "ScenarioError",
    "SchemeError",
    "ThinHistoryWarning",
]


class SchemeError(ValueError):
    """A scheme is malformed: a field has a value outside what the model allows."""


class DataError(ValueError):
    """Input data cannot be used as given.

    Parameters
    ----------
    message : str
        What is wrong, in words a person understands.
    failures : pandas.DataFrame, optional
        One row per problem (``table``, ``row``, ``id``, ``column``, ``value``, ``code``,
        ``reason``), the same shape as :attr:`arbetstyngd.Workload.rejected`.
    """

    def __init__(self, message: str, failures: pd.DataFrame | None = None) -> None:
        super().__init__(message)
        self.failures = failures


class RulesError(ValueError):
    """Allocation rules name something the workload does not have, or hold a wrong value."""


class ScenarioError(ValueError):
    """A what-if scenario names something the inputs do not have, or holds a wrong value."""


class ColumnsError(DataError):
    """A table lacks a required column (or has one that cannot be interpreted at all)."""


class InputFileError(DataError):
    """A file cannot be read as a table: empty, binary, no recognisable header, too large."""


class RejectedRowsWarning(UserWarning):
    """Some input rows were rejected; the result holds them in its rejection table."""


class ReductionsWarning(UserWarning):
    """Reductions in force add up to more than the whole working time on some date."""


class MissingColumnWarning(UserWarning):
    """A column the scheme uses is not in the table, so it has no effect.

    A complexity flag of the scheme with no column in the cases table counts as "no" for
    every case (factor 1); the message names the closest header, which may be the flag
    under another name.
    """


class ThinHistoryWarning(UserWarning):
    """A forecast's history is too thin for part of its model; the message says what lacks."""
