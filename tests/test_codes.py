"""The fast text passes of :mod:`arbetstyngd._engine.codes` against pandas as the oracle.

Each fast path either gives exactly pandas' answer or declines with ``None``; these tests
hold every function to that, on the layouts Arrow hands over (sliced arrays with a non-zero
offset, 32- and 64-bit offsets, multi-byte UTF-8, NUL bytes) and on forced hash collisions.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arbetstyngd._engine import codes

TEXT_TYPES = [pa.string(), pa.large_string()]

# characters of each UTF-8 length (no NUL, no surrogates), so ids mix 1- to 4-byte characters
_BY_BYTES = {
    1: st.characters(min_codepoint=1, max_codepoint=0x7F),
    2: st.characters(min_codepoint=0x80, max_codepoint=0x7FF),
    3: st.characters(min_codepoint=0x800, max_codepoint=0xFFFF, exclude_categories=("Cs",)),
    4: st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF),
}
# alphabets: a tiny one (many ids share long prefixes and differ late, in the overlapping
# last word), digits (numbers written as text), Swedish ids, NUL against its neighbours (so
# that "a" and "a\0" must still differ) and anything at all
_ALPHABETS = {
    "ab": st.sampled_from(["a", "b"]),
    "digits": st.sampled_from(list("0123456789")),
    "swedish": st.sampled_from(list("0123456789-ÅÄÖåäö")),
    "nul": st.sampled_from(["\x00", "\x01", "a", "ÿ"]),
    "any": st.one_of(*_BY_BYTES.values()),
}
_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6)

# what the fast pass reads: one width up to 16 words, or several widths up to 4 words
_MAX_FIXED_BYTES = 128
_MAX_VARIABLE_BYTES = 32


def _oracle_repeats(values: list[str]) -> np.ndarray:
    return pd.Series(values, dtype=object).duplicated(keep=False).to_numpy()


def _fast_path_applies(values: list[Any]) -> bool:
    if not values or any(v is None for v in values):
        return False
    widths = {len(v.encode()) for v in values}
    if len(widths) == 1:
        return 0 < widths.pop() <= _MAX_FIXED_BYTES
    return max(widths) <= _MAX_VARIABLE_BYTES


def _keys(array: pa.Array) -> tuple[np.ndarray, bool]:
    got = codes._keys(array)
    assert got is not None
    return got


def _proved_distinct(keys: np.ndarray, fixed: bool) -> bool:
    """What ``repeated`` proves from order alone: byte order, or length-then-bytes order."""
    return codes._strictly_ordered(keys) or (
        not fixed and codes._strictly_ordered(np.roll(keys, 1, axis=1))
    )


def _strict(keys: list[Any]) -> bool:
    pairs = list(itertools.pairwise(keys))
    return all(a < b for a, b in pairs) or all(a > b for a, b in pairs)


@st.composite
def _exact_width(draw: st.DrawFn, width: int, alphabet: str) -> str:
    """A string of exactly ``width`` UTF-8 bytes; ASCII fills a gap a wider character misses."""
    out, used = [], 0
    while used < width:
        ch = draw(_ALPHABETS[alphabet])
        if len(ch.encode()) > width - used:
            ch = draw(_BY_BYTES[1])
        out.append(ch)
        used += len(ch.encode())
    return "".join(out)


@st.composite
def _id_columns(draw: st.DrawFn, fixed: bool | None = None) -> tuple[list[str], pa.Array]:
    """Ids of one width or several, in some order, as an Arrow array that may be a slice."""
    alphabet = draw(st.sampled_from(sorted(_ALPHABETS)))
    if fixed is None:
        fixed = draw(st.booleans())
    if fixed:
        width = draw(st.one_of(st.sampled_from([1, 7, 8, 9, 16, 17]), st.integers(1, 20)))
        widths = st.just(width)
    else:
        widths = st.integers(0, draw(st.sampled_from([3, 9, 20, 32, 33])))
    pool = draw(
        st.lists(widths.flatmap(lambda w: _exact_width(w, alphabet)), min_size=1, max_size=12)
    )
    if draw(st.booleans()):
        values = list(dict.fromkeys(pool))  # no repeats
    else:
        values = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=30))
    order = draw(
        st.sampled_from(
            ["bytes", "bytes-reversed", "numeric", "numeric-reversed", "shuffled", "as drawn"]
        )
    )
    if order.startswith("bytes"):
        values.sort(key=str.encode, reverse=order.endswith("reversed"))
    elif order.startswith("numeric"):
        values.sort(key=lambda v: (len(v.encode()), v.encode()), reverse=order.endswith("reversed"))
    elif order == "shuffled":
        values = draw(st.permutations(values))
    # rows of other widths around the slice: the slice keeps an offset into both buffers
    before = draw(st.lists(_TEXT, max_size=4))
    after = draw(st.lists(_TEXT, max_size=2))
    whole = pa.array(before + values + after, type=draw(st.sampled_from(TEXT_TYPES)))
    return values, whole.slice(len(before), len(values))


# --- repeated -----------------------------------------------------------------------------------


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_id_columns())
def test_repeated_equals_pandas_duplicated(column: tuple[list[str], pa.Array]) -> None:
    values, array = column
    got = codes.repeated(array)
    if not _fast_path_applies(values):
        assert got is None
        return
    assert got is not None, "short text without nulls must take the fast path"
    assert got.dtype == bool
    np.testing.assert_array_equal(got, _oracle_repeats(values))


@settings(max_examples=120, deadline=None)
@given(_id_columns())
def test_keys_keep_byte_order(column: tuple[list[str], pa.Array]) -> None:
    """Keys compare like the bytes (and, rolled, like length then bytes); order is exact."""
    values, array = column
    if not _fast_path_applies(values):
        assert codes._keys(array) is None
        return
    keys, fixed = _keys(array)
    raw = [v.encode() for v in values]
    assert fixed == (len({len(r) for r in raw}) == 1)
    assert keys.shape[0] == len(values)
    if len(values) > 1:
        assert codes._strictly_ordered(keys) == _strict(raw)
        if not fixed:
            rolled = np.roll(keys, 1, axis=1)
            assert codes._strictly_ordered(rolled) == _strict([(len(r), r) for r in raw])
    if len(set(raw)) == len(raw):
        assert sorted(raw) == [raw[i] for i in np.lexsort(keys.T[::-1])]
        # equal keys would make equal ids look alike: distinct ids have distinct keys
        assert len({tuple(k) for k in keys.tolist()}) == len(raw)


@pytest.mark.parametrize("text_type", TEXT_TYPES)
@pytest.mark.parametrize("width", [1, 7, 8, 9, 15, 16, 17, 24, 25, 128])
def test_repeated_on_id_like_columns(width: int, text_type: pa.DataType) -> None:
    """Ids that differ only in their last bytes, in order, shuffled, with and without repeats."""
    rng = np.random.default_rng(width)
    n = 500
    tail = min(width, 6)
    ids = [("A" * (width - tail)) + str(i).zfill(tail)[-tail:] for i in range(n)]
    assert all(len(i.encode()) == width for i in ids)
    ids = list(dict.fromkeys(ids))
    cases = {
        "ascending": ids,
        "descending": ids[::-1],
        "shuffled": [ids[i] for i in rng.permutation(len(ids))],
        "with repeats": [ids[i] for i in rng.integers(0, len(ids), n)],
    }
    for order, values in cases.items():
        array = pa.array(["x"] * 3 + values, type=text_type).slice(3)
        got = codes.repeated(array)
        assert got is not None
        np.testing.assert_array_equal(got, _oracle_repeats(values))
        # ordered ids are proved distinct from their order, even when the words that decide
        # it come after a shared prefix
        assert _proved_distinct(*_keys(array)) == (order in ("ascending", "descending"))


@pytest.mark.parametrize("text_type", TEXT_TYPES)
def test_repeated_on_numbers_written_as_text(text_type: pa.DataType) -> None:
    """Ids of several widths: numeric order is proved distinct by length-then-bytes order."""
    rng = np.random.default_rng(1)
    ids = [str(i) for i in range(1, 3000, 7)]
    cases = {
        "numeric": ids,
        "numeric-reversed": ids[::-1],
        "shuffled": [ids[i] for i in rng.permutation(len(ids))],
        "with repeats": [ids[i] for i in rng.integers(0, len(ids), 600)],
        "text order": sorted(ids),  # "1" < "1002" < "2": byte order
    }
    for order, values in cases.items():
        array = pa.array(values, type=text_type)
        got = codes.repeated(array)
        assert got is not None
        np.testing.assert_array_equal(got, _oracle_repeats(values), err_msg=order)
        keys, fixed = _keys(array)
        assert not fixed
        assert _proved_distinct(keys, fixed) == (order != "shuffled" and order != "with repeats")


@pytest.mark.parametrize("width", [8, 9, 15, 16, 17, 23, 24, 31, 33, 128])
def test_every_byte_reaches_the_keys(width: int) -> None:
    """Ids that differ in one byte only, at each position: the keys differ and keep order."""
    base = "a" * width
    one_off = [base[:p] + "b" + base[p + 1 :] for p in range(width)]
    values = [base, *one_off[::-1]]
    # base < ...b (last byte) < ... < b... (first byte): ascending in byte order
    assert values == sorted(values, key=str.encode)
    keys, fixed = _keys(pa.array(values))
    assert fixed
    assert len({tuple(row) for row in keys.tolist()}) == len(values)
    assert codes._strictly_ordered(keys)
    assert codes._strictly_ordered(keys[::-1])
    assert not codes._strictly_ordered(np.vstack([keys, keys[-1:]]))


@pytest.mark.parametrize("width", [1, 7, 8, 9, 16, 17, 31, 32])
def test_every_byte_reaches_the_keys_of_several_widths(width: int) -> None:
    base = "a" * width
    values = ["", "a" * (width - 1), base, base + "\x00"[: 32 - width]]
    values += [base[:p] + "b" + base[p + 1 :] for p in range(width)][::-1]
    values = list(dict.fromkeys(values))
    assert values == sorted(values, key=str.encode)
    keys, fixed = _keys(pa.array(values))
    assert not fixed
    assert len({tuple(row) for row in keys.tolist()}) == len(values)
    assert codes._strictly_ordered(keys)


@pytest.mark.parametrize("text_type", TEXT_TYPES)
def test_repeated_counts_bytes_not_characters(text_type: pa.DataType) -> None:
    # 'Å' is 2 bytes: "Å1234567" is 9 bytes wide, as wide as "A12345678"
    values = ["Å1234567", "A12345678", "Å1234567", "B12345678", "ÅÅÅÅ1"]
    keys, fixed = _keys(pa.array(values, type=text_type))
    assert fixed
    assert keys.shape == (5, 2)
    got = codes.repeated(pa.array(values, type=text_type))
    assert got is not None
    np.testing.assert_array_equal(got, [True, False, True, False, False])
    # one character each, but 1 and 2 bytes: several widths
    assert not _keys(pa.array(["Å", "A"], type=text_type))[1]


@pytest.mark.parametrize("text_type", TEXT_TYPES)
@pytest.mark.parametrize(
    "values",
    [
        ["a\x00", "\x00a", "a\x00", "aa", "\x00\x00"],  # one width: NUL never meets the padding
        ["a", "a\x00", "a\x00\x00", "a", ""],  # several widths: the length tells them apart
        ["", "", "x"],
    ],
)
def test_repeated_with_nul_bytes(values: list[str], text_type: pa.DataType) -> None:
    got = codes.repeated(pa.array(values, type=text_type))
    assert got is not None
    np.testing.assert_array_equal(got, _oracle_repeats(values))


@pytest.mark.parametrize("text_type", TEXT_TYPES)
@pytest.mark.parametrize(
    "values",
    [
        ["ab", None, "ab"],  # a null
        [None, None],
        ["", ""],  # one width of 0 bytes
        [],
        ["x" * 129, "y" * 129],  # one width, wider than 16 words
        ["a", "b" * 33],  # several widths, wider than 4 words
    ],
)
def test_repeated_declines(values: list[Any], text_type: pa.DataType) -> None:
    assert codes.repeated(pa.array(values, type=text_type)) is None


def test_repeated_reads_up_to_the_limits() -> None:
    values = ["x" * 127 + "a", "x" * 127 + "b", "x" * 127 + "a"]
    got = codes.repeated(pa.array(values))
    np.testing.assert_array_equal(got, [True, False, True])  # type: ignore[arg-type]
    values = ["b" * 32, "a", "b" * 32, "b" * 31]
    got = codes.repeated(pa.array(values))
    np.testing.assert_array_equal(got, [True, False, True, False])  # type: ignore[arg-type]


def test_repeated_declines_a_null_hidden_in_a_slice() -> None:
    array = pa.array(["aa", None, "bb", "cc"])
    assert codes.repeated(array.slice(1)) is None
    assert codes.repeated(array.slice(2)) is not None


def test_repeated_single_row() -> None:
    got = codes.repeated(pa.array(["only"]))
    assert got is not None
    np.testing.assert_array_equal(got, [False])


@settings(max_examples=150, deadline=None)
@given(
    base=st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=6),
    bits=st.lists(st.integers(0, 63), max_size=4),
    data=st.data(),
)
def test_repeats_of_64_bit_values(base: list[int], bits: list[int], data: Any) -> None:
    """The counting passes over bucket tables drop no repeat: values that share high or low
    bits (so share one bucket table's slot) but differ are not repeats."""
    pool = base + [b ^ (1 << k) for b in base for k in bits]
    values = np.asarray(data.draw(st.lists(st.sampled_from(pool), max_size=40)), dtype=np.uint64)
    got = codes._repeats(values)
    np.testing.assert_array_equal(got, pd.Series(values).duplicated(keep=False).to_numpy())


@pytest.mark.parametrize(
    "fake_mix",
    [
        pytest.param(lambda words: np.zeros(len(words), dtype=np.uint64), id="constant"),
        pytest.param(lambda words: words[:, 0] & np.uint64(3), id="four-values"),
        pytest.param(lambda words: words[:, 0].copy(), id="first-word"),
    ],
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(column=_id_columns())
def test_repeated_confirms_hash_collisions_on_the_text(
    column: tuple[list[str], pa.Array], fake_mix: Any
) -> None:
    """With a hash that collides on (nearly) everything, only the text decides."""
    values, array = column
    calls = []

    def mix(words: np.ndarray) -> np.ndarray:
        calls.append(len(words))
        return fake_mix(words)

    real = codes._mix
    codes._mix = mix  # hypothesis forbids the function-scoped monkeypatch fixture
    try:
        got = codes.repeated(array)
    finally:
        codes._mix = real
    if not _fast_path_applies(values):
        assert got is None
        return
    assert got is not None
    np.testing.assert_array_equal(got, _oracle_repeats(values))
    keys, fixed = _keys(array)
    hashed = keys.shape[1] > 1 and len(values) > 1 and not _proved_distinct(keys, fixed)
    assert bool(calls) == hashed


@pytest.mark.parametrize("ids", ["one-width", "several-widths"])
def test_forced_collision_of_every_row(monkeypatch: pytest.MonkeyPatch, ids: str) -> None:
    rng = np.random.default_rng(7)
    pool = [f"2024-{i:06d}" if ids == "one-width" else f"2024-{i}" for i in range(300)]
    values = [pool[i] for i in rng.integers(0, 300, 400)]
    monkeypatch.setattr(codes, "_mix", lambda words: np.ones(len(words), dtype=np.uint64))
    got = codes.repeated(pa.array(["pad", *values]).slice(1))
    assert got is not None
    np.testing.assert_array_equal(got, _oracle_repeats(values))


# --- match_known --------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(
    known=st.lists(_TEXT, unique=True, max_size=8),
    others=st.lists(_TEXT, max_size=4),
    data=st.data(),
)
def test_match_known_equals_get_indexer(known: list[str], others: list[str], data: Any) -> None:
    pool = [*known, *others, None, " " + (known[0] if known else "x")]
    values = data.draw(st.lists(st.sampled_from(pool), max_size=25))
    text_type = data.draw(st.sampled_from(TEXT_TYPES))
    lead = data.draw(st.integers(0, 3))
    array = pa.array(["pad"] * lead + values, type=text_type).slice(lead)
    known_dtype = data.draw(st.sampled_from([object, "str"]))
    index = pd.Index(known, dtype=known_dtype)
    got = codes.match_known(array, index)
    assert got is not None
    assert got.dtype == np.int64
    expected = pd.Index(known, dtype=object).get_indexer(pd.Index(values, dtype=object))
    np.testing.assert_array_equal(got, expected)


def test_match_known_exact_only() -> None:
    array = pa.array(["W1", " W1", "w1", None, "W2", "W3", ""])
    got = codes.match_known(array, pd.Index(["W1", "W2"]))
    np.testing.assert_array_equal(got, [0, -1, -1, -1, 1, -1, -1])


@pytest.mark.parametrize(
    "known",
    [
        pd.Index([1, 2, 3]),
        pd.Index([1.0, 2.0]),
        pd.Index(["1", 2], dtype=object),
        pd.Index(["a", None], dtype=object),
        pd.Index([True, False]),
        pd.Index(pd.to_datetime(["2026-01-01"])),
    ],
    ids=["int", "float", "mixed", "with-None", "bool", "datetime"],
)
def test_match_known_declines_when_known_is_not_text(known: pd.Index) -> None:
    assert codes.match_known(pa.array(["1", "2"]), known) is None


@pytest.mark.parametrize("text_type", TEXT_TYPES)
def test_match_known_with_nothing_known(text_type: pa.DataType) -> None:
    got = codes.match_known(pa.array(["a", None], type=text_type), pd.Index([], dtype=object))
    np.testing.assert_array_equal(got, [-1, -1])


# --- blank ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text_type", TEXT_TYPES)
def test_blank(text_type: pa.DataType) -> None:
    values = [None, "", "  ", "\t", "\n \r", "\u00a0", "a", " a ", "0", "-", "Å"]
    expected = [True, True, True, True, True, True, False, False, False, False, False]
    got = codes.blank(pa.array(values, type=text_type))
    assert got.dtype == bool
    np.testing.assert_array_equal(got, expected)
    sliced = codes.blank(pa.array(["x", *values], type=text_type).slice(1))
    np.testing.assert_array_equal(sliced, expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), _TEXT), max_size=20))
