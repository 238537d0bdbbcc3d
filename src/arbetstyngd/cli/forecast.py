"""The ``forecast`` command: load, capacity, utilisation and staff need ahead, with bands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from ..labels import LANGS, text
from .common import Lang, LangOption, echo_table, friendly_errors
from .options import (
    ColumnsOption,
    DateOrderOption,
    EncodingOption,
    KeyOption,
    SheetOption,
    read_inputs,
    read_options,
)

__all__ = ["forecast"]


# words from the one label table (arbetstyngd.labels), by this module's short names
_KEYS = {
    "team": "col.team",
    "median": "cli.forecast.median",
    "band": "cli.forecast.band",
    "need": "cli.forecast.need",
    "unit": "cli.forecast.unit",
    "title": "cli.forecast.title",
    "wrote": "cli.forecast.wrote",
}
_HEADERS = {lang: {k: text(key, lang) for k, key in _KEYS.items()} for lang in LANGS}


def summary(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per team and the unit: median utilisation, 80 % band and staff need, last date."""
    words = _HEADERS[lang]
    last = table[table["date"] == table["date"].max()]
    util = last[last["measure"] == "utilisation"].reset_index(drop=True)
    need = last[last["measure"] == "staff_need"].reset_index(drop=True)
    pct = lambda v: f"{v:.0%}" if pd.notna(v) else "–"  # noqa: E731
    return pd.DataFrame(
        {
            words["team"]: [
                words["unit"] if lv == "unit" else t
                for lv, t in zip(util["level"], util["team_id"], strict=True)
            ],
            words["median"]: util["median"].map(pct),
            words["band"]: [
                f"{pct(a)} – {pct(b)}" for a, b in zip(util["low80"], util["high80"], strict=True)
            ],
            words["need"]: need["median"].map(lambda v: f"{v:.1f}"),
        }
    )


@friendly_errors
def forecast(
    cases: Annotated[Path, typer.Argument(help="Cases export with open and closed cases.")],
    workers: Annotated[Path, typer.Argument(help="Workers / roster file.")],
    start: Annotated[str, typer.Option(help="Last day of history (YYYY-MM-DD).")],
    teams: Annotated[Path | None, typer.Option(help="Teams file (optional).")] = None,
    scheme: Annotated[
        str, typer.Option(help="Built-in scheme name (see 'arbetstyngd schemes') or a TOML file.")
    ] = "barn-och-unga",
    horizon: Annotated[str, typer.Option(help="How far ahead, e.g. 26W or 182D.")] = "26W",
    freq: Annotated[str, typer.Option(help="Dates: W (weekly), MS (month starts), D.")] = "W",
    paths: Annotated[int, typer.Option(help="Simulated futures behind the bands.")] = 1000,
    seed: Annotated[int | None, typer.Option(help="Seed for reproducible bands.")] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(help="A scenario (.toml) of changes ahead, as for 'what-if'."),
    ] = None,
    out: Annotated[Path, typer.Option(help="CSV file for the forecast table.")] = Path(
        "forecast.csv"
    ),
    lang: LangOption = Lang.sv,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
) -> None:
    """Forecast load, capacity, utilisation and staff need per team, with 80 % and 95 % bands.

    Open cases close as cases of their type have closed before; new cases arrive at the
    recent rate; a scenario's changes (hires, leaves, moved cases, inflow …) apply from
    their dates. The table has one row per team (and the unit), date and measure.
    """
    from ..decide import Scenario
    from ..decide import forecast as forecast_api
    from ..schemes import load_scheme

    the_scheme = load_scheme(scheme)
    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    read = read_inputs(cases, workers, teams, the_scheme, options)
    case_frame, worker_frame, team_frame = read.cases, read.workers, read.teams
    fc = forecast_api(
        case_frame, worker_frame, the_scheme, teams=team_frame, start=start, horizon=horizon,
        freq=freq, n_paths=paths, random_state=seed,
        scenario=None if scenario is None else Scenario.from_toml(scenario),
    )  # fmt: skip
    words = _HEADERS[lang.value]
    typer.echo(
        words["title"].format(start=fc.start.date(), end=fc.dates[-1].date(), paths=fc.n_paths)
    )
    echo_table(summary(fc.table, lang.value))
    out.parent.mkdir(parents=True, exist_ok=True)
    fc.table.to_csv(out, index=False)
    typer.echo(words["wrote"].format(path=out.resolve()))
