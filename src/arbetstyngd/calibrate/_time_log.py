"""A raw time log turned into the targets of :class:`TimeStudy`, with every unused row's reason."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import ColumnsError, DataError
from ._checks import rows_text
from ._matching import match_rows, unmatched_text

__all__ = ["log_failures", "log_rows", "unusable_log_message"]


def log_rows(
    log: pd.DataFrame, X: pd.DataFrame, method: str, has_types: bool
) -> tuple[pd.DataFrame, Any, pd.DataFrame, float]:
    """The rows of X the log covers, their minutes, the log's rejected rows, unattributed minutes.

    Minutes go to each (worker, period) row of X; with ``has_types`` only minutes with a case
    type count (per load column for ``method="ratio"``), the rest are non-case time.
    """
    matched = match_rows(log, X, "time log")
    minutes = pd.to_numeric(matched["minutes"], errors="coerce")
    bad = minutes.isna() | (minutes < 0)
    rejected = [matched.loc[bad].assign(reason="minutes must be a number >= 0")]
    entries = matched.loc[~bad].assign(minutes=minutes[~bad])
    unmatched = entries.loc[entries["_row"] < 0]
    rejected.append(unmatched.assign(reason=unmatched["_why"]))
    entries = entries.loc[entries["_row"] >= 0]
    load_cols = [c for c in X.columns if c.startswith("cases:")]
    if has_types:
        ctype = entries["case_type"].astype("string").str.strip()
        phase = (
            entries["phase"].astype("string").str.strip()
            if "phase" in entries
            else pd.Series(pd.NA, index=entries.index, dtype="string")
        )
        with_phase = ("cases:" + ctype + "/" + phase.fillna("")).astype(object)
        plain = ("cases:" + ctype).astype(object)
        col = with_phase.where(with_phase.isin(load_cols), plain)
        unattributed = ctype.isna() | (ctype == "")
        unknown = ~unattributed & ~col.isin(load_cols)
        rejected.append(
            entries.loc[unknown].assign(reason="case type not in the scheme's weight table")
        )
        unattributed_minutes = float(entries.loc[unattributed, "minutes"].sum())
        n_unattributed = int(unattributed.sum())
        entries = entries.loc[~unattributed & ~unknown].assign(_col=col)
    else:
        unattributed_minutes, n_unattributed = 0.0, 0
    log_rejected = pd.concat(rejected, ignore_index=True)
    log_rejected.insert(0, "row", log_rejected["_label"].to_numpy(dtype=object))
    log_rejected = log_rejected.drop(
        columns=["_row", "_label", "_why", "source_row"], errors="ignore"
    )
    rows = np.sort(pd.unique(entries["_row"].to_numpy(dtype=int)))
    if len(rows) < 2:
        raise DataError(
            unusable_log_message(len(log), len(rows), log_rejected, unmatched, X)
            + (
                f" ({n_unattributed} row(s) without a case type are non-case time, "
                "which the weights leave out)"
                if n_unattributed
                else ""
            ),
            failures=log_failures(log_rejected),
        )
    if method == "ratio":
        if not has_types:
            raise ColumnsError("method='ratio' needs a case_type column in the time log")
        y: Any = (
            entries.pivot_table(
                index="_row", columns="_col", values="minutes", aggfunc="sum", fill_value=0.0
            )
            .reindex(index=rows, columns=load_cols, fill_value=0.0)
            .reset_index(drop=True)
        )
    else:
        y = entries.groupby("_row")["minutes"].sum().reindex(rows, fill_value=0.0).to_numpy()
    Xs = X.iloc[rows].reset_index(drop=True)
    Xs.attrs = {}
    return Xs, y, log_rejected, unattributed_minutes


def unusable_log_message(
    n_log: int, n_rows: int, rejected: pd.DataFrame, unmatched: pd.DataFrame, X: pd.DataFrame
) -> str:
    """Why a time log leaves fewer than two (worker, period) rows to fit on."""
    head = (
        f"no row of the time log ({n_log} rows) can be used"
        if n_rows == 0
        else f"the usable rows of the time log cover only {n_rows} (worker, period); at "
        "least 2 are needed"
    )
    if not len(rejected):
        return head
    counts = rejected.groupby("reason", sort=False)["row"].agg(["size", list])
    counts = counts.sort_values("size", ascending=False, kind="stable")
    reasons = "; ".join(
        f"{n} row(s): {reason} ({rows_text(rows)})"
        for reason, (n, rows) in zip(counts.index, counts.itertuples(index=False), strict=True)
    )
    text = f"{head}. Rejected: {reasons}"
    detail = unmatched_text(unmatched, X)
    if detail:
        text += f". In detail: {detail}"
    return text


def log_failures(rejected: pd.DataFrame) -> pd.DataFrame:
    """``log_rejected_`` as a rejection table (``table``, ``row``, ``id``, ``column`` …)."""
    reason = rejected["reason"].astype(str)
    when = "period" if "period" in rejected.columns else "date"
    column = np.select(
        [
            reason.str.startswith("minutes").to_numpy(),
            reason.str.startswith("case type").to_numpy(),
            reason.str.contains("worker", regex=False).to_numpy(),
        ],
        ["minutes", "case_type", "worker_id"],
        default=when,
    )
    values = np.empty(len(rejected), dtype=object)
    for name in dict.fromkeys(column.tolist()):
        at = column == name
        values[at] = rejected.loc[at, name].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "table": "time log",
            "row": rejected["row"].to_numpy(dtype=object),
            "id": rejected["worker_id"].to_numpy(dtype=object),
            "column": column,
            "value": values,
            "reason": reason.to_numpy(dtype=object),
        }
    )
