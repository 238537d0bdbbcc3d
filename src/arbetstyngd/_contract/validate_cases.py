"""The validator of the cases table: every row matched against the roster and the scheme."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._engine.codes import (
    arrow_text,
    blank,
    is_object,
    match_known,
    python_stripped,
    repeated,
    valid_mask,
)
from .._engine.tables import CaseTable, Roster, WeightGrid, build_case_table, weight_grid
from ..errors import MissingColumnWarning, Phrase
from ..scheme import Scheme
from .coerce import NAT_DAY, Coded, align_ids, ids, missing_text, to_days, to_flags
from .columns import REQUIRED
from .problems import Flagger, Problems
from .suggest import Suggester, suggestion
from .validate import check_columns, not_a_date

__all__ = ["CasePasses", "start_case_passes", "validate_cases", "warn_missing_flags"]


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
        self.shown: pd.Series = pd.Series([], dtype=object)
        if is_object(series.dtype):
            matched = _match_objects(series, known)
            if matched is not None:
                self.pos, self.missing = matched
                self.rest = np.flatnonzero((self.pos < 0) & ~self.missing)
                if len(self.rest):
                    self._general(series.iloc[self.rest], known, align)
                return
        text = arrow_text(series)
        fast = None if text is None else match_known(text, known)
        if text is not None and fast is not None:
            self.pos = fast
            self.missing = np.zeros(n, dtype=bool)
            if text.null_count:
                self.missing = ~valid_mask(text)
            # every null row is a -1: when the -1s are only those, every value matched
            if np.count_nonzero(fast < 0) == text.null_count:
                self.rest = np.zeros(0, dtype=np.intp)
            else:
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
        """Rows with a value that matches nothing known (only rows in ``rest`` can)."""
        out = np.zeros(len(self.pos), dtype=bool)
        if len(self.rest):
            out[self.rest] = (self.pos[self.rest] < 0) & ~self.missing[self.rest]
        return out

    def reasons(self, describe: Callable[[Any], str]) -> np.ndarray:
        """A full-length reason array: ``describe(value)`` for each distinct unmatched value."""
        out = np.full(len(self.pos), "", dtype=object)
        if len(self.shown):
            per_value = np.asarray([describe(u) for u in self.shown], dtype=object)
            out[self.rest] = per_value[np.maximum(self.codes, 0)]
        return out


def _match_objects(series: pd.Series, known: pd.Index) -> tuple[np.ndarray, np.ndarray] | None:
    """An object column of text matched through its distinct values: position and missing.

    One hash pass over the Python objects (which is what converting them to Arrow costs too)
    leaves a few distinct values to match exactly; ``None`` when they are not all text, and
    the caller then takes the general path. Missing values (None, NaN, NaT, NA) are missing.
    """
    codes, uniques = pd.factorize(series.to_numpy(), use_na_sentinel=True)
    if pd.api.types.infer_dtype(uniques, skipna=False) not in ("string", "empty"):
        return None
    try:
        text = pa.array(uniques, type=pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return None  # e.g. a lone surrogate: the general path copes
    u_pos = match_known(text, known)
    if u_pos is None:
        return None
    # a missing value's code is -1, which picks the appended -1
    return np.append(u_pos, -1)[codes], codes < 0


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


class CasePasses:
    """The passes over the case columns that need no roster, started as early as possible.

    Each is a future of a pure function of one column, so when they run (before, during or
    after the roster is validated, in threads or in order) never changes a result.
    """

    def __init__(self, cases: pd.DataFrame, grid: WeightGrid, run: Callable[..., Any]) -> None:
        self.ids = run(_id_checks, cases["case_id"])
        self.types = run(_Lookup, cases["case_type"], pd.Index(grid.types), align=False)
        self.phases = (
            run(_Lookup, cases["phase"], pd.Index(grid.phases), align=False)
            if "phase" in cases.columns
            else None
        )
        self.opened = run(to_days, cases["opened"])
        self.closed = run(to_days, cases["closed"]) if "closed" in cases.columns else None


def start_case_passes(cases: Any, scheme: Scheme, run: Callable[..., Any]) -> CasePasses | None:
    """Start the roster-free passes over ``cases`` (``run`` from ``side_by_side``).

    ``None`` when the table is not one :func:`validate_cases` can read; it then says why.
    """
    if not (
        isinstance(cases, pd.DataFrame)
        and cases.columns.is_unique
        and all(c in cases.columns for c in REQUIRED["cases"])
    ):
        return None
    return CasePasses(cases, weight_grid(scheme), run)


def validate_cases(
    cases: pd.DataFrame,
    scheme: Scheme,
    roster: Roster,
    all_worker_ids: pd.Series,
    rejected_workers: pd.DataFrame,
    problems: Problems,
    *,
    run: Callable[..., Any],
    started: CasePasses | None = None,
) -> CaseTable:
    """Check every case row; return the valid ones as a :class:`CaseTable`.

    ``run`` runs a pass (``side_by_side``); ``started`` holds the passes already begun.
    """
    check_columns(cases, "cases", REQUIRED["cases"])
    n = len(cases)
    label_source = (
        cases["source_row"].to_numpy(copy=True)
        if "source_row" in cases.columns
        else (cases.index.to_numpy() if cases.index.is_unique else np.arange(n))
    )
    grid = weight_grid(scheme)
    # the passes over the big columns are independent; on a large table they run side by
    # side (mostly inside pyarrow and numpy, which release the GIL), the checks below in order
    worker_pass = run(_Lookup, cases["worker_id"], roster.ids, align=True)
    passes = started if started is not None else CasePasses(cases, grid, run)
    id_pass, type_pass, phase_pass = passes.ids, passes.types, passes.phases
    opened_pass, closed_pass = passes.opened, passes.closed
    case_ids, cid_missing, dup = id_pass.result()

    def ids_of(mask: np.ndarray) -> np.ndarray:
        out = np.array(case_ids[mask].to_numpy(dtype=object), dtype=object)  # writable
        out[pd.isna(out)] = None
        return out

    flag = Flagger(problems, "cases", label_source, ids_of)
    _check_case_ids(flag, cases, case_ids, cid_missing, dup)
    worker = _check_workers(flag, cases, worker_pass.result(), all_worker_ids, rejected_workers)
    tcode = _check_types(flag, cases, type_pass.result(), scheme)
    pcol = _check_phases(
        flag, cases, None if phase_pass is None else phase_pass.result(), grid, tcode
    )
    opened, closed = _check_dates(
        flag, cases, opened_pass.result(), None if closed_pass is None else closed_pass.result()
    )
    flag_bits, flags = _check_flags(flag, cases, scheme)
    return build_case_table(
        cases,
        scheme,
        roster,
        grid,
        valid=~flag.bad,
        rows=label_source,
        worker=worker,
        type_code=tcode,
        phase_column=pcol,
        flag_bits=flag_bits,
        flags=flags,
        opened=opened,
        closed=closed,
    )


def _check_case_ids(
    flag: Flagger, cases: pd.DataFrame, case_ids: pd.Series, missing: np.ndarray, dup: np.ndarray
) -> None:
    flag(missing, "case_id", None, "case_id is missing", "missing_value")
    if dup.any():
        counts = case_ids[dup].value_counts()
        reasons = np.full(len(cases), "", dtype=object)
        reasons[dup] = [
            f"case_id appears on {c} rows; keep one"
            for c in case_ids[dup].map(counts).to_numpy(dtype=np.int64)
        ]
        flag(dup, "case_id", cases["case_id"], reasons, "duplicate_case_id")


def _check_workers(
    flag: Flagger,
    cases: pd.DataFrame,
    wid: _Lookup,
    all_worker_ids: pd.Series,
    rejected_workers: pd.DataFrame,
) -> np.ndarray:
    """Each case's position in the roster; one probe per row, the few unmatched explained."""
    flag(wid.missing, "worker_id", None, "worker_id is missing", "missing_value")
    no_worker = wid.unmatched()
    if no_worker.any():
        _, all_ids = align_ids(wid.shown, all_worker_ids)
        known = set(all_ids.dropna())
        why_rejected = _first_reason_by_id(rejected_workers)
        suggest = Suggester(all_ids)

        def worker_reason(u: Any) -> str:
            if u in known and u in why_rejected:
                row, reason = why_rejected[u]
                return f"worker {u!r} was rejected in the roster (row {row}): {reason}"
            if u in known:
                return f"worker {u!r} was rejected in the roster"
            return f"worker {u!r} is not in the roster{suggest(u)}"

        def worker_code(u: Any) -> str:
            return "worker_rejected" if u in known else "unknown_worker"

        flag(
            no_worker,
            "worker_id",
            cases["worker_id"],
            wid.reasons(worker_reason),
            wid.reasons(worker_code),
        )
    return wid.pos


