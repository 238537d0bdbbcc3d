"""The engine's internal tables: the roster, the case table with its value keys, reductions.

The engine works on these: numpy arrays for the valid rows, positions back into the input,
and the rejection table for everything else.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._contract.coerce import MICRO, NAT_DAY, days_to_datetime, years_between
from ..errors import ReductionsWarning
from ..scheme import Scheme

__all__ = [
    "CaseColumns",
    "CaseTable",
    "DatedReductions",
    "Roster",
    "WeightGrid",
    "build_case_table",
    "weight_grid",
]


# --- validated tables -------------------------------------------------------------------------
# The engine works on these: numpy arrays for the valid rows, positions back into the input,
# and the rejection table for everything else.


class Roster:
    """The valid workers, their capacity inputs and where each covariate comes from."""

    def __init__(
        self,
        ids: pd.Index,
        rows: np.ndarray,
        team_ids: np.ndarray,
        fte: np.ndarray,
        reduction: np.ndarray,
        static: dict[str, np.ndarray],
        start_days: np.ndarray | None,
        teams: pd.DataFrame | None,
        names: np.ndarray | None = None,
    ) -> None:
        self.ids = ids
        #: display names from the roster's optional ``name`` column (``None`` without one)
        self.names = names
        self.rows = rows
        self.team_ids = team_ids
        self.fte = fte
        # shares in integer millionths, so sums of several reductions are exact in any order
        self.reduction_units = np.round(np.asarray(reduction) * MICRO).astype(np.int64)
        self.dated: DatedReductions | None = None
        self.static = static
        self.start_days = start_days
        self.teams = teams

    def __len__(self) -> int:
        return len(self.ids)

    def reduction(self, days: int | np.ndarray) -> np.ndarray:
        """Share of time not available for cases, per worker on one day or many.

        The worker's own ``reduction`` plus every dated reduction in force that day, capped at 1
        (no capacity at all).
        """
        base = self.reduction_units
        if np.ndim(days) == 0:
            total = base.copy()
            if self.dated is not None:
                on = self.dated.in_force(int(days))
                np.add.at(total, self.dated.worker[on], self.dated.units[on])
        else:
            total = np.repeat(base[:, None], len(np.asarray(days)), axis=1)
            if self.dated is not None:
                total += self.dated.sweep(np.asarray(days), len(self))
        over = total > MICRO
        if over.any():
            # overlapping reductions: say so rather than cap silently
            who = self.ids.to_numpy()[np.flatnonzero(over.any(axis=-1) if over.ndim > 1 else over)]
            shown = f"{', '.join(map(str, who[:5]))}{' …' if len(who) > 5 else ''}"
            warning = ReductionsWarning.of(
                "warn.reductions", n=len(who), who=shown, max_share=total.max() / MICRO
            )
            warnings.warn(warning, stacklevel=4)
        return np.minimum(total, MICRO) / MICRO

    def changes_over_time(self, covariates: Any) -> bool:
        """Whether :meth:`reduction` or one of ``covariates`` can differ from day to day.

        Dated reductions do, and so does experience counted from a profession start date;
        everything else on the roster is the same on every day.
        """
        dated_experience = "experience_years" in covariates and self.start_days is not None
        return self.dated is not None or dated_experience

    def covariate(self, name: str, days: int | np.ndarray) -> np.ndarray:
        """Covariate per worker on one day (shape ``(n,)``) or many (``(n, len(days))``)."""
        if name == "experience_years" and self.start_days is not None:
            has_start = self.start_days != NAT_DAY
            if np.ndim(days) == 0:
                dynamic = years_between(self.start_days, days)
                return np.where(has_start, dynamic, self.static[name])
            dynamic = years_between(self.start_days[:, None], np.asarray(days)[None, :])
            return np.where(has_start[:, None], dynamic, self.static[name][:, None])
        value = self.static[name]
        if np.ndim(days) == 0:
            return value
        return np.broadcast_to(value[:, None], (len(value), len(np.asarray(days))))


class CaseTable:
    """The valid cases as arrays, with each distinct point value given one small code.

    Cases that share case type, weight row and complexity flags share a *value key*; the engine
    counts cases per (worker, key) in exact integers and multiplies by the key's points once.
    That keeps every sum in a fixed order, so a snapshot score, a timeline and an explanation
    give bit-for-bit the same load.

    The per-case table is built on first use (:attr:`frame`, :meth:`build_frame`): scoring
    needs only the arrays, and for a million cases the table adds about a quarter to a score.
    """

    def __init__(
        self,
        worker: np.ndarray,
        key: np.ndarray,
        opened: np.ndarray,
        closed: np.ndarray,
        key_type: np.ndarray,
        key_weight: np.ndarray,
        key_points: np.ndarray,
        types: list[str],
        columns: CaseColumns,
    ) -> None:
        self.worker = worker
        self.key = key
        self.opened = opened
        self.closed = closed
        self.key_type = key_type
        self.key_weight = key_weight
        self.key_points = key_points
        self.types = types
        self.columns = columns

    def __len__(self) -> int:
        return len(self.worker)

    def active(self, day: int | None) -> np.ndarray:
        """Cases active on ``day`` (opened <= day < closed); ``None``: every case not closed."""
        no_close = self.closed == NAT_DAY
        if day is None:
            return no_close
        return (self.opened <= day) & (no_close | (day < self.closed))

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """One row per valid case: source row, ids, dates, weight, factors and points."""
        return self.build_frame()

    def build_frame(self, active: np.ndarray | None = None) -> pd.DataFrame:
        """A new per-case table, with an ``active`` column when ``active`` is given."""
        c, key = self.columns, self.key
        frame = pd.DataFrame(
            {
                "row": c.rows,
                "case_id": c.text("case_id"),
                "worker_id": pd.Categorical.from_codes(self.worker, categories=c.roster_ids),
                "team_id": pd.Categorical(c.team_ids.astype(object)).take(self.worker)
                if len(c.roster_ids)
                else pd.Categorical([]),
                "case_type": pd.Categorical.from_codes(
                    c.type_code, categories=pd.Index(self.types)
                ),
                "phase": c.text("phase"),
                "opened": days_to_datetime(self.opened),
                "closed": days_to_datetime(self.closed),
                # per-key facts gathered by the small key code, not recomputed per row
                "weight": self.key_weight[key],
                "phase_fallback": c.key_fallback[key],
            }
        )
        if active is not None:
            frame.insert(int(frame.columns.get_loc("opened")), "active", active)  # type: ignore[arg-type]
        for flag, factor, bit in c.flags:
            frame[f"{flag}_factor"] = np.where((c.key_bits[key] >> bit) & 1, factor, 1.0)
        frame["points"] = self.key_points[key]
        return frame


class CaseColumns:
    """What the per-case table needs beyond the engine's arrays, kept until it is built.

    Arrow data is immutable, so a clean export's text columns are shared and picked only when
    the table is built; any other column is copied now. Either way a later change to the
    caller's frame cannot leak into the result.
    """

    def __init__(
        self,
        cases: pd.DataFrame,
        pos: slice | np.ndarray,
        rows: np.ndarray,
        type_code: np.ndarray,
        roster: Roster,
        key_fallback: np.ndarray,
        key_bits: np.ndarray,
        flags: list[tuple[str, float, int]],
    ) -> None:
        self.pos = pos
        self.rows = rows
        self.type_code = type_code
        self.roster_ids = roster.ids
        self.team_ids = roster.team_ids
        self.key_fallback = key_fallback
        self.key_bits = key_bits
        self.flags = flags
        self._text: dict[str, tuple[Any, bool]] = {}
        for name in ("case_id", "phase"):
            if name not in cases.columns:
                continue
            array = cases[name].array
            if "Arrow" in type(array).__name__:
                # a new wrapper around the same immutable Arrow data (no copy of the data):
                # the caller's frame may later swap its own wrapper's data in place
                self._text[name] = (array.copy(), True)
            elif isinstance(pos, slice):
                self._text[name] = (array.copy(), False)
            else:
                self._text[name] = (array.take(pos), False)

    def text(self, name: str) -> Any:
        """The valid rows of a text column (all None when the input had no such column)."""
        if name not in self._text:
            return np.full(len(self.type_code), None, dtype=object)
        array, later = self._text[name]
        if later and not isinstance(self.pos, slice):
            return array.take(self.pos)
        return array


class WeightGrid:
    """Weights as a (type, phase column) grid; the last column is the phase-less fallback.

    A phase with no row of its own takes the fallback, so ``weights`` is filled with it;
    ``fallback`` says which cells are a fallback.
    """

    def __init__(self, scheme: Scheme) -> None:
        types, phases = scheme.case_types, scheme.phases
        grid = np.full((len(types), len(phases) + 1), np.nan)
        t_index = {t: i for i, t in enumerate(types)}
        p_index = {p: j for j, p in enumerate(phases)}
        for w in scheme.weights:
            column = len(phases) if w.phase is None else p_index[w.phase]
            grid[t_index[w.case_type], column] = w.weight
        fallback = np.isnan(grid)
        self.types: list[str] = types
        self.phases: list[str] = phases
        self.weights = np.where(fallback, grid[:, -1:], grid)
        fallback[:, -1] = True
        self.fallback = fallback

    @property
    def n_columns(self) -> int:
        return len(self.phases) + 1


def weight_grid(scheme: Scheme) -> WeightGrid:
    """The scheme's weights as a :class:`WeightGrid`."""
    return WeightGrid(scheme)


