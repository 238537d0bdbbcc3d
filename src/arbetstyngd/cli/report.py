"""The ``arbetstyngd report`` command: score an export and write the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from .._engine.scoring import score as score_api
from .._engine.timeline import timeline as timeline_api
from ..errors import Said
from ..io.writers import write_rejected
from ..labels import text
from ..schemes import load_scheme
from .common import Lang, LangOption, friendly_errors
from .options import (
    ColumnsOption,
    DateOrderOption,
    EncodingOption,
    ExcelFriendlyOption,
    IncompleteThresholdOption,
    KeyOption,
    SchemeOption,
    SheetOption,
    input_totals,
    read_inputs,
    read_options,
)
from .printing import DEFAULT_INCOMPLETE, echo_result


@friendly_errors
def report(
    cases: Annotated[Path, typer.Argument(help="Cases export (CSV, Excel or Parquet).")],
    workers: Annotated[Path, typer.Argument(help="Workers / roster file.")],
    teams: Annotated[
        Path | None, typer.Option(help="Teams file (optional; a 'name' column names teams).")
    ] = None,
    scheme: SchemeOption = "barn-och-unga",
    on: Annotated[
        str | None,
        typer.Option(help="Score the caseload as it was on this date (YYYY-MM-DD)."),
    ] = None,
    lang: LangOption = Lang.sv,
    out: Annotated[
        Path | None,
        typer.Option(
            help="The HTML file to write (default: rapport.html, or report.html in English)."
        ),
    ] = None,
    history_start: Annotated[
        str | None,
        typer.Option(help="Add utilisation over time, weekly from this date (YYYY-MM-DD)."),
    ] = None,
    history_end: Annotated[
        str | None,
        typer.Option(help="End of the history (default: --on, else today)."),
    ] = None,
    min_group: Annotated[
        int | None,
        typer.Option(
            help="Hide figures of groups with fewer workers than this, and figures per "
            "worker (for reports that leave the unit)."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Heading of the report.")] = None,
    archive: Annotated[
        str | None,
        typer.Option(help="Add the monthly history from this archive (path or database URL)."),
    ] = None,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
    excel_friendly: ExcelFriendlyOption = False,
    incomplete_threshold: IncompleteThresholdOption = DEFAULT_INCOMPLETE,
) -> None:
    """Write a self-contained HTML report (Swedish or English) of a caseload.

    The exports are read as ``arbetstyngd score`` reads them (same options, same rejected
    rows, written to rejected.csv next to the report as score writes it). The file needs no
    network: charts are embedded. Open it in any browser or print it to A4.
    """
    lang_ = lang.value
    the_scheme = load_scheme(scheme)
    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    read = read_inputs(cases, workers, teams, the_scheme, options)
    case_frame, worker_frame, team_frame = read.cases, read.workers, read.teams
    wl = score_api(case_frame, worker_frame, the_scheme, teams=team_frame, on=on)
    history: Any = None
    if history_start is not None:
        history = _weekly_history(read, the_scheme, history_start, history_end or on)
    if archive is not None:
        from ..archive import Archive

        history = Archive(archive)
    out = out if out is not None else Path("rapport.html" if lang_ == "sv" else "report.html")
    # team names come with the result: score() was given the teams table
    wl.to_html(out, lang=lang_, history=history, min_group=min_group, title=title)
    # the rows the report counts, listed as score lists them
    rejected = write_rejected(
        wl, out.parent, excel_friendly=excel_friendly, lang=lang_ if excel_friendly else None
    )
    echo_result(wl, lang_, incomplete_threshold, totals=input_totals(read))
    typer.echo("\n" + text("cli.report_written", lang_, path=out.resolve()))
    typer.echo(text("cli.rejected_written", lang_, path=rejected.resolve()))


def _weekly_history(read: Any, scheme: Any, first: str, last: str | None) -> pd.DataFrame:
    """Weekly figures counted back from the report's date, so the last point is that date."""
    end = pd.Timestamp(last or pd.Timestamp.today()).normalize()
    start = pd.Timestamp(first).normalize()
    if start > end:
        raise ValueError(Said("err.history_start", end=str(end.date()), start=str(start.date())))
    weeks = (end - start).days // 7 + 1
    return timeline_api(
        read.cases,
        read.workers,
        scheme,
        teams=read.teams,
        dates=pd.date_range(end=end, periods=weeks, freq="7D"),
    )
