"""The self-contained HTML report: one file, no network, charts as inline SVG.

Everything that comes from data (team names, worker ids, case-type labels, rejection reasons)
goes through jinja2's autoescaping; charts are drawn by :mod:`arbetstyngd.plot` with
matplotlib, which escapes the text it writes into SVG. A Content-Security-Policy in the page
forbids every network request and every script except the one small print helper.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import plot
from .._contract.reasons import count_by_code, reason_label
from ..labels import (
    BAND_COLOURS,
    BAND_TEXT_COLOURS,
    band_name,
    check_lang,
    column_label,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    scheme_text,
    text,
    text_n,
)
from ..scheme import BAND_NAMES
from ._charts import chart
from ._decisions import forecast_block, room_rows, staffing_rows
from ._names import resolve_team_names
from ._sections import GAUGE_MAX, band_cell, gauge, history_block, trends, worker_sections
from .history import resolve_history

if TYPE_CHECKING:
    from ..result import Workload

__all__ = ["html_report"]

# Opens every folded "why" before printing, so the paper copy has them all.
_PRINT_SCRIPT = (
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true;});});"
)

_env = Environment(
    loader=PackageLoader("arbetstyngd.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


class _Fmt:
    """Formatting bound to one language, for the template."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def t(self, key: str, **values: Any) -> str:
        return text(key, self.lang, **values)

    def num(self, value: Any, decimals: int = 1) -> str:
        return fmt_number(value, self.lang, decimals)

    def int(self, value: Any) -> str:
        return fmt_int(value, self.lang)

    def pct(self, value: Any) -> str:
        return fmt_percent(value, self.lang)

    def date(self, value: Any, long: bool = True) -> str:
        return fmt_date(value, self.lang, long=long)

    def band(self, value: Any) -> str:
        return band_name(value, self.lang)

    def column(self, value: Any) -> str:
        return column_label(str(value), self.lang)


def _scheme_block(scheme: Any, lang: str) -> dict[str, Any]:
    prov = scheme.provenance
    period = None
    if prov.period_start or prov.period_end:
        period = f"{fmt_date(prov.period_start, lang)} – {fmt_date(prov.period_end, lang)}"
    return {
        "id": scheme.id,
        "name": scheme.name,
        "version": scheme.version,
        "description": scheme_text(scheme.description, lang),
        "effective": fmt_date(scheme.effective_date, lang) if scheme.effective_date else None,
        "method": text(f"method.{prov.method}", lang),
        "illustrative": prov.method == "default",
        "note": scheme_text(prov.note, lang),
        "references": [scheme_text(r, lang) for r in prov.references],
        "period": period,
        "statistics": [(str(k), str(v)) for k, v in prov.statistics.items()],
        "capacity": fmt_number(scheme.capacity, lang, 0),
    }


def _bands_legend(bands: Any, lang: str) -> list[dict[str, str]]:
    def p(value: float) -> str:
        return fmt_percent(value, lang)

    ranges = [
        text("report.band_range.low", lang, hi=p(bands.balanced)),
        text("report.band_range.mid", lang, lo=p(bands.balanced), hi=p(bands.high)),
        text("report.band_range.mid", lang, lo=p(bands.high), hi=p(bands.critical)),
        text("report.band_range.top", lang, lo=p(bands.critical)),
    ]
    return [
        {"key": b, "name": band_name(b, lang), "range": r}
        for b, r in zip(BAND_NAMES, ranges, strict=True)
    ]


def _unit_block(wl: Workload, lang: str, limit: int) -> dict[str, Any]:
    """The whole unit, from :attr:`Workload.unit` (the engine's ratio of sums)."""
    unit = wl.unit
    counts = [int(unit[f"n_{b}"]) for b in BAND_NAMES]
    return {
        "hidden": int(unit["n_workers"]) < limit,
        "n_workers": int(unit["n_workers"]),
        "n_cases": int(unit["n_cases"]),
        "load": float(unit["load"]),
        "capacity": float(unit["capacity"]),
        "utilisation": float(unit["utilisation"]),
        "gauge": gauge(unit["utilisation"], unit["band"]),
        "band": band_cell(unit["band"], lang),
        "counts": counts,
        "n_high": counts[2] + counts[3],
    }


