"""The one door from :mod:`arbetstyngd.decide` into the engine.

Every point and capacity a decision shows comes from the engine: a hypothetical case is
scored as a one-row caseload of a probe worker, a scenario is re-scored with
:func:`arbetstyngd.score`. When the engine's modules move, only this file changes.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._contract.coerce import to_day as _to_day
from .._contract.reasons import reason_label
from .._contract.suggest import Suggester
from .._contract.suggest import suggestion as _suggestion
from .._engine.scoring import score as _score
from ..errors import Both, DataError, Lines, Phrase, RejectedRowsWarning, Said, kind_words
from ..result import Workload
from ..scheme import BAND_NAMES, Scheme
from ..schemes import load_scheme

__all__ = [
    "BAND_NAMES",
    "Scheme",
    "Workload",
    "case_points",
    "day",
    "load_scheme",
    "quiet_score",
    "suggest",
    "suggest_said",
    "team_timeline",
    "worker_covariates",
]

_PROBE = "__probe__"


def suggest(value: Any, known: Sequence[Any]) -> str:
    """ "; did you mean 'x'?" for a value close to a known one, else ``""``."""
    return _suggestion(value, [str(k) for k in known])


def suggest_said(value: Any, known: Sequence[Any]) -> Phrase | str:
    """:func:`suggest` as a part of a labelled message, said in the message's language."""
    close = Suggester([str(k) for k in known]).closest(value)
    return Phrase("err.closest", {"close": ", ".join(repr(c) for c in close)}) if close else ""


def day(value: Any, name: str) -> pd.Timestamp:
    """One date argument as a day (the engine's reading of dates)."""
    return pd.Timestamp(np.datetime64(_to_day(value, name), "D"))


def quiet_score(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme,
    *,
    teams: pd.DataFrame | None = None,
    reductions: pd.DataFrame | None = None,
    on: Any = None,
) -> Workload:
    """:func:`arbetstyngd.score` without the rejected-rows warning (callers check the table)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RejectedRowsWarning)
        return _score(cases, workers, scheme, teams=teams, reductions=reductions, on=on)


def _probe_roster(scheme: Scheme) -> pd.DataFrame:
    roster = pd.DataFrame({"worker_id": [_PROBE], "fte": [1.0], "team_id": [_PROBE]})
    for adj in scheme.adjustments:
        roster[adj.covariate] = 1.0  # any value: only the case points are read
    return roster


def _label(code: Any, value: Any) -> str:
    shown = f" ({value!r})" if isinstance(value, str) and value else ""
    return reason_label(str(code)) + shown


def case_points(cases: pd.DataFrame, scheme: Scheme, what: str = "new cases") -> np.ndarray:
    """The engine's points of each row of ``cases`` (type, phase, flags), in row order.

    Raises
    ------
    DataError
        When the engine rejects a row (unknown case type, a flag that is not yes/no …), with
        the engine's reason for every row and the rows in ``.failures``.
    """
    if len(cases) == 0:
        raise DataError(Said("err.new_cases_empty", what=kind_words(what, "err.what")))
    labels = (
        cases["source_row"].to_numpy(dtype=object)
        if "source_row" in cases.columns
        else cases.index.to_numpy(dtype=object)
    )
    frame = pd.DataFrame(index=pd.RangeIndex(len(cases)))
    frame["case_id"] = (
        cases["case_id"].to_numpy(dtype=object)
        if "case_id" in cases.columns
        else [f"new-{i + 1}" for i in range(len(cases))]
    )
    frame["worker_id"] = _PROBE
    if "case_type" not in cases.columns:
        raise DataError(
            Said(
                "err.new_cases_no_type",
                what=kind_words(what, "err.what"),
                columns=str(list(cases.columns)),
            )
        )
    frame["case_type"] = cases["case_type"].to_numpy(dtype=object)
    frame["opened"] = pd.Timestamp("2000-01-01")
    for column in ("phase", *scheme.flags):
        if column in cases.columns:
            frame[column] = cases[column].to_numpy(dtype=object)
    wl = quiet_score(frame, _probe_roster(scheme), scheme)
    rejected = wl.rejected
    if len(rejected):
        rejected = rejected.assign(row=[labels[int(r)] for r in rejected["row"]])
        first = rejected[["row", "column", "code", "value", "reason"]].head(10)
        # a reason's own text is English; in Swedish its code's label (and the value) stand
        # for it
        lines = [
            Phrase(
                "err.problem_line",
                {"row": str(r), "column": c, "reason": Both(_label(code, value), why)},
            )
            for r, c, code, value, why in first.itertuples(index=False)
        ]
        raise DataError(
            Said(
                "err.cases_unscorable",
                what=kind_words(what, "err.what"),
                n=len(rejected),
                count=str(len(rejected)),
                scheme=scheme.id,
                lines=Lines(lines),
            ),
            failures=rejected,
        )
    scored = wl.cases
    points = np.empty(len(cases))
    points[scored["row"].to_numpy(dtype=np.int64)] = scored["points"].to_numpy(dtype=float)
    return points


def worker_covariates(
    workers: pd.DataFrame,
    scheme: Scheme,
    *,
    teams: pd.DataFrame | None,
    on: Any,
) -> pd.DataFrame:
    """The engine's worker table (covariates and factors) for a roster without cases."""
    empty = pd.DataFrame(
        {
            "case_id": pd.Series([], dtype=object),
            "worker_id": pd.Series([], dtype=object),
            "case_type": pd.Series([], dtype=object),
            "opened": pd.Series([], dtype="datetime64[ns]"),
        }
    )
    return quiet_score(empty, workers, scheme, teams=teams, on=on).workers


def team_timeline(frame: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """A worker-level timeline summed per date and team (the engine's ratio of sums)."""
    from .._engine.timeline import aggregate

    return aggregate(frame, scheme)
