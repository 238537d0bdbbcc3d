"""Fast paths for the engine's passes over text columns: matching and repeat-finding.

Validating a million case rows is dominated by the passes that turn text into integers: the
worker, case type and phase of every row must be looked up, and every case id must be shown
to occur once. pandas and pyarrow do this with a general hash table per column. Two facts of
real exports allow much cheaper passes, and both are checked, never assumed:

- the values to look up are known in advance (the roster, the scheme's case types and
  phases), so ``pyarrow.compute.index_in`` can probe a small hash set instead of building a
  table of every distinct value;
- case ids are short and often arrive in order, so they can be read as 64-bit words straight
  from the Arrow buffers (in place when all have one width, like "2024-000123"; padded when
  not, like numbers written as text): a strictly ordered column has no repeats (one
  comparison per row), and otherwise a hash of the words finds the few candidate repeats,
  which are then confirmed on the text itself.

Object columns of text (the pandas 2.2 default) are converted to Arrow once, and Arrow
``string_view`` columns cast, so they take the same paths. ``arrow_text``, ``match_known``
and ``repeated`` return ``None`` when their fast path does not apply; the caller then falls
back to the general pandas pass, and the result never depends on which path ran.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "arrow_text",
    "blank",
    "is_object",
    "match_known",
    "plain_strings",
    "python_stripped",
    "repeated",
    "side_by_side",
]

# an id column is read as this many 64-bit words at most: 128 bytes per id when all ids
# have one width, 32 when they do not (a padded copy is made then)
_MAX_WORDS = 16
_MAX_VARIABLE_WORDS = 4
# _KEEP_BYTES[k] keeps the first k bytes of a big-endian word
_KEEP_BYTES = np.array(
    [0] + [(0xFFFFFFFFFFFFFFFF << (8 * (8 - k))) & 0xFFFFFFFFFFFFFFFF for k in range(1, 9)],
    dtype=np.uint64,
)
# below this many rows a thread costs more than it saves
PARALLEL_ROWS = 200_000


@contextlib.contextmanager
def side_by_side(n_rows: int) -> Iterator[Callable[..., Future[Any]]]:
    """Run independent passes over a large table in threads; small tables run in order.

    Yields ``run(fn, *args, **kwargs) -> Future``. The number of threads follows pyarrow's
    CPU budget (``pyarrow.set_cpu_count``), so a caller that limits pyarrow limits this too,
    and a budget of 1 runs everything in order on the calling thread. Results never depend on
    it: each pass is a pure function of its inputs.
    """
    n_threads = min(4, pa.cpu_count()) if n_rows >= PARALLEL_ROWS else 1
    if n_threads <= 1:
        yield _run_now
        return
    with ThreadPoolExecutor(n_threads, thread_name_prefix="arbetstyngd") as pool:
        yield pool.submit


def _run_now(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
    future: Future[Any] = Future()
    try:
        future.set_result(fn(*args, **kwargs))
    except BaseException as exc:  # handed to the caller at .result(), as a pool would
        future.set_exception(exc)
    return future


def arrow_text(series: pd.Series, *, objects: bool = False) -> pa.Array | None:
    """The column as one pyarrow (large) string array when it is Arrow-backed text.

    With ``objects=True`` an object column holding only text (and missing values) is
    converted as well, which copies it once.
    """
    dtype = series.dtype
    if is_object(dtype):
        if not objects or pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
            return None
        try:
            return pa.array(series.to_numpy(), type=pa.string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            return None  # e.g. a numpy float32 NaN among the text: the general path copes
    if isinstance(dtype, pd.StringDtype):
        if dtype.storage != "pyarrow":
            return None
    elif not (
        isinstance(dtype, pd.ArrowDtype)
        and (
            pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
        )
    ):
        return None
    array = series.array.__arrow_array__()
    if isinstance(array, pa.ChunkedArray):
        # one chunk (the usual case) is used in place; combining would copy it
        array = array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    return array


# the characters str.strip() removes (those for which str.isspace() is true), as an RE2 class
PYTHON_SPACE = (
    r"[\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
)


def python_stripped(series: pd.Series) -> pa.Array | None:
    """An object column of text as Arrow, each value stripped exactly as ``str.strip()`` does.

    ``None`` when the column holds anything but text and missing values. Only the values that
    start or end with whitespace (usually none) are stripped, by Python itself.
    """
    text = arrow_text(series, objects=True)
    if text is None:
        return None
    first, last = _edge_bytes(text)
    # only a value that starts or ends with a control, space or non-ASCII byte can start or end
    # with whitespace; the regular expression runs on those few
    candidates = np.flatnonzero(_maybe_space(first) | _maybe_space(last))
    edge_mask = np.zeros(len(text), dtype=bool)
    if len(candidates):
        edge = pc.match_substring_regex(
            text.take(pa.array(candidates)), f"^{PYTHON_SPACE}|{PYTHON_SPACE}$"
        )
        edge_mask[candidates] = np.asarray(
            pc.fill_null(edge, False).to_numpy(zero_copy_only=False), dtype=bool
        )
    if edge_mask.any():
        fixed = [str(v).strip() for v in series.to_numpy()[edge_mask]]
        text = pc.replace_with_mask(text, pa.array(edge_mask), pa.array(fixed, type=text.type))
    return text


def is_object(dtype: Any) -> bool:
    """True for numpy's object dtype (``is_object_dtype`` raises on some Arrow types)."""
    return isinstance(dtype, np.dtype) and dtype == np.dtype(object)


def plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with Arrow ``string_view`` columns cast to ``large_string``.

    pandas does not yet support ``string_view`` in its own operations (Parquet and DuckDB
    can produce it); the cast shares nothing with the caller and leaves other columns as they
    are.
    """
    if not isinstance(frame, pd.DataFrame):
        return frame  # the contract check that follows says what is wrong with it
    views = {
        name: pd.Series(
            pd.arrays.ArrowExtensionArray(
                pa.chunked_array(frame[name].array.__arrow_array__()).cast(pa.large_string())
            ),
            index=frame.index,
        )
        for name, dtype in frame.dtypes.items()
        if isinstance(dtype, pd.ArrowDtype) and pa.types.is_string_view(dtype.pyarrow_dtype)
    }
    if not views:
        return frame
    out = frame.copy(deep=False)  # copy-on-write: the caller's frame is not touched
    for name, column in views.items():
        out[name] = column
    return out


def blank(array: pa.Array) -> np.ndarray:
    """True where a value is null, empty or only whitespace."""
    first, _ = _edge_bytes(array)
    out = first < 0  # null or empty
    # a value of only whitespace starts with a control, space or non-ASCII byte: Arrow's
    # test runs on those few
    candidates = np.flatnonzero(_maybe_space(first))
    if len(candidates):
        space = pc.utf8_is_space(array.take(pa.array(candidates)))
        out[candidates] = np.asarray(
            pc.fill_null(space, True).to_numpy(zero_copy_only=False), dtype=bool
        )
    return out


def _edge_bytes(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The first and the last byte of each value of a (large) string array, as int16.

    -1 where the value is null or empty, so callers can tell those apart without another pass.
    """
    offsets = _offsets(array)
    data = array.buffers()[2]
    size = int(offsets[-1])
    if data is None or size == 0:
        return np.full(len(array), -1, np.int16), np.full(len(array), -1, np.int16)
    view = np.frombuffer(data, dtype=np.uint8)
    begin, end = offsets[:-1], offsets[1:]
    width = size - int(offsets[0])
    if not array.null_count and width and width == len(array) * int(end[0] - begin[0]):
        width = int(end[0] - begin[0])
        if bool((end - begin == width).all()):
            # values of one width (ids like "2024-000123"): strided views, no gather
            at = int(offsets[0])
            first = view[at : at + len(array) * width : width].astype(np.int16)
            last = view[at + width - 1 : at + len(array) * width : width].astype(np.int16)
            return first, last
    has = end > begin
    if array.null_count:
        has &= valid_mask(array)
    # an empty value's offset may point just past the data: clip, then mask
    first = view[np.minimum(begin, size - 1)].astype(np.int16)
    last = view[np.maximum(end - 1, 0)].astype(np.int16)
    first[~has] = -1
    last[~has] = -1
    return first, last


def _maybe_space(byte: np.ndarray) -> np.ndarray:
    """True for a byte that may begin or end a whitespace character (Python's or Arrow's)."""
    return (byte >= 0) & ((byte <= 0x20) | (byte >= 0x7F))


