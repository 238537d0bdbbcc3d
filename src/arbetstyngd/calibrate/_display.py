"""Compact HTML summaries of fitted calibrators for notebooks."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["summary_html"]


def _fmt(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return "–" if not np.isfinite(value) else f"{value:.4g}"
    return html.escape(str(value))


def summary_html(
    title: str, facts: dict[str, Any], table: pd.DataFrame | None, *, max_rows: int = 30
) -> str:
    """A title, a line of key facts and a small table."""
    line = " · ".join(f"{html.escape(k)}: <b>{_fmt(v)}</b>" for k, v in facts.items())
    body = ""
    if table is not None and len(table):
        shown = table.head(max_rows)
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [shown.index.name or "", *shown])
        rows = "".join(
            f"<tr><td>{html.escape(str(i))}</td>"
            + "".join(f"<td style='text-align:right'>{_fmt(v)}</td>" for v in row)
            + "</tr>"
            for i, row in zip(shown.index, shown.itertuples(index=False), strict=True)
        )
        more = (
            f"<tr><td colspan='{shown.shape[1] + 1}'>… {len(table) - max_rows} more</td></tr>"
            if len(table) > max_rows
            else ""
        )
        body = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}{more}</tbody></table>"
    return f"<div><b>{html.escape(title)}</b><br>{line}{body}</div>"


def unfitted_html(name: str) -> str:
    return f"<div><b>{html.escape(name)}</b> (not fitted)</div>"
