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
import io
import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .._contract.reasons import count_by_code, reason_label
from ..scheme import BAND_NAMES
from .history import high_streaks, resolve_history
from .labels import (
    BAND_COLOURS,
    BAND_TEXT_COLOURS,
    band_name,
    check_lang,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    text,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..result import Workload

__all__ = ["html_report"]

# Opens every folded "why" before printing, so the paper copy has them all.
_PRINT_SCRIPT = (
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true;});});"
)
#: The utilisation at the right end of the small gauges in the tables.
_GAUGE_MAX = 1.5

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


# --- SVG ----------------------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


def _svg(fig: Figure, label: str, key: str) -> Markup:
    """The figure as inline SVG, its ids made unique in the page, labelled for screen readers."""
    import matplotlib as mpl

    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": key}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _ID.sub(lambda m: f'id="{key}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    svg = re.sub(r'(<svg[^>]*?)\s(width|height)="[^"]*"', r"\1", svg, count=2)
    style = f"max-width:{width.group(1) if width else 600}pt"
    from markupsafe import escape

    svg = svg.replace("<svg", f'<svg role="img" aria-label="{escape(label)}" style="{style}"', 1)
    return Markup(svg)


def _figure(
    width: float, height: float, layout: Literal["constrained"] | None
) -> tuple[Figure, Any]:
    # a bare Figure (no pyplot): nothing global to leak or to lock between threads
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout=layout)
    return fig, fig.subplots()


def _fit(fig: Figure, ax: Any) -> None:
    """Margins from the label lengths, without a layout engine.

    Constrained layout measures every text twice and made the charts of a 40-worker report
    take several seconds; bar charts with y labels only need room for the longest label.
    """
    ticks = ax.get_yticklabels()
    size = ticks[0].get_fontsize() if ticks else 10.0
    chars = max((len(t.get_text()) for t in ticks), default=4)
    label_in = chars * size * 0.6 / 72 + 0.2
    width, height = fig.get_size_inches()
    fig.set_size_inches(width + label_in, height)
    top_in = 0.35 if ax.get_title(loc="left") or ax.get_title() else 0.12
    fig.subplots_adjust(
        left=label_in / (width + label_in),
        right=0.98,
        bottom=0.5 / height,
        top=1 - top_in / height,
    )


def _chart(
    draw: Callable[..., Any],
    width: float,
    height: float,
    label: str,
    key: str,
    *,
    fast: bool = True,
) -> Markup:
    fig, ax = _figure(width, height, None if fast else "constrained")
    draw(ax=ax)
    if fast:
        _fit(fig, ax)
    return _svg(fig, label, key)


# --- data for the template ----------------------------------------------------------------------


def _names(teams: pd.DataFrame | Mapping[Any, Any] | None) -> dict[Any, str]:
    if teams is None:
        return {}
    if isinstance(teams, Mapping):
        return {k: str(v) for k, v in teams.items()}
    if "team_id" not in teams.columns:
        raise ValueError("'teams' must have a 'team_id' column (and 'name' for team names)")
    if "name" not in teams.columns:
        return {}
    known = teams.dropna(subset=["name"])
    return dict(zip(known["team_id"], known["name"].astype(str), strict=True))


def _band_cell(band: Any, lang: str) -> dict[str, str]:
    key = str(band) if str(band) in BAND_NAMES else "none"
    return {"key": key, "name": band_name(band, lang)}


def _gauge(u: Any, band: Any) -> dict[str, Any]:
    value = 0.0 if u is None or pd.isna(u) else float(u)
    key = str(band) if str(band) in BAND_NAMES else "none"
    return {"width": min(value / _GAUGE_MAX, 1.0) * 100, "over": value > _GAUGE_MAX, "band": key}


