"""``arbetstyngd calibrate``: estimate a scheme from a time study, ratings or a Delphi panel."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from ..errors import InputFileError
from ..io import ReadOptions
from ..scheme import Scheme
from ..schemes import load_scheme
from .common import friendly_errors
from .options import (
    ColumnsOption,
    DateOrderOption,
    EncodingOption,
    KeyOption,
    SheetOption,
    read_inputs,
    read_options,
)

calibrate_app = typer.Typer(
    help=(
        "Calibrate a scheme from local data: a time study (time-study), a workload-rating "
        "survey (ratings) or an expert panel (delphi). Each writes the calibrated scheme as "
        "TOML and a short fit report."
    ),
    no_args_is_help=True,
)

_SCHEME_HELP = "Base scheme: a built-in name or a TOML file (names, phases, adjustments, bands)."
_PERIODS_HELP = "Study period length as a pandas frequency: M (months) or W (weeks)."


def _read_table(path: Path, kind: str, options: ReadOptions | None = None) -> pd.DataFrame:
    """A time log, ratings or panel file, with ``source_row``: the row seen in the file.

    Read by the library's one reader (any format it recognises, header on row 1), so row
    numbers follow the exports' (header = row 1) and identity numbers typed into a log, a
    survey or a panel are pseudonymised with the same key as an export's.
    """
    from ..io import read_table

    if not path.exists():
        raise InputFileError(f"no {kind} file at {str(path)!r}")
    # the export's key and encoding; its mapping, sheet and header row are the export's own
    plain = (
        ReadOptions()
        if options is None
        else ReadOptions(key=options.key, encoding=options.encoding)
    )
    return read_table(path, "table", options=plain)


def _window(table: pd.DataFrame, freq: str, start: str | None, end: str | None) -> tuple[Any, Any]:
    """The study window: as given, else spanned by the table's periods or dates."""
    if start is not None and end is not None:
        return start, end
    if "period" in table.columns:
        # the window spans the readable periods; unreadable ones are rejected row by row later
        readable = []
        for value in pd.unique(table["period"].dropna().astype(str).str.strip()):
            try:
                readable.append(pd.Period(value, freq=freq))
            except (TypeError, ValueError):
                continue
        if not readable:
            raise InputFileError(
                f"the table's 'period' column has no readable period of frequency {freq!r} "
                "(e.g. 2026-03 for months); or give --start and --end"
            )
        lo, hi = min(readable).start_time, max(readable).end_time.normalize()
    elif "date" in table.columns:
        dates = pd.to_datetime(table["date"], errors="coerce").dropna()
        if not len(dates):
            raise InputFileError("the table's 'date' column has no readable dates")
        lo = dates.min().to_period(freq).start_time
        hi = dates.max().to_period(freq).end_time.normalize()
    else:
        raise InputFileError("give --start and --end, or a 'period' or 'date' column")
    return start or lo.date().isoformat(), end or hi.date().isoformat()


