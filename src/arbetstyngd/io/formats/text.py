"""CSV and other delimited text (``.csv``, ``.txt``, Excel's "Unicode text").

Two parsers: pyarrow's fast reader when it provably keeps one row per line, else pandas' C
parser, which keeps blank lines and reports every malformed line; a line with a stray quote
is set aside and rejected rather than allowed to swallow the rows after it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import io
import re
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...errors import Both, InputFileError, Said, kind_words
from .. import personnummer as pnr
from ..options import ReadOptions
from ..rejections import Rejections
from ..sniff import Sniffed
from .common import HEADER_SCAN, Raw, decode, drop_blank, header_index, unique

__all__ = ["load_text"]

_BAD_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
# Stands in for a line set aside because of a stray quote: a private-use character no export
# writes, so the row can be found again after parsing and moved to the rejection table.
_SET_ASIDE = "\ue000"


def load_text(
    data: bytes, kind: str, sniffed: Sniffed, user: Mapping[str, str], options: ReadOptions
) -> Raw:
    """Delimited text: the header found, every line a row, a row rejected or kept whole."""
    encoding = sniffed.encoding or "utf-8"
    delim = sniffed.delimiter or ";"
    # pyarrow reads (and decodes) the bytes itself when it can: the whole file becomes one
    # Python string only for the careful reader
    head = _decoded_head(data, encoding)
    text = None
    try:
        found = _header(head, delim, kind, user, options) if head is not None else None
    except InputFileError:
        found = None  # said of the whole file as decode() reads it, below
    if found is None:
        text = decode(data, encoding)
        head = text[:_HEAD]
        found = _header(head, delim, kind, user, options)
    h, header, written, one_line_each = found
    fast = None
    if one_line_each:
        if text is None:
            fast = _read_bytes_fast(data, encoding, delim, h, header)
        else:
            fast = _read_csv_fast(text, delim, h, header)
    rejected = Rejections(kind)
    if fast is not None:
        rows = np.arange(h + 2, h + 2 + len(fast), dtype=np.int64)
        frame, rows, blank = drop_blank(fast, rows)
        return Raw(frame, rows, sniffed, None, h + 1, blank, rejected, written)
    if text is None:
        text = decode(data, encoding)
        if text[:_HEAD] != head:  # decoded otherwise as a whole (a late non-UTF-8 byte)
            h, header, written, _ = _header(text[:_HEAD], delim, kind, user, options)
    text, set_aside = _set_aside_stray_quotes(text, delim, h, header, kind, sniffed)
    frame, counts = _read_whole_rows(text, delim, h, header, kind, sniffed)
    rows = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    if counts is None and frame.shape[1] > 1 and frame.iloc[:, -1].eq("").any():
        # a row with fewer fields than the header ends in empty (padded) values
        counts = _field_counts(text, delim, h, len(frame))
    frame, rows, counts = _short_rows(frame, rows, counts, len(header), delim, rejected)
    frame, rows = _surplus_fields(frame, rows, counts, len(header), delim, rejected)
    if set_aside and len(frame.columns):
        marked = (frame.iloc[:, 0] == _SET_ASIDE).to_numpy(dtype=bool)
        # set-aside lines are in file order, and so are the marked rows
        whys = [set_aside[line] for line in sorted(set_aside)][: int(marked.sum())]
        rejected.add(
            rows[marked],
            None,
            "(row)",
            np.array([value for value, _ in whys], dtype=object),
            [why for _, why in whys],
            "malformed_row",
        )
        frame = frame.loc[~marked].reset_index(drop=True)
        rows = rows[~marked]
    frame, rows, blank = drop_blank(frame, rows)
    return Raw(frame, rows, sniffed, None, h + 1, blank, rejected, written)


_HEAD = 256 * 1024  # characters searched for the header
# encodings pyarrow can read from the bytes exactly as :func:`decode` reads the text
_BYTE_ENCODINGS = {"cp1252": "cp1252", "iso8859-1": "latin-1", "utf-8": "utf-8"}


def _header(
    head: str, delim: str, kind: str, user: Mapping[str, str], options: ReadOptions
) -> tuple[int, list[str], list[str], bool]:
    """The header's row, its cells, as written, and whether every row above it is one line."""
    try:
        head_rows = list(csv.reader(io.StringIO(head), delimiter=delim))[: HEADER_SCAN + 1]
    except csv.Error:
        head_rows = [line.split(delim) for line in head.splitlines()[:HEADER_SCAN]]
    h = header_index(head_rows, kind, user, options.header_row)
    header = head_rows[h] if h < len(head_rows) else []
    written = [str(c) for c in header]
    # the fast reader counts one line per row: a line break inside a header or title cell
    # (a quoted value, or a stray quote) would make its count meaningless
    one_line_each = not any("\n" in c or "\r" in c for row in head_rows[: h + 1] for c in row)
    return h, header, written, one_line_each


