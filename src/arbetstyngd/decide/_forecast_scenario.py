"""A what-if scenario in the forecast: the inputs as the scenario has them on each date.

The scenario edits the input tables (:meth:`Scenario.apply`), and the engine scores the edited
tables, exactly as :func:`what_if` does; nothing here computes a point or a capacity. The
forecast's dates are cut into segments at the scenario's change dates; on the first date of
each segment the scenario is applied to a small table of

- the cases open on the start date (so a move or a leave gives them another team, a weight
  change other points, from the change's date), and
- one open copy of a recent new case per *item* (value key and duration group) that new
  cases are drawn from (so a weight change gives new cases other points too),

and the engine reads each case's team and points, each team's capacity on the segment's
dates and the normal load. Cases the scenario adds (``inflow``) are followed like open cases
from their date, with the durations of their case type (and phase).
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._contract.reasons import reason_label
from ..errors import Both, MissingColumnWarning, Phrase, Said, ScenarioError
from ..scheme import Scheme
from ._forecast_engine import CaseArrays, read_cases, team_capacity
from ._forecast_model import ALL_TYPES, Model
from ._forecast_sim import Known, known_from_model

__all__ = ["Plan", "plan_forecast"]

#: The column that follows each row of the table given to the scenario through its changes.
MARK = "_forecast_row"


@attrs.frozen(eq=False)
class Plan:
    """What the simulation and the bands need: teams, followed cases, points and capacity."""

    team_ids: list[Any]
    model: Model  # with teams numbered in ``team_ids``
    known: Known
    item_points: np.ndarray  # (segments, items)
    capacity: pd.DataFrame  # team × date
    normal_load: np.ndarray  # per date


def _segment_starts(scenario: Any, days: np.ndarray) -> list[int]:
    """Steps from which the scenario's inputs may differ from the step before."""
    changes = getattr(scenario, "changes", None)
    if changes is None:  # a scenario without listed changes: look on every date
        return list(range(len(days)))
    starts = {0}
    for change in changes:
        date, end = getattr(change, "date", None), getattr(change, "end", None)
        if date is not None:
            starts.add(int(np.searchsorted(days, _day(date), side="left")))
        if end is not None:  # in force up to and including its end
            starts.add(int(np.searchsorted(days, _day(end), side="right")))
    return sorted(k for k in starts if k < len(days))


def _day(value: Any) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def _base_table(cases: pd.DataFrame, data: CaseArrays, model: Model, start: int) -> pd.DataFrame:
    """The open cases on start, then one open copy of a recent new case per item."""
    rows = np.concatenate([data.row[model.open_index], data.row[model.item_case]])
    table = cases.iloc[rows].reset_index(drop=True)
    if "closed" in table.columns:
        table["closed"] = None  # open on the start date (a later close is not known yet)
    n_open = len(model.open_index)
    ids = table["case_id"].astype(str).tolist()
    taken = set(ids)
    for j in range(len(model.item_case)):
        name = f"forecast-item-{j + 1}"
        while name in taken:
            name = f"_{name}"
        ids[n_open + j] = name
    table["case_id"] = ids
    table[MARK] = np.arange(len(table))
    return table


def _group_of(model: Model, case_type: str, phase: Any, where: Phrase) -> int:
    names = model.group_names
    for label in (f"{case_type} / {phase}", str(case_type)):
        if label in names:
            return names.index(label)
    known = ", ".join(sorted({n.split(" / ")[0] for n in names}))
    raise ScenarioError(
        Said(
            "err.forecast_no_durations",
            where=where,
            type=repr(case_type),
            known=Both(known.replace(ALL_TYPES, "(alla ärendetyper)"), known),
        )
    )


def _read(now: Any, reductions: pd.DataFrame | None, n_base: int, k: pd.Timestamp) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingColumnWarning)
        arrays = read_cases(now.cases, now.workers, now.scheme, now.teams, reductions)
    mark = pd.to_numeric(now.cases[MARK], errors="coerce").to_numpy()[arrays.row]
    seen = np.zeros(n_base, dtype=bool)
    seen[mark[~np.isnan(mark)].astype(np.intp)] = True
    if not seen.all():
        rejected = arrays.rejected
        cases = rejected[rejected["table"] == "cases"] if "table" in rejected else rejected
        reason: Phrase | Both = (
            Both(reason_label(str(cases.iloc[0]["code"])), str(cases.iloc[0]["reason"]))
            if len(cases)
            else Phrase("err.forecast_dropped", {})
        )
        raise ScenarioError(
            Said(
                "err.forecast_rejects",
                date=str(k.date()),
                count=str(int((~seen).sum())),
                reason=reason,
            )
        )
    return arrays, mark


def _capacity(
    now: Any, reductions: pd.DataFrame | None, arrays: CaseArrays, dates: pd.DatetimeIndex
) -> pd.DataFrame:
    """Capacity per team and date of a segment, from its roster as the scenario left it."""
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    cap = team_capacity(now.workers, now.scheme, now.teams, reductions, days, arrays.roster)
    cap.columns = dates
    return cap


