"""Core commands: demo, score, schemes, scheme show."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from .._engine.scoring import score as score_api
from ..labels import fmt_date, scheme_text, text, text_n
from ..result import Workload
from ..schemes import list_schemes, load_scheme
from .archive import archive_app
from .calibrate import calibrate_app
from .common import EXIT_REJECTED, Lang, LangOption, echo_table, friendly_errors
from .decide import register as register_decisions
from .forecast import forecast as forecast_command
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
from .printing import DEFAULT_INCOMPLETE, echo_result, team_table_text
from .report import report as report_command
from .validate import validate

app = typer.Typer(
    name="arbetstyngd",
    help=(
        "Caseworker workload (arbetstyngd) for social services. Score a caseload export "
        "against a points scheme and see utilisation per worker and team.\n\n"
        "Start with 'arbetstyngd demo', then 'arbetstyngd score CASES WORKERS'."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
scheme_app = typer.Typer(
    help="Look at a scheme (weights, adjustments, bands).", no_args_is_help=True
)
app.add_typer(scheme_app, name="scheme")
app.add_typer(calibrate_app, name="calibrate")
app.add_typer(archive_app, name="archive")
app.command("validate")(validate)
app.command("report")(report_command)
app.command("forecast")(forecast_command)
register_decisions(app)


class Format(StrEnum):
    csv = "csv"
    parquet = "parquet"
    excel = "excel"


def _write(
    workload: Workload, out: Path, fmt: Format, lang: str, excel_friendly: bool
) -> list[Path]:
    if fmt is Format.excel:
        return [workload.to_excel(out / "arbetstyngd.xlsx", lang=lang)]
    if fmt is Format.parquet:
        return workload.to_parquet(out)
    return workload.to_csv(
        out, excel_friendly=excel_friendly, lang=lang if excel_friendly else None
    )


def report_name(lang: str) -> str:
    """The default file name of the HTML report in ``lang``."""
    return "rapport.html" if lang == "sv" else "report.html"


@app.command()
@friendly_errors
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the result files.")] = Path(
        "arbetstyngd-demo"
    ),
    lang: LangOption = Lang.sv,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic municipality.")] = 0,
) -> None:
    """Score a built-in synthetic municipality and write its result files.

    Everything in the demo is invented data: no real person or case.
    """
    from .. import datasets  # loads on use, so `arbetstyngd --help` stays quick

    town = datasets.make_municipality(seed=seed, allocation="balanced")
    wl = score_api(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    lang_ = lang.value
    typer.echo(
        text(
            "cli.demo_title",
            lang_,
            n=len(town.workers),
            date=fmt_date(wl.on, lang_) if wl.on is not None else "",
            scheme=wl.scheme.id,
        )
    )
    typer.echo(f"({scheme_text(wl.scheme.provenance.note, lang_)})\n")
    echo_table(team_table_text(wl, lang_))
    paths = [*wl.to_csv(out), wl.to_excel(out / "arbetstyngd.xlsx", lang=lang_)]
    # the report shows the last half year, weekly, ending on the scoring date
    from .._engine.timeline import timeline

    history = timeline(
        town.cases,
        town.workers,
        town.scheme,
        teams=town.teams,
        dates=pd.date_range(end=town.on, periods=27, freq="7D"),
    )
    report_path = out / report_name(lang_)
    subtitle = text("cli.demo_subtitle", lang_)
    wl.to_html(report_path, lang=lang_, history=history, subtitle=subtitle)
    paths.append(report_path)
    typer.echo(
        "\n" + text_n("cli.result_files", len(paths), lang_, path=out.resolve(), n=len(paths))
    )
    typer.echo(text("cli.open_report", lang_, path=report_path.resolve()))


@app.command()
@friendly_errors
def score(
    cases: Annotated[Path, typer.Argument(help="Cases export (CSV, Excel or Parquet).")],
    workers: Annotated[Path, typer.Argument(help="Workers / roster file.")],
    teams: Annotated[Path | None, typer.Option(help="Teams file (optional).")] = None,
    scheme: SchemeOption = "barn-och-unga",
    on: Annotated[
        str | None,
        typer.Option(
            help="Score the caseload as it was on this date (YYYY-MM-DD). "
            "Default: every case without a closed date is active."
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for the result files.")] = Path(
        "arbetstyngd-result"
    ),
    format: Annotated[Format, typer.Option(help="Format of the result files.")] = Format.csv,
    lang: LangOption = Lang.sv,
    fail_on_rejected: Annotated[
        bool, typer.Option(help="Exit with code 1 when any row was rejected.")
    ] = False,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
    excel_friendly: ExcelFriendlyOption = False,
    incomplete_threshold: IncompleteThresholdOption = DEFAULT_INCOMPLETE,
) -> None:
    """Score a caseload and write per-case, per-worker and per-team results.

    Rows that cannot be scored are listed with their row number and reason, and written to
    rejected.csv; nothing is dropped silently.
    """
    the_scheme = load_scheme(scheme)
    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    read = read_inputs(cases, workers, teams, the_scheme, options)
    team_frame = read.teams
    wl = score_api(read.cases, read.workers, the_scheme, teams=team_frame, on=on)
    echo_result(wl, lang.value, incomplete_threshold, totals=input_totals(read))
    paths = _write(wl, out, format, lang.value, excel_friendly)
    typer.echo("\n" + text_n("cli.wrote", len(paths), lang.value, n=len(paths), path=out.resolve()))
    nothing = len(wl.workers) == 0
    if nothing or (fail_on_rejected and len(wl.rejected)):
        raise typer.Exit(EXIT_REJECTED)


@app.command()
def schemes() -> None:
    """List the built-in schemes (illustrative starting points, to calibrate locally)."""
    rows = []
    for name in list_schemes():
        s = load_scheme(name)
        rows.append(
            {
                "name": name,
                "version": s.version,
                "case types": len(s.case_types),
                "capacity": s.capacity,
                "description": s.description,
            }
        )
    echo_table(pd.DataFrame(rows))


@scheme_app.command("show")
@friendly_errors
def scheme_show(
    name: Annotated[str, typer.Argument(help="Built-in scheme name or a TOML file.")],
    toml: Annotated[bool, typer.Option("--toml", help="Print the TOML text.")] = False,
) -> None:
    """Show a scheme's weights, multipliers, adjustments and bands."""
    s = load_scheme(name)
    if toml:
        typer.echo(s.to_toml())
        return
    typer.echo(f"{s.id}: {s.description}\ncapacity (normal load) P = {s.capacity:g} points")
    typer.echo(f"provenance: {s.provenance.method} — {s.provenance.note}\n")
    echo_table(s.weights_table().fillna(""), max_rows=200)
    if s.multipliers:
        typer.echo("\nmultipliers: " + ", ".join(f"{m.flag} ×{m.factor:g}" for m in s.multipliers))
    for a in s.adjustments:
        typer.echo(
            f"adjustment {a.name} ({a.covariate}, {a.kind}): breaks {list(a.breaks)} "
            f"→ factors {list(a.factors)}"
        )
    b = s.bands
    typer.echo(
        f"bands: low < {b.balanced:g} ≤ balanced < {b.high:g} ≤ high < {b.critical:g} ≤ critical"
    )


def main() -> None:
    """Entry point of the ``arbetstyngd`` command.

    Usage mistakes (an unknown option, a bad value) are reported in the same one-line
    ``error: …`` style as data errors, after the usage line.
    """
    import sys

    from typer.exceptions import TyperException

    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        sys.exit(1)
    except TyperException as exc:  # typer's click: usage errors and bad parameters
        if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments: the help, as asked
            exc.show()  # type: ignore[attr-defined]
        else:
            context = getattr(exc, "ctx", None)
            if context is not None:
                typer.echo(context.get_usage(), err=True)
            typer.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)