def _byte_encoding(encoding: str) -> str | None:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return _BYTE_ENCODINGS.get(name.replace("-sig", ""))


def _decoded_head(data: bytes, encoding: str) -> str | None:
    """The first :data:`_HEAD` characters as :func:`decode` gives them, from the first bytes.

    None when the encoding is not one pyarrow reads from the bytes, or the first bytes do not
    decode (then the whole file is decoded, with :func:`decode`'s fallbacks).
    """
    enc = _byte_encoding(encoding)
    if enc is None:
        return None
    if enc != "utf-8":
        try:
            return data[:_HEAD].decode(enc)
        except UnicodeDecodeError:
            return None
    chunk = data[: 4 * _HEAD]
    try:
        # a character cut at the end of the chunk waits for bytes that are not there
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(
            chunk, final=len(chunk) == len(data)
        )
    except UnicodeDecodeError:
        return None
    return text[:_HEAD]


def _set_aside_stray_quotes(
    text: str, delim: str, h: int, header: list[str], kind: str, sniffed: Sniffed
) -> tuple[str, dict[int, tuple[str, str]]]:
    """``text`` with every line whose quote is never properly closed replaced by a marked row.

    Returns the text and ``{line: (value shown, reason)}`` of the lines set aside.
    """
    frame, caught, unclosed = _read_csv_careful(text, delim, h, kind, sniffed)
    set_aside: dict[int, tuple[str, str]] = {}
    # a record that spans lines is a quoted value with line breaks, or a stray quote closed by
    # a quote on a later row that swallowed the rows between: only then is the walk needed
    if unclosed or _records(frame, caught) != _line_count(text) - h - 1:
        set_aside = dict(_stray_quotes(text, delim))
        for line in set_aside:
            if line <= h:
                raise InputFileError(
                    Said("err.quote_in_header", kind=kind_words(kind), row=str(line + 1))
                )
        if set_aside:
            text = _replace_lines(text, delim, len(header), sorted(set_aside))
            _, _, unclosed = _read_csv_careful(text, delim, h, kind, sniffed)
    if unclosed:
        looks = Both(sniffed.describe("sv"), sniffed.describe())
        raise InputFileError(Said("err.quote_unclosed", kind=kind_words(kind), looks=looks))
    return text, set_aside