def test_blank_equals_python_strip(values: list[str | None]) -> None:
    got = codes.blank(pa.array(values, type=pa.string()))
    expected = [v is None or v.strip() == "" for v in values]
    np.testing.assert_array_equal(got, expected)


# --- arrow_text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype",
    [
        "str",
        pd.StringDtype("pyarrow"),
        pd.ArrowDtype(pa.string()),
        pd.ArrowDtype(pa.large_string()),
    ],
    ids=str,
)
def test_arrow_text_reads_arrow_backed_text(dtype: Any) -> None:
    series = pd.Series(["a", None, "ccc", "dd"], dtype=dtype).iloc[1:]
    array = codes.arrow_text(series)
    assert array is not None
    assert pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
    assert array.to_pylist() == [None, "ccc", "dd"]


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(["a", "b"], dtype=object),
        pd.Series(["a", "b"], dtype=pd.StringDtype("python")),
        pd.Series([1, 2]),
        pd.Series(["a", "b"], dtype="category"),
        pd.Series([b"a"], dtype=pd.ArrowDtype(pa.binary())),
    ],
    ids=["object", "python-string", "int", "category", "arrow-binary"],
)
def test_arrow_text_declines_other_columns(series: pd.Series) -> None:
    assert codes.arrow_text(series) is None


