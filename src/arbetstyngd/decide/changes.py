"""The changes a what-if scenario is made of, each a small value that edits the input tables.

Every change has an optional ``date``: it is in force on that date and after. A change edits
copies of the tables (never the caller's) through :class:`State`; the engine then scores the
edited tables, so no figure is computed here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from ..errors import Both, LabelledWarning, Said, ScenarioError
from ._engine import Scheme, suggest_said, worker_covariates

__all__ = [
    "CHANGES",
    "AddManager",
    "Change",
    "ChangeFte",
    "ChangeNormalLoad",
    "ChangeReduction",
    "ChangeWeight",
    "Hire",
    "Inflow",
    "Leave",
    "MoveCases",
    "State",
]

_DAYS_PER_YEAR = 365.25


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(Said("err.scheme.date", value=repr(value))) from None


def _number(name: str, low: float, high: float, closed_low: bool = True) -> Any:
    def check(_: Any, __: Any, value: Any) -> None:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        ok = ok and (value >= low if closed_low else value > low) and value <= high
        if not ok:
            lo = "[" if closed_low else "("
            span = f"{lo}{low:g}, {high:g}]"
            raise ScenarioError(Said("err.number_in", name=name, span=span, value=repr(value)))

    return check


def _count(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ScenarioError(Said("err.count", name=attribute.name, value=repr(value)))


def _text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(Said("err.scheme.text", name=attribute.name, value=repr(value)))


class State:
    """Working copies of the input tables while a scenario's changes are applied."""

    def __init__(
        self,
        cases: pd.DataFrame,
        workers: pd.DataFrame,
        teams: pd.DataFrame | None,
        scheme: Scheme,
        on: pd.Timestamp | None,
    ) -> None:
        self.cases = cases.copy()
        self.workers = workers.copy()
        self.teams = None if teams is None else teams.copy()
        self.scheme = scheme
        self.on = on
        self.cases["worker_id"] = self.cases["worker_id"].astype(object)

    # -- look-ups that name what was expected ------------------------------------------------

    def worker_ids(self) -> list[str]:
        return [str(w).strip() for w in self.workers["worker_id"]]

    def team_ids(self) -> list[str]:
        return list(dict.fromkeys(str(t).strip() for t in self.workers["team_id"]))

    def worker(self, value: str, where: str) -> np.ndarray:
        """Mask of the roster row of one worker; an error naming the roster when absent."""
        known = self.worker_ids()
        mask = np.array([w == value for w in known], dtype=bool)
        if not mask.any():
            raise ScenarioError(
                Said(
                    "err.scenario_worker",
                    where=where,
                    value=repr(value),
                    hint=suggest_said(value, known),
                )
            )
        return mask

    def team(self, value: str, where: str) -> None:
        known = self.team_ids()
        if value not in known:
            raise ScenarioError(
                Said(
                    "err.scenario_team",
                    where=where,
                    value=repr(value),
                    known=", ".join(known),
                    hint=suggest_said(value, known),
                )
            )

    def case_type(self, value: str, where: str) -> None:
        if value not in self.scheme.case_types:
            raise ScenarioError(
                Said(
                    "err.scenario_type",
                    where=where,
                    value=repr(value),
                    scheme=self.scheme.id,
                    hint=suggest_said(value, self.scheme.case_types),
                )
            )

    def targets(self, to: str, where: str, leaving: str | None = None) -> list[Any]:
        """Workers who receive moved cases: one worker, or a team's workers in roster order."""
        workers, teams = self.worker_ids(), self.team_ids()
        if to in workers and to in teams:
            raise ScenarioError(Said("err.to_both", where=where, to=repr(to)))
        ids = self.workers["worker_id"].to_numpy(dtype=object)
        if to in workers:
            return [ids[workers.index(to)]]
        if to in teams:
            team = np.array([str(t).strip() for t in self.workers["team_id"]], dtype=object)
            keep = (team == to) & np.array([w != leaving for w in workers])
            if not keep.any():
                raise ScenarioError(Said("err.team_empty", where=where, team=repr(to)))
            return list(ids[keep])
        raise ScenarioError(
            Said("err.to_neither", where=where, to=repr(to), hint=suggest_said(to, workers + teams))
        )

    def open_mask(self, day: dt.date | None) -> np.ndarray:
        """Cases not closed on ``day`` (or on the scenario's date, or at all)."""
        when = pd.Timestamp(day) if day is not None else self.on
        if "closed" not in self.cases.columns:
            return np.ones(len(self.cases), dtype=bool)
        closed = pd.to_datetime(self.cases["closed"], errors="coerce")
        if when is None:
            return closed.isna().to_numpy()
        return (closed.isna() | (closed > when)).to_numpy()

    def deal(self, mask: np.ndarray, targets: list[Any]) -> None:
        """Give the selected cases to the targets in turn, in the cases' order."""
        rows = np.flatnonzero(mask)
        if len(rows):
            chosen = [targets[k % len(targets)] for k in range(len(rows))]
            self.cases.loc[self.cases.index[rows], "worker_id"] = pd.Series(
                chosen, index=self.cases.index[rows], dtype=object
            )

    def years_since(self, day: dt.date | None) -> float:
        if day is None or self.on is None:
            return 0.0
        return max((self.on - pd.Timestamp(day)).days, 0) / _DAYS_PER_YEAR


