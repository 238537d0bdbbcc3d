"""The ``arbetstyngd archive`` commands: record, ratings, show, history, restate, purge, forget."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pandas as pd
import typer

from .common import EXIT_BAD_INPUT, echo_table, friendly_errors
from .options import (
    ColumnsOption,
    DateOrderOption,
    EncodingOption,
    KeyOption,
    SheetOption,
    read_inputs,
    read_options,
)

F = TypeVar("F", bound=Callable[..., Any])

archive_app = typer.Typer(
    help=(
        "Keep each measurement as it was measured: record monthly results and self-ratings, "
        "show the history, restate it under a new scheme, delete by age or by person. The "
        "archive is a SQLite file (default arbetstyngd.db, or ARBETSTYNGD_ARCHIVE) or a "
        "PostgreSQL URL."
    ),
    no_args_is_help=True,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Archive: a file path, sqlite:///path or postgresql+psycopg://user@host/db "
        "(default: ARBETSTYNGD_ARCHIVE, else arbetstyngd.db).",
    ),
]


def _archive_errors(func: F) -> F:
    """An archive that cannot be opened or changed: one line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..archive import ArchiveError

        try:
            return func(*args, **kwargs)
        except (ArchiveError, KeyError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper  # type: ignore[return-value]


def _open(db: str | None) -> Any:
    from ..archive import Archive

    return Archive(db or os.environ.get("ARBETSTYNGD_ARCHIVE") or "arbetstyngd.db")


def _confirm(yes: bool, question: str) -> None:
    if not yes and not typer.confirm(question):
        raise typer.Exit(1)


@archive_app.command("record")
@friendly_errors
@_archive_errors
def record(
    cases: Annotated[Path, typer.Argument(help="Cases export (CSV, Excel or Parquet).")],
    workers: Annotated[Path, typer.Argument(help="Workers / roster file.")],
    teams: Annotated[Path | None, typer.Option(help="Teams file (optional).")] = None,
    scheme: Annotated[
        str, typer.Option(help="Built-in scheme name or a TOML file.")
    ] = "barn-och-unga",
    on: Annotated[
        str | None, typer.Option(help="Measurement date (YYYY-MM-DD); default a snapshot today.")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Label, e.g. 'mars-omgång'.")] = None,
    replace: Annotated[
        bool, typer.Option(help="Replace a different measurement of the same date and label.")
    ] = False,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
    db: DbOption = None,
) -> None:
    """Score an export and store the measurement (aggregates only) in the archive."""
    from .._engine.scoring import score
    from ..schemes import load_scheme
    from .printing import echo_result

    the_scheme = load_scheme(scheme)
    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    read = read_inputs(cases, workers, teams, the_scheme, options)
    wl = score(read.cases, read.workers, the_scheme, teams=read.teams, on=on)
    with _open(db) as archive:
        mid = archive.record(wl, label=label, replace=replace)
        echo_result(wl, "en")
        typer.echo(f"measurement {mid} in {archive.url.render_as_string(hide_password=True)}")


@archive_app.command("ratings")
@friendly_errors
@_archive_errors
def ratings(
    file: Annotated[Path, typer.Argument(help="Survey export (CSV or Excel).")],
    scale: Annotated[str, typer.Option(help="The question's scale: 1-5 or -3..3.")],
    roster: Annotated[
        Path | None, typer.Option(help="Workers file, to match respondents' names to ids.")
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="Month of every answer, when the file has no dates.")
    ] = None,
    key: Annotated[Path | None, typer.Option(help="Key file for pseudonyms.")] = None,
    db: DbOption = None,
) -> None:
    """Store self-ratings of workload (and flexi-time balances) from a survey export."""
    from ..io import read_workers
    from ..io.ratings import read_ratings

    names = None if roster is None else read_workers(roster, key=key)
    frame = read_ratings(file, scale=scale, roster=names, period=period, key=key)
    rejected = frame.attrs.get("rejected")
    with _open(db) as archive:
        n = archive.record_ratings(frame)
    typer.echo(f"stored {n} rating(s)")
    if rejected is not None and len(rejected):
        typer.echo(f"{len(rejected)} row(s) not used:")
        echo_table(rejected[["row", "column", "reason"]])


@archive_app.command("show")
@friendly_errors
@_archive_errors
def show(db: DbOption = None) -> None:
    """List the measurements: date, label, scheme, unit utilisation, rows rejected."""
    with _open(db) as archive:
        frame = archive.measurements()
    if frame.empty:
        typer.echo("the archive has no measurements yet")
        return
    out = frame[
        ["measurement_id", "measured_on", "label", "scheme_name", "scheme_version", "n_workers"]
    ].copy()
    out["measured_on"] = out["measured_on"].dt.date
    out["utilisation"] = [f"{u:.0%}" if u == u else "–" for u in frame["utilisation"]]
    out["band"] = frame["band"].astype(str)
    out["rows_rejected"] = frame["rows_rejected"]
    echo_table(out)


@archive_app.command("history")
@friendly_errors
@_archive_errors
def history(
    level: Annotated[str, typer.Option(help="worker, team or unit.")] = "unit",
    start: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the whole table as CSV here.")] = None,
    db: DbOption = None,
) -> None:
    """Print (or write) utilisation per measurement for each worker, team or the unit."""
    with _open(db) as archive:
        frame = archive.history(level, start, end)
    if out is not None:
        frame.to_csv(out, index=False)
        typer.echo(f"wrote {len(frame)} row(s) to {out}")
        return
    shown = frame.drop(columns=["measurement_id", "scheme_name"], errors="ignore").copy()
    shown["measured_on"] = shown["measured_on"].dt.date
    shown["utilisation"] = [f"{u:.0%}" if u == u else "–" for u in frame["utilisation"]]
    for c in ("load", "capacity", "fte"):
        if c in shown.columns:
            shown[c] = shown[c].round(1)
    echo_table(shown, max_rows=200)


@archive_app.command("restate")
@friendly_errors
@_archive_errors
def restate(
    scheme: Annotated[str, typer.Option(help="The new scheme: built-in name or TOML file.")],
    out: Annotated[
        Path | None, typer.Option(help="Write the restated worker history as CSV here.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Recompute the whole history under another scheme (nothing in the archive changes)."""
    from ..schemes import load_scheme

    new = load_scheme(scheme)
    with _open(db) as archive:
        result = archive.restate(new)
        recorded = archive.history("unit")
    both = recorded[["measured_on", "label", "scheme_version", "utilisation"]].merge(
        result.unit[["measured_on", "label", "utilisation"]],
        on=["measured_on", "label"],
        how="left",
        suffixes=("_recorded", "_restated"),
    )
    both["measured_on"] = both["measured_on"].dt.date
    for c in ("utilisation_recorded", "utilisation_restated"):
        both[c] = [f"{u:.1%}" if u == u else "–" for u in both[c]]
    typer.echo(f"unit utilisation under {new.id}:")
    echo_table(both, max_rows=200)
    if len(result.not_restated):
        typer.echo("\nnot restated:")
        echo_table(result.not_restated[["measured_on", "label", "reason"]])
    if out is not None:
        result.workers.to_csv(out, index=False)
        typer.echo(f"wrote {len(result.workers)} row(s) to {out}")


@archive_app.command("purge")
@friendly_errors
@_archive_errors
def purge(
    before: Annotated[str, typer.Option(help="Delete measurements dated before this date.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete measurements (and ratings) older than a date: the retention rule."""
    day = pd.Timestamp(before).date()
    _confirm(yes, f"delete every measurement and rating before {day}?")
    with _open(db) as archive:
        counts = archive.purge(day)
    typer.echo(f"deleted {counts['measurements']} measurement(s), {counts['ratings']} rating(s)")


@archive_app.command("forget-worker")
@friendly_errors
@_archive_errors
def forget_worker(
    worker_id: Annotated[str, typer.Argument(help="The worker's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Erase every row naming one worker; team and unit totals stay."""
    _confirm(yes, f"erase every row of worker {worker_id!r}?")
    with _open(db) as archive:
        counts = archive.forget_worker(worker_id)
    typer.echo(
        f"deleted {sum(counts.values())} row(s): "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
