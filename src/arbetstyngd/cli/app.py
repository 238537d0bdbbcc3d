"""Core commands: demo, score, schemes, scheme show."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from .._engine.scoring import score as score_api
from ..result import Workload
from ..schemes import list_schemes, load_scheme
from .archive import archive_app
from .calibrate import calibrate_app
from .common import EXIT_REJECTED, echo_table, friendly_errors
from .decide import register as register_decisions
from .forecast import forecast as forecast_command
from .options import (
    ColumnsOption,
    DateOrderOption,
    EncodingOption,
    KeyOption,
    SchemeOption,
    SheetOption,
    read_inputs,
    read_options,
)
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


class Lang(StrEnum):
    sv = "sv"
    en = "en"


class Format(StrEnum):
    csv = "csv"
    parquet = "parquet"
    excel = "excel"


_TEAM_HEADERS = {
    "sv": {
        "team_id": "Team",
        "n_workers": "Handläggare",
        "n_cases": "Aktiva ärenden",
        "load": "Poäng",
        "capacity": "Kapacitet",
        "utilisation": "Belastning",
        "band": "Nivå",
        "n_high": "Hög",
        "n_critical": "Kritisk",
    },
    "en": {
        "team_id": "Team",
        "n_workers": "Workers",
        "n_cases": "Active cases",
        "load": "Points",
        "capacity": "Capacity",
        "utilisation": "Utilisation",
        "band": "Band",
        "n_high": "High",
        "n_critical": "Critical",
    },
}
_BAND_WORDS = {
    "sv": {"low": "låg", "balanced": "balanserad", "high": "hög", "critical": "kritisk"},
    "en": {"low": "low", "balanced": "balanced", "high": "high", "critical": "critical"},
}


def team_table_text(
    workload: Workload, lang: str = "sv", teams: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The per-team table as printed by the CLI, in Swedish or English."""
    t = workload.teams.copy()
    if teams is not None and "name" in teams.columns:
        names = dict(zip(teams["team_id"], teams["name"], strict=False))
        t["team_id"] = [f"{tid} {names.get(tid, '')}".strip() for tid in t["team_id"]]
    cols = list(_TEAM_HEADERS[lang])
    out = t[cols].copy()
    out["load"] = out["load"].round(1)
    out["capacity"] = out["capacity"].round(1)
    out["utilisation"] = [_percent(u) for u in out["utilisation"]]
    out["band"] = [_BAND_WORDS[lang].get(str(b), "–") for b in out["band"]]
    total = workload.workers
    load, cap = float(total["load"].sum()), float(total["capacity"].sum())
    # no capacity (nobody scored, or everyone on full leave): no utilisation to show
    unit = load / cap if cap > 0 else float("nan")
    summary = {
        "team_id": "Alla" if lang == "sv" else "All",
        "n_workers": len(total),
        "n_cases": int(total["n_cases"].sum()),
        "load": round(load, 1),
        "capacity": round(cap, 1),
        "utilisation": _percent(unit),
        "band": _BAND_WORDS[lang].get(str(workload.scheme.bands.classify([unit])[0]), "–"),
        "n_high": int((total["band"] == "high").sum()),
        "n_critical": int((total["band"] == "critical").sum()),
    }
    out = pd.concat([out, pd.DataFrame([summary])], ignore_index=True)
    return out.rename(columns=_TEAM_HEADERS[lang])


def _percent(value: float) -> str:
    return "–" if value != value else f"{value * 100:.0f} %"


def _rejection_summary(workload: Workload, lang: str) -> None:
    rej = workload.rejected
    if not len(rej):
        return
    header = "Avvisade rader" if lang == "sv" else "Rejected rows"
    typer.echo(f"\n{header}: {rej.groupby('table')['row'].nunique().to_dict()}")
    reasons = rej.groupby(["table", "column", "code"]).size().rename("n").reset_index()
    echo_table(reasons)
    typer.echo("  first rows:")
    echo_table(rej.head(10)[["table", "row", "column", "reason"]])


def _write(workload: Workload, out: Path, fmt: Format) -> list[Path]:
    if fmt is Format.excel:
        return [workload.to_excel(out / "arbetstyngd.xlsx")]
    if fmt is Format.parquet:
        return workload.to_parquet(out)
    return workload.to_csv(out)


@app.command()
@friendly_errors
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the result files.")] = Path(
        "arbetstyngd-demo"
    ),
    lang: Annotated[Lang, typer.Option(help="Language of the printed table.")] = Lang.sv,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic municipality.")] = 0,
) -> None:
    """Score a built-in synthetic municipality and write its result files.

    Everything in the demo is invented data: no real person or case.
    """
    from .. import datasets  # loads on use, so `arbetstyngd --help` stays quick

    town = datasets.make_municipality(seed=seed, allocation="balanced")
    wl = score_api(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    title = (
        f"Syntetisk kommun, {len(town.workers)} handläggare, {wl.on.date() if wl.on else ''} — "
        f"schema {wl.scheme.id}"
        if lang is Lang.sv
        else f"Synthetic municipality, {len(town.workers)} caseworkers, "
        f"{wl.on.date() if wl.on else ''} — scheme {wl.scheme.id}"
    )
    typer.echo(title)
    typer.echo(f"({wl.scheme.provenance.note})\n")
    echo_table(team_table_text(wl, lang.value, town.teams))
    paths = [*wl.to_csv(out), wl.to_excel(out / "arbetstyngd.xlsx", lang=lang.value)]
    # the report shows the last half year, weekly, ending on the scoring date
    from .._engine.timeline import timeline

    history = timeline(
        town.cases,
        town.workers,
        town.scheme,
        teams=town.teams,
        dates=pd.date_range(end=town.on, periods=27, freq="7D"),
    )
    report_path = out / "rapport.html"
    subtitle = "Syntetisk kommun (påhittade data)" if lang is Lang.sv else "Synthetic municipality"
    wl.to_html(report_path, lang=lang.value, history=history, teams=town.teams, subtitle=subtitle)
    paths.append(report_path)
    typer.echo(
        f"\n{'Resultatfiler' if lang is Lang.sv else 'Result files'}: "
        f"{out.resolve()} ({len(paths)} files)"
    )
    where = "Rapport (öppna i en webbläsare)" if lang is Lang.sv else "Report (open in a browser)"
    typer.echo(f"{where}: {report_path.resolve()}")


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
    lang: Annotated[Lang, typer.Option(help="Language of the printed table.")] = Lang.sv,
    fail_on_rejected: Annotated[
        bool, typer.Option(help="Exit with code 1 when any row was rejected.")
    ] = False,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
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
    typer.echo(repr(wl))
    nothing = len(wl.workers) == 0
    if nothing:
        typer.echo(
            "Ingen handläggare kunde beräknas; se avvisade rader nedan."
            if lang is Lang.sv
            else "No worker could be scored; see the rejected rows below."
        )
    else:
        echo_table(team_table_text(wl, lang.value, team_frame))
    _rejection_summary(wl, lang.value)
    paths = _write(wl, out, format)
    typer.echo(f"\nwrote {len(paths)} file(s) to {out.resolve()}")
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
    """Entry point of the ``arbetstyngd`` command."""
    app()