def _check_types(flag: Flagger, cases: pd.DataFrame, ctype: _Lookup, scheme: Scheme) -> np.ndarray:
    """Each case's position among the scheme's case types (-1 where missing or unknown)."""
    flag(ctype.missing, "case_type", None, "case_type is missing", "missing_value")
    unknown = ctype.unmatched()
    if unknown.any():
        types = scheme.case_types
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
            "unknown_case_type",
        )
    return ctype.pos


def _check_phases(
    flag: Flagger, cases: pd.DataFrame, phase: _Lookup | None, grid: WeightGrid, tcode: np.ndarray
) -> np.ndarray:
    """Each case's column in the weight grid; a phase without a row of its own falls back.

    The last column is the case type's phase-less row.
    """
    n, n_pcol = len(cases), grid.n_columns
    if phase is not None:
        pcol = np.arange(n_pcol)[phase.pos]  # -1 (none) picks the last, phase-less column
    else:
        pcol = np.full(n, n_pcol - 1, dtype=np.int64)
    no_cell = np.isnan(grid.weights)
    if not no_cell.any():
        return pcol  # every cell of the grid has a weight
    # a last row of False for an unknown type: its index (-1) * n_pcol + pcol lands there
    no_cell = np.vstack([no_cell, np.zeros((1, n_pcol), dtype=bool)]).ravel()
    no_weight = no_cell[tcode * n_pcol + pcol]
    if no_weight.any():
        phase_values = cases["phase"] if "phase" in cases.columns else pd.Series([None] * n)
        no_row = np.full(n, "", dtype=object)
        no_row[no_weight] = [
            f"case type {t!r} has no weight for phase {p!r} and no phase-less row to fall back on"
            for t, p in zip(
                np.asarray(grid.types, dtype=object)[tcode[no_weight]],
                phase_values.to_numpy(dtype=object)[no_weight],
                strict=True,
            )
        ]
        flag(no_weight, "phase", phase_values, no_row, "unknown_phase")
    return pcol


