"""Self-ratings of workload and flexi-time balances, and perceived against measured.

A self-rating is on the five-point scale (``"1-5"``: 1 far too little … 3 balanced … 5 far too
much) or the seven-point scale (``"-3..3"``: −3 … 0 balanced … +3). Both are placed on the
measured bands (low, balanced, high, critical = steps 0, 1, 2, 3) by one documented rule, so a
self-rating and a measured band can be compared: ``compare`` lists where they are two steps or
more apart. That list is for the dialogue between worker and manager, not a verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from ..scheme import BAND_NAMES

__all__ = ["SCALES", "check_ratings", "compare_frames", "perceived_step"]

#: Declared rating scales and their (lowest, balanced, highest) values.
SCALES: dict[str, tuple[float, float, float]] = {"1-5": (1, 3, 5), "-3..3": (-3, 0, 3)}


def perceived_step(rating: Any, scale: Any) -> np.ndarray:
    """A self-rating on the band scale (0 low, 1 balanced, 2 high, 3 critical).

    The seven-point scale is first mapped linearly onto 1–5 (−3 → 1, 0 → 3, +3 → 5). Then
    1 → 0 (low), 3 → 1 (balanced), 4 → 2 (high), 5 → 3 (critical), linear in between: a worker
    who rates "somewhat too much" is placed at the high band.

    Examples
    --------
    >>> perceived_step([1, 2, 3, 4, 5], "1-5").tolist()
    [0.0, 0.5, 1.0, 2.0, 3.0]
    >>> perceived_step([-3, 0, 3], "-3..3").tolist()
    [0.0, 1.0, 3.0]
    """
    r = np.asarray(rating, dtype=float)
    scales = np.broadcast_to(np.asarray(scale, dtype=object), r.shape)
    five = np.where(scales == "-3..3", 3.0 + r * 2.0 / 3.0, r)
    return np.where(five <= 3.0, (five - 1.0) / 2.0, five - 2.0)


def _month(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, errors="coerce")
    return stamps.dt.to_period("M").dt.start_time


def check_ratings(frame: pd.DataFrame, scale: str | None) -> pd.DataFrame:
    """Validated ratings: one row per worker and month; every problem in one ValueError."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"ratings must be a DataFrame (got {type(frame).__name__})")
    missing = [c for c in ("worker_id", "period", "rating") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"the ratings table lacks column(s) {missing}; read survey exports with at.read_ratings"
        )
    scale = scale or frame.attrs.get("scale")
    scales = frame["scale"] if "scale" in frame.columns else pd.Series(scale, index=frame.index)
    if scales.isna().any():
        raise ValueError(f"declare the rating scale: scale={' or '.join(map(repr, SCALES))}")
    unknown = sorted(set(scales.astype(str)) - set(SCALES))
    if unknown:
        raise ValueError(f"'scale' must be one of {list(SCALES)} (got {unknown})")
    rating = pd.to_numeric(frame["rating"], errors="coerce")
    lo = scales.map(lambda s: SCALES[s][0]).astype(float)
    hi = scales.map(lambda s: SCALES[s][2]).astype(float)
    period = _month(frame["period"])
    problems = []
    for i, (r, raw, a, b, p) in enumerate(
        zip(rating, frame["rating"], lo, hi, period, strict=True)
    ):
        if pd.isna(p):
            problems.append(f"row {i}: 'period' is not a date (got {frame['period'].iloc[i]!r})")
        if pd.notna(raw) and (pd.isna(r) or not a <= r <= b):
            problems.append(f"row {i}: 'rating' must be in [{a:g}, {b:g}] (got {raw!r})")
    if problems:
        more = f" … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise ValueError("ratings cannot be stored: " + "; ".join(problems[:10]) + more)
    out = pd.DataFrame(
        {
            "worker_id": frame["worker_id"].astype(str).str.strip(),
            "period": [p.date() for p in period],
            "rating": rating.astype(float),
            "scale": scales.astype(str),
            "flexi_hours": pd.to_numeric(frame["flexi_hours"], errors="coerce")
            if "flexi_hours" in frame.columns
            else np.nan,
            "comment": frame["comment"] if "comment" in frame.columns else None,
        }
    )
    # no answer at all (neither rating nor flexi time) is nothing to keep
    out = out[out["rating"].notna() | out["flexi_hours"].notna()]
    # the last answer of a worker in a month counts (a corrected survey answer)
    return out.drop_duplicates(["worker_id", "period"], keep="last").reset_index(drop=True)


def compare_frames(history: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """Self-rating beside the measured band of the same worker and month."""
    columns = [
        "period",
        "measured_on",
        "worker_id",
        "team_id",
        "rating",
        "scale",
        "perceived_step",
        "utilisation",
        "band",
        "steps_apart",
        "flag",
    ]
    if history.empty or ratings.empty:
        return pd.DataFrame(columns=columns)
    h = history.assign(period=history["measured_on"].dt.to_period("M").dt.start_time)
    # the latest measurement of each month speaks for the month
    h = h.sort_values(["measured_on", "measurement_id"]).drop_duplicates(
        ["worker_id", "period"], keep="last"
    )
    r = ratings.assign(period=pd.to_datetime(ratings["period"]))
    both = r.merge(h, on=["worker_id", "period"], how="inner")
    step = both["band"].cat.codes.to_numpy().astype(float)
    step[step < 0] = np.nan
    both["perceived_step"] = perceived_step(both["rating"], both["scale"])
    both["steps_apart"] = both["perceived_step"] - step
    both["flag"] = (both["steps_apart"].abs() >= 2).to_numpy()
    return both[columns].sort_values(["period", "worker_id"]).reset_index(drop=True)


def band_of_step(step: float) -> str:
    """The band a perceived step falls in (rounded half up)."""
    return BAND_NAMES[int(np.clip(np.floor(step + 0.5), 0, 3))]


def month_start(value: Any) -> dt.date:
    """The first day of the month of a date."""
    return pd.Timestamp(value).to_period("M").start_time.date()