def _read_whole_rows(
    text: str, delim: str, h: int, header: list[str], kind: str, sniffed: Sniffed
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Every row below the header with all its fields, and each row's field count.

    pandas on its own would move a longer first row's leading fields into the index (every
    value then sits one column to the right) and skip other longer rows. Given a name for
    every field (``surplus 1`` … beyond the header) it does neither, and the field counts
    (None when every row fits under the header) let :func:`_surplus_fields` judge each row.
    """
    frame, caught, _ = _read_csv_careful(text, delim, h, kind, sniffed)
    saw = [int(c) for w in caught for _, _, c in _BAD_LINE.findall(str(w.message))]
    implicit = not isinstance(frame.index, pd.RangeIndex)
    if not saw and not implicit:
        return frame, None
    width = max([*saw, frame.index.nlevels + frame.shape[1] if implicit else 0])
    labels = [c if str(c).strip() else f"Unnamed: {i}" for i, c in enumerate(header)]
    names = unique([*labels, *(f"surplus {k + 1}" for k in range(width - len(header)))])
    frame, _, _ = _read_csv_careful(text, delim, h + 1, kind, sniffed, names=names)
    return frame, _field_counts(text, delim, h, len(frame))


def _field_counts(text: str, delim: str, h: int, n: int) -> np.ndarray | None:
    """Fields per record below the header; None if the count of records is not ``n``.

    The two parsers agree on records in all but pathological files; where they do not, each
    row is judged by its values alone.
    """
    lines = io.StringIO(text, newline="").readlines()[h + 1 :]
    try:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
    except csv.Error:
        return None
    return np.array(counts, dtype=np.int64) if len(counts) == n else None


def _short_rows(
    frame: pd.DataFrame,
    rows: np.ndarray,
    counts: np.ndarray | None,
    width: int,
    delim: str,
    rejected: Rejections,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray | None]:
    """Reject rows with fewer fields than the header when the file's rows are otherwise whole.

    A field left out in the middle of a row moves every value after it one column to the
    left; a file whose rows usually have every field cannot have meant a short row.
    """
    if counts is None:
        return frame, rows, counts
    blank = counts == 0
    widths, times = np.unique(counts[~blank], return_counts=True)
    usual = int(widths[np.argmax(times)]) if len(widths) else 0
    if usual < width:
        return frame, rows, counts
    filled = np.char.strip(frame.to_numpy(dtype=str)) != ""
    # a delimiter at the end of most rows (empty fields beyond the header): a row with only
    # the header's count of fields has lost one of its own, not the one at the end
    trailing = usual > width and not filled[counts == usual, width:usual].any()
    limit = usual if trailing else width
    short = (counts < limit) & ~blank & filled.any(axis=1)
    if not short.any():
        return frame, rows, counts
    rejected.add(
        rows[short],
        None,
        "(row)",
        None,
        [
            (
                f"the row has {n} fields but the other rows {limit} (the header's {width} and "
                "a delimiter at the end)"
                if trailing
                else f"the row has {n} fields but the header has {width}"
            )
            + f"; a field or a delimiter {delim!r} is probably missing, so the values after "
            "it would be read under the wrong columns"
            for n in counts[short]
        ],
        "malformed_row",
    )
    keep = ~short
    return frame.loc[keep].reset_index(drop=True), rows[keep], counts[keep]


def _surplus_fields(
    frame: pd.DataFrame,
    rows: np.ndarray,
    counts: np.ndarray | None,
    width: int,
    delim: str,
    rejected: Rejections,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows with more fields than the header: kept (surplus dropped) or rejected whole.

    When most rows end in the same number of empty surplus fields (a trailing delimiter on
    every row, as BI tools write), those fields are dropped. Any other row with more fields
    than that, or with a value beyond the header, is rejected whole: one field too many in the
    middle of a row shifts every value after it, and no value may be read under the wrong
    column.
    """
    if frame.shape[1] <= width:
        return frame, rows
    filled = np.char.strip(frame.iloc[:, width:].to_numpy(dtype=str)) != ""
    if counts is None:
        counts = width + filled.shape[1] - np.argmax(filled[:, ::-1], axis=1)
        counts[~filled.any(axis=1)] = width
    widths, times = np.unique(counts[counts > 1], return_counts=True)
    usual = int(widths[np.argmax(times)]) if len(widths) else width
    trailing = usual > width and not filled[counts == usual].any()
    allowed = usual if trailing else width
    bad = filled.any(axis=1) | (counts > allowed)
    if bad.any():
        fields = np.maximum(counts, width + filled.shape[1] - np.argmax(filled[:, ::-1], axis=1))
        rejected.add(
            rows[bad],
            None,
            "(row)",
            None,
            [
                f"the row has {n} fields but the header has {width}"
                + (f" (and the other rows {allowed})" if trailing else "")
                + f"; a value probably contains the delimiter {delim!r} without quotes"
                for n in np.where(filled.any(axis=1), fields, counts)[bad]
            ],
            "malformed_row",
        )
    keep = ~bad
    return frame.iloc[keep, :width].reset_index(drop=True), rows[keep]