def test_arrow_text_combines_chunks() -> None:
    chunked = pa.chunked_array([["a", "b"], ["c"]])
    series = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    array = codes.arrow_text(series)
    assert isinstance(array, pa.Array)
    assert array.to_pylist() == ["a", "b", "c"]


# --- python_stripped ---------------------------------------------------------------------------


def test_python_stripped_knows_every_space_python_strips() -> None:
    """Every character of the Basic Multilingual Plane, leading and trailing."""
    chars = [chr(i) for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF]
    values = [c + "x" for c in chars] + ["x" + c for c in chars] + [c * 2 for c in chars]
    got = codes.python_stripped(pd.Series(values, dtype=object))
    assert got is not None
    assert got.to_pylist() == [v.strip() for v in values]


_SPACES = st.sampled_from([" ", "\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\xa0", "\u3000"])
_LOOKALIKES = st.sampled_from(["\u200b", "\ufeff", "\x00", "_"])  # not stripped by Python


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.just(np.nan),
            st.just(pd.NA),
            st.lists(st.one_of(_SPACES, _LOOKALIKES, _TEXT), max_size=5).map("".join),
        ),
        max_size=15,
    )
)
def test_python_stripped_equals_str_strip(values: list[Any]) -> None:
    got = codes.python_stripped(pd.Series(values, dtype=object))
    assert got is not None
    assert got.to_pylist() == [v.strip() if isinstance(v, str) else None for v in values]


