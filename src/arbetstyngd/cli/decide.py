"""Decision commands: ``allocate``, ``staffing`` and ``what-if``.

Each reads the exports the way ``arbetstyngd score`` does, scores them, and prints the
decision in Swedish or English. The suggestions are advice for the manager, never an
automatic decision.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer

from .._contract.reasons import reason_label
from .._engine.scoring import score as score_api
from ..errors import Both, DataError, Said
from ..labels import LANGS, text
from ..result import Workload
from ..schemes import load_scheme
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

if TYPE_CHECKING:
    from ..io import ReadOptions

__all__ = ["register"]


class Method(StrEnum):
    auto = "auto"
    exact = "exact"
    greedy = "greedy"


# words from the one label table (arbetstyngd.labels), by this module's short names
_KEYS = {
    "case_id": "col.case_id",
    "case_type": "col.case_type",
    "worker_id": "col.worker_id",
    "team_id": "col.team_id",
    "utilisation_before": "cli.decide.utilisation_before",
    "utilisation_after": "cli.decide.utilisation_after",
    "reasons": "cli.decide.reasons",
    "load": "col.load",
    "capacity": "col.capacity",
    "utilisation": "col.utilisation",
    "effective_fte": "cli.decide.effective_fte",
    "need_reference": "cli.decide.need_reference",
    "gap_reference": "cli.decide.gap_reference",
    "need_staffed": "cli.decide.need_staffed",
    "gap_staffed": "cli.decide.gap_staffed",
    "status": "cli.decide.status",
    "utilisation_change": "cli.decide.utilisation_change",
    "band_before": "cli.decide.band_before",
    "band_after": "cli.decide.band_after",
}
_HEADERS = {lang: {k: text(key, lang) for k, key in _KEYS.items()} for lang in LANGS}
_ALL = {"sv": "Alla", "en": "All"}
_STATUS = {"sv": {"kept": "kvar", "new": "ny", "gone": "borta"}, "en": {}}

CasesArg = Annotated[Path, typer.Argument(help="Cases export (CSV, Excel or Parquet).")]
WorkersArg = Annotated[Path, typer.Argument(help="Workers / roster file.")]
TeamsOpt = Annotated[Path | None, typer.Option(help="Teams file (optional).")]
SchemeOpt = Annotated[
    str, typer.Option(help="Built-in scheme name (see 'arbetstyngd schemes') or a TOML file.")
]
OnOpt = Annotated[str | None, typer.Option(help="The date (YYYY-MM-DD); default: snapshot.")]
LangOpt = LangOption


def _read(
    cases: Path, workers: Path, teams: Path | None, scheme: str, options: ReadOptions
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, Any]:
    """The three tables and the scheme, read as ``arbetstyngd score`` reads them."""
    the_scheme = load_scheme(scheme)
    read = read_inputs(cases, workers, teams, the_scheme, options)
    return read.cases, read.workers, read.teams, the_scheme


def _scored(
    cases: Path,
    workers: Path,
    teams: Path | None,
    scheme: str,
    options: ReadOptions,
    on: str | None,
) -> tuple[pd.DataFrame, Workload]:
    """The cases table as read, and the Workload scored from the three tables."""
    case_frame, worker_frame, team_frame, the_scheme = _read(cases, workers, teams, scheme, options)
    return case_frame, score_api(case_frame, worker_frame, the_scheme, teams=team_frame, on=on)


def _raw_table(path: Path) -> pd.DataFrame:
    head = path.read_bytes()[:4]
    if head.startswith(b"PK") or head.startswith(b"\xd0\xcf"):
        return pd.read_excel(path, dtype=str)
    if head == b"PAR1":
        return pd.read_parquet(path)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(path, sep=None, engine="python", dtype=str, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(Said("err.new_cases_unreadable", path=str(path)))


def read_new_cases(path: Path, *, columns: str | None, key: Any, scheme: Any) -> pd.DataFrame:
    """New cases (no worker, no date yet) through the cases reader, so headers are mapped and
    ``subject_id`` is pseudonymised with the same key as the caseload's."""
    from ..io import read_cases

    raw = _raw_table(path)
    raw = raw.assign(worker_id="-", opened=pd.Timestamp.today().normalize())
    frame = read_cases(raw, columns=columns, key=key, scheme=scheme)
    rejected = frame.attrs.get("rejected")
    if rejected is not None and len(rejected):
        first = rejected.iloc[0]
        # the reason's own text is English; in Swedish its code's label stands for it
        reason = Both(reason_label(str(first["code"]), "sv"), str(first["reason"]))
        raise DataError(
            Said(
                "err.new_cases_rejected",
                path=str(path),
                n=len(rejected),
                count=str(len(rejected)),
                row=str(first["row"]),
                column=str(first["column"]),
                reason=reason,
            ),
            failures=rejected,
        )
    return frame.drop(columns=["worker_id", "opened"])


def _shown(frame: pd.DataFrame, lang: str, percents: list[str], bands: list[str]) -> pd.DataFrame:
    from ..decide.words import band, percent  # decisions load on use: `--help` stays quick

    out = frame.copy()
    for col in percents:
        out[col] = [percent(v, lang) for v in out[col]]
    for col in bands:
        out[col] = [band(v, lang) for v in out[col]]
    return out.rename(columns=_HEADERS[lang])


