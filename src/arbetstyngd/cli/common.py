"""Shared pieces of the command line: error handling and table printing."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import pandas as pd
import typer

from ..errors import RejectedRowsWarning, say
from ..labels import text

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 fine, 1 rows were rejected (where a command says so), 2 unusable input.
EXIT_REJECTED = 1
EXIT_BAD_INPUT = 2


def friendly_errors(func: F) -> F:
    """Turn the library's data and scheme errors into one readable line and exit code 2,
    ``fel: …`` in Swedish, ``error: …`` in English.

    Warnings meant for a person are said once each, in the command's ``--lang`` (English for
    a command without one).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = str(kwargs.get("lang") or "en")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # the commands report rejected rows themselves
            warnings.simplefilter("ignore", RejectedRowsWarning)
            try:
                return func(*args, **kwargs)
            except (ValueError, FileNotFoundError, IsADirectoryError) as exc:
                # the library's errors made from the label table are said in the language;
                # the others (and every error of a command without --lang) as written
                typer.echo(f"{text('cli.error', lang)}: {say(exc, lang)}", err=True)
                raise typer.Exit(EXIT_BAD_INPUT) from None
            finally:
                # warnings meant for a person (no key set, thin calibration data …) as one
                # readable line each, not Python's file:line form
                echo_notes(
                    (
                        w.message
                        for w in caught
                        if issubclass(w.category, UserWarning)
                        and not issubclass(w.category, (DeprecationWarning, FutureWarning))
                    ),
                    lang,
                )

    return wrapper  # type: ignore[return-value]


def echo_notes(messages: Iterable[Warning | str], lang: str) -> None:
    """Print each distinct warning once, as ``note: …`` (``obs: …`` in Swedish)."""
    note = text("cli.note", lang)
    for said in dict.fromkeys(say(m, lang) for m in messages):
        typer.echo(f"{note}: {said}", err=True)


def echo_table(frame: pd.DataFrame, *, max_rows: int = 60) -> None:
    with pd.option_context(
        "display.max_rows", max_rows, "display.width", 200, "display.max_columns", 30
    ):
        typer.echo(frame.to_string(index=False))


class Lang(StrEnum):
    """The language of a command's output."""

    sv = "sv"
    en = "en"


#: The ``--lang`` option every command that prints words takes (Swedish by default).
LangOption = Annotated[Lang, typer.Option(help="Language of the output: sv or en.")]