@attrs.frozen
class Change:
    """Base of the scenario changes: a ``kind`` and an optional ``date`` it applies from."""

    kind: ClassVar[str] = ""

    def in_force(self, on: pd.Timestamp | None) -> bool:
        date = getattr(self, "date", None)
        return on is None or date is None or pd.Timestamp(date) <= on

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if value is None or value == field.default:
                continue
            d[field.name] = list(value) if isinstance(value, tuple) else value
        return d

    def apply(self, state: State, where: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


@attrs.frozen
class Hire(Change):
    """``n`` new workers in ``team`` from ``date`` (no cases yet)."""

    kind: ClassVar[str] = "hire"
    team: str = attrs.field(validator=_text)
    fte: float = attrs.field(default=1.0, validator=_number("fte", 0, 1.5, closed_low=False))
    experience_years: float = attrs.field(default=0.0, validator=_number("experience_years", 0, 80))
    date: dt.date | None = attrs.field(default=None, converter=_date)
    n: int = attrs.field(default=1, validator=_count)
    worker_id: str | None = None
    reduction: float = attrs.field(default=0.0, validator=_number("reduction", 0, 0.999999))

    def apply(self, state: State, where: str) -> None:
        state.team(self.team, where)
        base = self.worker_id or f"ny-{self.team}-{where.split()[1]}"
        ids = [base] if self.n == 1 else [f"{base}-{k + 1}" for k in range(self.n)]
        clash = set(ids) & set(state.worker_ids())
        if clash:
            raise ScenarioError(
                Said("err.worker_exists", where=where, worker=repr(sorted(clash)[0]))
            )
        rows = pd.DataFrame(
            {
                "worker_id": ids,
                "team_id": self.team,
                "fte": self.fte,
                "experience_years": self.experience_years + state.years_since(self.date),
                "reduction": self.reduction,
            }
        )
        if "profession_start" in state.workers.columns:
            rows["profession_start"] = pd.NaT
        state.workers = pd.concat([state.workers, rows], ignore_index=True)


@attrs.frozen
class Leave(Change):
    """``worker`` leaves on ``date``; their open cases go to ``cases_to`` (a worker, a team,
    or ``"team"``: their own team, dealt in turn)."""

    kind: ClassVar[str] = "leave"
    worker: str = attrs.field(validator=_text)
    date: dt.date | None = attrs.field(default=None, converter=_date)
    cases_to: str = attrs.field(default="team", validator=_text)

    def apply(self, state: State, where: str) -> None:
        mask = state.worker(self.worker, where)
        team = str(state.workers["team_id"].to_numpy()[mask][0]).strip()
        targets = state.targets(
            team if self.cases_to == "team" else self.cases_to, where, self.worker
        )
        if self.worker in [str(t) for t in targets]:
            raise ScenarioError(Said("err.cases_to_leaver", where=where))
        state.workers = state.workers[~mask]
        theirs = state.cases["worker_id"].astype(str).str.strip().eq(self.worker).to_numpy()
        still_open = state.open_mask(self.date)
        # cases closed by the leaving date are history: they go with the worker
        state.cases = state.cases[~(theirs & ~still_open)]
        theirs = state.cases["worker_id"].astype(str).str.strip().eq(self.worker).to_numpy()
        state.deal(theirs, targets)


@attrs.frozen
class ChangeFte(Change):
    """``worker``'s FTE becomes ``fte`` from ``date``."""

    kind: ClassVar[str] = "fte"
    worker: str = attrs.field(validator=_text)
    fte: float = attrs.field(validator=_number("fte", 0, 1.5, closed_low=False))
    date: dt.date | None = attrs.field(default=None, converter=_date)

    def apply(self, state: State, where: str) -> None:
        mask = state.worker(self.worker, where)
        state.workers["fte"] = state.workers["fte"].astype(float)
        state.workers.loc[mask, "fte"] = self.fte


@attrs.frozen
class ChangeReduction(Change):
    """``worker``'s reduction (share of time not for cases) is ``share`` from ``date`` to
    ``end`` (inclusive; open-ended when empty)."""

    kind: ClassVar[str] = "reduction"
    worker: str = attrs.field(validator=_text)
    share: float = attrs.field(validator=_number("share", 0, 0.999999))
    date: dt.date | None = attrs.field(default=None, converter=_date)
    end: dt.date | None = attrs.field(default=None, converter=_date)

    def in_force(self, on: pd.Timestamp | None) -> bool:
        ended = on is not None and self.end is not None and on > pd.Timestamp(self.end)
        return super().in_force(on) and not ended

    def apply(self, state: State, where: str) -> None:
        mask = state.worker(self.worker, where)
        if "reduction" not in state.workers.columns:
            state.workers["reduction"] = 0.0
        state.workers["reduction"] = state.workers["reduction"].astype(float)
        state.workers.loc[mask, "reduction"] = self.share


@attrs.frozen
class MoveCases(Change):
    """Open cases to ``to`` (a worker, or a team dealt in turn): the listed ``cases``, or
    every case of ``worker`` of ``case_type`` and/or in ``phase``."""

    kind: ClassVar[str] = "move"
    to: str = attrs.field(validator=_text)
    cases: tuple[str, ...] = attrs.field(default=(), converter=lambda v: tuple(str(x) for x in v))
    worker: str | None = None
    case_type: str | None = None
    phase: str | None = None
    date: dt.date | None = attrs.field(default=None, converter=_date)

    def apply(self, state: State, where: str) -> None:
        targets = state.targets(self.to, where)
        ids = state.cases["case_id"].astype(str).str.strip()
        if self.cases:
            unknown = [c for c in self.cases if c not in set(ids)]
            if unknown:
                raise ScenarioError(Said("err.cases_unknown", where=where, cases=str(unknown[:5])))
            mask = np.array(ids.isin(self.cases), dtype=bool)
        elif self.worker is None:
            raise ScenarioError(Said("err.cases_or_worker", where=where))
        else:
            state.worker(self.worker, where)
            mask = np.array(state.cases["worker_id"].astype(str).str.strip().eq(self.worker))
        if self.case_type is not None:
            state.case_type(self.case_type, where)
            mask = mask & state.cases["case_type"].astype(str).eq(self.case_type).to_numpy()
        if self.phase is not None:
            phase = state.cases["phase"] if "phase" in state.cases.columns else None
            mask = mask & (False if phase is None else phase.astype(str).eq(self.phase).to_numpy())
        state.deal(mask & state.open_mask(self.date), targets)


@attrs.frozen
class AddManager(Change):
    """``n`` more first-line managers share ``team`` from ``date``: its span of control
    becomes ``span × managers_now / (managers_now + n)``."""

    kind: ClassVar[str] = "manager"
    team: str = attrs.field(validator=_text)
    n: int = attrs.field(default=1, validator=_count)
    managers_now: int = attrs.field(default=1, validator=_count)
    date: dt.date | None = attrs.field(default=None, converter=_date)

    def apply(self, state: State, where: str) -> None:
        state.team(self.team, where)
        if "span_of_control" not in {a.covariate for a in state.scheme.adjustments}:
            said = Said("warn.no_span", where=where, scheme=state.scheme.id)
            warnings.warn(LabelledWarning(said), stacklevel=4)
            return
        now = worker_covariates(state.workers, state.scheme, teams=state.teams, on=state.on)
        span = pd.Series(now["span_of_control"].to_numpy(), index=now["worker_id"].astype(str))
        mine = np.array([str(t).strip() == self.team for t in state.workers["team_id"]])
        ids = state.workers["worker_id"].astype(str).str.strip()
        new = span.reindex(ids).to_numpy() * self.managers_now / (self.managers_now + self.n)
        if "span_of_control" not in state.workers.columns:
            state.workers["span_of_control"] = np.nan
        state.workers["span_of_control"] = state.workers["span_of_control"].astype(float)
        state.workers.loc[mine, "span_of_control"] = new[mine]


@attrs.frozen
class ChangeWeight(Change):
    """The weight of ``case_type`` (in ``phase``) becomes ``weight`` from ``date``."""

    kind: ClassVar[str] = "weight"
    case_type: str = attrs.field(validator=_text)
    weight: float = attrs.field(validator=_number("weight", 0, 1e6))
    phase: str | None = None
    date: dt.date | None = attrs.field(default=None, converter=_date)

    def apply(self, state: State, where: str) -> None:
        state.case_type(self.case_type, where)
        table = state.scheme.weights_table()
        phase = table["phase"].where(table["phase"].notna(), None)
        row = (table["case_type"] == self.case_type) & (
            phase.isna() if self.phase is None else phase.eq(self.phase)
        )
        if row.any():
            table.loc[row, "weight"] = self.weight
        else:
            extra = {"case_type": self.case_type, "phase": self.phase, "weight": self.weight}
            table = pd.concat([table, pd.DataFrame([extra])], ignore_index=True)
        state.scheme = _marked(state.scheme.with_weights(table))


@attrs.frozen
class ChangeNormalLoad(Change):
    """The normal load ``P`` (points of one reference FTE) becomes ``capacity``."""

    kind: ClassVar[str] = "normal_load"
    capacity: float = attrs.field(validator=_number("capacity", 0, 1e6, closed_low=False))
    date: dt.date | None = attrs.field(default=None, converter=_date)

    def apply(self, state: State, where: str) -> None:
        state.scheme = _marked(state.scheme.evolve(capacity=self.capacity))


@attrs.frozen
class Inflow(Change):
    """``n`` extra open cases of ``case_type`` (``phase``, ``flags``) opened on ``date``,
    given to ``to`` (a worker, or a team dealt in turn)."""

    kind: ClassVar[str] = "inflow"
    case_type: str = attrs.field(validator=_text)
    n: int = attrs.field(validator=_count)
    to: str = attrs.field(validator=_text)
    phase: str | None = None
    flags: dict[str, bool] = attrs.field(factory=dict, converter=dict)
    date: dt.date | None = attrs.field(default=None, converter=_date)

    def apply(self, state: State, where: str) -> None:
        state.case_type(self.case_type, where)
        unknown = [f for f in self.flags if f not in state.scheme.flags]
        if unknown:
            raise ScenarioError(
                Said(
                    "err.flag_unknown",
                    where=where,
                    flag=repr(unknown[0]),
                    flags=str(state.scheme.flags),
                    hint=suggest_said(unknown[0], state.scheme.flags),
                )
            )
        targets = state.targets(self.to, where)
        opened = pd.Timestamp(self.date) if self.date else (state.on or pd.Timestamp.today())
        tag = where.replace(" ", "-")
        rows = pd.DataFrame(
            {
                "case_id": [f"{tag}-{k + 1}" for k in range(self.n)],
                "worker_id": [targets[k % len(targets)] for k in range(self.n)],
                "case_type": self.case_type,
                "opened": opened.normalize(),
            }
        )
        if self.phase is not None or "phase" in state.cases.columns:
            rows["phase"] = self.phase
        for flag in state.scheme.flags:
            if flag in state.cases.columns or flag in self.flags:
                rows[flag] = bool(self.flags.get(flag, False))
        if "source_row" in state.cases.columns:
            rows["source_row"] = tag
        state.cases = pd.concat([state.cases, rows], ignore_index=True)


def _marked(scheme: Scheme) -> Scheme:
    """A changed scheme says so in its version, so a what-if result is never mistaken for
    the real scheme's."""
    if scheme.version.endswith("+what-if"):
        return scheme
    return scheme.evolve(version=f"{scheme.version}+what-if")


#: Change classes by their ``kind``.
CHANGES: dict[str, type[Change]] = {
    c.kind: c
    for c in (
        Hire,
        Leave,
        ChangeFte,
        ChangeReduction,
        MoveCases,
        AddManager,
        ChangeWeight,
        ChangeNormalLoad,
        Inflow,
    )
}


def _fields_said(exc: TypeError) -> Both:
    """Python's words for fields that do not fit a change; in Swedish, the missing names."""
    missing = re.search(r"missing \d+ required \S+ arguments?: (.+)$", str(exc))
    sv = (
        Said("err.change_missing", names=missing[1]) if missing else Said("err.change_fields")
    ).in_language("sv")
    return Both(sv, str(exc))


def change_from_dict(d: Mapping[str, Any], where: str) -> Change:
    """One change from its dict form (``kind`` plus the class's fields)."""
    if not isinstance(d, Mapping):
        raise ScenarioError(Said("err.change_table", where=where, value=repr(d)))
    kind = d.get("kind")
    if kind not in CHANGES:
        raise ScenarioError(
            Said(
                "err.scenario_kind",
                where=where,
                kinds=str(sorted(CHANGES)),
                kind=repr(kind),
                hint=suggest_said(kind, sorted(CHANGES)),
            )
        )
    cls = CHANGES[kind]
    fields = [f.name for f in attrs.fields(cls)]
    for key in d:
        if key != "kind" and key not in fields:
            raise ScenarioError(
                Said(
                    "err.change_key",
                    where=where,
                    kind=kind,
                    name=repr(key),
                    allowed=str(fields),
                    hint=suggest_said(key, fields),
                )
            )
    try:
        return cls(**{k: v for k, v in d.items() if k != "kind"})
    except TypeError as exc:
        raise ScenarioError(
            Said("err.change_of_kind", where=where, kind=kind, error=_fields_said(exc))
        ) from None
    except ScenarioError as exc:
        raise ScenarioError(
            Said("err.change_of_kind", where=where, kind=kind, error=exc.args[0])
        ) from None
