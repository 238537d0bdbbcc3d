"""A ratings survey matched to the (worker, period) rows of X: the rows and answers to fit."""

from __future__ import annotations

import warnings

import pandas as pd

from .._contract.coerce import missing_text
from ..errors import DataError
from ._checks import CalibrationWarning, rows_text
from ._matching import match_rows, unmatched_failures, unmatched_text

__all__ = ["survey_rows"]


def _answered(ratings: pd.DataFrame, X: pd.DataFrame) -> pd.DataFrame:
    """The rating rows that match a row of X and have an answer (at most one per row of X)."""
    matched = match_rows(ratings, X, "ratings")
    value = pd.to_numeric(matched["rating"], errors="coerce")
    unread = (value.isna() & ~missing_text(matched["rating"])).to_numpy()
    if unread.any():
        labels = matched["_label"].to_numpy()[unread]
        raise DataError(
            f"{int(unread.sum())} rating(s) are not numbers ({rows_text(labels)}; first: "
            f"{matched.loc[unread, 'rating'].iloc[0]!r}); give ratings as numbers on the "
            "scale"
        )
    unmatched = (matched["_row"] < 0).to_numpy()
    if unmatched.all():
        raise DataError(
            f"no rating matches any worker and period of the caseload export: of the "
            f"{len(matched)} rating rows, {unmatched_text(matched, X)}. Check that the "
            "ratings, the workers table and the study window (start, end) belong to the "
            "same study",
            failures=unmatched_failures(matched, "ratings"),
        )
    if unmatched.any():
        warnings.warn(
            f"{int(unmatched.sum())} of {len(matched)} rating rows match no worker and "
            f"period of the caseload export and are left out: "
            f"{unmatched_text(matched.loc[unmatched], X)}",
            CalibrationWarning,
            stacklevel=2,
        )
    keep = ~unmatched & value.notna().to_numpy()
    if not keep.any():
        raise DataError(
            f"none of the {int((~unmatched).sum())} rating rows that match a worker and "
            "period has an answer (the 'rating' column is empty on all of them)"
        )
    answered = matched.loc[keep].assign(rating=value[keep])
    dup = answered["_row"].duplicated(keep=False).to_numpy()
    if dup.any():
        first = answered.loc[dup].sort_values("_row", kind="stable").iloc[0]
        pair = answered.loc[dup & (answered["_row"] == first["_row"]).to_numpy(), "_label"]
        raise DataError(
            f"{int(dup.sum())} rating rows give a worker more than one answer in a period "
            f"(e.g. {rows_text(pair.to_numpy())}: worker {first['worker_id']}, period "
            f"{X['period'].astype(str).iloc[int(first['_row'])]}); keep one answer per "
            "worker and period (or average them first)"
        )
    return answered


def survey_rows(
    ratings: pd.DataFrame, X: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, float]:
    """The rows of X with an answer, the answers, the answered rating rows and the response rate.

    The answers are indexed by the ratings' own rows (``source_row`` or the index label), so
    a message about a rating names its row there.
    """
    answered = _answered(ratings, X)
    response = len(answered) / len(X) if len(X) else 0.0
    if response < 0.7:
        warnings.warn(
            f"only {response:.0%} of the (worker, period) rows have an answer; results "
            "from a response rate below 70 % may not represent the whole staff. Remind "
            "non-responders or extend the study",
            CalibrationWarning,
            stacklevel=2,
        )
    if len(answered) < 2:
        raise DataError(
            f"the ratings cover only {len(answered)} answered (worker, period); at least 2 "
            "are needed, and many more for a useful calibration: collect a rating from "
            "each worker for each period of the study"
        )
    rows = answered["_row"].to_numpy()
    Xs = X.iloc[rows].reset_index(drop=True)
    Xs.attrs = {}
    y = pd.Series(
        answered["rating"].to_numpy(dtype=float),
        index=pd.Index(answered["_label"].to_numpy(dtype=object)),
    )
    return Xs, y, answered, response
