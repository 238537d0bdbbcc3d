"""Matching rows of a ratings table or time log to the (worker, period) rows of X."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._contract.coerce import missing_text
from .._contract.problems import row_labels
from .._contract.suggest import Suggester
from ._checks import rows_text

__all__ = ["match_rows", "unmatched_failures", "unmatched_text"]


def match_rows(table: pd.DataFrame, X: pd.DataFrame, what: str) -> pd.DataFrame:
    """Each row of ``table`` matched to its (worker_id, period) row of X.

    The period comes from a ``period`` label (read in X's period frequency) or from a
    ``date`` inside a period's ``start`` .. ``end``. Adds ``_row`` (the row of X, -1 if none),
    ``_label`` (the row a person finds in the table: ``source_row`` or the index label) and
    ``_why`` (why a row matches nothing: the reasons joined by "; ", "" for a matched row).
    """
    out = table.copy()
    out["_label"] = row_labels(table)
    worker = out["worker_id"].astype("string").str.strip()
    x_worker = X["worker_id"].astype("string")
    x_period = X["period"].astype(str).to_numpy()
    no_worker = missing_text(out["worker_id"])
    unknown = ~no_worker & ~worker.isin(pd.unique(x_worker)).fillna(False).to_numpy(dtype=bool)
    if "period" in out.columns:
        no_period = missing_text(out["period"])
        stripped = pd.Series(out["period"]).astype("string").str.strip()
        text = np.array(stripped.astype(object), dtype=object)
        text[no_period] = None
        if isinstance(X["period"].dtype, pd.PeriodDtype):
            freq = X["period"].dtype.freq
            # each distinct value once; one unreadable cell rejects its row, not the file
            readable: dict[Any, Any] = {}
            for value in pd.unique(text[~no_period]):
                try:
                    readable[value] = str(pd.Period(value, freq=freq))  # type: ignore[arg-type]
                except (ValueError, TypeError):
                    readable[value] = None
            period = np.array(
                [readable.get(v) if v is not None else None for v in text], dtype=object
            )
            no_period = no_period | np.array([p is None for p in period])
        else:
            period = np.asarray([str(v) for v in text], dtype=object)
        period = np.where(no_period, "", period)
        outside = ~no_period & ~np.isin(period, x_period)
        when_missing, when_outside = "no readable period", "period outside the study periods"
    else:
        dates = pd.to_datetime(out["date"], errors="coerce").dt.normalize()
        periods = X.drop_duplicates("period")[["period", "start", "end"]]
        starts = periods["start"].to_numpy(dtype="datetime64[ns]")
        ends = periods["end"].to_numpy(dtype="datetime64[ns]")
        day = dates.to_numpy(dtype="datetime64[ns]")
        pos = np.searchsorted(starts, day, side="right") - 1
        no_period = dates.isna().to_numpy()
        inside = (pos >= 0) & ~no_period & (day <= ends[np.maximum(pos, 0)])
        period = np.where(inside, periods["period"].astype(str).to_numpy()[np.maximum(pos, 0)], "")
        outside = ~no_period & ~inside
        when_missing, when_outside = "no readable date", "date outside the study window"
    key = pd.Series(worker.to_numpy(dtype=object, na_value="")) + "\x1f" + period
    x_key = x_worker.to_numpy(dtype=object) + "\x1f" + x_period
    out["_row"] = pd.Index(x_key).get_indexer(pd.Index(key.to_numpy(dtype=object)))
    reasons = [
        (no_worker, "no worker id"),
        (unknown, "worker id matches no worker of the study"),
        (no_period, when_missing),
        (outside, when_outside),
    ]
    why = np.full(len(out), "", dtype=object)
    for mask, reason in reasons:
        why = np.where(mask, np.where(why == "", reason, why + "; " + reason), why)
    out["_why"] = why
    return out


def unmatched_text(matched: pd.DataFrame, X: pd.DataFrame) -> str:
    """What kept the rows of a :func:`match_rows` table from matching X, in a few clauses.

    Unknown worker ids come with the closest ids of the study's workers (a prefix, a typo or
    a pseudonymised export is the usual cause); dates or periods outside the window come with
    the window and the span the table covers.
    """
    why = matched["_why"].astype(str)
    parts = []
    no_worker = why.str.contains("no worker id", regex=False).to_numpy()
    if no_worker.any():
        labels = matched["_label"].to_numpy()[no_worker]
        parts.append(f"{int(no_worker.sum())} have no worker id ({rows_text(labels)})")
    unknown = why.str.contains("matches no worker", regex=False).to_numpy()
    if unknown.any():
        ids = matched.loc[unknown, "worker_id"].astype("string").str.strip()
        uniq = pd.unique(ids.dropna())
        roster = [str(w) for w in pd.unique(X["worker_id"].astype(str))]
        shown = []
        suggest = Suggester(roster)
        for wid in uniq[:5]:
            close = suggest.closest(wid, n=1)
            shown.append(f"'{wid}'" + (f" (closest: '{close[0]}')" if close else ""))
        more = f" and {len(uniq) - 5} more" if len(uniq) > 5 else ""
        parts.append(
            f"{int(unknown.sum())} name {len(uniq)} worker id(s) that match no worker of the "
            f"workers table: {', '.join(shown)}{more}"
        )
    window = f"{pd.Timestamp(X['start'].min()):%Y-%m-%d} – {pd.Timestamp(X['end'].max()):%Y-%m-%d}"
    outside = why.str.contains("outside the study", regex=False).to_numpy()
    if outside.any():
        if "period" in matched.columns:
            values = matched.loc[outside, "period"].astype(str)
            span = f"periods {values.min()} – {values.max()}"
            first = f"{X['period'].astype(str).min()} – {X['period'].astype(str).max()}"
            parts.append(
                f"{int(outside.sum())} have {span}, outside the study periods {first} ({window})"
            )
        else:
            dates = pd.to_datetime(matched.loc[outside, "date"], errors="coerce")
            span = f"dates {dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}"
            parts.append(f"{int(outside.sum())} have {span}, outside the study window {window}")
    unread = why.str.contains("no readable period|no readable date", regex=True).to_numpy()
    if unread.any():
        column = "period" if "period" in matched.columns else "date"
        labels = matched["_label"].to_numpy()[unread]
        parts.append(f"{int(unread.sum())} have no readable {column} ({rows_text(labels)})")
    return "; ".join(parts)


def unmatched_failures(matched: pd.DataFrame, table: str) -> pd.DataFrame:
    """The unmatched rows as a rejection table (``table``, ``row``, ``id``, ``column`` …)."""
    bad = matched.loc[matched["_row"] < 0]
    worker_problem = bad["_why"].astype(str).str.contains("worker", regex=False).to_numpy()
    when = "period" if "period" in bad.columns else "date"
    return pd.DataFrame(
        {
            "table": table,
            "row": bad["_label"].to_numpy(dtype=object),
            "id": bad["worker_id"].to_numpy(dtype=object),
            "column": np.where(worker_problem, "worker_id", when),
            "value": np.where(
                worker_problem,
                bad["worker_id"].to_numpy(dtype=object),
                bad[when].to_numpy(dtype=object),
            ),
            "reason": bad["_why"].to_numpy(dtype=object),
        }
    )