@pytest.mark.parametrize(
    "values", [["a", 1], [1.5, None], [b"a"], [True]], ids=["int", "float", "bytes", "bool"]
)
def test_python_stripped_declines_columns_that_are_not_text(values: list[Any]) -> None:
    assert codes.python_stripped(pd.Series(values, dtype=object)) is None


def test_arrow_text_converts_object_text_only_when_asked() -> None:
    series = pd.Series(["a", None, " b "], dtype=object)
    assert codes.arrow_text(series) is None
    array = codes.arrow_text(series, objects=True)
    assert array is not None
    assert array.to_pylist() == ["a", None, " b "]
    assert codes.arrow_text(pd.Series(["a", 2], dtype=object), objects=True) is None
    empty = codes.arrow_text(pd.Series([None, None], dtype=object), objects=True)
    assert empty is not None
    assert empty.null_count == 2


# --- side_by_side -------------------------------------------------------------------------------


@pytest.fixture
def cpu_budget() -> Any:
    """Set pyarrow's CPU budget for one test and give the old one back."""
    before = pa.cpu_count()
    yield pa.set_cpu_count
    pa.set_cpu_count(before)


def _where() -> int:
    return threading.get_ident()


def test_side_by_side_small_tables_run_in_order(cpu_budget: Any) -> None:
    cpu_budget(4)
    here = threading.get_ident()
    order: list[int] = []
    with codes.side_by_side(codes.PARALLEL_ROWS - 1) as run:
        first = run(lambda: order.append(1) or _where())
        # done at once, on the calling thread, before the next pass starts
        assert first.done()
        second = run(lambda x, *, y: order.append(2) or (x, y), 5, y=6)
    assert first.result() == here
    assert second.result() == (5, 6)
    assert order == [1, 2]