def _case_mix(
    points: pd.DataFrame, scheme: Any, lang: str, colours: Mapping[str, str], top: int = 3
) -> list[list[dict[str, Any]]]:
    """Per worker: the share of points of each case type (for the stacked mini bars)."""
    totals = points.sum(axis=1).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(totals[:, None] > 0, points.to_numpy() / totals[:, None], 0.0)
    order = np.argsort(-shares, axis=1, kind="stable")
    types = list(points.columns)
    out = []
    for row, idx in zip(shares, order, strict=True):
        parts = [
            {
                "label": scheme.label(types[j], lang),
                "share": float(row[j]),
                "colour": colours.get(types[j], "#bdbdbd"),
                "named": k < top,
            }
            for k, j in enumerate(idx)
            if row[j] > 0
        ]
        out.append(parts)
    return out


def _scheme_block(scheme: Any, lang: str) -> dict[str, Any]:
    prov = scheme.provenance
    period = None
    if prov.period_start or prov.period_end:
        period = f"{fmt_date(prov.period_start, lang)} – {fmt_date(prov.period_end, lang)}"
    key = f"method.{prov.method}"
    return {
        "id": scheme.id,
        "name": scheme.name,
        "version": scheme.version,
        "description": scheme.description,
        "effective": fmt_date(scheme.effective_date, lang) if scheme.effective_date else None,
        "method": text(key, lang),
        "illustrative": prov.method == "default",
        "note": prov.note,
        "references": list(prov.references),
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


def _progress(items: Iterable[Any], total: int, show: bool | None, what: str) -> Iterable[Any]:
    if show is None:
        show = total > 100
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=what, leave=False)


# --- the report ---------------------------------------------------------------------------------