def build_case_table(
    cases: pd.DataFrame,
    scheme: Scheme,
    roster: Roster,
    grid: WeightGrid,
    *,
    valid: np.ndarray,
    rows: np.ndarray,
    worker: np.ndarray,
    type_code: np.ndarray,
    phase_column: np.ndarray,
    flag_bits: np.ndarray,
    flags: list[tuple[str, float, int]],
    opened: np.ndarray,
    closed: np.ndarray,
) -> CaseTable:
    """The valid rows as a :class:`CaseTable`, each distinct point value given one key.

    A value key is (case type, weight-grid column, flag bits); only the few keys in use get
    a code, and raw keys sort by case type first, so per-type subtotals are contiguous.
    """
    # most exports are clean: then every per-row array is used as is, without a gather
    pos: slice | np.ndarray = slice(None) if bool(valid.all()) else np.flatnonzero(valid)
    n_pcol = grid.n_columns
    n_bits = 1 << len(scheme.multipliers)
    # built in place: one array instead of a temporary per operation
    raw = np.maximum(type_code, 0)
    raw *= n_pcol
    raw += phase_column
    raw *= n_bits
    raw += flag_bits
    raw = raw[pos]
    space = len(grid.types) * n_pcol * n_bits
    if space <= 1 << 22:
        used = np.flatnonzero(np.bincount(raw, minlength=space))
        lookup = np.full(space, -1, dtype=np.int64)
        lookup[used] = np.arange(len(used))
        key = lookup[raw]
    else:
        used, key = np.unique(raw, return_inverse=True)
    k_type = used // (n_pcol * n_bits)
    k_pcol = (used // n_bits) % n_pcol
    k_bits = used % n_bits
    key_weight = grid.weights[k_type, k_pcol] if len(used) else np.zeros(0)
    key_fallback = grid.fallback[k_type, k_pcol] if len(used) else np.zeros(0, bool)
    key_points = key_weight.copy()
    for bit, mult in enumerate(scheme.multipliers):
        key_points = np.where((k_bits >> bit) & 1, key_points * mult.factor, key_points)
    return CaseTable(
        worker=worker[pos],
        key=key,
        opened=opened[pos],
        closed=closed[pos],
        key_type=k_type,
        key_weight=key_weight,
        key_points=key_points,
        types=grid.types,
        columns=CaseColumns(
            cases,
            pos=pos,
            rows=rows[pos],
            type_code=type_code[pos],
            roster=roster,
            key_fallback=key_fallback,
            key_bits=k_bits,
            flags=flags,
        ),
    )


class DatedReductions:
    """Valid rows of a reductions table: who, how much, from and to which day (inclusive)."""

    def __init__(self, worker: np.ndarray, units: np.ndarray, start: np.ndarray, end: np.ndarray):
        self.worker = worker
        self.units = units
        # open ends: from the beginning of time, to the end of time
        self.start = np.where(start == NAT_DAY, np.iinfo(np.int64).min + 1, start)
        self.end = np.where(end == NAT_DAY, np.iinfo(np.int64).max, end)

    def in_force(self, day: int) -> np.ndarray:
        return (self.start <= day) & (day <= self.end)

    def sweep(self, days: np.ndarray, n_workers: int) -> np.ndarray:
        """Millionths in force per (worker, date) by a difference array over the dates."""
        n_t = len(days)
        first = np.searchsorted(days, self.start, side="left")
        stop = np.searchsorted(days, self.end, side="right")
        delta = np.zeros((n_workers, n_t + 1), dtype=np.int64)
        np.add.at(delta, (self.worker, first), self.units)
        np.add.at(delta, (self.worker, stop), -self.units)
        return np.cumsum(delta, axis=1)[:, :n_t]