def test_side_by_side_budget_of_one_runs_in_order(cpu_budget: Any) -> None:
    cpu_budget(1)
    here = threading.get_ident()
    with codes.side_by_side(10 * codes.PARALLEL_ROWS) as run:
        future = run(_where)
        assert future.done()
    assert future.result() == here


@pytest.mark.parametrize("budget", [2, 8])
def test_side_by_side_large_tables_use_threads(cpu_budget: Any, budget: int) -> None:
    cpu_budget(budget)
    here = threading.get_ident()
    names: list[str] = []

    def named(i: int) -> int:
        time.sleep(0.01)
        names.append(threading.current_thread().name)
        return i

    with codes.side_by_side(codes.PARALLEL_ROWS) as run:
        futures = [run(named, i) for i in range(6)]
        elsewhere = run(_where)
        slow = run(time.sleep, 0.05)
    # leaving the block waits for every pass
    assert slow.done()
    assert [f.result() for f in futures] == list(range(6))
    assert elsewhere.result() != here
    assert len(names) == 6
    assert all(name.startswith("arbetstyngd") for name in names)


def test_side_by_side_thread_count_follows_the_budget(cpu_budget: Any) -> None:
    cpu_budget(2)
    seen: set[str] = set()
    barrier = threading.Barrier(2, timeout=5)

    def meet() -> None:
        seen.add(threading.current_thread().name)
        barrier.wait()  # two passes at once: needs two threads

    with codes.side_by_side(codes.PARALLEL_ROWS) as run:
        futures = [run(meet) for _ in range(2)]
    for f in futures:
        f.result()
    assert len(seen) == 2