def _team_rows(
    wl: Workload, lang: str, names: Mapping[Any, str], limit: int
) -> list[dict[str, Any]]:
    rows = []
    row: Any
    for k, row in enumerate(wl.teams.itertuples(index=False)):
        rows.append(
            {
                "anchor": f"team-{k + 1}",
                "id": str(row.team_id),
                "team_id": row.team_id,
                "name": names.get(row.team_id),
                "hidden": int(row.n_workers) < limit,
                "n_workers": row.n_workers,
                "fte": row.fte,
                "n_cases": row.n_cases,
                "load": row.load,
                "capacity": row.capacity,
                "utilisation": row.utilisation,
                "gauge": gauge(row.utilisation, row.band),
                "band": band_cell(row.band, lang),
                "counts": [getattr(row, f"n_{b}") for b in BAND_NAMES],
            }
        )
    return rows


def _team_chart(
    wl: Workload, team_rows: list[dict[str, Any]], names: Mapping[Any, str], lang: str
) -> Markup | None:
    shown = [r["team_id"] for r in team_rows if not r["hidden"]]
    if not shown:
        return None
    sub = attrs.evolve(wl, teams=wl.teams[wl.teams["team_id"].isin(shown)])
    return chart(
        partial(plot.teams, sub, lang=lang, team_names=dict(names), title=False),
        7.5,
        0.42 * len(shown) + 1.3,
        text("report.team_chart", lang),
        "c-teams",
    )


def _when(wl: Workload, lang: str) -> str:
    if wl.on is not None:
        return text("report.on", lang, date=fmt_date(wl.on, lang))
    return text("report.snapshot", lang, date=fmt_date(wl.reference_date, lang))


def _check_min_group(min_group: Any) -> int:
    if min_group is None:
        return 0
    if isinstance(min_group, bool) or int(min_group) < 1:
        raise ValueError(f"'min_group' must be a whole number >= 1 (got {min_group!r})")
    return int(min_group)