def _check_dates(
    flag: Flagger,
    cases: pd.DataFrame,
    opened_pass: tuple[np.ndarray, np.ndarray],
    closed_pass: tuple[np.ndarray, np.ndarray] | None,
) -> tuple[np.ndarray, np.ndarray]:
    opened, obad = opened_pass
    flag(obad, "opened", cases["opened"], not_a_date("opened"), "not_a_date")
    no_open = opened == NAT_DAY
    if obad.any():  # a value that is not a date is flagged as that, not as missing too
        no_open &= ~obad
    flag(
        no_open,
        "opened",
        None,
        "opened (start date) is missing",
        "missing_value",
    )
    if closed_pass is None:
        return opened, np.full(len(cases), NAT_DAY, dtype=np.int64)
    closed, cbad = closed_pass
    flag(cbad, "closed", cases["closed"], not_a_date("closed"), "not_a_date")
    # a missing opened date is int64's minimum, which no closed date is below
    before = (closed < opened) & (closed != NAT_DAY)
    flag(
        before,
        "closed",
        cases["closed"],
        "closed before opened; check both dates",
        "closed_before_opened",
    )
    return opened, closed


def _check_flags(
    flag: Flagger, cases: pd.DataFrame, scheme: Scheme
) -> tuple[np.ndarray, list[tuple[str, float, int]]]:
    """Complexity flags as one bit each, and the flags the table has (name, factor, bit)."""
    # a byte per row holds up to 8 flags: an eighth of the memory traffic of int64
    bits_dtype = np.dtype(np.uint8 if len(scheme.multipliers) <= 8 else np.int64)
    flag_bits: np.ndarray[Any, np.dtype[np.integer[Any]]] = np.zeros(len(cases), bits_dtype)
    flags = []
    warn_missing_flags(cases, scheme)
    for bit, mult in enumerate(scheme.multipliers):
        if mult.flag not in cases.columns:
            continue
        on, fbad = to_flags(cases[mult.flag])
        flag(
            fbad,
            mult.flag,
            cases[mult.flag],
            f"complexity flag '{mult.flag}' must be yes/no (ja/nej, true/false, 1/0)",
            "not_a_flag",
        )
        bits: np.ndarray[Any, np.dtype[np.integer[Any]]] = on.astype(bits_dtype)
        bits <<= bit
        flag_bits |= bits
        flags.append((mult.flag, mult.factor, bit))
    return flag_bits, flags


def _first_reason_by_id(rejected: pd.DataFrame) -> dict[Any, tuple[Any, str]]:
    out: dict[Any, tuple[Any, str]] = {}
    for row, wid, reason in zip(rejected["row"], rejected["id"], rejected["reason"], strict=True):
        out.setdefault(wid, (row, reason))
    return out


def warn_missing_flags(cases: pd.DataFrame, scheme: Scheme) -> None:
    """Warn once, naming the closest headers, when complexity flags have no column."""
    absent = [m for m in scheme.multipliers if m.flag not in cases.columns]
    if not absent:
        return
    headers = [str(c) for c in cases.columns if c not in REQUIRED["cases"]]
    suggest = Suggester(headers)
    parts = []
    for m in absent:
        close = suggest.closest(m.flag, n=1)
        parts.append(
            Phrase("warn.flag_guess", {"flag": m.flag, "close": close[0]})
            if close
            else Phrase("warn.flag", {"flag": m.flag})
        )
    warning = MissingColumnWarning.of(
        "warn.missing_flags", n=len(parts), flags=parts, scheme=scheme.id
    )
    warnings.warn(warning, stacklevel=5)