@friendly_errors
def allocate_command(
    cases: CasesArg,
    workers: WorkersArg,
    new_cases: Annotated[
        Path, typer.Argument(help="The new cases: case_id, case_type, phase, flags, subject_id.")
    ],
    teams: TeamsOpt = None,
    scheme: SchemeOpt = "barn-och-unga",
    on: OnOpt = None,
    rules: Annotated[Path | None, typer.Option(help="Allocation rules (.toml).")] = None,
    method: Annotated[Method, typer.Option(help="auto, exact or greedy.")] = Method.auto,
    time_limit: Annotated[float, typer.Option(help="Seconds for the exact solver.")] = 10.0,
    lang: LangOpt = Lang.sv,
    out: Annotated[Path | None, typer.Option(help="Write the suggestions to this CSV.")] = None,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
) -> None:
    """Suggest who takes each new case, with the reasons (advice, never a decision)."""
    case_frame, wl = _scored(
        cases,
        workers,
        teams,
        scheme,
        read_options(
            columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
        ),
        on,
    )
    new = read_new_cases(new_cases, columns=columns, key=key, scheme=wl.scheme)
    from ..decide import Rules, allocate

    result = allocate(
        wl,
        new,
        rules=None if rules is None else Rules.from_toml(rules),
        cases=case_frame,
        method=method.value,
        time_limit=time_limit,
        lang=lang.value,
    )
    typer.echo(result.note + "\n")
    cols = ["case_id", "case_type", "worker_id", "utilisation_before", "utilisation_after"]
    shown = _shown(result.suggestions[[*cols, "reasons"]].fillna(""), lang.value, cols[3:], [])
    echo_table(shown, max_rows=500)
    if out is not None:
        result.suggestions.to_csv(out, index=False)
        typer.echo(f"\n{'skrev' if lang is Lang.sv else 'wrote'} {out.resolve()}")


@friendly_errors
def staffing_command(
    cases: CasesArg,
    workers: WorkersArg,
    teams: TeamsOpt = None,
    scheme: SchemeOpt = "barn-och-unga",
    on: OnOpt = None,
    target: Annotated[float, typer.Option(help="Utilisation to staff for (1.0 = normal).")] = 1.0,
    lang: LangOpt = Lang.sv,
    out: Annotated[Path | None, typer.Option(help="Write the table to this CSV.")] = None,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
) -> None:
    """Full-time equivalents needed per team and for the unit to reach the target."""
    _, wl = _scored(
        cases,
        workers,
        teams,
        scheme,
        read_options(
            columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
        ),
        on,
    )
    from ..decide import staff_need
    from ..decide.words import percent

    need = staff_need(wl, target)
    need["team_id"] = need["team_id"].where(need["level"] == "team", _ALL[lang.value])
    cols = [
        "team_id",
        "utilisation",
        "effective_fte",
        "need_reference",
        "gap_reference",
        "need_staffed",
        "gap_staffed",
    ]
    typer.echo(
        f"{'Mål' if lang is Lang.sv else 'Target'}: {percent(target, lang.value)} — "
        f"{wl.scheme.id}\n"
    )
    echo_table(_shown(need[cols].round(2), lang.value, ["utilisation"], []))
    if out is not None:
        need.to_csv(out, index=False)


@friendly_errors
def what_if_command(
    cases: CasesArg,
    workers: WorkersArg,
    scenario: Annotated[Path, typer.Option(help="The scenario (.toml).")],
    teams: TeamsOpt = None,
    scheme: SchemeOpt = "barn-och-unga",
    on: OnOpt = None,
    lang: LangOpt = Lang.sv,
    out: Annotated[
        Path | None, typer.Option(help="Folder for workers.csv, teams.csv and unit.csv.")
    ] = None,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
) -> None:
    """Re-score with a scenario's changes and show before, after and the change."""
    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    case_frame, worker_frame, team_frame, the_scheme = _read(cases, workers, teams, scheme, options)
    from ..decide import Scenario, what_if

    the_scenario = Scenario.from_toml(scenario)
    result = what_if(case_frame, worker_frame, the_scheme, the_scenario, teams=team_frame, on=on)
    typer.echo(f"{the_scenario.name or scenario.name}: {len(the_scenario.changes)} change(s)\n")
    teams_shown = result.teams.assign(
        utilisation_change=(result.teams["utilisation_change"] * 100).round(1)
    )
    unit = result.unit.assign(
        team_id=_ALL[lang.value],
        status="",
        utilisation_change=(result.unit["utilisation_change"] * 100).round(1),
    )
    table = pd.concat([teams_shown, unit], ignore_index=True)
    table["status"] = table["status"].replace(_STATUS[lang.value])
    cols = ["team_id", "status", "utilisation_before", "utilisation_after", "utilisation_change"]
    echo_table(
        _shown(
            table[[*cols, "band_before", "band_after"]],
            lang.value,
            cols[2:4],
            ["band_before", "band_after"],
        )
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name in ("workers", "teams", "unit"):
            getattr(result, name).to_csv(out / f"{name}.csv", index=False)


def register(app: typer.Typer) -> None:
    """Add the decision commands to the ``arbetstyngd`` app."""
    app.command("allocate")(allocate_command)
    app.command("staffing")(staffing_command)
    app.command("what-if")(what_if_command)
