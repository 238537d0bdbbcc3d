"""What the command line prints about a result: one language, plain words, no Python reprs.

Every word comes from :mod:`arbetstyngd.labels`; numbers use the language's format (``832,9``
in Swedish, ``832.9`` in English), the same as the HTML report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import typer

from ..labels import (
    TEXT,
    band_name,
    column_label,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    team_label,
    team_name_map,
    text,
    text_n,
)
from .common import echo_table

if TYPE_CHECKING:
    from ..result import Workload

__all__ = [
    "DEFAULT_INCOMPLETE",
    "echo_rejections",
    "echo_result",
    "rejection_shares",
    "summary_line",
    "team_table_text",
]

#: Share of a table's rows rejected above which the printed figures are marked incomplete.
DEFAULT_INCOMPLETE = 0.10

_TEAM_COLUMNS = ["team_id", "n_workers", "n_cases", "load", "capacity", "utilisation", "band"]


def team_table_text(workload: Workload, lang: str = "sv", team_names: Any = None) -> pd.DataFrame:
    """The per-team table as printed by the CLI, every cell text in ``lang``, plus the unit.

    Team names default to those the result was scored with.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> wl = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=1).score()
    >>> list(team_table_text(wl, "sv").columns)[:3]
    ['Team', 'Handläggare', 'Aktiva ärenden']
    """
    names = team_name_map(team_names) if team_names is not None else dict(workload.team_names)
    unit = workload.unit.to_dict()
    unit["team_id"] = text("report.total", lang)
    rows = [*workload.teams.to_dict("records"), unit]
    out = pd.DataFrame(
        {
            "team_id": [
                r["team_id"] if r is unit else team_label(r["team_id"], names) for r in rows
            ],
            "n_workers": [fmt_int(r["n_workers"], lang) for r in rows],
            "n_cases": [fmt_int(r["n_cases"], lang) for r in rows],
            "load": [fmt_number(r["load"], lang) for r in rows],
            "capacity": [fmt_number(r["capacity"], lang) for r in rows],
            "utilisation": [fmt_percent(r["utilisation"], lang) for r in rows],
            "band": [band_name(r["band"], lang) for r in rows],
            "n_high": [fmt_int(r["n_high"], lang) for r in rows],
            "n_critical": [fmt_int(r["n_critical"], lang) for r in rows],
        }
    )
    out.columns = [column_label(c, lang) for c in out.columns]
    return out


def summary_line(workload: Workload, lang: str = "sv") -> str:
    """One sentence about the result (instead of its Python repr)."""
    values = {
        "scheme": workload.scheme.id,
        "workers": fmt_int(len(workload.workers), lang),
        "teams": fmt_int(len(workload.teams), lang),
        "cases": fmt_int(workload.n_active, lang),
    }
    if workload.on is not None:
        return text("cli.summary_on", lang, date=fmt_date(workload.on, lang), **values)
    return text(
        "cli.summary_snapshot", lang, date=fmt_date(workload.reference_date, lang), **values
    )


def rejection_shares(workload: Workload, totals: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Per input table: rows rejected, rows in all (when known) and the rejected share.

    Cases and workers count their valid rows plus the distinct rejected rows; other tables
    (teams) the rows in ``totals`` (the rows read), else only their rejected rows, with no
    share.
    """
    rej = workload.rejected
    counts = rej.groupby(rej["table"].astype(str), sort=False)["row"].nunique()
    valid = {"cases": len(workload.cases), "workers": len(workload.workers)}
    totals = dict(totals or {})
    rows = []
    for table in ["cases", "workers", *[t for t in counts.index if t not in valid]]:
        n = int(counts.get(table, 0))
        total = valid[table] + n if table in valid else totals.get(table)
        if n or table in valid:
            share = n / total if total else (float("nan") if total is None else 0.0)
            rows.append({"table": table, "rejected": n, "rows": total, "share": share})
    return pd.DataFrame(rows, columns=["table", "rejected", "rows", "share"])


def _table_name(table: Any, lang: str) -> str:
    key = f"table.{table}"
    return text(key, lang) if key in TEXT else str(table)


def echo_rejections(
    workload: Workload,
    lang: str = "sv",
    *,
    threshold: float = DEFAULT_INCOMPLETE,
    totals: Mapping[str, int] | None = None,
) -> bool:
    """Print the share of rows rejected per table, in words; return whether incomplete.

    Above ``threshold`` in any table the block is headed by a loud "figures incomplete"; the
    most common reasons and the first rows follow. Nothing is printed when nothing was
    rejected.
    """
    shares = rejection_shares(workload, totals)
    if not int(shares["rejected"].sum()):
        return False
    incomplete = bool((shares["share"].fillna(0) > threshold).any())
    typer.echo("")
    if incomplete:
        banner = text("cli.incomplete", lang, threshold=fmt_percent(threshold, lang))
        typer.echo("!" * 3 + " " + banner)
    typer.echo(f"{text('cli.rejected_heading', lang)}:")
    for r in shares.to_dict("records"):
        name = _table_name(r["table"], lang)
        n = int(r["rejected"])
        if r["rows"] is None or r["rows"] != r["rows"]:
            line = text_n("cli.rejected_count", n, lang, table=name, n=fmt_int(n, lang))
        else:
            line = text_n(
                "cli.rejected_share",
                int(r["rows"]),
                lang,
                table=name,
                n=fmt_int(r["rejected"], lang),
                total=fmt_int(r["rows"], lang),
                share=fmt_percent(r["share"], lang),
            )
        typer.echo(f"  {line}")
    _echo_reasons(workload, lang)
    return incomplete


def _echo_reasons(workload: Workload, lang: str) -> None:
    from .._contract.reasons import localise_reasons
    from ..io.writers import sorted_rejections

    # in Swedish the reason is its code's label, as in the report and the workbook; the value
    # as written says which one
    rej = localise_reasons(sorted_rejections(workload.rejected), lang)
    shown = rej.assign(
        table=[_table_name(t, lang) for t in rej["table"].astype(str)],
        column=[column_label(str(c), lang) for c in rej["column"]],
    )
    counts = shown.groupby(["table", "column"], sort=False).size().rename("n").reset_index()
    counts.columns = [column_label(c, lang) for c in ("table", "column")] + [text("cli.n", lang)]
    typer.echo("")
    echo_table(counts)
    typer.echo(f"\n{text('cli.first_rows', lang)}:")
    first = shown.head(10)[["table", "row", "column", "value", "reason"]].fillna("")
    first.columns = [column_label(c, lang) for c in first.columns]
    echo_table(first)


def echo_result(
    wl: Workload,
    lang: str,
    threshold: float = DEFAULT_INCOMPLETE,
    totals: Mapping[str, int] | None = None,
) -> bool:
    """Print the result in ``lang``: a summary, the team table (headed "figures incomplete"
    when too many rows were rejected), then the rejected rows; return whether incomplete.

    ``totals`` holds the rows read of tables whose total the result does not know (teams).
    """
    shares = rejection_shares(wl, totals)
    incomplete = bool((shares["share"].fillna(0) > threshold).any())
    typer.echo(summary_line(wl, lang))
    if len(wl.workers) == 0:
        typer.echo(text("cli.no_worker", lang))
    else:
        if incomplete:
            heading = text("cli.incomplete_heading", lang).upper()
            typer.echo(f"\n*** {heading} ***")
        echo_table(team_table_text(wl, lang))
    echo_rejections(wl, lang, threshold=threshold, totals=totals)
    return incomplete