def _read_csv_careful(
    text: str,
    delim: str,
    h: int,
    kind: str,
    sniffed: Sniffed,
    names: list[str] | None = None,
) -> tuple[pd.DataFrame, list[Any], bool]:
    """The C parser, which keeps blank lines and reports each malformed line.

    Returns the frame, the parser's warnings, and whether a quote ran to the end of the file
    (then the frame is empty and the caller looks for the stray quote).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delim,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skiprows=h,
                header=0 if names is None else None,
                names=names,
                skip_blank_lines=False,
                on_bad_lines="warn",
                engine="c",
                quotechar='"',
            )
        except pd.errors.ParserError as exc:
            if "EOF inside string" in str(exc):
                return pd.DataFrame(), [], True
            raise _unreadable(kind, sniffed, exc) from None
        except (pd.errors.EmptyDataError, ValueError) as exc:
            raise _unreadable(kind, sniffed, exc) from None
    return frame, list(caught), False


def _records(frame: pd.DataFrame, caught: list[Any]) -> int:
    return len(frame) + sum(len(_BAD_LINE.findall(str(w.message))) for w in caught)


def _unreadable(kind: str, sniffed: Sniffed, exc: Exception) -> InputFileError:
    detail = pnr.redact(str(exc)).splitlines()[0] if str(exc) else type(exc).__name__
    return InputFileError(f"the {kind} file cannot be read as {sniffed.describe()}: {detail}")


def _line_count(text: str) -> int:
    """Physical lines as the C parser counts them (``\n``, ``\r\n`` or ``\r`` end a line)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (1 if text and not text.endswith(("\n", "\r")) else 0)


def _stray_quotes(text: str, delim: str) -> list[tuple[int, tuple[str, str]]]:
    """Lines (0-based) that start a record whose opening quote is never properly closed.

    Python's csv module in strict mode walks the records and stops where a quoted value runs
    to the end of the file, or where its closing quote is followed by more text after a line
    break (the quote was stray and another row's quote closed it). That record's first line
    is set aside, its quote read as ordinary text, and the walk resumes on the next line, so
    the rows after it are read as they are written.
    """
    lines = io.StringIO(text, newline="").readlines()
    found: list[tuple[int, tuple[str, str]]] = []
    start = 0
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delim, strict=True)
        consumed = 0
        try:
            for _ in reader:
                consumed = reader.line_num
            break
        except csv.Error as exc:
            line = start + consumed
            spans = reader.line_num - consumed > 1
            end_of_file = "unexpected end of data" in str(exc)
            if "field larger than field limit" in str(exc):
                # a quoted value of more than 128 KiB: a stray quote, closed by the next quote
                # in the file if there is one
                spans = True
                end_of_file = '"' not in "".join(lines[line + 1 :])
            if end_of_file or spans:
                found.append((line, _quote_reason(lines[line], delim, end_of_file)))
            start = line + 1
    return found


def _quote_reason(line: str, delim: str, end_of_file: bool) -> tuple[str, str]:
    fields = next(csv.reader([line.rstrip("\r\n")], delimiter=delim), [""])
    value = '"' + (fields[-1] if fields else "")
    value = value if len(value) <= 60 else value[:57] + "..."
    where = (
        "runs to the end of the file"
        if end_of_file
        else "is closed only on a later row, which would swallow the rows between"
    )
    return value, (
        f'a value on this row starts with a quote (") that is never closed: it {where}. '
        "The row was set aside and every other row was read; remove the quote or close it"
    )


def _replace_lines(text: str, delim: str, width: int, lines: list[int]) -> str:
    """``text`` with the given physical lines replaced by a marked row of empty values."""
    parts = io.StringIO(text, newline="").readlines()
    for line in lines:
        ending = parts[line][len(parts[line].rstrip("\r\n")) :] or "\n"
        parts[line] = _SET_ASIDE + delim * max(width - 1, 0) + ending
    return "".join(parts)


def _read_csv_fast(text: str, delim: str, h: int, header: list[str]) -> pd.DataFrame | None:
    """:func:`_arrow_rows` of decoded text (an encoding pyarrow cannot read from the bytes)."""
    if "\r" in text[:4096].replace("\r\n", ""):
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    parts = text.split("\n", h + 2)
    first = parts[h + 1].rstrip("\r") if len(parts) > h + 1 else ""
    return _arrow_rows(text.encode("utf-8"), None, delim, h, header, lines - h - 1, first)