@pytest.mark.parametrize("n_rows", [0, 10**9], ids=["in-order", "threads"])
def test_side_by_side_errors_come_out_of_result(cpu_budget: Any, n_rows: int) -> None:
    cpu_budget(2)

    def fail(value: int) -> int:
        raise KeyError(f"pass failed on {value}")

    with codes.side_by_side(n_rows) as run:
        bad = run(fail, 3)
        good = run(lambda: 42)
    with pytest.raises(KeyError, match="pass failed on 3"):
        bad.result()
    assert good.result() == 42


@pytest.mark.parametrize("n_rows", [0, 10**9], ids=["in-order", "threads"])
def test_side_by_side_error_in_the_block_propagates(cpu_budget: Any, n_rows: int) -> None:
    cpu_budget(2)
    with pytest.raises(RuntimeError, match="caller"), codes.side_by_side(n_rows) as run:
        run(lambda: 1)
        raise RuntimeError("caller failed")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=40),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_valid_mask_matches_arrow_is_valid(values, start, length):
    array = pa.array(values, type=pa.string()).slice(min(start, len(values)), length)
    expected = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    assert np.array_equal(codes.valid_mask(array), expected)


# --- whitespace checks on candidate rows only ---------------------------------------------------
# blank() and python_stripped() run Arrow's whitespace tests only on values whose first or last
# byte is a control, space or non-ASCII byte; the oracles run the same tests on every value.

