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
from .._contract.reasons import localise_reasons, reason_label
from .._engine.scoring import score
from ..errors import RejectedRowsWarning, say
from ..io import (
    MissingColumnsError,
    ReadOptions,
    ReadReport,
    read_table,
)
from ..io.writers import sorted_rejections, write_csv
from ..labels import TEXT, column_label, fmt_int, text, text_n
from ..schemes import load_scheme
from .common import EXIT_REJECTED, Lang, LangOption, echo_notes, echo_table, friendly_errors
from .options import (
    ColumnsOption,
    DateOrderOption,
    EncodingOption,
    KeyOption,
    SheetOption,
    read_options,
)

__all__ = ["validate"]


class Kind(StrEnum):
    cases = "cases"
    workers = "workers"
    teams = "teams"


def summary_lines(
    report: ReadReport, rejected: pd.DataFrame, rows_out: int, lang: str = "en"
) -> list[str]:
    """The readable summary ``validate`` prints in ``lang`` (without the problem rows)."""
    blank = (
        text_n("validate.blank", report.blank_rows, lang, n=fmt_int(report.blank_rows, lang))
        if report.blank_rows
        else ""
    )
    sheet = text("validate.sheet", lang, sheet=report.sheet) if report.sheet else ""
    lines = [
        text(
            "validate.table",
            lang,
            source=report.source,
            kind=report.kind,
            table=_table_word(report.kind, lang),
        ),
        text("validate.format", lang, format=_format(report, lang)) + sheet,
        text("validate.header", lang, row=report.header_row),
        text(
            "validate.rows",
            lang,
            read=fmt_int(report.rows_read, lang),
            usable=fmt_int(rows_out, lang),
            rejected=fmt_int(report.rows_rejected, lang),
        )
        + blank,
        text("validate.key", lang, source=_key_source(report.key_source, lang)),
        "",
    ]
    lines.extend(_mapping_lines(report.mapping, lang))
    if report.pseudonymised:
        lines.append("")
        lines.append(text("validate.pseudonymised", lang) + ":")
        lines.extend(
            f"  {col}: " + text_n("validate.cells", n, lang, n=fmt_int(n, lang))
            for col, n in report.pseudonymised
        )
    if report.notes:
        lines.append("")
        note = text("cli.note", lang).capitalize()
        lines.extend(f"{note}: {say(n, lang)}" for n in report.notes)
    return lines


def _table_word(kind: str, lang: str) -> str:
    key = f"table.{kind}"
    return text(key, lang).lower() if key in TEXT else kind


def _format(report: ReadReport, lang: str) -> str:
    """The file's format in ``lang`` (the reader describes it in English)."""
    if lang == "en":
        return report.format
    from ..io.sniff import Sniffed

    if report.encoding is not None:
        return Sniffed("csv", report.encoding, report.delimiter).describe(lang)
    suffix = Path(str(report.source)).suffix.lower().lstrip(".")
    return Sniffed(suffix).describe(lang) if suffix in ("xlsx", "xls") else report.format


def _key_source(source: str, lang: str) -> str:
    key = f"validate.key_source.{source}"
    return text(key, lang) if key in TEXT else source


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
    lang: LangOption = Lang.sv,
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
    lang_ = lang.value
    the_scheme = None if scheme is None else load_scheme(scheme)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame, rejected, skipped = _read_and_check(
            file, kind.value, the_scheme, roster, options, lang_
        )
    info: ReadReport = frame.attrs["read"]
    # every warning meant for a person (no key, a scheme flag with no column …) once; the
    # file's own header notes are in the summary below
    noted = {say(n, lang_) for n in info.notes}
    echo_notes(
        (
            w.message
            for w in caught
            if issubclass(w.category, UserWarning)
            and not issubclass(w.category, (RejectedRowsWarning, FutureWarning))
            and say(w.message, lang_) not in noted
        ),
        lang_,
    )
    mine = rejected[rejected["table"] == kind.value]
    info = attrs.evolve(info, rows_rejected=int(mine["row"].nunique()))
    usable = int((~frame["source_row"].isin(mine["row"])).sum())
    for line in summary_lines(info, rejected, usable, lang_):
        typer.echo(line)
    if skipped:
        typer.echo("\n" + text("validate.skipped", lang_) + ":")
        typer.echo("\n".join(f"  - {text(f'validate.skipped.{s}', lang_)}" for s in skipped))
    _problems(rejected, report, first, lang_)


def _read_and_check(
    file: Path, kind: str, scheme: Any, roster: Path | None, options: ReadOptions, lang: str
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
        for line in _mapping_lines(exc.mapping, lang):
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


def _mapping_lines(mapping: Any, lang: str) -> list[str]:
    lines = [text("validate.columns", lang) + ":"]
    width = max((len(h) for h, _, _ in mapping), default=10)
    for header, column, how in mapping:
        key = f"validate.how.{how}"
        said = text(key, lang) if key in TEXT else how
        lines.append(f"  {header:<{width}}  → {column:<20} ({said})")
    return lines


def _problems(rejected: pd.DataFrame, report: Path | None, first: int, lang: str) -> None:
    if not len(rejected):
        typer.echo("\n" + text("validate.no_problems", lang))
        return
    rows = int(rejected["row"].nunique())
    typer.echo(
        "\n"
        + text_n(
            "validate.problems",
            rows,
            lang,
            n=fmt_int(len(rejected), lang),
            rows=fmt_int(rows, lang),
        )
    )
    # one line per kind of problem: its reason code (the texts name values)
    rejected = with_codes(rejected)
    counts = (
        rejected.groupby(["column", "code"], sort=False)
        .size()
        .rename("rows")
        .reset_index()
        .sort_values("rows", ascending=False)
    )
    if lang != "en":
        counts["column"] = [column_label(str(c), lang) for c in counts["column"]]
    counts.columns = [_header(c, lang) for c in counts.columns]
    echo_table(counts)
    shown = localise_reasons(rejected, lang)
    for (column, code), group in shown.groupby(["column", "code"], sort=False):
        named = column if lang == "en" else column_label(str(column), lang)
        typer.echo(f"\n{named}: {reason_label(str(code), lang)} ({code})")
        table = group.head(first)[["row", "id", "value", "reason"]].fillna("")
        table.columns = [_header(c, lang) for c in table.columns]
        echo_table(table)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        # CRLF rows: a cell holding a lone CR is quoted, so Excel cannot start a row in it
        write_csv(sorted_rejections(rejected), report)
        n = len(rejected)
        typer.echo("\n" + text_n("validate.wrote", n, lang, n=fmt_int(n, lang), path=report))
    raise typer.Exit(EXIT_REJECTED)


def _header(column: str, lang: str) -> str:
    """A table header: as the library names it in English (as before), in Swedish its label."""
    if lang == "en":
        return column
    key = f"validate.col.{column}"
    return text(key, lang) if key in TEXT else column_label(column, lang)