def _read_bytes_fast(
    data: bytes, encoding: str, delim: str, h: int, header: list[str]
) -> pd.DataFrame | None:
    """:func:`_arrow_rows` of the file's bytes, which pyarrow decodes (cp1252, latin-1, UTF-8)."""
    enc = _byte_encoding(encoding)
    if enc is None or b"\r" in data[:4096].replace(b"\r\n", b""):
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    start = 0
    for _ in range(h + 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return None
    end = data.find(b"\n", start)
    try:
        first = data[start : len(data) if end < 0 else end].decode(enc).rstrip("\r")
    except UnicodeDecodeError:
        return None
    return _arrow_rows(
        data, None if enc == "utf-8" else enc, delim, h, header, lines - h - 1, first
    )


def _arrow_rows(
    data: bytes,
    encoding: str | None,
    delim: str,
    h: int,
    header: list[str],
    expected: int,
    first: str,
) -> pd.DataFrame | None:
    """pyarrow's multi-threaded reader, used only when it provably keeps every row.

    pyarrow skips blank lines and cannot report the row of a malformed line, so its result is
    taken only when it has exactly one row per line below the header (``expected``: no blank
    lines, no line breaks inside quoted values, no malformed rows); otherwise the caller falls
    back to the C parser, which accounts for each of those. ``first`` is the first line below
    the header; ``encoding`` is given when pyarrow is to decode the bytes (None: UTF-8).
    """
    import pyarrow as pa
    import pyarrow.compute
    import pyarrow.csv as pa_csv

    if not header or expected <= 0:
        return None
    # a delimiter at the end of every row (BI tools): one more, empty, column
    fields = next(csv.reader([first], delimiter=delim), [])
    width = len(header) + (1 if first.endswith(delim) and len(fields) > len(header) else 0)
    names = [f"c{i}" for i in range(width)]
    # a single-byte encoding is split as bytes (its delimiters, quotes and line ends are the
    # ASCII ones) and each column decoded after: most columns are ASCII and need nothing
    as_type = pa.string() if encoding is None else pa.binary()
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(skip_rows=h + 1, column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=delim, newlines_in_values=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, as_type),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        if table.num_rows != expected:
            return None
        if encoding is not None:
            table = pa.table([_utf8(c, encoding) for c in table.columns], names=names)
    except (pa.ArrowInvalid, pa.ArrowException, UnicodeDecodeError):
        return None
    if width > len(header):
        extra = pa.compute.utf8_trim_whitespace(table.column(width - 1))
        if pa.compute.any(pa.compute.not_equal(extra, "")).as_py():
            return None  # a value beyond the header: the careful reader judges each row
        table = table.drop_columns([names[-1]])
    frame = table.to_pandas()
    # an empty header cell is named as pandas' parser names it on the careful path
    frame.columns = unique(
        [str(c).strip() if str(c) else f"Unnamed: {i}" for i, c in enumerate(header)]
    )
    return frame


def _utf8(column: Any, encoding: str) -> Any:
    """A binary column of single-byte ``encoding`` text as UTF-8 strings (strict decoding)."""
    import pyarrow as pa

    widths = _utf8_widths(encoding)
    chunks = []
    for chunk in column.chunks:
        n = len(chunk)
        if chunk.null_count:
            raise pa.ArrowInvalid("null values")  # never with the reader's options
        _, offset_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(offset_buffer, np.int32, count=n + 1, offset=chunk.offset * 4)
        low, high = int(offsets[0]), int(offsets[-1])
        raw = (
            np.frombuffer(data_buffer, np.uint8, count=high - low, offset=low)
            if high > low
            else np.zeros(0, np.uint8)
        )
        if not len(raw) or int(raw.max()) < 0x80:
            chunks.append(chunk.view(pa.string()))  # ASCII: the same bytes
            continue
        text = raw.tobytes().decode(encoding).encode("utf-8")
        # each value starts later by the extra UTF-8 bytes of the characters before it
        wide = np.flatnonzero(raw >= 0x80)
        extra = np.zeros(len(wide) + 1, np.int64)
        np.cumsum(widths[raw[wide]] - 1, out=extra[1:])
        at = offsets - low
        starts = (at + extra[np.searchsorted(wide, at)]).astype(np.int32)
        chunks.append(pa.StringArray.from_buffers(n, pa.py_buffer(starts), pa.py_buffer(text)))
    return pa.chunked_array(chunks, type=pa.string())


@functools.lru_cache(maxsize=4)
def _utf8_widths(encoding: str) -> np.ndarray:
    """Bytes in UTF-8 of each byte's character in ``encoding`` (1 for an undefined byte)."""
    widths = np.ones(256, np.int64)
    for b in range(0x80, 0x100):
        # an undefined byte: the strict decoding of its column fails
        with contextlib.suppress(UnicodeDecodeError):
            widths[b] = len(bytes([b]).decode(encoding).encode("utf-8"))
    return widths
