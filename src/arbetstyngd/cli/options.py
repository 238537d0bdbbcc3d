"""The reading options every command that reads exports takes, defined once.

``score``, ``report``, ``validate`` and the ``calibrate`` commands read exports the same way:
``--columns PROFILE``, ``--key``, ``--scheme``, ``--date-order``, ``--encoding`` and
``--sheet`` mean the same everywhere, and :func:`read_inputs` reads cases, workers and teams
exactly as the Python path does (workers first, so names in the cases export are matched to
the roster; the scheme's labels map case-type values).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import attrs
import pandas as pd
import typer

from ..io import ReadOptions

__all__ = [
    "ColumnsOption",
    "DateOrder",
    "DateOrderOption",
    "EncodingOption",
    "Inputs",
    "KeyOption",
    "SchemeOption",
    "SheetOption",
    "input_totals",
    "read_inputs",
    "read_options",
]


class DateOrder(StrEnum):
    auto = "auto"
    dmy = "dmy"
    mdy = "mdy"


ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns", help="Mapping profile (.toml) for headers, values, aliases and read options."
    ),
]
KeyOption = Annotated[
    Path | None,
    typer.Option(help="Key file for pseudonyms (default: ARBETSTYNGD_KEY / _KEY_FILE)."),
]
SchemeOption = Annotated[
    str, typer.Option(help="Built-in scheme name (see 'arbetstyngd schemes') or a TOML file.")
]
DateOrderOption = Annotated[
    DateOrder | None,
    typer.Option(
        help="Order of slash dates: auto and dmy read 3/2 2026 day first (the Swedish "
        "order); mdy reads the whole file month first. Default: the profile's, else auto."
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(help="Text encoding of CSV/TXT files (default: detected, e.g. cp1252)."),
]
SheetOption = Annotated[
    str | None,
    typer.Option(help="Excel sheet to read (default: the first with a recognisable header)."),
]
ExcelFriendlyOption = Annotated[
    bool,
    typer.Option(
        help="Write the CSV files (results, rejected.csv) for Swedish Excel: semicolon, "
        "decimal comma, UTF-8 with BOM, headers in --lang."
    ),
]
IncompleteThresholdOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        help="Mark the figures incomplete when more than this share of a table's rows "
        "was rejected (0.1 = 10 %; the exit status does not change).",
    ),
]


def read_options(
    *,
    columns: str | None = None,
    key: Path | None = None,
    date_order: DateOrder | str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ReadOptions:
    """The command line's reading options as the library's :class:`ReadOptions`.

    Examples
    --------
    >>> read_options(date_order=DateOrder.dmy, encoding="cp1252").date_order
    'dmy'
    """
    return ReadOptions(
        columns=columns,
        key=key,
        date_order=None if date_order is None else str(date_order),
        encoding=encoding,
        sheet=sheet,
    )


@attrs.frozen
class Inputs:
    """The tables a command read: cases, workers and (optionally) teams."""

    cases: pd.DataFrame = attrs.field(eq=False)
    workers: pd.DataFrame = attrs.field(eq=False)
    teams: pd.DataFrame | None = attrs.field(eq=False)


def read_inputs(
    cases: Path,
    workers: Path,
    teams: Path | None,
    scheme: Any,
    options: ReadOptions,
) -> Inputs:
    """Read the three tables as ``arbetstyngd.score`` in Python would be given them.

    Workers first: the cases export's worker names are matched to the roster, and the
    scheme's case-type labels and flags map the cases' values and headers.
    """
    from ..io import read_table

    options = attrs.evolve(options, scheme=scheme)
    worker_frame = read_table(workers, "workers", options=options)
    case_frame = read_table(
        cases,
        "cases",
        options=attrs.evolve(options, roster=worker_frame),
    )
    team_frame = None if teams is None else read_table(teams, "teams", options=options)
    return Inputs(case_frame, worker_frame, team_frame)


def input_totals(read: Inputs) -> dict[str, int]:
    """Data rows read per table whose total a result does not hold (teams), for the share of
    rows rejected."""
    info = None if read.teams is None else read.teams.attrs.get("read")
    return {} if info is None else {"teams": int(info.rows_read)}