def _offsets(array: pa.Array) -> np.ndarray:
    """The value offsets of a (large) string array, as int64, for its own slice."""
    offset_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=offset_type)
    return offsets[array.offset : array.offset + len(array) + 1].astype(np.int64, copy=False)


def match_known(array: pa.Array, known: pd.Index) -> np.ndarray | None:
    """Position of each value in ``known`` (exact match), -1 for null or no match.

    ``None`` when ``known`` is not all text (then the caller compares with pandas, which knows
    how numbers and text ids line up).
    """
    if not (
        pd.api.types.is_string_dtype(known.dtype)
        and pd.api.types.infer_dtype(known, skipna=False) in ("string", "empty")
    ):
        return None
    # a roster of Arrow text is used as it is, not converted to Python strings and back
    value_set = arrow_text(pd.Series(known, copy=False))
    if value_set is None:
        value_set = pa.array(known.to_numpy(dtype=object), type=array.type)
    elif value_set.type != array.type:
        value_set = value_set.cast(array.type)
    n_known = len(value_set)
    if array.null_count:
        # a null in the set gives each null row a position too (n_known), so the result has
        # no nulls of its own to unpack from a bitmap
        value_set = pa.concat_arrays([value_set, pa.nulls(1, type=value_set.type)])
    found = pc.index_in(array, value_set=value_set)
    if len(found) == 0:
        return np.zeros(0, dtype=np.int64)
    some_at_n = bool(array.null_count) or bool(found.null_count)
    if found.null_count:
        found = pc.fill_null(found, n_known)  # values that match nothing (usually none)
    pos = np.frombuffer(found.buffers()[1], dtype=np.int32)[
        found.offset : found.offset + len(found)
    ]
    if not some_at_n:
        return pos.astype(np.int64)
    # n_known (null or no match) becomes -1 by a gather from a small table: one pass without
    # branches, where setting the rows through a mask costs three times as much
    return np.take(np.append(np.arange(n_known, dtype=np.int64), -1), pos)


def valid_mask(array: pa.Array) -> np.ndarray:
    """True where ``array`` holds a value, unpacked straight from its validity bitmap."""
    bitmap = array.buffers()[0]
    if bitmap is None:
        return np.ones(len(array), dtype=bool)
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return bits[array.offset : array.offset + len(array)].astype(bool)


def repeated(array: pa.Array) -> np.ndarray | None:
    """Rows whose value occurs more than once, for text without nulls of up to 128 bytes.

    ``None`` when the column has nulls or longer values (the caller then uses the general
    hash pass).
    """
    got = _keys(array)
    if got is None:
        return None
    keys, fixed = got
    n = len(array)
    if n < 2:
        return np.zeros(n, dtype=bool)
    # any strict order proves the values distinct: byte order, or (for ids of several widths,
    # such as numbers written as text) length first, which is numeric order
    if _strictly_ordered(keys) or (not fixed and _strictly_ordered(np.roll(keys, 1, axis=1))):
        return np.zeros(n, dtype=bool)
    if keys.shape[1] == 1:
        # one word holds the whole id: the integer is the id, no hash needed
        return _repeats(keys[:, 0])
    candidates = np.flatnonzero(_repeats(_mix(keys)))
    out = np.zeros(n, dtype=bool)
    if len(candidates):
        # equal hashes are only candidates: confirm on the text itself
        text = pd.Series(array.take(pa.array(candidates)).to_pylist(), dtype=object)
        out[candidates[text.duplicated(keep=False).to_numpy()]] = True
    return out


