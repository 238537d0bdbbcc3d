"""Allocation rules a first-line manager sets: who may take which new cases.

A :class:`Rules` value round-trips through a plain dict and TOML (documented in
``docs/decisions.md``)::

    ceiling = "high"            # no new case may take anyone into this band or above
    continuity = true           # same subject or family -> the worker who already has it
    paused = ["H0007"]          # workers who take no new cases now
    [team_case_types]           # a listed team takes only these case types
    T3 = ["bou_placering", "bou_familjehem"]
    [min_experience]            # years in the profession a case type needs
    bou_lvu = 1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .._contract.suggest import Suggester
from ..errors import Phrase, RulesError, Said
from ._engine import BAND_NAMES, Workload, suggest_said
from .tomlfiles import read_toml, write_toml

__all__ = ["Rules"]

_KEYS = ("team_case_types", "min_experience", "paused", "ceiling", "continuity")


def _names(value: Any, field: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise RulesError(Said("err.rules_names", field=field, value=repr(value)))
    return tuple(str(v) for v in value)


def _team_types(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise RulesError(Said("err.rules_team_table", value=repr(value)))
    return {str(k): _names(v, f"team_case_types.{k}") for k, v in value.items()}


def _years(value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise RulesError(Said("err.rules_years_table", value=repr(value)))
    out = {}
    for k, v in value.items():
        try:
            years = float(v)
        except (TypeError, ValueError):
            years = math.nan
        if isinstance(v, bool) or not math.isfinite(years) or years < 0:
            raise RulesError(Said("err.rules_years", type=str(k), value=repr(v)))
        out[str(k)] = years
    return out


def _ceiling(_: Any, __: Any, value: Any) -> None:
    if value is not None and value not in BAND_NAMES[1:]:
        raise RulesError(
            Said("err.rules_ceiling", bands=str(list(BAND_NAMES[1:])), value=repr(value))
        )


def _flag(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise RulesError(Said("err.rules_continuity", value=repr(value)))


@attrs.frozen
class Rules:
    """Which workers may take which new cases.

    Parameters
    ----------
    team_case_types : dict of team id -> case types
        A team listed here takes only these case types; teams not listed take any type.
    min_experience : dict of case type -> years
        Years in the profession (the engine's ``experience_years`` on the date) a worker needs
        for the case type.
    paused : sequence of worker ids
        Workers who take no new cases on the date. Workers without capacity (a reduction of
        100 %) take none either, listed or not.
    ceiling : {"balanced", "high", "critical"} or None, default "critical"
        No new case may take a worker to this band or above; a worker already there takes
        none. Continuity may cross it, but never into *critical*.
    continuity : bool, default True
        A new case whose ``subject_id`` or ``family_id`` another case already has goes to that
        case's worker, unless the rules bar them or it would take them to *critical*; new
        cases of the same subject or family go together.

    Examples
    --------
    >>> r = Rules.from_dict({"ceiling": "high", "min_experience": {"bou_lvu": 1}})
    >>> r.min_experience
    {'bou_lvu': 1.0}
    >>> Rules.from_toml(r.to_toml()) == r
    True
    """

    team_case_types: dict[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_team_types)
    min_experience: dict[str, float] = attrs.field(factory=dict, converter=_years)
    paused: tuple[str, ...] = attrs.field(default=(), converter=lambda v: _names(v, "paused"))
    ceiling: str | None = attrs.field(default="critical", validator=_ceiling)
    continuity: bool = attrs.field(default=True, validator=_flag)

    @classmethod
    def coerce(cls, value: Rules | Mapping[str, Any] | str | Path | None) -> Rules:
        """Rules from a Rules value, a dict, a TOML file or text, or ``None`` (the defaults)."""
        if value is None:
            return cls()
        if isinstance(value, Rules):
            return value
        if isinstance(value, Mapping):
            return cls.from_dict(value)
        return cls.from_toml(value)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Rules:
        """Rules from the documented dict form; unknown keys are errors with a suggestion."""
        if not isinstance(d, Mapping):
            raise RulesError(f"rules must be a table/dict (got {type(d).__name__})")
        for key in d:
            if key not in _KEYS:
                close = Suggester(_KEYS).closest(key, n=1)
                hint = (
                    Phrase("err.did_you_mean", {"close": f"'{close[0]}'"})
                    if close
                    else Phrase("err.allowed", {"allowed": str(list(_KEYS))})
                )
                raise RulesError(Said("err.rules_key", name=key, hint=hint))
        ceiling = d.get("ceiling", "critical")
        return cls(**{**d, "ceiling": None if ceiling in ("", "none") else ceiling})

    def to_dict(self) -> dict[str, Any]:
        """The dict form; ``Rules.from_dict(r.to_dict()) == r``."""
        return {
            "team_case_types": {k: list(v) for k, v in self.team_case_types.items()},
            "min_experience": dict(self.min_experience),
            "paused": list(self.paused),
            "ceiling": "none" if self.ceiling is None else self.ceiling,
            "continuity": self.continuity,
        }

    @classmethod
    def from_toml(cls, source: str | Path) -> Rules:
        """Rules from a TOML file path or TOML text."""
        return cls.from_dict(read_toml(source, "rules", RulesError))

    def to_toml(self, path: str | Path | None = None) -> str:
        """The TOML text; also written to ``path`` when given."""
        return write_toml(self.to_dict(), path)

    def check(self, wl: Workload) -> None:
        """Raise :class:`~arbetstyngd.RulesError` when a rule names an unknown team, case
        type or worker (naming what was expected)."""
        teams = [str(t) for t in wl.teams["team_id"]]
        workers = [str(w) for w in wl.workers["worker_id"]]
        types = wl.scheme.case_types
        for team, kinds in self.team_case_types.items():
            if team not in teams:
                raise RulesError(
                    Said(
                        "err.rules_team",
                        team=repr(team),
                        known=", ".join(teams),
                        hint=suggest_said(team, teams),
                    )
                )
            for kind in kinds:
                _known_type(kind, types, f"team_case_types.{team}", wl)
        for kind in self.min_experience:
            _known_type(kind, types, "min_experience", wl)
        if self.min_experience and "experience_years" not in wl.workers.columns:
            raise RulesError(Said("err.rules_experience", scheme=wl.scheme.id))
        for worker in self.paused:
            if worker not in workers:
                raise RulesError(
                    Said(
                        "err.rules_paused",
                        worker=repr(worker),
                        hint=suggest_said(worker, workers),
                    )
                )


def _known_type(kind: str, types: list[str], field: str, wl: Workload) -> None:
    if kind not in types:
        raise RulesError(
            Said(
                "err.rules_type",
                field=field,
                type=repr(kind),
                scheme=wl.scheme.id,
                hint=suggest_said(kind, types),
            )
        )
