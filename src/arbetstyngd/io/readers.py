"""Readers for caseload exports: CSV/TXT, Excel (.xlsx/.xls) and Parquet.

A reader goes from a file as a case-management system (Treserva, Lifecare/Procapita, Combine,
Viva …) or a BI tool exported it to a canonical table that :func:`arbetstyngd.score` takes:

1. **sniff** the format, the encoding and the delimiter (:mod:`.sniff`);
2. find the **header row** (exports often start with a title line) and **map** the headers to
   canonical columns (:mod:`.columns`);
3. **pseudonymise**: every value of ``subject_id``, every personnummer found inside any
   other text column, every valid number stored as a number (integers lose leading zeros;
   see :func:`.personnummer.whole_number_identity`) and every number in a header becomes a
   keyed pseudonym (:mod:`.pseudonym`);
4. **parse** dates and numbers as Swedish exports write them (:mod:`.parse`), map values and
   worker names;
5. **account** for every row: the table has a ``source_row`` column (the row a person sees
   when opening the file, header = row 1); rows that cannot be used are listed in
   ``frame.attrs["rejected"]`` (columns of :data:`arbetstyngd.frames.REJECTED_COLUMNS`), and
   ``frame.attrs["read"]`` is a :class:`ReadReport` on what was recognised.

Examples
--------
>>> import io
>>> export = "Dnr;Handläggare;Ärendetyp;Aktualiseringsdatum\\nA-1;H1;bou_utredning;3/2 2025\\n"
>>> cases = read_cases(io.BytesIO(export.encode("cp1252")), key="k" * 32)
>>> cases[["source_row", "case_id", "worker_id", "opened"]].to_dict("records")
[{'source_row': 2, 'case_id': 'A-1', 'worker_id': 'H1', 'opened': Timestamp('2025-02-03 00:00:00')}]
>>> cases.attrs["read"].encoding
'cp1252'
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import attrs
import numpy as np
import pandas as pd

from .._contract.columns import column, required_columns
from .._contract.problems import REJECTED_COLUMNS
from .._contract.suggest import Suggester
from ..errors import ColumnsError, InputFileError
from . import personnummer as pnr
from .columns import (
    CANONICAL,
    KINDS,
    SYNONYMS,
    HeaderWarning,
    Profile,
    header_score,
    match_headers,
    normalise_header,
    normalise_name,
    resolve_user_columns,
    slug,
)
from .parse import (
    DATE_HELP,
    dates_and_conflicts,
    gather,
    parse_dates,
    parse_numbers,
    parse_share,
    text_column,
)
from .pseudonym import Pseudonymiser
from .sniff import MAX_BYTES, Sniffed, sniff_bytes

__all__ = [
    "ReadReport",
    "RejectedRows",
    "read_cases",
    "read_table",
    "read_teams",
    "read_workers",
]

Source = str | Path | bytes | BinaryIO | TextIO | pd.DataFrame

_DATES = {"cases": ("opened", "closed"), "workers": ("profession_start",), "teams": ()}
_SHARES = {"cases": (), "workers": ("fte", "reduction"), "teams": ()}
# the engine's ranges (the data contract), here for values written in per cent
_SHARE_RANGE = {
    c: (*(column("workers", c).bounds or ()), column("workers", c).closed[1])
    for c in ("fte", "reduction")
}
_SHARE_TEXT = {"fte": "above 0 % and at most 150 %", "reduction": "from 0 % up to below 100 %"}
_NUMBERS = {
    "cases": (),
    "workers": ("experience_years",),
    "teams": ("span_of_control", "supervision_hours", "support_score"),
}
_ID_COLUMNS = {"case_id", "worker_id", "team_id", "manager_id", "subject_id"}
_HEADER_SCAN = 30


class RejectedRows(pd.DataFrame):
    """The rejection table a reader leaves in ``frame.attrs["rejected"]``.

    A plain DataFrame, except that ``==`` against another DataFrame answers one bool (are the
    tables equal): pandas compares ``attrs`` when it concatenates frames, and an elementwise
    answer would make ``pd.concat`` of two read tables fail.
    """

    @property
    def _constructor(self) -> type[RejectedRows]:
        return RejectedRows

    def __eq__(self, other: object) -> Any:
        if isinstance(other, pd.DataFrame):
            return bool(self.shape == other.shape and self.equals(other))
        return super().__eq__(other)

    def __ne__(self, other: object) -> Any:
        if isinstance(other, pd.DataFrame):
            return not self.__eq__(other)
        return super().__ne__(other)

    __hash__ = None


@attrs.frozen
class ReadReport:
    """What a reader recognised and did, for people (``arbetstyngd validate`` prints it).

    Attributes
    ----------
    source : str
        File name (or ``"<buffer>"``).
    kind : str
        ``cases``, ``workers`` or ``teams``.
    format : str
        A description such as ``CSV text, cp1252, semicolon-separated``.
    encoding, delimiter, sheet : str or None
    header_row : int
        Row of the header as a person sees it (1 = first row).
    rows_read : int
        Data rows below the header, blank rows not counted.
    blank_rows : int
        Entirely empty rows, skipped.
    rows_rejected : int
        Distinct rows in the rejection table.
    mapping : tuple of (header, column, how)
        ``how`` is ``"profile"``, ``"synonym"``, ``"canonical"``, ``"flag"`` (kept under its
        normalised name, which is a complexity flag of the scheme given) or ``"kept"``
        (unmapped, kept under a normalised name). A header that held an identity number is
        given as its pseudonym.
    pseudonymised : tuple of (column, cells)
        Cells replaced by pseudonyms, per column.
    key_source : str
        Where the pseudonymisation key came from.
    notes : tuple of str
        Decisions worth knowing (``fte read as per cent``), including every
        :class:`~arbetstyngd.io.columns.HeaderWarning` message.
    """

    source: str
    kind: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    rows_read: int
    blank_rows: int
    rows_rejected: int
    mapping: tuple[tuple[str, str, str], ...]
    pseudonymised: tuple[tuple[str, int], ...]
    key_source: str
    notes: tuple[str, ...] = ()

    def mapping_frame(self) -> pd.DataFrame:
        """``header``, ``column``, ``how`` as a table."""
        return pd.DataFrame(list(self.mapping), columns=["header", "column", "how"])


@attrs.define
class _Raw:
    frame: pd.DataFrame
    rows: np.ndarray
    sniffed: Sniffed
    sheet: str | None
    header_row: int
    blank: int
    rejected: list[pd.DataFrame]
    #: the header cells as written, one per column (duplicates not yet told apart)
    headers: list[str] | None = None


# --- loading -----------------------------------------------------------------------------------


def _source_name(source: Any) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    return str(getattr(source, "name", "<buffer>"))


def _bytes_of(source: Any, kind: str, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        if not path.exists():
            raise InputFileError(f"no {kind} file at {str(path)!r}")
        if path.is_dir():
            raise InputFileError(f"{str(path)!r} is a folder, not a {kind} file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputFileError(_too_large(size, max_bytes, kind))
        data = path.read_bytes()
    elif hasattr(source, "read"):
        left = _remaining(source)
        if left is not None and left > max_bytes:
            raise InputFileError(_too_large(left, max_bytes, kind))
        data = source.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes):
            raise InputFileError(f"the {kind} buffer gave {type(data).__name__}, not bytes")
    else:
        raise TypeError(
            f"'path_or_buffer' must be a path, bytes, a file object or a DataFrame "
            f"(got {type(source).__name__})"
        )
    if len(data) > max_bytes:
        raise InputFileError(_too_large(len(data), max_bytes, kind))
    return data


def _remaining(source: Any) -> int | None:
    """Bytes (characters for a text buffer) left in a seekable buffer; None if unknown."""
    try:
        if not source.seekable():
            return None
        here = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(here)
    except (AttributeError, OSError, ValueError):
        return None
    return int(end - here)


def _size_text(n: int) -> str:
    """``300 bytes``, ``4.9 KiB``, ``3.0 MiB``, ``1.0 GiB``: never a rounded-away ``0 MiB``."""
    if n < 1024:
        return f"{n:,} bytes"
    for unit, power in (("KiB", 1), ("MiB", 2), ("GiB", 3)):
        if n < 1024 ** (power + 1) or unit == "GiB":
            return f"{n / 1024**power:,.1f} {unit}"
    raise AssertionError("unreachable")


def _too_large(size: int, limit: int, kind: str) -> str:
    return (
        f"the {kind} file is {_size_text(size)}, more than a caseload export should be "
        f"(limit {_size_text(limit)}); check that it is the right file, or pass "
        "max_bytes= to read it anyway"
    )


def _decode(data: bytes, encoding: str) -> str:
    if encoding.startswith("utf-16"):
        # Excel's "Unicode text": the byte-order mark (if any) is not part of the header
        return data.decode(encoding, errors="replace").removeprefix("\ufeff")
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = "cp1252"  # a late non-UTF-8 byte: the sample was misleadingly plain
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _header_index(
    rows: list[list[Any]], kind: str, user: Mapping[str, str], forced: int | None
) -> int:
    if forced is not None:
        if forced < 1 or forced > len(rows):
            raise InputFileError(f"'header_row' {forced} is outside the first {len(rows)} rows")
        return forced - 1
    scores = [header_score([str(c) for c in row], kind, user) for row in rows[:_HEADER_SCAN]]
    if not scores or max(scores) == 0:
        first = next((r for r in rows if any(str(c).strip() for c in r)), [])
        shown = [pnr.redact(str(c))[:40] for c in first if str(c).strip()][:12]
        expected = ", ".join(
            words[1] if len(words) > 1 else words[0]
            for col, words in _synonyms(kind).items()
            if col in required_columns(kind)
        )
        raise InputFileError(
            f"the {kind} file lacks required column(s) "
            f"{', '.join(repr(c) for c in required_columns(kind))}: "
            f"no recognisable {kind} header in the first {min(len(rows), _HEADER_SCAN)} rows "
            f"(the first row has {shown}); expected headers such as {expected}. Map the "
            "columns with columns={...} or a mapping profile"
        )
    return int(np.argmax(scores))


def _synonyms(kind: str) -> dict[str, tuple[str, ...]]:
    from .columns import SYNONYMS

    return SYNONYMS[kind]


_BAD_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
# Stands in for a line set aside because of a stray quote: a private-use character no export
# writes, so the row can be found again after parsing and moved to the rejection table.
_SET_ASIDE = "\ue000"


def _load_csv(
    data: bytes, kind: str, sniffed: Sniffed, user: Mapping[str, str], forced: int | None
) -> _Raw:
    text = _decode(data, sniffed.encoding or "utf-8")
    delim = sniffed.delimiter or ";"
    head = text[: 256 * 1024]
    try:
        head_rows = list(csv.reader(io.StringIO(head), delimiter=delim))[: _HEADER_SCAN + 1]
    except csv.Error:
        head_rows = [line.split(delim) for line in head.splitlines()[:_HEADER_SCAN]]
    h = _header_index(head_rows, kind, user, forced)
    header = head_rows[h] if h < len(head_rows) else []
    # the fast reader counts one line per row: a line break inside a header or title cell
    # (a quoted value, or a stray quote) would make its count meaningless
    one_line_each = not any("\n" in c or "\r" in c for row in head_rows[: h + 1] for c in row)
    fast = _read_csv_fast(text, delim, h, header) if one_line_each else None
    if fast is not None:
        rows = np.arange(h + 2, h + 2 + len(fast), dtype=np.int64)
        frame, rows, blank = _drop_blank(fast, rows)
        return _Raw(frame, rows, sniffed, None, h + 1, blank, [], [str(c) for c in header])
    frame, caught, unclosed = _read_csv_careful(text, delim, h, kind, sniffed)
    set_aside: dict[int, tuple[str, str]] = {}
    # a record that spans lines is a quoted value with line breaks, or a stray quote closed by
    # a quote on a later row that swallowed the rows between: only then is the walk needed
    if unclosed or _records(frame, caught) != _line_count(text) - h - 1:
        set_aside = dict(_stray_quotes(text, delim))
        for line in set_aside:
            if line <= h:
                raise InputFileError(
                    f"the {kind} file cannot be read: row {line + 1}, at or above the header, "
                    'has a quote (") that opens a value and is never closed; remove the quote '
                    "or close it, and save the file again"
                )
        if set_aside:
            text = _replace_lines(text, delim, len(header), sorted(set_aside))
            frame, caught, unclosed = _read_csv_careful(text, delim, h, kind, sniffed)
    if unclosed:
        raise InputFileError(
            f'the {kind} file cannot be read as {sniffed.describe()}: a quote (") opens a '
            "value that is never closed; check the rows with quotes"
        )
    bad: list[tuple[int, int, int]] = []
    for w in caught:
        bad.extend((int(a), int(b), int(c)) for a, b, c in _BAD_LINE.findall(str(w.message)))
    first = h + 2
    bad_rows = np.array([b[0] for b in bad], dtype=np.int64)
    numbers = np.arange(first, first + len(frame) + len(bad), dtype=np.int64)
    rows = numbers[~np.isin(numbers, bad_rows)] if len(bad) else numbers
    rejected = []
    if bad:
        rejected.append(
            _rejections(
                kind,
                bad_rows,
                None,
                "(row)",
                None,
                [
                    f"the row has {saw} fields but the header has {exp}; a value probably "
                    f"contains the delimiter {delim!r} without quotes"
                    for _, exp, saw in bad
                ],
            )
        )
    if set_aside and len(frame.columns):
        marked = (frame.iloc[:, 0] == _SET_ASIDE).to_numpy(dtype=bool)
        # set-aside lines are in file order, and so are the marked rows
        whys = [set_aside[line] for line in sorted(set_aside)][: int(marked.sum())]
        rejected.append(
            _rejections(
                kind,
                rows[marked],
                None,
                "(row)",
                np.array([value for value, _ in whys], dtype=object),
                [why for _, why in whys],
            )
        )
        frame = frame.loc[~marked].reset_index(drop=True)
        rows = rows[~marked]
    frame, rows, blank = _drop_blank(frame, rows)
    return _Raw(frame, rows, sniffed, None, h + 1, blank, rejected, [str(c) for c in header])


def _read_csv_careful(
    text: str, delim: str, h: int, kind: str, sniffed: Sniffed
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
    """pyarrow's multi-threaded reader, used only when it provably keeps every row.

    pyarrow skips blank lines and cannot report the row of a malformed line, so its result is
    taken only when it has exactly one row per line below the header (no blank lines, no
    line breaks inside quoted values, no malformed rows); otherwise the caller falls back to
    the C parser, which accounts for each of those.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if not header or "\r" in text[:4096].replace("\r\n", ""):
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    expected = lines - h - 1
    if expected <= 0:
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(skip_rows=h + 1, column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=delim, newlines_in_values=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_rows != expected:
        return None
    frame = table.to_pandas()
    frame.columns = _unique([str(c).strip() for c in header])
    return frame


def _drop_blank(frame: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, int]:
    if not len(frame.columns) or not len(frame):
        return frame, rows, 0

    def blank(s: pd.Series) -> np.ndarray:
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            return text_column(s).fillna("").eq("").to_numpy(dtype=bool)
        return s.isna().to_numpy()

    # a blank row is blank in its first column: test the other columns on those rows only
    empty = blank(frame.iloc[:, 0])
    candidates = np.flatnonzero(empty)
    if not len(candidates):
        return frame, rows, 0
    sub = frame.iloc[candidates]
    keep_blank = np.ones(len(candidates), dtype=bool)
    for col in range(1, frame.shape[1]):
        keep_blank &= blank(sub.iloc[:, col])
    empty = np.zeros(len(frame), dtype=bool)
    empty[candidates[keep_blank]] = True
    if not empty.any():
        return frame, rows, 0
    keep = ~empty
    return frame.loc[keep].reset_index(drop=True), rows[keep], int(empty.sum())


def _load_excel(
    data: bytes,
    kind: str,
    sniffed: Sniffed,
    user: Mapping[str, str],
    sheet: str | int | None,
    forced: int | None,
) -> _Raw:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged workbooks
        raise InputFileError(
            f"the {kind} file looks like an Excel workbook but cannot be opened "
            f"({type(exc).__name__}); open it in Excel and save it again"
        ) from None
    if not names:
        raise InputFileError(f"the {kind} workbook has no sheets")
    if sheet is not None:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                shown = [pnr.redact(n) for n in names]
                raise InputFileError(f"'sheet' {sheet} is not in the workbook: sheets {shown}")
            candidates = [names[sheet]]
        elif sheet in names:
            candidates = [sheet]
        else:
            close = Suggester(names).closest(sheet, n=1)
            # sheet names are typed by people and may hold an identity number
            hint = f" (is {pnr.redact(close[0])!r} meant?)" if close else ""
            shown = [pnr.redact(n) for n in names]
            raise InputFileError(
                f"no sheet {pnr.redact(str(sheet))!r} in the workbook{hint}; sheets: {shown}"
            )
    else:
        candidates = names
    best: tuple[int, str, list[list[Any]]] | None = None
    for name in candidates:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # damaged sheet XML
            raise InputFileError(
                f"sheet {name!r} of the {kind} workbook cannot be read ({type(exc).__name__})"
            ) from None
        score = max(
            (header_score([str(c) for c in r], kind, user) for r in rows[:_HEADER_SCAN]),
            default=0,
        )
        if best is None or score > best[0]:
            best = (score, name, rows)
        if sheet is None and score >= len(required_columns(kind)):
            break
    assert best is not None
    _, name, rows = best
    h = _header_index(rows, kind, user, forced)
    header = [_cell_text(c) for c in rows[h]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = [c or f"column {i + 1}" for i, c in enumerate(header[:width])]
    body = [r[:width] for r in rows[h + 1 :]]
    frame = pd.DataFrame(body, columns=_unique(header), dtype=object)
    frame = frame.replace({"": None})
    rows_n = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    frame, rows_n, blank = _drop_blank(frame, rows_n)
    return _Raw(frame, rows_n, sniffed, name, h + 1, blank, [], header)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out


def _load_frame(frame: pd.DataFrame, sniffed: Sniffed) -> _Raw:
    frame = frame.reset_index(drop=True)
    if "source_row" in frame.columns:
        rows = pd.to_numeric(frame["source_row"], errors="coerce").to_numpy(dtype=float)
        rows = np.where(np.isnan(rows), np.arange(2, len(frame) + 2), rows).astype(np.int64)
        frame = frame.drop(columns="source_row")
    else:
        rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    headers = [str(c) for c in frame.columns]
    frame.columns = _unique(headers)
    return _Raw(frame, rows, sniffed, None, 1, 0, [], headers)


def _load(
    source: Source,
    kind: str,
    user: Mapping[str, str],
    *,
    sheet: str | int | None,
    encoding: str | None,
    delimiter: str | None,
    header_row: int | None,
    max_bytes: int,
) -> _Raw:
    if isinstance(source, pd.DataFrame):
        return _load_frame(source.copy(), Sniffed("DataFrame"))
    data = _bytes_of(source, kind, max_bytes)
    sniffed = sniff_bytes(data, encoding=encoding, delimiter=delimiter, complete=True)
    if sniffed.format in ("xlsx", "xls"):
        return _load_excel(data, kind, sniffed, user, sheet, header_row)
    if sniffed.format == "parquet":
        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:  # pyarrow raises ArrowInvalid and friends
            raise InputFileError(
                f"the {kind} file looks like Parquet but cannot be read ({type(exc).__name__})"
            ) from None
        raw = _load_frame(frame, sniffed)
        _header_index([list(raw.frame.columns)], kind, user, None)
        return raw
    return _load_csv(data, kind, sniffed, user, header_row)


# --- rejections --------------------------------------------------------------------------------


def _rejections(
    kind: str,
    rows: np.ndarray,
    ids: np.ndarray | None,
    column: str,
    values: np.ndarray | None,
    reasons: str | list[str] | np.ndarray,
) -> pd.DataFrame:
    n = len(rows)
    shown = (
        np.full(n, None, dtype=object)
        if values is None
        else np.array([_shown(v) for v in values], dtype=object)
    )
    return pd.DataFrame(
        {
            "table": kind,
            "row": np.asarray(rows, dtype=object),
            "id": np.full(n, None, dtype=object) if ids is None else np.asarray(ids, dtype=object),
            "column": column,
            "value": shown,
            "reason": reasons if isinstance(reasons, str) else list(reasons),
        },
        columns=list(REJECTED_COLUMNS),
    )


def _shown(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value)
    return pnr.redact(text)


# --- the pipeline ------------------------------------------------------------------------------


def read_table(
    path_or_buffer: Source,
    kind: str,
    *,
    columns: Any = None,
    key: Any = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    date_order: str | None = None,
    fte_unit: str | None = None,
    scheme: Any = None,
    roster: pd.DataFrame | None = None,
    aliases: Mapping[str, Any] | None = None,
    demographics: bool = False,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Read one table of the given ``kind`` (``cases``, ``workers``, ``teams``).

    See :func:`read_cases` for the parameters.
    """
    if kind not in KINDS:
        raise ValueError(f"'kind' must be one of {KINDS} (got {kind!r})")
    profile = Profile.coerce(columns)
    opts = profile.read
    encoding = encoding or opts.get("encoding")
    delimiter = delimiter or opts.get("delimiter")
    sheet = sheet if sheet is not None else opts.get("sheet")
    header_row = header_row if header_row is not None else opts.get("header_row")
    date_order = date_order or opts.get("date_order") or "auto"
    fte_unit = fte_unit or opts.get("fte_unit") or "auto"
    pseudo = Pseudonymiser.from_key(key)

    user_raw = profile.columns_for(kind)
    raw = _load(
        path_or_buffer,
        kind,
        user_raw,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        max_bytes=max_bytes,
    )
    frame, rows = raw.frame, raw.rows
    notes: list[str] = []
    # Headers can hold identity numbers too (a pivoted export, a mistaken paste): they become
    # pseudonyms before any name is derived from them or shown in a message.
    written = raw.headers if raw.headers and len(raw.headers) == frame.shape[1] else None
    written = [
        w if w.strip() else str(c)
        for w, c in zip(written or map(str, frame.columns), frame.columns, strict=True)
    ]
    headers, hidden = _hide_identity_headers(written, pseudo)
    if hidden:
        notes.append(
            f"{hidden} header(s) held a personal identity number; it is shown, and the column "
            "named, by its pseudonym"
        )
        user_raw = {
            _hide_identity_headers([k], pseudo)[0][0]: _hide_identity_headers([v], pseudo)[0][0]
            for k, v in user_raw.items()
        }
    frame.columns = _unique(headers)
    written_by_label = dict(zip(frame.columns, headers, strict=True))
    user = resolve_user_columns(user_raw, frame.columns, kind)
    mapping, header_notes = _map_columns(frame.columns, kind, user, written_by_label)
    header_notes = _absent_headers(columns, profile, kind, headers, mapping) + header_notes
    for message in header_notes:
        warnings.warn(message, HeaderWarning, stacklevel=3)
    notes.extend(header_notes)
    scheme_obj = _scheme(scheme) if kind == "cases" and scheme is not None else None
    if scheme_obj is not None:
        flags = set(scheme_obj.flags)
        mapping = [(h, c, "flag" if how == "kept" and c in flags else how) for h, c, how in mapping]
    frame = frame.rename(columns={h: c for h, c, _ in mapping})
    missing = [c for c in required_columns(kind) if c not in frame.columns]
    if missing:
        raise ColumnsError(_missing_message(kind, missing, mapping, header_notes))
    rejected = list(raw.rejected)
    bad = np.zeros(len(frame), dtype=bool)
    id_col = {"cases": "case_id", "workers": "worker_id", "teams": "team_id"}[kind]

    def reject(mask: np.ndarray, column: str, values: Any, reason: Any) -> None:
        nonlocal bad
        if not mask.any():
            return
        vals = None if values is None else np.asarray(values, dtype=object)[mask]
        why = reason if isinstance(reason, str) else np.asarray(reason, dtype=object)[mask]
        ids = np.asarray(text_column(frame[id_col]).tolist(), dtype=object)[mask]
        rejected.append(_rejections(kind, rows[mask], ids, column, vals, why))
        bad |= mask

    # 1. personal data first, so that nothing below (messages, rejections) sees a raw number
    pseudonymised: dict[str, int] = {}
    out: dict[str, Any] = {}
    parsed_cols = set(_DATES[kind]) | set(_SHARES[kind]) | set(_NUMBERS[kind])
    if "subject_id" in frame.columns:
        subject = _identity_text(frame["subject_id"])
        if demographics:
            on = None
            if "opened" in frame.columns:
                on, _ = parse_dates(frame["opened"], order=date_order)
            demo = pnr.age_band_and_sex(subject, on)
            out["subject_age_band"] = demo["age_band"].to_numpy(dtype=object)
            out["subject_sex"] = demo["sex"].to_numpy(dtype=object)
        tokens = pseudo.identifiers(subject)
        pseudonymised["subject_id"] = int(tokens.notna().sum())
        frame["subject_id"] = tokens.astype("str")
    hidden_cells: dict[str, np.ndarray] = {}
    for col in frame.columns:
        if col == "subject_id":
            continue
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if _is_number_column(s):
            # BI tools and Parquet files keep identity numbers as integers
            whole, forms = pnr.whole_number_identity(s)
            if col in parsed_cols:
                hidden_cells[col] = whole
                frame[col] = s.mask(whole) if whole.any() else s
            elif whole.any():
                text = _number_text(s)
                text[whole] = pseudo.identifiers(pd.Series(forms[whole])).to_numpy(dtype=object)
                pseudonymised[col] = int(whole.sum())
                frame[col] = text.astype("str")
            continue
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue
        text = text_column(s)
        if col in parsed_cols:
            hit = pnr.contains_personnummer(text)
            if col not in _DATES[kind]:
                # dates: a whole number of 7-12 digits is never a date, so only the values
                # that fail to parse are checked (below), not the whole column
                hit |= pnr.whole_number_identity(text, stripped=True)[0]
            hidden_cells[col] = hit
            frame[col] = text.mask(hit, "")
            continue
        whole, forms = pnr.whole_number_identity(text, stripped=True)
        replaced, cells = pseudo.in_text(text)
        if whole.any():
            replaced = replaced.astype(object)
            replaced[whole] = pseudo.identifiers(pd.Series(forms[whole])).to_numpy(dtype=object)
            cells = int((whole | text.ne(replaced).fillna(False).to_numpy(dtype=bool)).sum())
        if cells:
            pseudonymised[col] = cells
            frame[col] = replaced.astype("str")
        else:
            frame[col] = text
    # rejected only now, so that the row's id shown with them is already pseudonymised
    for col, hit in hidden_cells.items():
        reject(
            hit,
            col,
            None,
            f"'{col}' holds what looks like a personal identity number; the value is not "
            "shown. Check the column mapping",
        )

    # 2. dates and numbers
    for col in _DATES[kind]:
        if col in frame.columns:
            dates, mask, other = dates_and_conflicts(frame[col], order=date_order)
            if mask.any() and not _is_number_column(frame[col]):
                unparsed = np.flatnonzero(mask)
                number = np.zeros(len(mask), dtype=bool)
                number[unparsed] = pnr.whole_number_identity(
                    frame[col].iloc[unparsed], stripped=True
                )[0]
                reject(
                    number,
                    col,
                    None,
                    f"'{col}' holds what looks like a personal identity number; the value is "
                    "not shown. Check the column mapping",
                )
                mask &= ~number
            if date_order == "mdy":
                why = (
                    f"'{col}' can only be read day first (the first number is above 12), but "
                    "date_order='mdy' reads dates month first; write it as YYYY-MM-DD or leave "
                    "out date_order"
                )
            else:
                why = (
                    f"'{col}' reads as month first (the second number is above 12, so it is "
                    "no month); dates are read day first, D/M YYYY. Write it as YYYY-MM-DD, "
                    "or pass date_order='mdy' if the whole file is month first"
                )
            reject(other & mask, col, frame[col], why)
            reject(
                mask & ~other, col, frame[col], f"'{col}' is not a date; write it as {DATE_HELP}"
            )
            frame[col] = dates
    for col in _SHARES[kind]:
        if col in frame.columns:
            shares, nan_bad, ambiguous, unit = parse_share(frame[col], fte_unit)
            reject(nan_bad, col, frame[col], f"'{col}' is not a number; write it as 0,75 or 75 %")
            reject(
                ambiguous,
                col,
                frame[col],
                f"'{col}' is ambiguous: the column is in per cent but this value is at most "
                "1.5 (one per cent or a share?); write it as a per cent or set fte_unit",
            )
            if unit == "percent":
                notes.append(f"'{col}' read as per cent ({_percent_example(frame[col], shares)})")
                # out-of-range values are named as written (75 %, -1), not as the share
                # they became, and the engine's percentage hint would be wrong here
                low, high, closed_high = _SHARE_RANGE[col]
                outside = ~np.isnan(shares) & ~(
                    (shares >= low if col == "reduction" else shares > low)
                    & (shares <= high if closed_high else shares < high)
                )
                reject(
                    outside,
                    col,
                    frame[col],
                    f"'{col}' must be {_SHARE_TEXT[col]} of full time (the column is in per cent)",
                )
            frame[col] = shares
    for col in _NUMBERS[kind]:
        if col in frame.columns:
            numbers, mask = parse_numbers(frame[col])
            reject(mask, col, frame[col], f"'{col}' is not a number; write it as 1,5 or 1.5")
            frame[col] = numbers
    _extra_numbers(frame, kind)

    # 3. value maps and worker names
    maps = _value_maps(profile, kind, scheme_obj)
    for col, vmap in maps.items():
        if col in frame.columns:
            frame[col] = _apply_value_map(frame[col], vmap)
    if kind == "cases":
        alias_table = {**profile.aliases, **{str(k): str(v) for k, v in (aliases or {}).items()}}
        if roster is not None or alias_table:
            ids, unmatched, reasons = _resolve_workers(frame["worker_id"], roster, alias_table)
            frame["worker_id"] = ids
            reject(unmatched, "worker_id", frame["worker_id"], reasons)
    for col in _ID_COLUMNS & set(frame.columns):
        if col != "subject_id":
            frame[col] = text_column(frame[col]).replace("", pd.NA).astype("str")
    for name, values in out.items():
        frame[name] = values
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.StringDtype) and frame[col].dtype != "str":
            frame[col] = frame[col].astype("str")

    frame.insert(0, "source_row", rows)
    good = frame.loc[~bad].reset_index(drop=True)
    table = (
        pd.concat(rejected, ignore_index=True)
        if rejected
        else pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})
    )
    if len(table):
        table = table.sort_values("row", kind="stable", ignore_index=True)
    table = RejectedRows(table.astype(object))
    good.attrs["rejected"] = table
    good.attrs["read"] = ReadReport(
        source=_source_name(path_or_buffer),
        kind=kind,
        format=raw.sniffed.describe(),
        encoding=raw.sniffed.encoding,
        delimiter=raw.sniffed.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
        rows_read=len(rows) + sum(len(r) for r in raw.rejected),
        blank_rows=raw.blank,
        rows_rejected=int(table["row"].nunique()),
        mapping=tuple((pnr.redact(str(h)), c, how) for h, c, how in mapping),
        pseudonymised=tuple(pseudonymised.items()),
        key_source=pseudo.source,
        notes=tuple(notes),
    )
    return good


def _map_columns(
    labels: pd.Index, kind: str, user: Mapping[str, str], written: Mapping[str, str]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """``(label, column, how)`` per column, and a message for every header that lost out.

    Two headers that are the same once case, accents and punctuation are ignored are one
    header written twice: the first is mapped, the others are kept under their own names and
    a message says so. Two different synonyms of one column (``Handläggare`` and ``Ansvarig``)
    are resolved by the more specific synonym, also with a message.
    """
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(normalise_header(written.get(label, label)), []).append(i)
    repeats = {i for positions in groups.values() for i in positions[1:]}
    matched = match_headers([h for i, h in enumerate(labels) if i not in repeats], kind, user)
    user_norm = {normalise_header(k) for k in user}
    canonical = set(CANONICAL[kind])
    used = set(matched.values())
    out = []
    for i, h in enumerate(labels):
        if h in matched and i not in repeats:
            c = matched[h]
            how = (
                "profile"
                if normalise_header(h) in user_norm
                else ("canonical" if str(h) == c else "synonym")
            )
        else:
            base = slug(written.get(h, h))
            c = base if base not in canonical else f"{base}_source"
            k = 2
            while c in used:
                c = f"{base}_{k}"
                k += 1
            how = "kept"
        used.add(c)
        out.append((h, c, how))
    return out, _header_messages(labels, written, groups, out, kind, user)


def _header_messages(
    labels: pd.Index,
    written: Mapping[str, str],
    groups: Mapping[str, list[int]],
    mapping: list[tuple[str, str, str]],
    kind: str,
    user: Mapping[str, str],
) -> list[str]:
    messages = []
    times = {2: "twice", 3: "three times"}
    for positions in groups.values():
        if len(positions) < 2:
            continue
        name = written.get(labels[positions[0]], labels[positions[0]])
        numbers = [str(i + 1) for i in positions]
        where = ", ".join(numbers[:-1]) + " and " + numbers[-1]
        first = mapping[positions[0]]
        used = (
            f"column {numbers[0]} is read as '{first[1]}'"
            if first[2] != "kept"
            else f"column {numbers[0]} is kept as '{first[1]}'"
        )
        others = ", ".join(
            f"column {numbers[k]} as '{mapping[i][1]}'" for k, i in enumerate(positions) if k
        )
        messages.append(
            f"'{name}' appears {times.get(len(positions), f'{len(positions)} times')} as a header "
            f"(columns {where}): {used}; the others are kept ({others}). Rename the header "
            "in the file or map the one you mean with columns={...}"
        )
    # different synonyms of the same column: say which one won
    index = {normalise_header(w): c for c, words in SYNONYMS[kind].items() for w in words}
    user_norm = {normalise_header(k) for k in user}
    taken = {c: written.get(h, h) for h, c, how in mapping if how in ("synonym", "canonical")}
    repeats = {i for positions in groups.values() for i in positions[1:]}
    for i, (h, c, how) in enumerate(mapping):
        target = index.get(normalise_header(written.get(h, h)))
        if how == "kept" and i not in repeats and target in taken and h not in user_norm:
            messages.append(
                f"'{written.get(h, h)}' also looks like the column '{target}', which is read "
                f"from '{taken[target]}' (the more specific header); '{written.get(h, h)}' is "
                f"kept as '{c}'. Map it with columns={{...}} if it is the one you mean"
            )
    return messages


def _absent_headers(
    columns: Any,
    profile: Profile,
    kind: str,
    headers: list[str],
    mapping: list[tuple[str, str, str]],
) -> list[str]:
    """A message per column mapping that names a header the file does not have.

    Checked per target column: a profile may list alternatives (``worker_id = ["Ansvarig",
    "Handläggare"]``), and it is enough that one of them is present. Profile mappings that apply
    to every table (``[columns]``) are checked only for this table's canonical columns.
    """
    present = {normalise_header(h) for h in headers}
    canonical = set(CANONICAL[kind])
    sections: list[tuple[dict[str, str], bool]] = [(profile.columns.get(kind, {}), True)]
    sections.append((profile.columns.get("*", {}), isinstance(columns, Mapping)))
    by_target: dict[str, list[str]] = {}
    for section, strict in sections:
        for k, v in section.items():
            # {header: column} or {column: header}: the canonical side tells which is which
            header, target = (v, k) if k in canonical and v not in canonical else (k, v)
            if not strict and target not in canonical:
                continue
            by_target.setdefault(target, []).append(header)
    source = {c: h for h, c, how in mapping if how != "kept"}
    shown = [pnr.redact(h) for h in headers]
    messages = []
    for target, names in by_target.items():
        if any(normalise_header(n) in present for n in names):
            continue
        named = " or ".join(repr(pnr.redact(n)) for n in names)
        instead = (
            f"; '{target}' is read from '{pnr.redact(source[target])}' instead"
            if target in source
            else ""
        )
        messages.append(
            f"the column mapping names {named} for '{target}', but the file has no such "
            f"header (its headers are {shown}){instead}"
        )
    return messages


def _missing_message(
    kind: str, missing: list[str], mapping: list[tuple[str, str, str]], notes: list[str]
) -> str:
    headers = [pnr.redact(str(h)) for h, _, _ in mapping]
    unmapped = [pnr.redact(str(h)) for h, _, how in mapping if how == "kept"]
    by_norm = {normalise_header(h): h for h in unmapped}
    hints = []
    for m in missing:
        words = [normalise_header(w) for w in _synonyms(kind)[m]]
        close = [
            c for w in words for c in difflib.get_close_matches(w, list(by_norm), n=1, cutoff=0.75)
        ]
        hint = f" (is '{by_norm[close[0]]}' meant?)" if close else ""
        hints.append(f"'{m}'{hint}")
    absent = [n for n in notes if "no such header" in n and any(f"'{m}'" in n for m in missing)]
    return (
        f"the {kind} file has no column for {', '.join(hints)}; its headers are {headers}. "
        f"Map them with columns={{'<header>': '{missing[0]}'}} or a mapping profile "
        "(see docs/mapping-profiles.md)" + "".join(f". Note: {n}" for n in absent)
    )


def _hide_identity_headers(headers: list[str], pseudo: Pseudonymiser) -> tuple[list[str], int]:
    """Headers with every identity number in them replaced by its pseudonym, and how many."""
    names = pd.Series(headers, dtype=object).astype("str")
    whole, forms = pnr.whole_number_identity(names)
    replaced, cells = pseudo.in_text(names.mask(whole, ""))
    out = np.array(replaced.astype(object).tolist(), dtype=object)
    if whole.any():
        out[whole] = pseudo.identifiers(pd.Series(forms[whole])).to_numpy(dtype=object)
    return [str(h) for h in out], cells + int(whole.sum())


def _scheme(scheme: Any) -> Any:
    from ..schemes import load_scheme

    return load_scheme(scheme)  # a Scheme as it is, else by name or path


def _is_number_column(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _number_text(s: pd.Series) -> pd.Series:
    """Numbers as text: whole values without ``.0``, so ids keep the form they were written in."""
    if pd.api.types.is_integer_dtype(s.dtype):
        return s.astype("str").astype(object).where(s.notna(), None)
    numbers = s.to_numpy(dtype=float, na_value=np.nan)
    out = np.full(len(s), None, dtype=object)
    finite = np.isfinite(numbers)
    whole = finite & (numbers == np.floor(np.where(finite, numbers, 0)))
    out[whole] = numbers[whole].astype(np.int64).astype(str)
    out[finite & ~whole] = numbers[finite & ~whole].astype(str)
    return pd.Series(out, index=s.index, dtype=object)


def _identity_text(subject: pd.Series) -> pd.Series:
    """A subject column as text in which identity numbers stored as numbers have their zeros
    back, so that a 10-digit number of someone born 2000–2009 stored as an integer (which
    lost its leading zero) and the same number as text get the same pseudonym."""
    if isinstance(subject.dtype, pd.CategoricalDtype):
        subject = subject.astype(object)
    # Text as written (the pseudonymiser strips it): one pass over the column less. Every
    # subject value is pseudonymised anyway; restoring zeros only makes the pseudonym match
    # the text form, so a number with stray spaces around it need not be looked for.
    if _is_number_column(subject):
        text = _number_text(subject)
    else:
        text = text_column(subject) if subject.dtype == object else subject.astype("str")
    whole, forms = pnr.whole_number_identity(text.astype("str"), stripped=True)
    if whole.any():
        text = text.astype(object)
        text[whole] = forms[whole]
    return text.astype("str")


def _percent_example(values: pd.Series, shares: np.ndarray) -> str:
    """``for example '80' → 0.8``, from the first value of the column that was converted."""
    text = text_column(values)
    ok = np.flatnonzero(~np.isnan(shares) & text.fillna("").ne("").to_numpy(dtype=bool))
    if not len(ok):
        return "for example 75 → 0.75"
    i = int(ok[0])
    return f"for example {_shown(text.iloc[i])!r} → {shares[i]:g}"


def _extra_numbers(frame: pd.DataFrame, kind: str) -> None:
    """Unmapped columns whose every value is a Swedish-written number become numbers."""
    known = set(CANONICAL[kind]) | _ID_COLUMNS
    for col in frame.columns:
        if col in known:
            continue
        s = frame[col]
        if not pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
            continue
        text = text_column(s)
        present = text.fillna("").ne("")
        if not present.any():
            continue
        # leading zeros mark codes (postcodes, ids), not quantities
        if text[present].str.match(r"^0\d").any():
            continue
        values, bad = parse_numbers(text)
        if not bad.any():
            frame[col] = values


def _value_maps(profile: Profile, kind: str, scheme: Any) -> dict[str, dict[str, Any]]:
    maps: dict[str, dict[str, Any]] = {}
    if kind == "cases" and scheme is not None:
        types: dict[str, Any] = {}
        phases: dict[str, Any] = {}
        for w in scheme.weights:
            types.setdefault(w.case_type, w.case_type)
            if w.phase is None:
                for label in (w.label.sv, w.label.en):
                    if label:
                        types.setdefault(label, w.case_type)
            else:
                phases.setdefault(w.phase, w.phase)
        maps["case_type"] = types
        maps["phase"] = phases
    for col, vmap in profile.values_for(kind).items():
        maps[col] = {**maps.get(col, {}), **vmap}
    return maps


def _apply_value_map(series: pd.Series, vmap: Mapping[str, Any]) -> pd.Series:
    lookup = {normalise_header(k): v for k, v in vmap.items()}
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = [lookup.get(normalise_header(v), v) for v in pd.Series(uniques).tolist()]
    return pd.Series(gather(codes, mapped), index=series.index, dtype="object")


def _resolve_workers(
    values: pd.Series, roster: pd.DataFrame | None, aliases: Mapping[str, str]
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Worker ids from ids or display names; unmatched names with the closest roster names."""
    text = text_column(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    u = [str(v) for v in uniques]
    roster_ids: set[str] = set()
    names: dict[str, str] = {normalise_name(k): str(v) for k, v in aliases.items()}
    display: list[str] = list(aliases)
    if roster is not None:
        if "worker_id" not in roster.columns:
            raise ColumnsError("'roster' must have a worker_id column (read it with read_workers)")
        roster_ids = set(text_column(roster["worker_id"]).dropna())
        if "name" in roster.columns:
            for n, w in zip(roster["name"], roster["worker_id"], strict=True):
                if isinstance(n, str) and n.strip():
                    names.setdefault(normalise_name(n), str(w).strip())
                    display.append(n)
    resolved = []
    fail = []
    suggest = Suggester(display)
    for v in u:
        if v in roster_ids or v in aliases.values():
            resolved.append(v)
            fail.append("")
        elif normalise_name(v) in names:
            resolved.append(names[normalise_name(v)])
            fail.append("")
        elif roster is not None:
            close = suggest.closest(v)
            hint = f"; closest roster names: {', '.join(map(repr, close))}" if close else ""
            resolved.append(v)
            fail.append(
                f"worker {v!r} is neither a worker id of the roster nor a known name{hint}; "
                "add it to the alias table"
            )
        else:
            resolved.append(v)
            fail.append("")
    arr = np.asarray(resolved, dtype=object)
    why = np.asarray(fail, dtype=object)
    ids = gather(codes, arr)
    reasons = gather(codes, why, "")
    return (
        pd.Series(ids, index=values.index, dtype=object),
        reasons != "",
        reasons,
    )


# --- public readers ----------------------------------------------------------------------------


def read_cases(
    path_or_buffer: Source,
    *,
    columns: Any = None,
    key: Any = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    date_order: str | None = None,
    scheme: Any = None,
    roster: pd.DataFrame | None = None,
    aliases: Mapping[str, Any] | None = None,
    demographics: bool = False,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Read a cases export into the canonical cases table.

    Parameters
    ----------
    path_or_buffer : path, bytes, file object or DataFrame
        CSV/TXT (any of ``;`` ``,`` tab ``|``), Excel .xlsx/.xls or Parquet; the format is
        recognised from the content, not the file name.
    columns : dict, Profile or path to a .toml profile, optional
        Header mapping ``{header in the file: canonical column}`` on top of the built-in
        Swedish synonyms (``{canonical: header}`` is understood too), or a mapping profile
        with value maps, aliases and read options.
    key : str, bytes or Path, optional
        Pseudonymisation key (or key file). Default: ``ARBETSTYNGD_KEY`` /
        ``ARBETSTYNGD_KEY_FILE``, else a random key for this run (with a warning).
    sheet : str or int, optional
        Excel sheet; default the first sheet with a recognisable header.
    encoding, delimiter : str, optional
        Override what is detected.
    header_row : int, optional
        Row of the header (1 = first); default found by looking for known headers.
    date_order : {"auto", "dmy", "mdy"}, optional
        For slash dates. ``auto`` (the default) and ``dmy`` read them day first, the Swedish
        order, in every row; a value that can only be month first (``4/13/2026``) is rejected
        with the value shown. ``mdy`` reads the whole file month first.
    scheme : Scheme or str, optional
        Map case-type values that are the scheme's labels (``Barnavårdsutredning``) to its
        codes (``bou_utredning``), and phases written with capitals or accents to its phases.
    roster : DataFrame, optional
        The workers table: worker names in the export are matched to its ``name`` column and
        unmatched names are rejected with the closest roster names.
    aliases : dict, optional
        ``{display name: worker_id}``, added to the profile's aliases.
    demographics : bool
        Add ``subject_age_band`` (at the opened date) and ``subject_sex`` from the identity
        number before it is pseudonymised.
    max_bytes : int
        Refuse larger files (default 1 GiB).

    Returns
    -------
    pandas.DataFrame
        Canonical columns, ``source_row`` first; ``attrs["rejected"]`` lists every row that
        could not be used and ``attrs["read"]`` is a :class:`ReadReport`.

    Raises
    ------
    InputFileError
        The file is missing, empty, binary, too large or has no recognisable header.
    ColumnsError
        A required column cannot be found.

    Warns
    -----
    HeaderWarning
        A mapping names a header the file does not have, a header appears twice, or two
        headers look like the same column (:class:`arbetstyngd.io.columns.HeaderWarning`).
    """
    return read_table(
        path_or_buffer,
        "cases",
        columns=columns,
        key=key,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        date_order=date_order,
        scheme=scheme,
        roster=roster,
        aliases=aliases,
        demographics=demographics,
        max_bytes=max_bytes,
    )


def read_workers(
    path_or_buffer: Source,
    *,
    columns: Any = None,
    key: Any = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    date_order: str | None = None,
    fte_unit: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Read a roster (workers) export into the canonical workers table.

    ``fte`` (tjänstgöringsgrad) is a share of full time: ``0,75``, ``75`` and ``75 %`` all
    read as 0.75 (``fte_unit``: ``auto``, ``percent`` or ``share``; see
    :func:`arbetstyngd.io.parse.parse_share`). Other parameters as :func:`read_cases`.

    Examples
    --------
    >>> import io
    >>> text = "Handläggar-id;Enhet;Tjänstgöringsgrad\\nH1;T1;75 %\\nH2;T1;100\\n"
    >>> w = read_workers(io.StringIO(text), key="k" * 32)
    >>> w["fte"].tolist()
    [0.75, 1.0]
    """
    return read_table(
        path_or_buffer,
        "workers",
        columns=columns,
        key=key,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        date_order=date_order,
        fte_unit=fte_unit,
        max_bytes=max_bytes,
    )


def read_teams(
    path_or_buffer: Source,
    *,
    columns: Any = None,
    key: Any = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Read a teams export into the canonical teams table (parameters as :func:`read_cases`).

    Examples
    --------
    >>> import io
    >>> t = read_teams(io.StringIO("Enhet,Handledning\\nT1,\\"1,5\\"\\n"), key="k" * 32)
    >>> t[["team_id", "supervision_hours"]].to_dict("records")
    [{'team_id': 'T1', 'supervision_hours': 1.5}]
    """
    return read_table(
        path_or_buffer,
        "teams",
        columns=columns,
        key=key,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        max_bytes=max_bytes,
    )
