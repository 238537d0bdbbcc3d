"""What-if scenarios: a value of dated changes to the input tables.

A :class:`Scenario` round-trips through a dict and TOML::

    name = "Two investigators leave"

    [[changes]]
    kind = "leave"
    worker = "H0003"
    date = 2026-05-01
    cases_to = "team"

    [[changes]]
    kind = "hire"
    team = "T2"
    fte = 1.0
    experience_years = 0.5
    date = 2026-06-01

:meth:`Scenario.apply` gives the inputs as they stand on a date; the engine scores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from ..errors import Phrase, Said, ScenarioError
from ._engine import Scheme, day
from .changes import Change, State, change_from_dict
from .tomlfiles import read_toml, write_toml

__all__ = ["Inputs", "Scenario"]


@attrs.frozen(eq=False)
class Inputs:
    """The tables a score is computed from (what :meth:`Scenario.apply` returns)."""

    cases: pd.DataFrame
    workers: pd.DataFrame
    teams: pd.DataFrame | None
    scheme: Scheme
    reductions: pd.DataFrame | None = None


def _changes(values: Any) -> tuple[Change, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ScenarioError(Said("err.scenario_changes", value=repr(values)))
    out = []
    for i, value in enumerate(values, start=1):
        out.append(
            value
            if isinstance(value, Change)
            else change_from_dict(value, Said("warn.change", i=i))
        )
    return tuple(out)


@attrs.frozen
class Scenario:
    """A named list of changes to the inputs, each in force from its date.

    Parameters
    ----------
    changes : sequence of Change or dicts
        Applied in order. Kinds: ``hire``, ``leave``, ``fte``, ``reduction``, ``move``,
        ``manager``, ``weight``, ``normal_load``, ``inflow`` (see ``docs/decisions.md``).
    name, description : str

    Examples
    --------
    >>> s = Scenario.from_dict({"name": "one more", "changes": [
    ...     {"kind": "hire", "team": "T1", "fte": 1.0, "date": "2026-03-01"}]})
    >>> Scenario.from_toml(s.to_toml()) == s
    True
    >>> Scenario().is_empty
    True
    """

    changes: tuple[Change, ...] = attrs.field(default=(), converter=_changes)
    name: str = ""
    description: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.changes

    # -- dict / TOML -----------------------------------------------------------------------

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scenario:
        """A scenario from its dict form; unknown keys are errors naming the allowed ones."""
        if not isinstance(d, Mapping):
            raise ScenarioError(f"a scenario must be a table/dict (got {type(d).__name__})")
        allowed = {"name", "description", "changes"}
        for key in d:
            if key not in allowed:
                raise ScenarioError(
                    Said("err.scenario_key", name=repr(key), allowed=str(sorted(allowed)))
                )
        return cls(
            changes=d.get("changes", ()),
            name=str(d.get("name", "")),
            description=str(d.get("description", "")),
        )

    def to_dict(self) -> dict[str, Any]:
        """The dict form; ``Scenario.from_dict(s.to_dict()) == s``."""
        d: dict[str, Any] = {}
        if self.name:
            d["name"] = self.name
        if self.description:
            d["description"] = self.description
        d["changes"] = [c.to_dict() for c in self.changes]
        return d

    @classmethod
    def from_toml(cls, source: str | Path) -> Scenario:
        """A scenario from a TOML file path or TOML text."""
        return cls.from_dict(read_toml(source, "scenario", ScenarioError))

    def to_toml(self, path: str | Path | None = None) -> str:
        """The TOML text; also written to ``path`` when given."""
        return write_toml(self.to_dict(), path)

    # -- applying --------------------------------------------------------------------------

    def dates(self) -> list[pd.Timestamp]:
        """The dates the changes name (``date`` and ``end``), sorted, without repeats."""
        found = {
            pd.Timestamp(v)
            for c in self.changes
            for v in (getattr(c, "date", None), getattr(c, "end", None))
            if v is not None
        }
        return sorted(found)

    def check_dates(self, first: Any, last: Any, what: str | None = None) -> None:
        """Raise when a change is dated outside ``[first, last]`` (either may be ``None``);
        ``what`` names the span (the horizon by default)."""
        what = Said("err.what.horizon") if what is None else what
        lo = None if first is None else pd.Timestamp(first)
        hi = None if last is None else pd.Timestamp(last)
        for i, change in enumerate(self.changes, start=1):
            date = getattr(change, "date", None)
            if date is None:
                continue
            when = pd.Timestamp(date)
            if (lo is not None and when < lo) or (hi is not None and when > hi):
                span = Phrase(
                    "err.span",
                    {
                        "first": "…" if lo is None else str(lo.date()),
                        "last": "…" if hi is None else str(hi.date()),
                    },
                )
                raise ScenarioError(
                    Said(
                        "err.scenario_date",
                        where=Said("warn.change", i=i),
                        kind=change.kind,
                        what=what,
                        span=span,
                        date=str(date),
                    )
                )

    def apply(
        self,
        cases: pd.DataFrame,
        workers: pd.DataFrame,
        teams: pd.DataFrame | None,
        scheme: Scheme,
        *,
        on: Any,
        reductions: pd.DataFrame | None = None,
    ) -> Inputs:
        """The inputs as they stand on ``on``: every change dated on or before it applied.

        A change without a date is always in force; with ``on=None`` every change is.
        An empty scenario returns the same objects unchanged.
        """
        if self.is_empty:
            return Inputs(cases, workers, teams, scheme, reductions)
        when = None if on is None else day(on, "on")
        state = State(cases, workers, teams, scheme, when)
        for i, change in enumerate(self.changes, start=1):
            if change.in_force(when):
                change.apply(state, Said("warn.change", i=i))
        return Inputs(state.cases, state.workers, state.teams, state.scheme, reductions)
