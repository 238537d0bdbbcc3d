"""Shared pieces of the command line: error handling and table printing."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import pandas as pd
import typer

from ..errors import DataError, RejectedRowsWarning, SchemeError

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 fine, 1 rows were rejected (where a command says so), 2 unusable input.
EXIT_REJECTED = 1
EXIT_BAD_INPUT = 2


def friendly_errors(func: F) -> F:
    """Turn the library's data and scheme errors into one readable line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # the commands report rejected rows themselves
            warnings.simplefilter("ignore", RejectedRowsWarning)
            try:
                return func(*args, **kwargs)
            except (DataError, SchemeError, FileNotFoundError, IsADirectoryError) as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(EXIT_BAD_INPUT) from None
            except ValueError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(EXIT_BAD_INPUT) from None
            finally:
                # warnings meant for a person (no key set, thin calibration data …) as one
                # readable line each, not Python's file:line form
                meant_for_people = (
                    str(w.message)
                    for w in caught
                    if issubclass(w.category, UserWarning)
                    and not issubclass(w.category, (DeprecationWarning, FutureWarning))
                )
                for message in dict.fromkeys(meant_for_people):
                    typer.echo(f"note: {message}", err=True)

    return wrapper  # type: ignore[return-value]


def echo_table(frame: pd.DataFrame, *, max_rows: int = 60) -> None:
    with pd.option_context(
        "display.max_rows", max_rows, "display.width", 200, "display.max_columns", 30
    ):
        typer.echo(frame.to_string(index=False))


class Lang(StrEnum):
    """The language of a command's output."""

    sv = "sv"
    en = "en"
