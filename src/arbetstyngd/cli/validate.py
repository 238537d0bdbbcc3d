"""``arbetstyngd validate``: check an export before scoring it, and say exactly what to fix."""

from __future__ import annotations

import warnings
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from .._contract.problems import with_codes
from .._contract.reasons import reason_label
from .common import EXIT_REJECTED, echo_table, friendly_errors

if TYPE_CHECKING:
    from ..io.readers import ReadReport

__all__ = ["validate"]

_HOW = {
    "profile": "from the mapping",
    "synonym": "recognised",
    "canonical": "already canonical",
    "flag": "complexity flag of the scheme",
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
    width = max((len(h) for h, _, _ in report.mapping), default=10)
    for header, column, how in report.mapping:
        lines.append(f"  {header:<{width}}  → {column:<20} ({_HOW.get(how, how)})")
    if report.pseudonymised:
        lines.append("")
        lines.append("Pseudonymised (identity numbers replaced by keyed pseudonyms):")
        lines.extend(f"  {col}: {n} cell(s)" for col, n in report.pseudonymised)
    if report.notes:
        lines.append("")
        lines.extend(f"Note: {n}" for n in report.notes)
    return lines


@friendly_errors
def validate(
    file: Annotated[Path, typer.Argument(help="The export to check (CSV, Excel or Parquet).")],
    kind: Annotated[Kind, typer.Option(help="Which table the file holds.")] = Kind.cases,
    columns: Annotated[
        str | None, typer.Option(help="Mapping profile (.toml) for headers, values and aliases.")
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(help="Key file for pseudonyms (default: ARBETSTYNGD_KEY / _KEY_FILE)."),
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet name.")] = None,
    scheme: Annotated[
        str | None, typer.Option(help="Scheme whose case-type labels map export values.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write every problem row to this CSV file.")
    ] = None,
    first: Annotated[int, typer.Option(help="Problem rows shown per reason.")] = 5,
) -> None:
    """Check an export: what was recognised, how columns were mapped, and every problem row.

    Exits with 1 when any row was rejected, 2 when the file cannot be read at all.
    """
    # the readers load on use, so `arbetstyngd --help` stays quick
    from ..io.pseudonym import PseudonymKeyWarning
    from ..io.readers import read_table
    from ..io.writers import safe_frame

    extra = {"scheme": scheme} if kind is Kind.cases and scheme else {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PseudonymKeyWarning)
        frame = read_table(
            file,
            kind.value,
            columns=columns,
            key=key,
            sheet=sheet,
            **extra,  # type: ignore[arg-type]
        )
    for w in caught:
        if issubclass(w.category, PseudonymKeyWarning):
            typer.echo(f"note: {w.message}", err=True)
    info: ReadReport = frame.attrs["read"]
    rejected = pd.DataFrame(frame.attrs["rejected"])
    for line in summary_lines(info, rejected, len(frame)):
        typer.echo(line)
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
        safe_frame(rejected).to_csv(report, index=False, encoding="utf-8-sig")
        typer.echo(f"\nwrote {len(rejected)} problem row(s) to {report}")
    raise typer.Exit(EXIT_REJECTED)
