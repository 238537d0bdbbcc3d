"""The parts of the HTML report drawn per team and over time: worker tables and charts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from .. import plot
from ..labels import band_name, fmt_date, fmt_number, fmt_percent, team_label, text, text_n
from ..scheme import BAND_NAMES
from ._charts import chart
from .history import high_streaks

if TYPE_CHECKING:
    from ..result import Workload

__all__ = ["GAUGE_MAX", "band_cell", "gauge", "history_block", "trends", "worker_sections"]

#: The utilisation at the right end of the small gauges in the tables.
GAUGE_MAX = 1.5


def band_cell(band: Any, lang: str) -> dict[str, str]:
    key = str(band) if str(band) in BAND_NAMES else "none"
    return {"key": key, "name": band_name(band, lang)}


def gauge(u: Any, band: Any) -> dict[str, Any]:
    value = 0.0 if u is None or pd.isna(u) else float(u)
    key = str(band) if str(band) in BAND_NAMES else "none"
    return {"width": min(value / GAUGE_MAX, 1.0) * 100, "over": value > GAUGE_MAX, "band": key}


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


def _progress(items: Iterable[Any], total: int, show: bool | None, what: str) -> Iterable[Any]:
    if show is None:
        show = total > 100
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=what, leave=False)


def _why_charts(wl: Workload, lang: str, progress: bool | None) -> dict[int, Markup]:
    """Each worker's explanation chart, by position in ``wl.workers``."""
    w = wl.workers
    out: dict[int, Markup] = {}
    for i in _progress(range(len(w)), len(w), progress, "arbetstyngd report"):
        ex = wl.explain(w["worker_id"].iat[i])
        out[i] = chart(
            partial(plot.explain, ex, scheme=wl.scheme, lang=lang),
            6.2,
            0.24 * (len(ex.load_parts) + len(ex.capacity_parts) + 2) + 0.9,
            f"{text('report.why', lang)}: {ex.worker_id}",
            f"c-why-{i}",
        )
    return out


def trends(history: pd.DataFrame | None, lang: str, points: int = 4) -> dict[Any, str]:
    """Each worker's latest figures from a history (timeline or archive), oldest first:
    ``"88 → 92 → 97 → 104 %"``, shown beside the worker's row."""
    if history is None or not {"worker_id", "date", "utilisation"} <= set(history.columns):
        return {}
    recent = (
        history.sort_values("date", kind="stable").groupby("worker_id", sort=False).tail(points)
    )
    out = {}
    for worker, group in recent.groupby("worker_id", sort=False):
        values = [fmt_number(100 * u, lang, 0) for u in group["utilisation"] if u == u]
        if len(values) > 1:
            out[worker] = " → ".join(values) + " %"
    return out


def _worker_rows(
    mine: pd.DataFrame,
    lang: str,
    mix: list[Any],
    explained: Mapping[int, Markup],
    trend: Mapping[Any, str],
) -> list[dict[str, Any]]:
    records: list[Any] = list(mine.itertuples(index=False))
    return [
        {
            "id": str(r.worker_id),
            "n_cases": r.n_cases,
            "load": r.load,
            "capacity": r.capacity,
            "fte": r.fte,
            "utilisation": r.utilisation,
            "gauge": gauge(r.utilisation, r.band),
            "band": band_cell(r.band, lang),
            "mix": mix[int(r.pos_)],
            "why": explained.get(int(r.pos_)),
            "trend": trend.get(r.worker_id, ""),
        }
        for r in records
    ]


