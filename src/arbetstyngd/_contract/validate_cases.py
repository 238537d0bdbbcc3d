"""The validator of the cases table: every row matched against the roster and the scheme."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._engine.codes import (
    arrow_text,
    blank,
    is_object,
    match_known,
    python_stripped,
    repeated,
    side_by_side,
    valid_mask,
)
from .._engine.tables import CaseColumns, CaseTable, Roster, weight_grid
from ..scheme import Scheme
from .coerce import NAT_DAY, Coded, align_ids, ids, missing_text, to_days, to_flags
from .columns import REQUIRED
from .problems import Flagger, Problems
from .suggest import Suggester, suggestion
from .validate import check_columns

__all__ = ["validate_cases"]


class _Lookup:
    """A text column matched against known values (roster ids, case types, phases).

    ``pos`` is each row's position in ``known`` (-1 where missing or unmatched) and
    ``missing`` marks missing or blank values. Arrow-backed text is first matched exactly
    with one probe per row into the small set of known values; only the rows that match
    nothing (usually none) take the general path: factorised, stripped, matched again and,
    if still unmatched, described in ``rest`` / ``coded`` / ``shown`` for the messages.
    """

    def __init__(self, series: pd.Series, known: pd.Index, *, align: bool) -> None:
        n = len(series)
        # object text is converted: one pass in C beats pandas' object hashing and stripping
        text = arrow_text(series, objects=True)
        fast = None if text is None else match_known(text, known)
        self.shown: pd.Series = pd.Series([], dtype=object)
        if text is not None and fast is not None:
            self.pos = fast
            self.missing = np.zeros(n, dtype=bool)
            if text.null_count:
                self.missing = ~valid_mask(text)
            self.rest = np.flatnonzero((fast < 0) & ~self.missing)
            if len(self.rest):
                self._general(series.iloc[self.rest], known, align)
        else:
            self.pos = np.full(n, -1, dtype=np.int64)
            self.missing = np.zeros(n, dtype=bool)
            self.rest = np.arange(n)
            self._general(series, known, align)

    def _general(self, sub: pd.Series, known: pd.Index, align: bool) -> None:
        """Factorise, strip and match the rows in ``self.rest`` (all rows without a fast path)."""
        coded = Coded(sub)
        if align:
            shown, known_ids = align_ids(coded.uniques, pd.Series(known))
            u_pos = pd.Index(known_ids).get_indexer(shown)
        else:
            shown = coded.uniques
            u_pos = known.get_indexer(pd.Index(shown.astype(object)))
        # a null's code is -1, which picks the appended -1
        self.pos[self.rest] = np.append(u_pos, -1).astype(np.int64)[coded.codes]
        self.missing[self.rest] = coded.missing
        self.codes, self.shown = coded.codes, shown

    def unmatched(self) -> np.ndarray:
        return (self.pos < 0) & ~self.missing

    def reasons(self, describe: Callable[[Any], str]) -> np.ndarray:
        """A full-length reason array: ``describe(value)`` for each distinct unmatched value."""
        out = np.full(len(self.pos), "", dtype=object)
        if len(self.shown):
            per_value = np.asarray([describe(u) for u in self.shown], dtype=object)
            out[self.rest] = per_value[np.maximum(self.codes, 0)]
        return out


def _id_checks(series: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Case ids as compared, a mask of missing ones and a mask of ids on more than one row.

    Ids are compared as given (readers strip cells); object columns are stripped here.
    """
    if is_object(series.dtype):
        text = python_stripped(series)
        if text is not None:
            series = pd.Series(pd.arrays.ArrowExtensionArray(text), index=series.index)
    else:
        text = arrow_text(series)
    if text is not None:
        missing = blank(text)
        repeats = repeated(text)
        if repeats is None:
            repeats = series.duplicated(keep=False).to_numpy()
        return series, missing, repeats & ~missing
    values = ids(series) if series.dtype == object else series
    missing = missing_text(values)
    array = values.to_numpy()
    if (
        len(array) > 1
        and array.dtype.kind in "iu"
        and (bool((array[1:] > array[:-1]).all()) or bool((array[1:] < array[:-1]).all()))
    ):
        return values, missing, np.zeros(len(array), dtype=bool)  # strictly ordered: no repeats
    return values, missing, values.duplicated(keep=False).to_numpy() & ~missing


