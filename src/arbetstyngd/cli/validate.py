"""``arbetstyngd validate``: check an export before scoring it, and say exactly what to fix."""

from __future__ import annotations

import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import attrs
import pandas as pd
import typer

from .._contract.problems import with_codes
from .._contract.reasons import reason_label
from .._engine.scoring import score
from ..errors import RejectedRowsWarning
from ..io import (
    MissingColumnsError,
    PseudonymKeyWarning,
    ReadOptions,
    ReadReport,
    read_table,
)
from ..io.writers import sorted_rejections, write_csv
from ..schemes import load_scheme
from .common import EXIT_REJECTED, echo_table, friendly_errors
from .options import (
    ColumnsOption,
    DateOrderOption,
    EncodingOption,
    KeyOption,
    SheetOption,
    read_options,
)

__all__ = ["validate"]

_HOW = {
    "profile": "from the mapping",
    "synonym": "recognised",
    "canonical": "already canonical",
    "flag": "complexity flag of the scheme",
    "scheme": "capacity covariate of the scheme",
    "kept": "not mapped; kept under this name",
}


class Kind(StrEnum):
    cases = "cases"
    workers = "workers"
    teams = "teams"


def summary_lines(report: ReadReport, rejected: pd.DataFrame, rows_out: int) -> list[str]:
    """The readable summary ``validate`` prints (without the problem rows)."""
    lines = [
        f"{report.source}: {report.kind} table",
        f"  format      {report.format}" + (f", sheet {report.sheet!r}" if report.sheet else ""),
        f"  header      row {report.header_row}",
        f"  rows        {report.rows_read} read, {rows_out} usable, "
        f"{report.rows_rejected} rejected"
        + (f" ({report.blank_rows} blank row(s) skipped)" if report.blank_rows else ""),
        f"  key         pseudonyms made with a key from: {report.key_source}",
        "",
        "Columns:",
    ]
    lines.extend(_mapping_lines(report.mapping)[1:])
    if report.pseudonymised:
        lines.append("")
        lines.append("Pseudonymised (identity numbers replaced by keyed pseudonyms):")
        lines.extend(f"  {col}: {n} cell(s)" for col, n in report.pseudonymised)
    if report.notes:
        lines.append("")
        lines.extend(f"Note: {n}" for n in report.notes)
    return lines


_SKIPPED = {
    "scheme": "case types, phases and complexity flags of a scheme, and the capacity "
    "inputs it needs (give --scheme)",
    "roster": "whether every worker named is on the roster and can be scored "
    "(give --roster WORKERS)",
}


@friendly_errors
def validate(
    file: Annotated[Path, typer.Argument(help="The export to check (CSV, Excel or Parquet).")],
    kind: Annotated[Kind, typer.Option(help="Which table the file holds.")] = Kind.cases,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    sheet: SheetOption = None,
    scheme: Annotated[
        str | None,
        typer.Option(
            help="Scheme: check case types, phases, flags and capacity inputs as score does."
        ),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option(help="Workers file: check the cases' workers against it as score does."),
    ] = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    report: Annotated[
        Path | None, typer.Option(help="Write every problem row to this CSV file.")
    ] = None,
    first: Annotated[int, typer.Option(help="Problem rows shown per reason.")] = 5,
) -> None:
    """Check an export: what was recognised, how columns were mapped, and every problem row.

    With --scheme (and, for cases, --roster) every check that ``score`` makes is made, and
    the same rows are reported; without them, the checks left out are named.
    Exits with 1 when any row was rejected, 2 when the file cannot be read at all.
    """
    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    the_scheme = None if scheme is None else load_scheme(scheme)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PseudonymKeyWarning)
        frame, rejected, skipped = _read_and_check(file, kind.value, the_scheme, roster, options)
    for message in dict.fromkeys(
        str(w.message) for w in caught if issubclass(w.category, PseudonymKeyWarning)
    ):
        typer.echo(f"note: {message}", err=True)
    info: ReadReport = frame.attrs["read"]
    mine = rejected[rejected["table"] == kind.value]
    info = attrs.evolve(info, rows_rejected=int(mine["row"].nunique()))
    usable = int((~frame["source_row"].isin(mine["row"])).sum())
    for line in summary_lines(info, rejected, usable):
        typer.echo(line)
    if skipped:
        typer.echo("\nChecks not made (score would make them):")
        typer.echo("\n".join(f"  - {_SKIPPED[s]}" for s in skipped))
    _problems(rejected, report, first)


def _read_and_check(
    file: Path, kind: str, scheme: Any, roster: Path | None, options: ReadOptions
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The table as read, every rejection ``score`` would make, and the checks left out."""
    workers = None
    if roster is not None and kind != "workers":
        workers = read_table(roster, "workers", options=attrs.evolve(options, scheme=scheme))
    read_as = attrs.evolve(options, scheme=scheme, roster=workers if kind == "cases" else None)
    try:
        frame = read_table(file, kind, options=read_as)
    except MissingColumnsError as exc:
        # the column table first: it is what a person needs to write the mapping
        for line in _mapping_lines(exc.mapping):
            typer.echo(line)
        typer.echo("")
        raise
    skipped = [s for s, given in (("scheme", scheme), ("roster", roster)) if given is None]
    if kind == "workers" and "roster" in skipped:
        skipped.remove("roster")
    if scheme is None or (kind != "workers" and workers is None):
        return frame, pd.DataFrame(frame.attrs["rejected"]), skipped
    cases = frame if kind == "cases" else _no_cases()
    roster_frame = frame if kind == "workers" else workers
    assert roster_frame is not None
    teams = frame if kind == "teams" else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RejectedRowsWarning)
        wl = score(cases, roster_frame, scheme, teams=teams)
    return frame, wl.rejected, skipped


def _no_cases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": pd.Series([], dtype=object),
            "worker_id": pd.Series([], dtype=object),
            "case_type": pd.Series([], dtype=object),
            "opened": pd.Series([], dtype="datetime64[ns]"),
        }
    )


def _mapping_lines(mapping: Any) -> list[str]:
    lines = ["Columns:"]
    width = max((len(h) for h, _, _ in mapping), default=10)
    for header, column, how in mapping:
        lines.append(f"  {header:<{width}}  → {column:<20} ({_HOW.get(how, how)})")
    return lines


def _problems(rejected: pd.DataFrame, report: Path | None, first: int) -> None:
    if not len(rejected):
        typer.echo("\nNo problems found: every row can be used.")
        return
    typer.echo(f"\nProblems: {len(rejected)} in {rejected['row'].nunique()} row(s)")
    # one line per kind of problem: its reason code (the texts name values)
    rejected = with_codes(rejected)
    counts = (
        rejected.groupby(["column", "code"], sort=False)
        .size()
        .rename("rows")
        .reset_index()
        .sort_values("rows", ascending=False)
    )
    echo_table(counts)
    for (column, code), group in rejected.groupby(["column", "code"], sort=False):
        typer.echo(f"\n{column}: {reason_label(str(code), 'en')} ({code})")
        echo_table(group.head(first)[["row", "id", "value", "reason"]].fillna(""))
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        # CRLF rows: a cell holding a lone CR is quoted, so Excel cannot start a row in it
        write_csv(sorted_rejections(rejected), report)
        typer.echo(f"\nwrote {len(rejected)} problem row(s) to {report}")
    raise typer.Exit(EXIT_REJECTED)
