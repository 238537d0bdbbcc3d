"""The archive's part of the HTML report: trends by month, long runs above high, perceived load.

:func:`arbetstyngd.report.html_report` accepts an :class:`Archive` as ``history``; it asks the
archive for a timeline-shaped frame (for its charts) and this section. With ``min_group`` (a
report that leaves the unit) nothing per worker is shown, groups smaller than ``min_group``
are hidden, and self-rating comments are never part of any report.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..labels import LANGS, fmt_int, fmt_percent, text, text_n
from ..result import Workload
from ..scheme import BAND_NAMES

if TYPE_CHECKING:
    from .archive import Archive

__all__ = ["months_above_high", "report_section", "sparkline"]

# words from the one label table (arbetstyngd.labels), by this module's short names
_KEYS = {
    "title": "archive.title",
    "scheme_change": "archive.scheme_change",
    "unit": "archive.unit",
    "month": "archive.month",
    "utilisation": "col.utilisation",
    "band": "col.band",
    "workers": "col.n_workers",
    "scheme": "archive.scheme",
    "trend": "archive.trend",
    "worker": "col.worker_id",
    "team": "col.team",
    "latest": "archive.latest",
    "months": "archive.months",
    "ongoing": "archive.ongoing",
    "none": "archive.none",
    "perceived": "archive.perceived",
    "rating": "archive.rating",
    "felt": "archive.felt",
    "measured": "archive.measured",
    "apart": "archive.apart",
    "flagged": "archive.flagged",
    "hidden": "archive.hidden",
    "yes": "archive.yes",
    "no": "archive.no",
}
_WORDS = {lang: {k: text(key, lang) for k, key in _KEYS.items()} for lang in LANGS}
_BANDS = {
    "sv": dict(zip(BAND_NAMES, ("låg", "balanserad", "hög", "kritisk"), strict=True)),
    "en": {b: b for b in BAND_NAMES},
}


def _month(stamp: Any) -> str:
    return pd.Timestamp(stamp).strftime("%Y-%m")


def sparkline(values: Any, high: float, width: int = 120, height: int = 24, marks: Any = ()) -> str:
    """A small inline SVG line of utilisation values, with the 'high' threshold dashed.

    ``marks`` are positions (0-based) where a vertical grey line is drawn: a scheme change.

    Examples
    --------
    >>> sparkline([0.8, 1.0, 1.2], high=1.1).startswith("<svg")
    True
    """
    v = np.asarray(values, dtype=float)
    top = max(float(np.nanmax(v)) if np.isfinite(v).any() else 1.0, high) * 1.1
    xs = np.linspace(2, width - 2, len(v)) if len(v) > 1 else np.array([width / 2])
    ys = height - 2 - np.nan_to_num(v, nan=0.0) / top * (height - 4)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    hy = height - 2 - high / top * (height - 4)
    lines = "".join(
        f'<line x1="{xs[i]:.1f}" x2="{xs[i]:.1f}" y1="0" y2="{height}" stroke="#888" '
        f'stroke-dasharray="2,2"/>'
        for i in marks
        if 0 <= i < len(xs)
    )
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="trend">{lines}'
        f'<line x1="0" x2="{width}" y1="{hy:.1f}" y2="{hy:.1f}" stroke="#c0392b" '
        f'stroke-dasharray="3,2" stroke-width="1"/>'
        f'<polyline fill="none" stroke="#2c3e50" stroke-width="1.5" points="{points}"/></svg>'
    )


def months_above_high(history: pd.DataFrame, high: float, min_months: int = 3) -> pd.DataFrame:
    """Runs of consecutive measurements at or above ``high`` per worker, longest first.

    Examples
    --------
    >>> h = pd.DataFrame({"worker_id": ["H1"] * 4, "team_id": "T1",
    ...     "measured_on": pd.date_range("2026-01-31", periods=4, freq="ME"),
    ...     "utilisation": [1.2, 1.3, 1.15, 0.9]})
    >>> months_above_high(h, 1.1)[["worker_id", "months", "ongoing"]].to_dict("records")
    [{'worker_id': 'H1', 'months': 3, 'ongoing': False}]
    """
    cols = ["worker_id", "team_id", "start", "end", "months", "max_utilisation", "ongoing"]
    if history.empty:
        return pd.DataFrame(columns=cols)
    h = history.sort_values(["worker_id", "measured_on"], kind="stable")
    last = h["measured_on"].max()
    above = (h["utilisation"] >= high).to_numpy()
    same = np.r_[False, h["worker_id"].to_numpy()[1:] == h["worker_id"].to_numpy()[:-1]]
    run = np.cumsum(above & ~(np.r_[False, above[:-1]] & same))
    kept = h[above].assign(run=run[above])
    runs = kept.groupby("run").agg(
        worker_id=("worker_id", "first"),
        team_id=("team_id", "last"),
        start=("measured_on", "min"),
        end=("measured_on", "max"),
        months=("measured_on", "size"),
        max_utilisation=("utilisation", "max"),
    )
    runs["ongoing"] = runs["end"] == last
    runs = runs[runs["months"] >= min_months]
    return runs.sort_values(["ongoing", "months"], ascending=False)[cols].reset_index(drop=True)


def _rows(frame: pd.DataFrame) -> list[Any]:
    return list(frame.itertuples(index=False))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _unit_part(archive: Archive, lang: str, limit: int, high: float) -> str:
    w, e = _WORDS[lang], html.escape
    unit = archive.history("unit")
    if limit and (unit["n_workers"] < limit).any():
        return f"<h3>{e(w['unit'])}</h3><p>{e(w['hidden'].format(n=limit))}</p>"
    rows = [
        [
            _month(r.measured_on),
            fmt_percent(r.utilisation, lang),
            e(_BANDS[lang].get(str(r.band), "–")),
            str(r.n_workers),
            e(f"{r.scheme_name} {r.scheme_version}"),
        ]
        for r in _rows(unit)
    ]
    headers = [w["month"], w["utilisation"], w["band"], w["workers"], w["scheme"]]
    changed = unit["scheme_version"].ne(unit["scheme_version"].shift()) | unit["scheme_name"].ne(
        unit["scheme_name"].shift()
    )
    marks = [int(i) for i in np.flatnonzero(changed.to_numpy())[1:]]
    line = sparkline(unit["utilisation"], high, width=360, height=60, marks=marks)
    return f"<h3>{e(w['unit'])}</h3>{line}{_table(headers, rows)}"


def _worker_part(history: pd.DataFrame, lang: str, high: float, min_months: int) -> str:
    w, e = _WORDS[lang], html.escape
    rows = []
    for (wid, tid), mine in history.groupby(["worker_id", "team_id"], sort=True):
        u = mine.sort_values("measured_on")["utilisation"]
        rows.append([e(str(wid)), e(str(tid)), sparkline(u, high), fmt_percent(u.iloc[-1], lang)])
    trend = _table([w["worker"], w["team"], w["trend"], w["latest"]], rows)
    runs = months_above_high(history, high, min_months)
    run_rows = [
        [
            e(str(r.worker_id)),
            e(str(r.team_id)),
            _month(r.start),
            _month(r.end),
            str(r.months),
            fmt_percent(r.max_utilisation, lang),
            e(w["yes"] if r.ongoing else w["no"]),
        ]
        for r in _rows(runs)
    ]
    above = (
        _table([w["worker"], w["team"], "", "", w["months"], "max", w["ongoing"]], run_rows)
        if run_rows
        else f"<p>{e(w['none'])}</p>"
    )
    heading = text_n("archive.above", min_months, lang, n=min_months)
    return f"<h3>{e(w['trend'])}</h3>{trend}<h3>{e(heading)}</h3>{above}"


def _perceived_part(archive: Archive, lang: str, limit: int, show_workers: bool) -> str:
    w, e = _WORDS[lang], html.escape
    cmp = archive.compare()
    if cmp.empty:
        return ""
    bands = _BANDS[lang]
    if show_workers:
        flagged = cmp[cmp["flag"]]
        rows = [
            [
                _month(r.period),
                e(str(r.worker_id)),
                f"{r.rating:g} ({e(r.scale)})",
                e(bands[BAND_NAMES[int(np.clip(np.floor(r.perceived_step + 0.5), 0, 3))]]),
                e(bands.get(str(r.band), "–")),
                f"{r.steps_apart:+.1f}",
            ]
            for r in _rows(flagged)
        ]
        body = (
            _table(
                [w["month"], w["worker"], w["rating"], w["felt"], w["measured"], w["apart"]], rows
            )
            if rows
            else f"<p>{e(w['none'])}</p>"
        )
        return f"<h3>{e(w['perceived'])}</h3>{body}"
    # outside the unit: per team and month, only counts, only for large enough teams
    sizes = cmp.groupby(["period", "team_id"]).agg(n=("worker_id", "size"), k=("flag", "sum"))
    rows = [
        [_month(r.period), e(str(r.team_id)), str(int(r.n)), str(int(r.k))]
        for r in _rows(sizes.reset_index())
        if int(r.n) >= max(limit, 1)
    ]
    body = _table([w["month"], w["team"], w["rating"], w["flagged"]], rows) if rows else ""
    return f"<h3>{e(w['perceived'])}</h3>{body or e(w['hidden'].format(n=limit))}"


def report_section(
    archive: Archive,
    wl: Workload,
    *,
    lang: str = "sv",
    min_group: int | None = None,
    show_workers: bool = True,
    min_months: int = 3,
) -> tuple[pd.DataFrame | None, str]:
    """A timeline-shaped frame of the archive for the report's charts, and this section."""
    w, e = _WORDS[lang], html.escape
    limit = int(min_group or 0)
    high = wl.scheme.bands.high
    history = archive.history("worker")
    found = archive.measurements()
    if found.empty:
        return None, ""
    changes = found[found["scheme_hash"] != found["scheme_hash"].shift()].iloc[1:]
    marks = "".join(
        f"<li>{e(w['scheme_change'])}: {_month(r.measured_on)} → {e(r.scheme_name)} "
        f"{e(r.scheme_version)}</li>"
        for r in _rows(changes)
    )
    parts = [
        f'<section id="archive"><h2>{e(w["title"])}</h2>',
        "<p class='muted'>"
        + e(
            text_n(
                "archive.period",
                len(found),
                lang,
                n=fmt_int(len(found), lang),
                start=_month(found["measured_on"].min()),
                end=_month(found["measured_on"].max()),
            )
        )
        + "</p>",
        f"<ul>{marks}</ul>" if marks else "",
        _unit_part(archive, lang, limit, high),
        _worker_part(history, lang, high, min_months) if show_workers else "",
        _perceived_part(archive, lang, limit, show_workers),
        "</section>",
    ]
    level = history if show_workers else archive.history("team")
    frame = level.rename(columns={"measured_on": "date"})
    return frame, "".join(parts)