def html_report(
    workload: Workload,
    path: str | Path | None = None,
    *,
    lang: str = "sv",
    history: pd.DataFrame | None = None,
    min_group: int | None = None,
    teams: pd.DataFrame | Mapping[Any, Any] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    workers: bool | None = None,
    why: bool = True,
    streak_weeks: float = 4,
    progress: bool | None = None,
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
    teams : DataFrame or mapping, optional
        Team names: a frame with ``team_id`` and ``name``, or a mapping id → name.
    title, subtitle : str, optional
        The report's heading (default "Arbetstyngd – rapport") and a line under it, such as
        the unit's name.
    workers : bool, optional
        Show a section per team with each worker. Default: yes, unless ``min_group`` is set.
    why : bool, default True
        Include each worker's explanation chart (folded, opened when printing).
    streak_weeks : float, default 4
    progress : bool, optional
        A progress bar while the worker charts are drawn (default: above 100 workers).

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
    if min_group is not None and (isinstance(min_group, bool) or int(min_group) < 1):
        raise ValueError(f"'min_group' must be a whole number >= 1 (got {min_group!r})")
    show_workers = (min_group is None) if workers is None else bool(workers)
    limit = int(min_group) if min_group is not None else 0
    f = _Fmt(lang)
    wl = workload
    scheme = wl.scheme
    names = _names(teams)
    from .. import plot

    colours = plot.case_type_colours(scheme)

    w = wl.workers
    n_workers = len(w)
    unit_hidden = n_workers < limit
    load, cap = float(w["load"].sum()), float(w["capacity"].sum())
    unit_u = load / cap if cap > 0 else float("nan")
    unit_band = scheme.bands.classify([unit_u])[0]
    counts = wl.band_counts()

    team_rows = []
    hidden_teams: set[Any] = set()
    row: Any
    for k, row in enumerate(wl.teams.itertuples(index=False)):
        hidden = int(row.n_workers) < limit
        if hidden:
            hidden_teams.add(row.team_id)
        team_rows.append(
            {
                "anchor": f"team-{k + 1}",
                "id": str(row.team_id),
                "name": names.get(row.team_id),
                "hidden": hidden,
                "n_workers": row.n_workers,
                "fte": row.fte,
                "n_cases": row.n_cases,
                "load": row.load,
                "capacity": row.capacity,
                "utilisation": row.utilisation,
                "gauge": _gauge(row.utilisation, row.band),
                "band": _band_cell(row.band, lang),
                "counts": [getattr(row, f"n_{b}") for b in BAND_NAMES],
            }
        )
    shown_teams = wl.teams[~wl.teams["team_id"].isin(hidden_teams)]

    def label_of(team_id: Any) -> str:
        return f"{names[team_id]} ({team_id})" if team_id in names else str(team_id)

    charts: dict[str, Any] = {}
    if len(shown_teams) and not unit_hidden:
        sub = _subset_teams(wl, shown_teams["team_id"])
        charts["teams"] = _chart(
            partial(plot.teams, sub, lang=lang, team_names=names),
            7.5,
            0.42 * len(shown_teams) + 1.3,
            text("report.team_chart", lang),
            "c-teams",
        )

    # per team: workers, highest utilisation first
    sections = []
    if show_workers:
        ordered = w.assign(pos_=np.arange(n_workers)).sort_values(
            ["team_id", "utilisation"], ascending=[True, False], kind="stable"
        )
        mix = _case_mix(wl.type_points, scheme, lang, colours)
        explained: dict[Any, Markup] = {}
        if why:
            for i in _progress(range(n_workers), n_workers, progress, "arbetstyngd report"):
                ex = wl.explain(w["worker_id"].iat[i])
                explained[i] = _chart(
                    partial(plot.explain, ex, scheme=scheme, lang=lang),
                    6.2,
                    0.24 * (len(ex.load_parts) + len(ex.capacity_parts) + 2) + 0.9,
                    f"{text('report.why', lang)}: {ex.worker_id}",
                    f"c-why-{i}",
                )
        for k, trow in enumerate(team_rows):
            if trow["hidden"]:
                continue
            tid = wl.teams["team_id"].iat[k]
            mine = ordered[ordered["team_id"] == tid]
            records: list[Any] = list(mine.itertuples(index=False))
            rows: list[dict[str, Any]] = [
                {
                    "id": str(r.worker_id),
                    "n_cases": r.n_cases,
                    "load": r.load,
                    "capacity": r.capacity,
                    "fte": r.fte,
                    "utilisation": r.utilisation,
                    "gauge": _gauge(r.utilisation, r.band),
                    "band": _band_cell(r.band, lang),
                    "mix": mix[int(r.pos_)],
                    "why": explained.get(int(r.pos_)),
                }
                for r in records
            ]
            chart = _chart(
                partial(plot.utilisation, wl, team=tid, lang=lang),
                7.5,
                0.3 * len(rows) + 1.2,
                f"{text('report.team_workers', lang)}: {label_of(tid)}",
                f"c-team-{k + 1}",
            )
            used = {p["label"]: p["colour"] for r in rows for p in r["mix"] if p["named"]}
            sections.append(
                {**trow, "label": label_of(tid), "rows": rows, "chart": chart, "mix_legend": used}
            )

    history, archive_html = resolve_history(
        history, wl, lang=lang, min_group=min_group, show_workers=show_workers
    )
    hist = _history(history, wl, lang, names, hidden_teams, show_workers, streak_weeks, plot)
    rejected = _rejected(wl, lang)
    script_hash = base64.b64encode(hashlib.sha256(_PRINT_SCRIPT.encode()).digest()).decode()
    from .. import __version__

    when = (
        text("report.on", lang, date=fmt_date(wl.on, lang))
        if wl.on is not None
        else text("report.snapshot", lang, date=fmt_date(wl.reference_date, lang))
    )
    page = _env.get_template("report.html.j2").render(
        f=f,
        lang=lang,
        title=title or text("report.title", lang),
        subtitle=subtitle,
        when=when,
        generated=text(
            "report.generated", lang, date=fmt_date(dt.date.today(), lang), version=__version__
        ),
        unit={
            "hidden": unit_hidden,
            "n_workers": n_workers,
            "n_cases": int(w["n_cases"].sum()),
            "load": load,
            "capacity": cap,
            "utilisation": unit_u,
            "gauge": _gauge(unit_u, unit_band),
            "band": _band_cell(unit_band, lang),
            "counts": [int(counts[b]) for b in BAND_NAMES],
            "n_high": int(counts["high"] + counts["critical"]),
        },
        bands=_bands_legend(scheme.bands, lang),
        band_keys=list(BAND_NAMES),
        band_colours=BAND_COLOURS,
        band_text=BAND_TEXT_COLOURS,
        teams=team_rows,
        charts=charts,
        sections=sections,
        show_workers=show_workers,
        min_group=limit or None,
        history=hist,
        archive=Markup(archive_html),
        scheme=_scheme_block(scheme, lang),
        rejected=rejected,
        script=Markup(_PRINT_SCRIPT),
        script_hash=script_hash,
        gauge_marks={
            "balanced": scheme.bands.balanced / _GAUGE_MAX * 100,
            "high": scheme.bands.high / _GAUGE_MAX * 100,
            "normal": 1.0 / _GAUGE_MAX * 100,
        },
    )
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(page, encoding="utf-8")
    return page


def _subset_teams(wl: Workload, team_ids: pd.Series) -> Any:
    import attrs

    return attrs.evolve(wl, teams=wl.teams[wl.teams["team_id"].isin(team_ids)])


def _history(
    history: pd.DataFrame | None,
    wl: Workload,
    lang: str,
    names: Mapping[Any, str],
    hidden_teams: set[Any],
    show_workers: bool,
    streak_weeks: float,
    plot: Any,
) -> dict[str, Any] | None:
    if history is None:
        return None
    if not isinstance(history, pd.DataFrame):
        raise TypeError(
            f"'history' must be a DataFrame from timeline() (got {type(history).__name__})"
        )
    missing = {"date", "team_id", "load", "capacity", "utilisation"} - set(history.columns)
    if missing:
        raise ValueError(
            f"'history' must be a frame from arbetstyngd.timeline(); it lacks {sorted(missing)}"
        )
    frame = history[~history["team_id"].isin(hidden_teams)]
    if frame.empty:
        return None
    dates = pd.DatetimeIndex(frame["date"].unique()).sort_values()
    out: dict[str, Any] = {
        "period": text(
            "report.history_period",
            lang,
            start=fmt_date(dates[0], lang),
            end=fmt_date(dates[-1], lang),
            n=len(dates),
        ),
        "teams": _chart(
            partial(plot.timeline, frame, "team_id", scheme=wl.scheme, lang=lang, names=names),
            8.0,
            3.4,
            text("report.history_teams", lang),
            "c-hist-teams",
            fast=False,
        ),
        "per_team": [],
        "streaks": None,
        "weeks": fmt_number(streak_weeks, lang, 0),
    }
    worker_level = "worker_id" in frame.columns
    if worker_level and show_workers:
        for k, tid in enumerate(wl.teams["team_id"]):
            if tid in hidden_teams:
                continue
            mine = frame[frame["team_id"] == tid]
            if mine.empty:
                continue
            label = f"{names[tid]} ({tid})" if tid in names else str(tid)
            out["per_team"].append(
                {
                    "label": label,
                    "chart": _chart(
                        partial(plot.timeline, mine, "worker_id", scheme=wl.scheme, lang=lang),
                        8.0,
                        3.2,
                        f"{text('report.history_workers', lang)}: {label}",
                        f"c-hist-{k + 1}",
                        fast=False,
                    ),
                }
            )
        runs = high_streaks(frame, wl.scheme, min_weeks=streak_weeks)
        out["streaks"] = [
            {
                "worker": str(r.worker_id),
                "team": (
                    f"{names[r.team_id]} ({r.team_id})" if r.team_id in names else str(r.team_id)
                ),
                "start": fmt_date(r.start, lang, long=False),
                "end": fmt_date(r.end, lang, long=False),
                "weeks": fmt_number(r.weeks, lang, 0),
                "max": fmt_percent(r.max_utilisation, lang),
                "ongoing": text("report.yes" if r.ongoing else "report.no", lang),
            }
            for r in runs.itertuples(index=False)
        ]
    return out


def _rejected(wl: Workload, lang: str) -> dict[str, Any] | None:
    rej = wl.rejected
    if not len(rej):
        return None
    n = int(rej[["table", "row"]].drop_duplicates().shape[0])
    reasons = count_by_code(rej, limit=10)  # by code: one line per kind of problem
    return {
        "text": text("report.rejected_text", lang, n=fmt_int(n, lang)),
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