_EDGE_CHARS = [
    *("a", "Z", "0", "é", "ß", "😀", "\x00", "\x7f", "\u200b", "\ufeff"),
    *(" ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x85", "\xa0", "\u2000", "\u3000"),
]


def _oracle_blank(array: pa.Array) -> np.ndarray:
    empty = pc.or_(pc.equal(pc.binary_length(array), 0), pc.utf8_is_space(array))
    return np.asarray(pc.fill_null(empty, True).to_numpy(zero_copy_only=False), dtype=bool)


def _oracle_edge(array: pa.Array) -> np.ndarray:
    pattern = f"^{codes.PYTHON_SPACE}|{codes.PYTHON_SPACE}$"
    edge = pc.match_substring_regex(array, pattern)
    return np.asarray(pc.fill_null(edge, False).to_numpy(zero_copy_only=False), dtype=bool)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.lists(st.sampled_from(_EDGE_CHARS), max_size=4).map("".join)),
        max_size=30,
    ),
    st.sampled_from(TEXT_TYPES),
    st.integers(0, 3),
)
def test_whitespace_candidates_equal_the_full_pass(
    values: list[str | None], text_type: pa.DataType, cut: int
) -> None:
    array = pa.array(["x", *values, "y"], type=text_type).slice(1 + min(cut, 1), len(values))
    np.testing.assert_array_equal(codes.blank(array), _oracle_blank(array))
    first, last = codes._edge_bytes(array)
    # every value the regular expression finds is a candidate
    candidates = codes._maybe_space(first) | codes._maybe_space(last)
    assert not (_oracle_edge(array) & ~candidates).any()
    stripped = codes.python_stripped(pd.Series(array.to_pylist(), dtype=object))
    if stripped is not None:
        assert stripped.to_pylist() == [None if v is None else v.strip() for v in array.to_pylist()]


@pytest.mark.parametrize("text_type", TEXT_TYPES)
def test_edge_bytes_of_one_width_and_of_several(text_type: pa.DataType) -> None:
    for values in (["ab", "cd", " e", "f "], ["abc"] * 3, ["", "a", None, "bc"], ["", ""]):
        array = pa.array(["zz", *values], type=text_type).slice(1)
        first, last = codes._edge_bytes(array)
        encoded = [None if v is None else v.encode() for v in values]
        np.testing.assert_array_equal(first, [v[0] if v else -1 for v in encoded])
        np.testing.assert_array_equal(last, [v[-1] if v else -1 for v in encoded])