def _keys(array: pa.Array) -> tuple[np.ndarray, bool] | None:
    """Each value as a row of unsigned integers whose lexicographic order is the text's byte
    order, and whether all values have one width; ``None`` for nulls or long values.

    The integers are the value's bytes read as big-endian 64-bit words. Values of one width
    ``w >= 8`` are read in place as ``ceil(w / 8)`` windows of 8 bytes starting at
    ``min(8 j, w - 8)``: the last window may overlap the one before, which keeps the words
    exact and ordered (two values first differ inside the first window that holds the
    differing byte); when the bytes before the last window are the same in every value (a
    shared prefix of up to 4 bytes), that window alone is kept. Values of several widths (up
    to 32 bytes) are zero-padded, and their length is appended so that "a" and "a\0" still
    differ.
    """
    n = len(array)
    if array.null_count or n == 0:
        return None
    offsets = _offsets(array)
    lengths = np.diff(offsets)
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)
    start = int(offsets[0])
    width = int(lengths[0])
    if bool((lengths == width).all()):
        n_words = (width + 7) // 8
        if width == 0 or n_words > _MAX_WORDS:
            return None
        if width < 8:
            padded = np.zeros((n, 8), dtype=np.uint8)
            padded[:, :width] = data[start : start + n * width].reshape(n, width)
            return padded.view(">u8").astype(np.uint64), True
        if n_words == 2 and width <= 12 and _same_leading_bytes(data, start, n, width, width - 8):
            # ids like "A00000123" or "2024-000123": past a prefix every row shares, one
            # word holds the rest, and ordering and repeats need only that word
            at = start + width - 8
            word = np.ndarray((n,), dtype=">u8", buffer=data, offset=at, strides=(width,))
            return word.astype(np.uint64)[:, None], True
        words = np.empty((n, n_words), dtype=np.uint64)
        for j in range(n_words):
            at = start + min(8 * j, width - 8)
            words[:, j] = np.ndarray((n,), dtype=">u8", buffer=data, offset=at, strides=(width,))
        return words, True
    n_words = (int(lengths.max()) + 7) // 8
    if n_words > _MAX_VARIABLE_WORDS:
        return None
    size = int(offsets[-1]) - start
    padded_data = np.zeros(size + 8, dtype=np.uint8)
    padded_data[:size] = data[start : start + size]
    # element i is the 8 bytes from byte i on (an unaligned, overlapping view)
    at_byte = np.ndarray((size + 1,), dtype=">u8", buffer=padded_data, strides=(1,))
    begin = offsets[:-1] - start
    keys = np.empty((n, n_words + 1), dtype=np.uint64)
    for j in range(n_words):
        kept = np.clip(lengths - 8 * j, 0, 8)  # bytes of this word inside the value
        keys[:, j] = at_byte[np.minimum(begin + 8 * j, size)] & _KEEP_BYTES[kept]
    keys[:, n_words] = lengths
    return keys, False


def _same_leading_bytes(data: np.ndarray, start: int, n: int, width: int, k: int) -> bool:
    """True when the first ``k`` bytes are the same in all ``n`` values of one ``width``."""
    for j in range(k):
        column = data[start + j : start + n * width : width]
        if not bool((column == column[0]).all()):
            return False
    return True


def _strictly_ordered(keys: np.ndarray) -> bool:
    """True when the rows are strictly increasing or strictly decreasing (lexicographically)."""
    a, b = keys[:-1, 0], keys[1:, 0]
    for increasing in (True, False):
        # the first column settles most pairs; ties fall through to the next column
        after = (b > a) if increasing else (b < a)
        tied = a == b
        if not (after | tied).all():
            continue
        for k in range(1, keys.shape[1]):
            if not tied.any():
                break
            ak, bk = keys[:-1, k], keys[1:, k]
            after |= tied & ((bk > ak) if increasing else (bk < ak))
            tied &= ak == bk
        if after.all():
            return True
    return False


def _repeats(values: np.ndarray) -> np.ndarray:
    """Rows whose 64-bit value occurs more than once (exact).

    One sort of the values (numpy sorts 64-bit integers with SIMD, several times faster than
    a hash table or counting into tables larger than the cache) shows whether any value
    repeats; usually none does. The rows of the repeated values are then picked out.
    """
    n = len(values)
    if n < 2:
        return np.zeros(n, dtype=bool)
    # the signed view: only equality matters, and numpy's fastest sort takes int64
    signed = values.view(np.int64)
    ordered = np.sort(signed)
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return np.zeros(n, dtype=bool)
    return np.isin(signed, ordered[1:][same])


def _mix(words: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row of integers (splitmix-style finaliser per column)."""
    h = np.full(len(words), 0x9E3779B97F4A7C15, dtype=np.uint64)
    for k in range(words.shape[1]):
        h ^= words[:, k]
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
    return h