def worker_sections(
    wl: Workload,
    team_rows: list[dict[str, Any]],
    names: Mapping[Any, str],
    lang: str,
    *,
    why: bool,
    progress: bool | None,
    trend: Mapping[Any, str] | None = None,
) -> list[dict[str, Any]]:
    """Per shown team: its workers (highest utilisation first, each with its ``trend`` from a
    history when there is one), their chart and case mix."""
    w = wl.workers
    ordered = w.assign(pos_=np.arange(len(w))).sort_values(
        ["team_id", "utilisation"], ascending=[True, False], kind="stable"
    )
    colours = plot.case_type_colours(wl.scheme)
    mix = _case_mix(wl.type_points, wl.scheme, lang, colours)
    explained = _why_charts(wl, lang, progress) if why else {}
    sections = []
    for k, trow in enumerate(team_rows):
        if trow["hidden"]:
            continue
        tid = wl.teams["team_id"].iat[k]
        rows = _worker_rows(ordered[ordered["team_id"] == tid], lang, mix, explained, trend or {})
        label = team_label(tid, names)
        drawn = chart(
            partial(plot.utilisation, wl, team=tid, lang=lang, title=False),
            7.5,
            0.3 * len(rows) + 1.2,
            f"{text('report.team_workers', lang)}: {label}",
            f"c-team-{k + 1}",
        )
        used = {p["label"]: p["colour"] for r in rows for p in r["mix"] if p["named"]}
        sections.append({**trow, "label": label, "rows": rows, "chart": drawn, "mix_legend": used})
    return sections


def _check_history(history: Any) -> None:
    if not isinstance(history, pd.DataFrame):
        raise TypeError(
            f"'history' must be a DataFrame from timeline() (got {type(history).__name__})"
        )
    missing = {"date", "team_id", "load", "capacity", "utilisation"} - set(history.columns)
    if missing:
        raise ValueError(
            f"'history' must be a frame from arbetstyngd.timeline(); it lacks {sorted(missing)}"
        )


def _per_team_history(
    frame: pd.DataFrame, wl: Workload, lang: str, names: Mapping[Any, str], hidden: set[Any]
) -> list[dict[str, Any]]:
    out = []
    for k, tid in enumerate(wl.teams["team_id"]):
        mine = frame[frame["team_id"] == tid]
        if tid in hidden or mine.empty:
            continue
        label = team_label(tid, names)
        drawn = chart(
            partial(plot.timeline, mine, "worker_id", scheme=wl.scheme, lang=lang, title=False),
            8.0,
            3.4,
            f"{text('report.history_workers', lang)}: {label}",
            f"c-hist-{k + 1}",
            fast=False,
        )
        out.append({"label": label, "chart": drawn})
    return out


def _streaks(
    frame: pd.DataFrame, wl: Workload, lang: str, names: Mapping[Any, str], weeks: float
) -> list[dict[str, str]]:
    runs = high_streaks(frame, wl.scheme, min_weeks=weeks)
    return [
        {
            "worker": str(r.worker_id),
            "team": team_label(r.team_id, names),
            "start": fmt_date(r.start, lang, long=False),
            "end": fmt_date(r.end, lang, long=False),
            "weeks": fmt_number(r.weeks, lang, 0),
            "max": fmt_percent(r.max_utilisation, lang),
            "ongoing": text("report.yes" if r.ongoing else "report.no", lang),
        }
        for r in runs.itertuples(index=False)
    ]


def history_block(
    history: pd.DataFrame | None,
    wl: Workload,
    lang: str,
    names: Mapping[Any, str],
    hidden_teams: set[Any],
    show_workers: bool,
    streak_weeks: float,
) -> dict[str, Any] | None:
    """The "over time" section: team lines, per-team worker lines and long runs above high."""
    if history is None:
        return None
    _check_history(history)
    frame = history[~history["team_id"].isin(hidden_teams)]
    if frame.empty:
        return None
    dates = pd.DatetimeIndex(frame["date"].unique()).sort_values()
    out: dict[str, Any] = {
        "period": text_n(
            "report.history_period",
            len(dates),
            lang,
            start=fmt_date(dates[0], lang),
            end=fmt_date(dates[-1], lang),
            n=len(dates),
        ),
        "teams": chart(
            partial(
                plot.timeline,
                frame,
                "team_id",
                scheme=wl.scheme,
                lang=lang,
                team_names=dict(names),
                title=False,
            ),
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
    if "worker_id" in frame.columns and show_workers:
        out["per_team"] = _per_team_history(frame, wl, lang, names, hidden_teams)
        out["streaks"] = _streaks(frame, wl, lang, names, streak_weeks)
    return out