def plan_forecast(
    inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, Scheme],
    reductions: pd.DataFrame | None,
    data: CaseArrays,
    model: Model,
    start: int,
    dates: pd.DatetimeIndex,
    scenario: Any,
    capacity: pd.DataFrame | None = None,
) -> Plan:
    """Teams, followed cases, points per segment and capacity per date, with a scenario.

    ``capacity`` (team × date) may be passed when there is no scenario (a backtest computes
    it once for all its origins).
    """
    cases, workers, teams, scheme = inputs
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    n_t = len(days)
    if scenario is None:
        if capacity is None:
            capacity = team_capacity(workers, scheme, teams, reductions, days, data.roster)
            capacity.columns = dates
        team_ids, model = _teams(data, model, capacity, [])
        return Plan(
            team_ids=team_ids,
            model=model,
            known=known_from_model(model, n_t),
            item_points=model.item_points[None, :],
            capacity=capacity.reindex(team_ids).fillna(0.0),
            normal_load=np.full(n_t, scheme.capacity),
        )
    base = _base_table(cases, data, model, start)
    n_open, n_base = len(model.open_index), len(base)
    starts = _segment_starts(scenario, days)
    bounds = np.r_[starts, n_t]
    normal_load = np.empty(n_t)
    parts: list[tuple[CaseArrays, np.ndarray]] = []
    caps: list[pd.DataFrame] = []
    for s, k0 in enumerate(starts):
        k1 = int(bounds[s + 1])
        now = scenario.apply(base, workers, teams, scheme, on=dates[k0])
        arrays, mark = _read(now, reductions, n_base, dates[k0])
        caps.append(_capacity(now, reductions, arrays, dates[k0:k1]))
        normal_load[k0:k1] = now.scheme.capacity
        parts.append((arrays, mark))
    capacity_all = pd.concat(caps, axis=1).fillna(0.0)
    more = [t for a, _ in parts for t in a.team_ids]
    team_ids, model = _teams(data, model, capacity_all, more)
    index = {t: i for i, t in enumerate(team_ids)}
    extra = _extra_cases(parts, model, start, days, index)
    n_extra = len(extra["case_id"])
    team = np.zeros((len(starts), n_open + n_extra), dtype=np.intp)
    points = np.zeros((len(starts), n_open + n_extra))
    item_points = np.zeros((len(starts), len(model.item_case)))
    for s, (arrays, mark) in enumerate(parts):
        global_team = np.array([index[t] for t in arrays.team_ids], dtype=np.intp)[arrays.team]
        ours = ~np.isnan(mark)
        row = mark[ours].astype(np.intp)
        is_open = row < n_open
        team[s, row[is_open]] = global_team[ours][is_open]
        points[s, row[is_open]] = arrays.points[ours][is_open]
        item_points[s, row[~is_open] - n_open] = arrays.points[ours][~is_open]
        where = extra["where"][s]
        team[s, n_open + where[0]] = global_team[where[1]]
        points[s, n_open + where[0]] = arrays.points[where[1]]
    known = Known(
        group=np.concatenate([model.open_group, extra["group"]]).astype(np.intp),
        age=np.concatenate([model.open_age, extra["age"]]),
        first=np.concatenate([np.zeros(n_open, dtype=np.intp), extra["first"]]),
        team=team,
        points=points,
        bounds=bounds.astype(np.intp),
        n_base=n_open,
    )
    return Plan(
        team_ids=team_ids,
        model=model,
        known=known,
        item_points=item_points,
        capacity=capacity_all.reindex(team_ids).fillna(0.0),
        normal_load=normal_load,
    )


def _extra_cases(
    parts: list, model: Model, start: int, days: np.ndarray, index: dict[Any, int]
) -> dict[str, Any]:
    """Cases the scenario adds: each once (by case id), from the first segment that has it."""
    order: dict[str, int] = {}
    group, age, first = [], [], []
    where = []
    for arrays, mark in parts:
        new = np.flatnonzero(np.isnan(mark))
        ids = np.asarray(arrays.case_id[new], dtype=object)
        phases = pd.Series(arrays.phase[new], dtype=object).where(lambda x: x.notna(), None)
        slots = []
        for i, case_id, phase in zip(new, ids, phases, strict=True):
            if case_id not in order:
                order[case_id] = len(order)
                opened = int(arrays.opened[i])
                group.append(
                    _group_of(model, arrays.types[arrays.case_type[i]], phase,
                              Phrase("err.where.added_case", {"id": repr(case_id)}))
                )  # fmt: skip
                age.append(float(start - opened))
                first.append(int(np.searchsorted(days, opened, side="left")))
            slots.append(order[case_id])
        where.append((np.asarray(slots, dtype=np.intp), new))
    return {
        "case_id": list(order),
        "group": np.asarray(group, dtype=np.intp),
        "age": np.asarray(age, dtype=float),
        "first": np.asarray(first, dtype=np.intp),
        "where": where,
    }


def _teams(data: CaseArrays, model: Model, capacity: pd.DataFrame, more: list[Any]) -> tuple:
    """All teams (sorted), and the model with its teams numbered among them.

    A team only in the capacity (its cases all moved away) has no load; one whose workers
    all left has load and no capacity (utilisation undefined).
    """
    team_ids = pd.Index(data.team_ids).union(capacity.index).union(pd.Index(more).unique())
    remap = team_ids.get_indexer(pd.Index(data.team_ids)).astype(np.intp)
    model = attrs.evolve(
        model, open_team=remap[model.open_team], arrival_team=remap[model.arrival_team]
    )
    return list(team_ids), model