def validate_cases(
    cases: pd.DataFrame,
    scheme: Scheme,
    roster: Roster,
    all_worker_ids: pd.Series,
    rejected_workers: pd.DataFrame,
    problems: Problems,
) -> CaseTable:
    """Check every case row; return the valid ones as a :class:`CaseTable`."""
    check_columns(cases, "cases", REQUIRED["cases"])
    n = len(cases)
    label_source = (
        cases["source_row"].to_numpy(copy=True)
        if "source_row" in cases.columns
        else (cases.index.to_numpy() if cases.index.is_unique else np.arange(n))
    )
    types, phases, grid, fallback_cell = weight_grid(scheme)
    # the passes over the big columns are independent; on a large table they run side by
    # side (mostly inside pyarrow and numpy, which release the GIL), the checks below in order
    with side_by_side(n) as run:
        id_pass = run(_id_checks, cases["case_id"])
        worker_pass = run(_Lookup, cases["worker_id"], roster.ids, align=True)
        type_pass = run(_Lookup, cases["case_type"], pd.Index(types), align=False)
        phase_pass = (
            run(_Lookup, cases["phase"], pd.Index(phases), align=False)
            if "phase" in cases.columns
            else None
        )
        opened_pass = run(to_days, cases["opened"])
        closed_pass = run(to_days, cases["closed"]) if "closed" in cases.columns else None
    case_ids, cid_missing, dup = id_pass.result()

    def ids_of(mask: np.ndarray) -> np.ndarray:
        out = np.array(case_ids[mask].to_numpy(dtype=object), dtype=object)  # writable
        out[pd.isna(out)] = None
        return out

    flag = Flagger(problems, "cases", label_source, ids_of)
    flag(cid_missing, "case_id", None, "case_id is missing")
    if dup.any():
        counts = case_ids[dup].value_counts()
        reasons = np.full(n, "", dtype=object)
        reasons[dup] = [
            f"case_id appears on {c} rows; keep one"
            for c in case_ids[dup].map(counts).to_numpy(dtype=np.int64)
        ]
        flag(dup, "case_id", cases["case_id"], reasons)

    # worker: one probe per row into the roster; the few unmatched ids get explained
    wid = worker_pass.result()
    flag(wid.missing, "worker_id", None, "worker_id is missing")
    worker = wid.pos
    no_worker = wid.unmatched()
    if no_worker.any():
        _, all_ids = align_ids(wid.shown, all_worker_ids)
        known = set(all_ids.dropna())
        why_rejected = _first_reason_by_id(rejected_workers)
        suggest = Suggester(all_ids)

        def worker_reason(u: Any) -> str:
            if u in known and u in why_rejected:
                row, reason = why_rejected[u]
                return f"worker {u!r}'s roster row ({row}) was rejected: {reason}"
            if u in known:
                return f"worker {u!r}'s roster row was rejected"
            return f"worker {u!r} is not in the roster{suggest(u)}"

        flag(no_worker, "worker_id", cases["worker_id"], wid.reasons(worker_reason))

    # case type: the same probe against the scheme's case types
    ctype = type_pass.result()
    flag(ctype.missing, "case_type", None, "case_type is missing")
    tcode = ctype.pos
    unknown = ctype.unmatched()
    if unknown.any():
        flag(
            unknown,
            "case_type",
            cases["case_type"],
            ctype.reasons(
                lambda u: (
                    f"unknown case type {u!r}{suggestion(u, types)}; known types are in the "
                    f"scheme '{scheme.id}' (map export values with a value map)"
                )
            ),
        )

    # phase: a phase without a row of its own falls back to the case type's row (last column)
    n_pcol = len(phases) + 1
    pcol = np.full(n, len(phases), dtype=np.int64)
    if phase_pass is not None:
        p_pos = phase_pass.result().pos
        pcol = np.arange(n_pcol)[p_pos]  # -1 (none) picks the last, phase-less column
    # a last row of False for an unknown type: its index (-1) * n_pcol + pcol lands there
    no_cell = np.vstack([np.isnan(grid), np.zeros((1, n_pcol), dtype=bool)]).ravel()
    no_weight = no_cell[tcode * n_pcol + pcol]
    if no_weight.any():
        phase_values = cases["phase"] if "phase" in cases.columns else pd.Series([None] * n)
        no_row = np.full(n, "", dtype=object)
        no_row[no_weight] = [
            f"case type {t!r} has no weight for phase {p!r} and no phase-less row to fall back on"
            for t, p in zip(
                np.asarray(types, dtype=object)[tcode[no_weight]],
                phase_values.to_numpy(dtype=object)[no_weight],
                strict=True,
            )
        ]
        flag(no_weight, "phase", phase_values, no_row)

    opened, obad = opened_pass.result()
    flag(obad, "opened", cases["opened"], "'opened' is not a date; write it as YYYY-MM-DD")
    flag((opened == NAT_DAY) & ~obad, "opened", None, "opened (start date) is missing")
    if closed_pass is not None:
        closed, cbad = closed_pass.result()
        flag(cbad, "closed", cases["closed"], "'closed' is not a date; write it as YYYY-MM-DD")
        before = (closed != NAT_DAY) & (opened != NAT_DAY) & (closed < opened)
        flag(before, "closed", cases["closed"], "closed before opened; check both dates")
    else:
        closed = np.full(n, NAT_DAY, dtype=np.int64)

    flag_bits = np.zeros(n, dtype=np.int64)
    flags = []
    for bit, mult in enumerate(scheme.multipliers):
        if mult.flag not in cases.columns:
            continue
        on, fbad = to_flags(cases[mult.flag])
        flag(
            fbad,
            mult.flag,
            cases[mult.flag],
            f"complexity flag '{mult.flag}' must be yes/no (ja/nej, true/false, 1/0)",
        )
        flag_bits |= on.astype(np.int64) << bit
        flags.append((mult.flag, mult.factor, bit))

    valid = ~flag.bad
    every = bool(valid.all())
    # most exports are clean: then every per-row array is used as is, without a gather
    pos: slice | np.ndarray = slice(None) if every else np.flatnonzero(valid)
    # value key = (type, phase column, flag bits); only the few keys in use get a code
    n_bits = 1 << len(scheme.multipliers)
    raw = ((np.maximum(tcode, 0) * n_pcol + pcol) * n_bits + flag_bits)[pos]
    space = len(types) * n_pcol * n_bits
    if space <= 1 << 22:
        used = np.flatnonzero(np.bincount(raw, minlength=space))
        lookup = np.full(space, -1, dtype=np.int64)
        lookup[used] = np.arange(len(used))
        key = lookup[raw]
    else:
        used, key = np.unique(raw, return_inverse=True)
    # raw keys sort by case type first, so per-type subtotals are contiguous
    k_type = used // (n_pcol * n_bits)
    k_pcol = (used // n_bits) % n_pcol
    k_bits = used % n_bits
    key_weight = grid[k_type, k_pcol] if len(used) else np.zeros(0)
    key_fallback = fallback_cell[k_type, k_pcol] if len(used) else np.zeros(0, bool)
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
        types=types,
        columns=CaseColumns(
            cases,
            pos=pos,
            rows=label_source[pos],
            type_code=tcode[pos],
            roster=roster,
            key_fallback=key_fallback,
            key_bits=k_bits,
            flags=flags,
        ),
    )


def _first_reason_by_id(rejected: pd.DataFrame) -> dict[Any, tuple[Any, str]]:
    out: dict[Any, tuple[Any, str]] = {}
    for row, wid, reason in zip(rejected["row"], rejected["id"], rejected["reason"], strict=True):
        out.setdefault(wid, (row, reason))
    return out
