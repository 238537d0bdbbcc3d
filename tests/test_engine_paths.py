"""The engine gives one answer whichever internal path runs.

Arrow-backed text (and object columns of plain text, converted once) takes the fast passes of
:mod:`arbetstyngd._engine.codes`; pandas' python-backed strings and object columns that mix in
numbers take the general pandas passes; a large table runs its column passes in threads; the
per-case table is built on first use; the timeline codes each case type's counts in one or more
mixed-radix integers and sorts its events on packed integer keys or a lexsort. Every one of those
is a speed choice: these tests compare the results bit for bit.
"""

from __future__ import annotations

import importlib
import pickle
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arbetstyngd as at
from arbetstyngd._contract.coerce import NAT_DAY, to_day
from arbetstyngd._engine import codes
from arbetstyngd._engine.scoring import prepare

# the package exports functions named like these modules: take the modules themselves
timeline_module = importlib.import_module("arbetstyngd._engine.timeline")
TEXT = ("case_id", "worker_id", "case_type", "phase")


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1)


def quiet_score(cases: pd.DataFrame, workers: pd.DataFrame, town: Any, **kw: Any) -> at.Workload:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        return at.score(cases, workers, town.scheme, teams=town.teams, **kw)


# --- inputs ---------------------------------------------------------------------------------


def text_columns(town: Any, variant: str) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The town's cases and its text columns as object arrays, made messy by ``variant``."""
    cases = town.cases
    cols = {name: cases[name].to_numpy(dtype=object, na_value=None).copy() for name in TEXT}
    cid, wid, ctype, phase = (cols[name] for name in TEXT)
    order = np.arange(len(cases))
    if variant == "messy":
        wid[3] = f"  {wid[3]} "
        wid[[4, 40]] = "nobody"
        wid[5] = None
        wid[6] = ""
        wid[7] = "\t "
        wid[8] = wid[8].lower()  # case matters
        ctype[9] = "unknown_type"
        ctype[10] = f" {ctype[10]}"
        ctype[11] = None
        ctype[12] = ""
        cid[13] = None
        cid[14] = ""
        cid[15] = cid[16]
        cid[[17, 18]] = cid[19]
        cid[20], wid[20] = cid[27], "ghost"  # a repeat on a row with another problem too
        phase[21] = f" {phase[22] or 'utredning'} "
        phase[23] = "no such phase"
        phase[24] = None
        phase[25] = ""
        # several problems on one row
        wid[26], ctype[26], cid[26] = "ghost", "ghost_type", None
    elif variant == "spaced-ids":
        # case ids are compared as given in text columns; object columns are stripped first
        cid[30], cid[31], cid[32] = "   ", f" {cid[31]} ", "\t"
        cid[33] = f"{cid[34]} "
    elif variant == "sorted-ascending":
        order = np.argsort(cid, kind="stable")
    elif variant == "sorted-descending":
        order = np.argsort(cid, kind="stable")[::-1]
    elif variant == "sorted-with-repeat":
        order = np.argsort(cid, kind="stable")
        cid[order[10]] = cid[order[11]]  # neighbours in order: still sorted, not strictly
    elif variant != "clean":
        raise ValueError(variant)
    frame = cases.iloc[order].copy()
    return frame, {name: values[order] for name, values in cols.items()}


REPRESENTATIONS: dict[str, Any] = {
    "str": "str",
    "object": object,
    "python-string": pd.StringDtype("python"),
    "arrow-string": pd.ArrowDtype(pa.string()),
    "arrow-large-string": pd.ArrowDtype(pa.large_string()),
}


def make_cases(
    town: Any, variant: str, representation: str, *, layout: str = "plain"
) -> pd.DataFrame:
    frame, cols = text_columns(town, variant)
    dtype = REPRESENTATIONS[representation]
    for name, values in cols.items():
        frame[name] = pd.Series(values, index=frame.index, dtype=object).astype(dtype)
    if layout == "sliced":
        # a slice of a bigger table: Arrow columns come with a non-zero offset
        frame = pd.concat([frame.iloc[:9], frame]).iloc[9:]
    elif layout == "shuffled":
        frame = frame.sample(frac=1.0, random_state=3)
    elif layout != "plain":
        raise ValueError(layout)
    return frame