def html_report(
    workload: Workload,
    path: str | Path | None = None,
    *,
    lang: str = "sv",
    history: pd.DataFrame | None = None,
    min_group: int | None = None,
    team_names: pd.DataFrame | Mapping[Any, Any] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    workers: bool | None = None,
    why: bool = True,
    streak_weeks: float = 4,
    progress: bool | None = None,
    teams: pd.DataFrame | Mapping[Any, Any] | None = None,
    forecast: Any = None,
) -> str:
    """Write a self-contained HTML report of a workload result; return its text.

    Parameters
    ----------
    workload : Workload
        The scored result.
    path : str or Path, optional
        Where to write the file (UTF-8). Without it only the text is returned.
    lang : {"sv", "en"}, default "sv"
        Language of every word, number and date in the report.
    history : DataFrame, optional
        A timeline from :func:`arbetstyngd.timeline` (worker level, or team level for the
        team chart only): utilisation over time per team and per worker, and who has been
        above 'high' for ``streak_weeks`` or more in a row.
    min_group : int, optional
        For reports that leave the unit: figures of teams (and of the whole unit) with fewer
        workers than this are hidden, and by default no figures per worker are shown.
    team_names : DataFrame or mapping, optional
        Team names: a frame with ``team_id`` and ``name``, or a mapping id → name. Default:
        the names the result was scored with (:attr:`arbetstyngd.Workload.team_names`).
    title, subtitle : str, optional
        The report's heading (default "Arbetstyngd – rapport") and a line under it, such as
        the unit's name.
    workers : bool, optional
        Show a section per team with each worker. Default: yes, unless ``min_group`` is set.
    why : bool, default True
        Include each worker's explanation chart (folded, opened when printing).
    streak_weeks : float, default 4
        How long a run above 'high' must be to be listed.
    progress : bool, optional
        A progress bar while the worker charts are drawn (default: above 100 workers).
    teams : DataFrame or mapping, optional
        Deprecated name of ``team_names``.

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> wl = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=4).score()
    >>> page = wl.to_html(lang="en", why=False)
    >>> page.startswith("<!DOCTYPE html>") and "Unit overview" in page
    True
    """
    check_lang(lang)
    limit = _check_min_group(min_group)
    show_workers = (min_group is None) if workers is None else bool(workers)
    names = resolve_team_names(workload, team_names, teams)
    unit = _unit_block(workload, lang, limit)
    team_rows = _team_rows(workload, lang, names, limit)
    hidden_teams = {r["team_id"] for r in team_rows if r["hidden"]}
    team_chart = None if unit["hidden"] else _team_chart(workload, team_rows, names, lang)
    # an archive brings its own section (trends, runs above high, self-ratings) and a frame
    history, archive_html = resolve_history(
        history, workload, lang=lang, min_group=min_group, show_workers=show_workers
    )
    sections = (
        worker_sections(
            workload,
            team_rows,
            names,
            lang,
            why=why,
            progress=progress,
            trend=trends(history, lang),
        )
        if show_workers
        else []
    )
    hist = history_block(history, workload, lang, names, hidden_teams, show_workers, streak_weeks)
    page = _render(
        workload,
        lang,
        title=title,
        subtitle=subtitle,
        unit=unit,
        teams=team_rows,
        charts={"teams": team_chart} if team_chart is not None else {},
        sections=sections,
        show_workers=show_workers,
        min_group=limit or None,
        history=hist,
        archive=Markup(archive_html),
        room=room_rows(workload, lang, names) if show_workers else [],
        staffing=[] if unit["hidden"] else staffing_rows(workload, names, hidden_teams),
        forecast=None
        if forecast is None or unit["hidden"]
        else forecast_block(forecast, lang, names, hidden_teams),
    )
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(page, encoding="utf-8")
    return page


def _render(
    wl: Workload, lang: str, *, title: str | None, subtitle: str | None, **parts: Any
) -> str:
    """Fill the template: the parts built above plus the page's fixed pieces."""
    from .. import __version__

    scheme = wl.scheme
    script_hash = base64.b64encode(hashlib.sha256(_PRINT_SCRIPT.encode()).digest()).decode()
    return _env.get_template("report.html.j2").render(
        f=_Fmt(lang),
        lang=lang,
        title=title or text("report.title", lang),
        subtitle=subtitle,
        when=_when(wl, lang),
        generated=text(
            "report.generated", lang, date=fmt_date(dt.date.today(), lang), version=__version__
        ),
        bands=_bands_legend(scheme.bands, lang),
        band_keys=list(BAND_NAMES),
        band_colours=BAND_COLOURS,
        band_text=BAND_TEXT_COLOURS,
        scheme=_scheme_block(scheme, lang),
        rejected=_rejected(wl, lang),
        table_name={t: text(f"table.{t}", lang) for t in ("cases", "workers", "teams")},
        script=Markup(_PRINT_SCRIPT),
        script_hash=script_hash,
        gauge_marks={
            "balanced": scheme.bands.balanced / GAUGE_MAX * 100,
            "high": scheme.bands.high / GAUGE_MAX * 100,
            "normal": 1.0 / GAUGE_MAX * 100,
        },
        **parts,
    )


def _rejected(wl: Workload, lang: str) -> dict[str, Any] | None:
    rej = wl.rejected
    if not len(rej):
        return None
    n = int(rej[["table", "row"]].drop_duplicates().shape[0])
    reasons = count_by_code(rej, limit=10)  # by code: one line per kind of problem
    return {
        "text": text_n("report.rejected_text", n, lang, n=fmt_int(n, lang)),
        "reasons": [
            {
                "table": str(r.table),
                "column": str(r.column),
                "reason": reason_label(str(r.code), lang),
                "n": r.n,
            }
            for r in reasons.itertuples(index=False)
        ],
    }