def _write(scheme: Scheme, out: Path, report: Path | None, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    scheme.to_toml(out)
    report = report or out.with_suffix(".report.md")
    report.write_text(text, encoding="utf-8")
    typer.echo(text)
    typer.echo(f"wrote {out} and {report}")


def _report(title: str, facts: dict[str, Any], table: pd.DataFrame, notes: list[str]) -> str:
    lines = [f"# {title}", ""]
    lines += [f"- {k}: {v}" for k, v in facts.items()]
    lines += ["", "```", table.to_string(float_format=lambda v: f"{v:.4g}"), "```"]
    if notes:
        lines += ["", "Warnings:", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def _parse_scale(text: str) -> tuple[float, float]:
    parts = text.replace(";", ",").split(",")
    if len(parts) != 2:
        raise ValueError(f"--scale must be LOW,HIGH such as -3,3 or 1,5 (got {text!r})")
    try:
        return float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(f"--scale must be two numbers such as -3,3 (got {text!r})") from None


@calibrate_app.command("time-study")
@friendly_errors
def time_study(
    cases: Annotated[Path, typer.Argument(help="Cases export covering the study window.")],
    workers: Annotated[Path, typer.Argument(help="Workers / roster file.")],
    log: Annotated[
        Path,
        typer.Argument(
            help="Time log: worker_id, minutes, period (or date), optional case_type, phase."
        ),
    ],
    available_minutes: Annotated[
        float,
        typer.Option(help="Casework minutes of one full-time worker per period (P)."),
    ],
    teams: Annotated[Path | None, typer.Option(help="Teams file (optional).")] = None,
    scheme: Annotated[str, typer.Option(help=_SCHEME_HELP)] = "barn-och-unga",
    periods: Annotated[str, typer.Option(help=_PERIODS_HELP)] = "M",
    start: Annotated[str | None, typer.Option(help="First day of the study (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="Last day of the study (YYYY-MM-DD).")] = None,
    method: Annotated[
        str | None, typer.Option(help="ratio (log names case types) or nnls (totals).")
    ] = None,
    n_bootstrap: Annotated[int, typer.Option(help="Bootstrap replicates (0: none).")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
    out: Annotated[Path, typer.Option(help="Calibrated scheme (TOML).")] = Path(
        "calibrated-time-study.toml"
    ),
    report: Annotated[Path | None, typer.Option(help="Fit report (Markdown).")] = None,
) -> None:
    """Minutes per case from a time log (weighted caseload) → a scheme in minutes."""
    from ..calibrate import TimeStudy

    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    read = read_inputs(cases, workers, teams, load_scheme(scheme), options)
    case_frame, worker_frame, team_frame = read.cases, read.workers, read.teams
    log_frame = _read_table(log, "time log", options)
    lo, hi = _window(log_frame, periods, start, end)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ts = TimeStudy.from_log(
            log_frame,
            case_frame,
            worker_frame,
            teams=team_frame,
            scheme=load_scheme(scheme),
            periods=periods,
            start=lo,
            end=hi,
            method=method,
            n_bootstrap=n_bootstrap,
            random_state=seed,
        )
    calibrated = ts.scheme(available_minutes)
    s = ts.stats_
    text = _report(
        f"Time study ({s['method']}) {lo} – {hi}",
        {
            "workers": s["n_workers"],
            "worker-periods": s["n_observations"],
            "R²": f"{s['r2']:.3f}",
            "available minutes per FTE and period (P)": f"{available_minutes:g}",
            "minutes without a case type (left out)": f"{ts.unattributed_minutes_:g}",
            "scheme": calibrated.id,
        },
        ts.intervals_[["estimate", "lower", "upper"]].rename(columns={"estimate": "minutes"}),
        [str(w.message) for w in caught],
    )
    _write(calibrated, out, report, text)


@calibrate_app.command("ratings")
@friendly_errors
def ratings(
    cases: Annotated[Path, typer.Argument(help="Cases export covering the study window.")],
    workers: Annotated[Path, typer.Argument(help="Workers / roster file.")],
    answers: Annotated[Path, typer.Argument(help="Ratings: worker_id, period (or date), rating.")],
    teams: Annotated[Path | None, typer.Option(help="Teams file (optional).")] = None,
    scheme: Annotated[str, typer.Option(help=_SCHEME_HELP)] = "barn-och-unga",
    periods: Annotated[str, typer.Option(help=_PERIODS_HELP)] = "M",
    start: Annotated[str | None, typer.Option(help="First day of the study (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="Last day of the study (YYYY-MM-DD).")] = None,
    scale: Annotated[str, typer.Option(help="Rating scale LOW,HIGH, e.g. -3,3 or 1,5.")] = "-3,3",
    optimum: Annotated[
        float | None, typer.Option(help="The 'balanced' answer (default: mid-scale).")
    ] = None,
    n_bootstrap: Annotated[int, typer.Option(help="Bootstrap replicates (0: none).")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    columns: ColumnsOption = None,
    key: KeyOption = None,
    date_order: DateOrderOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
    out: Annotated[Path, typer.Option(help="Calibrated scheme (TOML).")] = Path(
        "calibrated-ratings.toml"
    ),
    report: Annotated[Path | None, typer.Option(help="Fit report (Markdown).")] = None,
) -> None:
    """Weights, capacity adjustments and normal load P from workload ratings."""
    from ..calibrate import PerceivedWorkload

    options = read_options(
        columns=columns, key=key, date_order=date_order, encoding=encoding, sheet=sheet
    )
    read = read_inputs(cases, workers, teams, load_scheme(scheme), options)
    case_frame, worker_frame, team_frame = read.cases, read.workers, read.teams
    answer_frame = _read_table(answers, "ratings", options)
    lo, hi = _window(answer_frame, periods, start, end)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pw = PerceivedWorkload.from_survey(
            answer_frame,
            case_frame,
            worker_frame,
            teams=team_frame,
            scheme=load_scheme(scheme),
            periods=periods,
            start=lo,
            end=hi,
            scale=_parse_scale(scale),
            optimum=optimum,
            n_bootstrap=n_bootstrap,
            random_state=seed,
        )
    calibrated = pw.scheme_
    s = pw.stats_
    text = _report(
        f"Perceived-workload calibration {lo} – {hi}",
        {
            "workers": s["n_workers"],
            "answers": s["n_observations"],
            "response rate": f"{pw.response_rate_:.0%}",
            "R²": f"{s['r2']:.3f}",
            "normal load P": f"{pw.capacity_:.4g}",
            "leniency sd / noise sd": f"{s['leniency_sd']:.3g} / {s['noise_sd']:.3g}",
            "scheme": calibrated.id,
        },
        pw.intervals_[["estimate", "lower", "upper"]],
        [str(w.message) for w in caught],
    )
    _write(calibrated, out, report, text)


@calibrate_app.command("delphi")
@friendly_errors
def delphi(
    panel: Annotated[
        Path,
        typer.Argument(help="Panel: expert, round, case_type, optional phase, estimate."),
    ],
    scheme: Annotated[str, typer.Option(help=_SCHEME_HELP)] = "barn-och-unga",
    capacity: Annotated[
        float | None, typer.Option(help="Normal load P (default: the base scheme's).")
    ] = None,
    consensus: Annotated[
        float, typer.Option(help="Consensus when IQR / median is at most this.")
    ] = 0.25,
    only_consensus: Annotated[
        bool, typer.Option(help="Change only case types that reached consensus.")
    ] = False,
    out: Annotated[Path, typer.Option(help="Calibrated scheme (TOML).")] = Path(
        "calibrated-delphi.toml"
    ),
    report: Annotated[Path | None, typer.Option(help="Panel report (Markdown).")] = None,
) -> None:
    """Medians, spread and consensus of an expert panel → a scheme."""
    from ..calibrate import Delphi

    frame = _read_table(panel, "panel")
    d = Delphi(consensus=consensus).fit(frame)
    calibrated = d.scheme(capacity, base=load_scheme(scheme), only_consensus=only_consensus)
    c = d.consensus_
    text = _report(
        "Delphi panel",
        {
            "experts": d.n_experts_,
            "rounds": d.n_rounds_,
            "case types with consensus": f"{int(c['consensus'].sum())} of {len(c)}",
            "scheme": calibrated.id,
        },
        pd.DataFrame(c[["n", "median", "iqr", "relative_iqr", "consensus", "narrowing"]]),
        [],
    )
    _write(calibrated, out, report, text)


__all__ = ["calibrate_app"]