def normalised_cases(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-case table with its pass-through text as object, missing as None."""
    out = frame.copy()
    for name in ("case_id", "phase"):
        values = out[name].astype(object)
        out[name] = values.where(values.notna(), None)
    return out


def assert_same_workload(a: at.Workload, b: at.Workload) -> None:
    pd.testing.assert_frame_equal(a.workers, b.workers)
    pd.testing.assert_frame_equal(a.teams, b.teams)
    pd.testing.assert_frame_equal(a.type_points, b.type_points)
    pd.testing.assert_frame_equal(a.rejected, b.rejected)
    pd.testing.assert_frame_equal(normalised_cases(a.cases), normalised_cases(b.cases))


@pytest.fixture
def threaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Force the threaded column passes on a small table; counts the pools made."""
    pools: list[int] = []

    class CountingPool(codes.ThreadPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)

    before = pa.cpu_count()
    pa.set_cpu_count(2)
    monkeypatch.setattr(codes, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(codes, "ThreadPoolExecutor", CountingPool)
    try:
        yield pools
    finally:
        pa.set_cpu_count(before)


VARIANTS = [
    "clean",
    "messy",
    "spaced-ids",
    "sorted-ascending",
    "sorted-descending",
    "sorted-with-repeat",
]
WITH_REJECTIONS = ("messy", "spaced-ids", "sorted-with-repeat")


@pytest.mark.parametrize(
    ("variant", "representation"),
    [
        pytest.param(v, r, id=f"{v}-{r}")
        for v in VARIANTS
        for r in REPRESENTATIONS
        # object case ids are stripped (by design): compared separately below
        if r != "str" and not (v == "spaced-ids" and r == "object")
    ],
)
def test_representations_score_alike(town: Any, variant: str, representation: str) -> None:
    reference = quiet_score(make_cases(town, variant, "str"), town.workers, town, on=town.on)
    other = quiet_score(make_cases(town, variant, representation), town.workers, town, on=town.on)
    assert_same_workload(other, reference)
    assert (len(reference.rejected) > 0) == (variant in WITH_REJECTIONS)


def test_case_ids_are_stripped_in_object_columns_only(town: Any) -> None:
    as_text = quiet_score(make_cases(town, "spaced-ids", "str"), town.workers, town, on=town.on)
    as_objects = quiet_score(
        make_cases(town, "spaced-ids", "object"), town.workers, town, on=town.on
    )
    text_rows = as_text.rejected.set_index("row")
    object_rows = as_objects.rejected.set_index("row")
    assert sorted(text_rows.index) == [30, 32]  # blank ids are missing either way
    assert sorted(object_rows.index) == [30, 32, 33, 34]  # "X " repeats "X" once stripped
    assert text_rows.loc[30, "id"] == "   "
    assert object_rows.loc[30, "id"] == ""
    assert object_rows.loc[33, "id"] == object_rows.loc[34, "id"]
    assert "appears on 2 rows" in object_rows.loc[33, "reason"]
    assert (text_rows.loc[32, "id"], object_rows.loc[32, "id"]) == ("\t", "")
    for row in (30, 32):
        assert text_rows.loc[row, "reason"] == "case_id is missing"
        assert object_rows.loc[row, "reason"] == "case_id is missing"
    assert len(as_text.cases) - len(as_objects.cases) == 2


def test_messy_variant_is_rejected_as_expected(town: Any) -> None:
    """The messy table hits every check the comparisons rely on (so they compare something)."""
    wl = quiet_score(make_cases(town, "messy", "str"), town.workers, town, on=town.on)
    reasons = wl.rejected.groupby("column")["reason"].apply(" | ".join)
    assert "case_id is missing" in reasons["case_id"]
    assert "appears on 3 rows" in reasons["case_id"]
    assert "not in the roster" in reasons["worker_id"]
    assert "worker_id is missing" in reasons["worker_id"]
    assert "unknown case type 'unknown_type'" in reasons["case_type"]
    assert "case_type is missing" in reasons["case_type"]
    rejected_rows = set(wl.rejected["row"])
    # stripped worker ids and case types match; stray phases fall back to the type's row
    assert {3, 10, 21, 23, 24, 25}.isdisjoint(rejected_rows)
    assert {4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 26, 27} <= rejected_rows


@pytest.mark.parametrize(
    ("representation", "fast"),
    [("str", True), ("object", True), ("arrow-large-string", True), ("python-string", False)],
)
def test_representations_take_the_paths_compared(
    town: Any, monkeypatch: pytest.MonkeyPatch, representation: str, fast: bool
) -> None:
    """The comparisons above compare different code: fast probes or the general pass."""
    frames = importlib.import_module("arbetstyngd._contract.validate_cases")
    probes: list[int] = []
    general: list[int] = []
    real_match, real_general = frames.match_known, frames._Lookup._general

    def match(array: pa.Array, known: pd.Index) -> Any:
        probes.append(len(array))
        return real_match(array, known)

    def general_pass(self: Any, sub: pd.Series, known: pd.Index, align: bool) -> None:
        general.append(len(sub))
        real_general(self, sub, known, align)

    monkeypatch.setattr(frames, "match_known", match)
    monkeypatch.setattr(frames._Lookup, "_general", general_pass)
    cases = make_cases(town, "messy", representation)
    quiet_score(cases, town.workers, town, on=town.on)
    if fast and representation == "object":
        # object text: each distinct value probed once, only the unmatched rows go on
        distinct = [cases[c].dropna().nunique() for c in ("worker_id", "case_type", "phase")]
        # the roster-free passes start before the roster is known, so compare in any order
        assert sorted(probes) == sorted(distinct)
        assert 0 < sum(general) < len(cases)
    elif fast:
        # worker, case type and phase each probed once; only the unmatched rows go on
        assert probes == [len(cases)] * 3
        assert 0 < sum(general) < len(cases)
    else:
        assert probes == []
        assert general == [len(cases)] * 3


@pytest.mark.parametrize("layout", ["sliced", "shuffled"])
@pytest.mark.parametrize("representation", ["arrow-string", "arrow-large-string", "python-string"])
@pytest.mark.parametrize("variant", ["clean", "messy"])
def test_layouts_score_alike(town: Any, variant: str, representation: str, layout: str) -> None:
    reference = quiet_score(
        make_cases(town, variant, "str", layout=layout), town.workers, town, on=town.on
    )
    other = quiet_score(
        make_cases(town, variant, representation, layout=layout), town.workers, town, on=town.on
    )
    assert_same_workload(other, reference)


def test_sliced_and_shuffled_tables_keep_their_figures(town: Any) -> None:
    plain = quiet_score(make_cases(town, "messy", "str"), town.workers, town, on=town.on)
    for layout in ("sliced", "shuffled"):
        other = quiet_score(
            make_cases(town, "messy", "str", layout=layout), town.workers, town, on=town.on
        )
        pd.testing.assert_frame_equal(other.workers, plain.workers)
        pd.testing.assert_frame_equal(other.teams, plain.teams)
        key = ["row", "column"]
        pd.testing.assert_frame_equal(
            other.rejected.sort_values(key).reset_index(drop=True),
            plain.rejected.sort_values(key).reset_index(drop=True),
        )


@pytest.mark.parametrize(
    ("variant", "representation"),
    [
        pytest.param(v, r, id=f"{v}-{r}")
        for v in ("clean", "messy", "spaced-ids", "sorted-with-repeat")
        for r in ("str", "object", "arrow-large-string", "python-string")
    ],
)
def test_threaded_passes_score_alike(
    town: Any, variant: str, representation: str, threaded: list[int]
) -> None:
    cases = make_cases(town, variant, representation)
    serial_pools = len(threaded)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(codes, "PARALLEL_ROWS", 10**12)
        serial = quiet_score(cases, town.workers, town, on=town.on)
    assert len(threaded) == serial_pools  # the serial run made no pool
    parallel = quiet_score(cases, town.workers, town, on=town.on)
    assert len(threaded) == serial_pools + 1  # ... and this one did
    assert_same_workload(parallel, serial)


def test_threaded_path_with_rejections_matches_serial_on_snapshot(
    town: Any, threaded: list[int]
) -> None:
    cases = make_cases(town, "messy", "arrow-string")
    parallel = quiet_score(cases, town.workers, town)
    assert threaded
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(codes, "PARALLEL_ROWS", 10**12)
        serial = quiet_score(cases, town.workers, town)
    assert_same_workload(parallel, serial)


def _error_of(fn: Any) -> tuple[type, str]:
    with pytest.raises(Exception) as caught:  # the type itself is compared by the caller
        fn()
    return type(caught.value), str(caught.value)


@pytest.mark.parametrize("problem", ["no-worker-left", "missing-column", "repeated-column"])
def test_passes_started_early_raise_what_the_serial_path_raises(
    town: Any, threaded: list[int], problem: str
) -> None:
    """The case passes start before the roster is checked: its errors and the table's come out
    as before, the roster's first."""
    cases, workers = make_cases(town, "clean", "arrow-string"), town.workers
    if problem == "no-worker-left":
        workers = workers.assign(fte=-1.0)
    elif problem == "missing-column":
        cases = cases.drop(columns="opened")
    else:
        cases = pd.concat([cases, cases[["phase"]]], axis=1)

    def run() -> None:
        quiet_score(cases, workers, town, on=town.on)

    parallel = _error_of(run)
    assert threaded
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(codes, "PARALLEL_ROWS", 10**12)
        serial = _error_of(run)
    assert parallel == serial
    assert issubclass(parallel[0], at.DataError if problem == "no-worker-left" else at.ColumnsError)


# --- numbers and text as worker ids -----------------------------------------------------------


def numeric_town(town: Any, roster: str, cases_as: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Worker ids as numbers (1001, …) in the roster or in the cases, the other side as text."""
    workers = town.workers.copy()
    number = {w: 1000 + i for i, w in enumerate(workers["worker_id"], start=1)}
    workers["worker_id"] = [number[w] if roster == "int" else str(number[w]) for w in number]
    cases = town.cases.copy()
    nums = np.array(cases["worker_id"].map(number), dtype=np.int64)
    nums[[3, 4]] = 9999  # unknown
    text = nums.astype(str).astype(object)
    text[5] = f" {text[5]} "  # stripped on the general path
    text[6] = None
    if cases_as == "int":
        nums[6] = 9998  # an int column has no missing: another unknown instead
        cases["worker_id"] = nums
    elif cases_as == "float":
        floats = nums.astype(float)
        floats[6] = np.nan
        cases["worker_id"] = floats
    else:
        cases["worker_id"] = pd.Series(text, index=cases.index).astype(REPRESENTATIONS[cases_as])
    return cases, workers


@pytest.mark.parametrize("roster", ["int", "text"])
def test_numeric_and_text_worker_ids_score_alike(town: Any, roster: str) -> None:
    results = {}
    for cases_as in ("str", "object", "arrow-large-string", "python-string", "int", "float"):
        cases, workers = numeric_town(town, roster, cases_as)
        results[cases_as] = quiet_score(cases, workers, town, on=town.on)
    reference = results["str"]
    assert sorted(reference.rejected["row"]) == [3, 4, 6]
    for cases_as, wl in results.items():
        pd.testing.assert_frame_equal(wl.workers, reference.workers, obj=cases_as)
        pd.testing.assert_frame_equal(wl.teams, reference.teams, obj=cases_as)
        assert sorted(wl.rejected["row"]) == [3, 4, 6], cases_as
    # text in any representation: the same rejection table, word for word
    for cases_as in ("object", "arrow-large-string", "python-string"):
        assert_same_workload(results[cases_as], reference)


def test_numeric_worker_ids_on_the_threaded_path(town: Any, threaded: list[int]) -> None:
    cases, workers = numeric_town(town, "int", "str")
    parallel = quiet_score(cases, workers, town, on=town.on)
    assert threaded
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(codes, "PARALLEL_ROWS", 10**12)
        serial = quiet_score(cases, workers, town, on=town.on)
    assert_same_workload(parallel, serial)


@pytest.mark.parametrize("order", ["ascending", "descending", "shuffled-with-repeat"])
def test_integer_and_text_case_ids_reject_the_same_rows(town: Any, order: str) -> None:
    cases = town.cases.copy()
    n = len(cases)
    ids = np.arange(10_000, 10_000 + n, dtype=np.int64)
    if order == "descending":
        ids = ids[::-1].copy()
    elif order == "shuffled-with-repeat":
        ids = np.random.default_rng(0).permutation(ids)
        ids[[5, 50, 500]] = ids[7]
    as_int = cases.assign(case_id=ids)
    as_text = cases.assign(case_id=pd.Series(ids.astype(str), index=cases.index, dtype="str"))
    a = quiet_score(as_int, town.workers, town, on=town.on)
    b = quiet_score(as_text, town.workers, town, on=town.on)
    pd.testing.assert_frame_equal(a.workers, b.workers)
    cols = ["row", "column", "reason"]
    pd.testing.assert_frame_equal(a.rejected[cols], b.rejected[cols])
    assert len(a.rejected) == (4 if order == "shuffled-with-repeat" else 0)


# --- regressions found while writing these tests ----------------------------------------------


@pytest.mark.parametrize(
    "case_ids",
    [["c1", "c2", "c3"], ["c1", None, "c3"], [" c1", "c2 ", "c3"], ["c1", 2, "c3"], [1, 2, 3]],
    ids=["text", "missing", "spaces", "mixed", "numbers"],
)
def test_object_case_ids_with_a_rejected_row(town: Any, case_ids: list[Any]) -> None:
    """A rejected row in a table whose case_id column is object dtype is reported, not a crash.

    (At 97f5d06 this raised "ValueError: assignment destination is read-only": the ids of
    rejected rows were written into the read-only view that ``to_numpy`` returns.)
    """
    cases = town.cases.head(3).copy()
    cases["case_id"] = pd.Series(case_ids, index=cases.index, dtype=object)
    cases.loc[cases.index[1], "worker_id"] = "nobody"
    wl = quiet_score(cases, town.workers, town, on=town.on)
    worker_rows = wl.rejected[wl.rejected["column"] == "worker_id"]
    assert worker_rows["row"].tolist() == [1]
    shown = None if case_ids[1] is None else str(case_ids[1]).strip()
    assert worker_rows["id"].tolist() == [shown]
    assert len(wl.cases) == 2


@pytest.mark.parametrize(
    "dtype",
    [object, pd.StringDtype("python"), pd.StringDtype("python", na_value=np.nan), "category"],
    ids=str,
)
def test_case_id_columns_of_every_kind_with_a_rejected_row(town: Any, dtype: Any) -> None:
    cases = town.cases.head(4).copy()
    cases["case_id"] = pd.Series(["c1", None, "c3", "c4"], index=cases.index, dtype=dtype)
    cases.loc[cases.index[2], "worker_id"] = "nobody"
    wl = quiet_score(cases, town.workers, town, on=town.on)
    assert wl.rejected[["row", "id", "column"]].to_dict("records") == [
        {"row": 1, "id": None, "column": "case_id"},
        {"row": 2, "id": "c3", "column": "worker_id"},
    ]


def test_mixed_object_columns_score_like_text(town: Any) -> None:
    """Object columns holding numbers among the text take the general path: same answer."""
    cases = make_cases(town, "messy", "object")
    as_text = cases.copy()
    wid, ctype = cases["worker_id"].to_numpy().copy(), cases["case_type"].to_numpy().copy()
    wid[40], ctype[30] = 12345, 5
    cases["worker_id"], cases["case_type"] = wid, ctype
    wid[40], ctype[30] = "12345", "5"
    as_text["worker_id"] = pd.Series(wid, index=cases.index, dtype="str")
    as_text["case_type"] = pd.Series(ctype, index=cases.index, dtype="str")
    mixed = quiet_score(cases, town.workers, town, on=town.on)
    text = quiet_score(as_text, town.workers, town, on=town.on)
    assert_same_workload(mixed, text)
    assert {30, 40} <= set(text.rejected["row"])


# --- the per-case table, built on first use ---------------------------------------------------


@pytest.mark.parametrize("on", ["2025-11-30", None])
@pytest.mark.parametrize("variant", ["clean", "messy"])
def test_cases_table_is_build_frame_of_the_active_mask(town: Any, variant: str, on: Any) -> None:
    cases = make_cases(town, variant, "str")
    wl = quiet_score(cases, town.workers, town, on=on)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        prep = prepare(cases, town.workers, town.scheme, town.teams)
    active = prep.cases.active(None if on is None else to_day(on, "on"))
    pd.testing.assert_frame_equal(wl.cases, prep.cases.build_frame(active))
    assert wl.cases is wl.cases  # built once
    assert wl.n_active == int(wl.cases["active"].sum()) == int(active.sum())
    assert wl.n_active == int(wl.workers["n_cases"].sum())
    # the cached table without the date's mask is the same table without that column
    assert prep.cases.frame is prep.cases.frame
    pd.testing.assert_frame_equal(prep.cases.frame, wl.cases.drop(columns="active"))
    assert len(wl.cases) == len(cases) - wl.rejected["row"].nunique()


@pytest.mark.parametrize("variant", ["clean", "messy"])
@pytest.mark.parametrize("representation", ["str", "arrow-large-string", "python-string"])
def test_pickled_workload_round_trips(town: Any, variant: str, representation: str) -> None:
    cases = make_cases(town, variant, representation)
    untouched = quiet_score(cases, town.workers, town, on=town.on)
    expected = quiet_score(cases, town.workers, town, on=town.on).cases
    before = pickle.loads(pickle.dumps(untouched))
    pd.testing.assert_frame_equal(before.cases, expected)
    touched = quiet_score(cases, town.workers, town, on=town.on)
    _ = touched.cases
    after = pickle.loads(pickle.dumps(touched))
    pd.testing.assert_frame_equal(after.cases, expected)
    assert_same_workload(before, after)
    assert before.n_active == after.n_active == int(expected["active"].sum())


def _edit_callers_frame(cases: pd.DataFrame) -> None:
    first = cases.index[0]
    cases.loc[first, "case_id"] = "EDITED"
    cases.loc[first, "phase"] = "EDITED"
    cases.loc[cases.index[1], "case_id"] = None


@pytest.mark.parametrize("rejections", [False, True], ids=["all-valid", "some-rejected"])
def test_editing_the_callers_object_frame_does_not_reach_the_result(
    town: Any, rejections: bool
) -> None:
    cases = make_cases(town, "clean", "object")
    if rejections:
        # some rows rejected: the object columns are gathered rather than copied whole
        cases.loc[cases.index[2], "worker_id"] = "nobody"
    wl = quiet_score(cases, town.workers, town, on=town.on)
    expected = quiet_score(cases.copy(), town.workers, town, on=town.on).cases.copy()
    _edit_callers_frame(cases)
    pd.testing.assert_frame_equal(wl.cases, expected)
    assert "EDITED" not in set(wl.cases["case_id"]) | set(wl.cases["phase"].dropna())


@pytest.mark.parametrize("rejections", [False, True], ids=["all-valid", "some-rejected"])
@pytest.mark.parametrize("representation", ["str", "arrow-string", "arrow-large-string"])
def test_editing_the_callers_arrow_frame_does_not_reach_the_result(
    town: Any, representation: str, rejections: bool
) -> None:
    """Arrow arrays are shared until the table is built; pandas edits its wrapper in place.

    (At 97f5d06 the edit showed in a later ``wl.cases``; fixed in f4ddaca.)
    """
    cases = make_cases(town, "clean", representation)
    if rejections:
        cases.loc[cases.index[2], "worker_id"] = "nobody"
    wl = quiet_score(cases, town.workers, town, on=town.on)
    expected = quiet_score(cases.copy(), town.workers, town, on=town.on).cases.copy()
    _edit_callers_frame(cases)
    assert cases["case_id"].iloc[0] == "EDITED"
    pd.testing.assert_frame_equal(wl.cases, expected)


def test_result_frame_is_not_the_callers_array(town: Any) -> None:
    """Editing the returned per-case table does not edit the caller's cases either."""
    cases = make_cases(town, "clean", "str")
    original = cases["case_id"].copy()
    wl = quiet_score(cases, town.workers, town, on=town.on)
    frame = wl.cases
    frame.loc[frame.index[0], "case_id"] = "EDITED"
    pd.testing.assert_series_equal(cases["case_id"], original)


# --- timeline: the sweep's internal paths ---------------------------------------------------------

SUNDAYS = [d.date().isoformat() for d in pd.date_range("2025-03-02", "2025-06-29", freq="W")]
FAR_DATES = ["1700-01-03", "2025-03-09", "2025-03-16", "2025-06-29", "2250-06-01"]


def edge_cases(town: Any) -> pd.DataFrame:
    """The town's cases plus cases whose dates sit on, between and outside the Sundays."""
    workers = town.workers["worker_id"].tolist()
    one_type = town.scheme.weights_table()["case_type"].iloc[0]
    rows = [
        ("2024-01-01", "2027-01-01"),  # open before the first date, closed after the last
        ("2025-03-04", "2025-03-06"),  # between two dates: never active
        ("2025-03-05", "2025-03-05"),  # opened and closed the same day
        ("2025-03-09", "2025-03-16"),  # opened on a date, closed on the next: active once
        ("2026-01-01", None),  # after the last date
        ("2024-05-01", "2024-06-01"),  # closed before the first date
        ("2025-03-02", "2025-06-29"),  # the first date to the last one
        ("2025-06-29", None),  # opened on the last date
        ("1650-01-01", None),  # before every far date (the day count is negative)
    ]
    extra = pd.DataFrame(
        {
            "case_id": [f"EDGE-{i:04d}" for i in range(len(rows))],
            "worker_id": [workers[i % len(workers)] for i in range(len(rows))],
            "case_type": one_type,
            "phase": None,
            "opened": pd.to_datetime([o for o, _ in rows]).as_unit("s"),
            "closed": pd.to_datetime([c for _, c in rows]).as_unit("s"),
        }
    )
    cases = town.cases.copy()
    cases["opened"] = cases["opened"].dt.as_unit("s")
    return pd.concat([cases, extra], ignore_index=True)


_SNAPSHOTS: dict[tuple[str, ...], dict[str, at.Workload]] = {}


def snapshots(town: Any, cases: pd.DataFrame, dates: list[str]) -> dict[str, at.Workload]:
    key = tuple(dates)
    if key not in _SNAPSHOTS:
        _SNAPSHOTS[key] = {d: quiet_score(cases, town.workers, town, on=d) for d in dates}
    return _SNAPSHOTS[key]


@pytest.fixture(scope="module")
def edge_town(town: Any) -> pd.DataFrame:
    return edge_cases(town)


def assert_timeline_equals_scores(
    tl: pd.DataFrame, snaps: dict[str, at.Workload], level: str = "worker"
) -> None:
    assert tl["date"].nunique() == len(snaps)
    for day, wl in snaps.items():
        rows = tl[tl["date"] == pd.Timestamp(day)].reset_index(drop=True)
        snap = wl.workers if level == "worker" else wl.teams
        assert len(rows) == len(snap)
        for column in ("n_cases", "load", "capacity", "utilisation"):
            # bit for bit: the sweep does the score's arithmetic in the score's order
            np.testing.assert_array_equal(
                rows[column].to_numpy(dtype=float),
                snap[column].to_numpy(dtype=float),
                err_msg=f"{column} on {day}",
            )
        assert rows["band"].astype(str).tolist() == snap["band"].astype(str).tolist()


# (code limit, packed sort bits, 32-bit sort bits): the defaults (a 32-bit sort); every key its
# own code (several codes per type, combined by factorizing); two keys a code at most; a 64-bit
# sort; the lexsort instead of a packed sort
SWEEP_PATHS = [
    (None, None, None),
    (1, None, None),
    (3, None, None),
    (None, None, 0),
    (None, 8, None),
]


def sweep_path(
    monkeypatch: pytest.MonkeyPatch, code_limit: int | None, bits: int | None, narrow: int | None
) -> None:
    for name, value in (
        ("_CODE_LIMIT", code_limit),
        ("_PACK_BITS", bits),
        ("_NARROW_BITS", narrow),
    ):
        if value is not None:
            monkeypatch.setattr(timeline_module, name, value)


@pytest.mark.parametrize(("code_limit", "bits", "narrow"), SWEEP_PATHS)
@pytest.mark.parametrize("dates", [SUNDAYS, FAR_DATES], ids=["weekly", "centuries-apart"])
def test_timeline_paths_equal_score_per_date(
    town: Any,
    edge_town: pd.DataFrame,
    monkeypatch: pytest.MonkeyPatch,
    code_limit: int | None,
    bits: int | None,
    narrow: int | None,
    dates: list[str],
    threaded: list[int],
) -> None:
    """Every sweep path, with the validation passes and the per-type subtotals in threads."""
    sweep_path(monkeypatch, code_limit, bits, narrow)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        tl = at.timeline(edge_town, town.workers, town.scheme, teams=town.teams, dates=dates)
    assert threaded
    assert_timeline_equals_scores(tl, snapshots(town, edge_town, dates))


@pytest.mark.parametrize("narrow", [32, 0])
def test_sorted_events_equal_a_lexsort(monkeypatch: pytest.MonkeyPatch, narrow: int) -> None:
    rng = np.random.default_rng(3)
    # 2 type bits + 7 key bits + 23 cell bits: the widest key that fits 32 bits, with a last
    # type whose start (4 << 30) would not
    n_types, n_keys, width, n = 4, 64, 1 << 10, 500
    key_type = np.sort(rng.integers(0, n_types, n_keys))
    key_type[-1] = n_types - 1
    key = rng.integers(0, n_keys, n)
    worker = rng.integers(0, 1 << 13, n)
    worker[0] = (1 << 13) - 1  # 2**23 cells
    first = rng.integers(0, width - 60, n)
    stop = first + rng.integers(0, 50, n)
    args = (key_type, key, worker, first, stop, width, n_types)
    monkeypatch.setattr(timeline_module, "_NARROW_BITS", narrow)
    got = timeline_module._sorted_events(*args)
    monkeypatch.setattr(timeline_module, "_PACK_BITS", 0)
    want = timeline_module._sorted_events(*args)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    assert got[0][-1] == 2 * n and got[0][-2] < 2 * n


def test_radix_groups_split_where_the_code_would_overflow(monkeypatch: pytest.MonkeyPatch) -> None:
    bases = np.array([3, 4, 2, 5, 7])
    assert [(a, b) for a, b, _ in timeline_module._radix_groups(bases)] == [(0, 5)]
    monkeypatch.setattr(timeline_module, "_CODE_LIMIT", 12)
    groups = timeline_module._radix_groups(bases)
    assert [(a, b) for a, b, _ in groups] == [(0, 2), (2, 4), (4, 5)]  # 3*4, 2*5, 7
    assert [r.tolist() for *_, r in groups] == [[1, 3], [1, 2], [1]]


def test_edge_cases_count_where_expected(town: Any, edge_town: pd.DataFrame) -> None:
    """The edge rows change the counts exactly as the rule opened <= day < closed says."""
    snaps = snapshots(town, edge_town, SUNDAYS)
    plain = {d: quiet_score(town.cases, town.workers, town, on=d) for d in SUNDAYS[:3]}
    extra = {
        d: int(snaps[d].workers["n_cases"].sum() - plain[d].workers["n_cases"].sum())
        for d in SUNDAYS[:3]
    }
    # 2 Mar: open-all-along, first-to-last, 1650;  9 Mar: + the one opened on the 9th
    assert extra == {"2025-03-02": 3, "2025-03-09": 4, "2025-03-16": 3}


@pytest.mark.parametrize(("code_limit", "bits", "narrow"), SWEEP_PATHS[:2])
def test_team_timeline_paths_equal_team_scores(
    town: Any,
    edge_town: pd.DataFrame,
    monkeypatch: pytest.MonkeyPatch,
    code_limit: int | None,
    bits: int | None,
    narrow: int | None,
) -> None:
    sweep_path(monkeypatch, code_limit, bits, narrow)
    tl = at.timeline(
        edge_town, town.workers, town.scheme, teams=town.teams, dates=SUNDAYS, level="team"
    )
    assert_timeline_equals_scores(tl, snapshots(town, edge_town, SUNDAYS), level="team")


def test_timeline_paths_with_rejected_rows(
    town: Any, monkeypatch: pytest.MonkeyPatch, threaded: list[int]
) -> None:
    sweep_path(monkeypatch, 1, 8, None)
    cases = make_cases(town, "messy", "arrow-large-string")
    dates = SUNDAYS[::4]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        tl = at.timeline(cases, town.workers, town.scheme, teams=town.teams, dates=dates)
    assert threaded
    snaps = {d: quiet_score(cases, town.workers, town, on=d) for d in dates}
    assert_timeline_equals_scores(tl, snaps)
    pd.testing.assert_frame_equal(tl.attrs["rejected"], snaps[dates[0]].rejected)


@pytest.mark.parametrize(("code_limit", "bits", "narrow"), SWEEP_PATHS)
def test_timeline_with_no_valid_cases(
    town: Any,
    monkeypatch: pytest.MonkeyPatch,
    code_limit: int | None,
    bits: int | None,
    narrow: int | None,
) -> None:
    sweep_path(monkeypatch, code_limit, bits, narrow)
    cases = town.cases.head(4).assign(worker_id="nobody")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        tl = at.timeline(cases, town.workers, town.scheme, dates=SUNDAYS[:3])
    assert (tl["n_cases"] == 0).all()
    assert (tl["load"] == 0.0).all()


# --- _date_index ------------------------------------------------------------------------------


@st.composite
def _days_and_values(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    span = draw(st.sampled_from([1, 30, 100_000, 100_001, 400_000]))
    origin = draw(st.integers(-200_000, 200_000))
    days = draw(st.lists(st.integers(origin, origin + span), min_size=1, max_size=20, unique=True))
    if draw(st.booleans()):
        days += [origin, origin + span]  # the whole span: the > 100000 day fallback
    days_arr = np.unique(np.asarray(days, dtype=np.int64))
    near = st.integers(int(days_arr[0]) - 5, int(days_arr[-1]) + 5)
    anything = st.integers(-(10**12), 10**12)
    on_a_date = st.sampled_from(days_arr.tolist())
    values = draw(st.lists(st.one_of(near, on_a_date, anything, st.just(NAT_DAY)), max_size=30))
    return days_arr, np.asarray(values, dtype=np.int64)


@settings(max_examples=120, deadline=None)
@given(_days_and_values())
def test_date_index_equals_searchsorted(args: tuple[np.ndarray, np.ndarray]) -> None:
    days, values = args
    got = timeline_module._date_index(days, values)
    np.testing.assert_array_equal(got, np.searchsorted(days, values, side="left"))


def test_date_index_uses_both_branches() -> None:
    """Dense and sparse date sets both answer like searchsorted, including the extremes."""
    values = np.array([NAT_DAY, -(10**15), 0, 1, 99_999, 100_000, 100_001, 10**15], dtype=np.int64)
    for days in (np.array([0, 7, 100_000]), np.array([0, 7, 100_001]), np.array([5])):
        np.testing.assert_array_equal(
            timeline_module._date_index(days, values), np.searchsorted(days, values, side="left")
        )
