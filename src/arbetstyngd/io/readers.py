"""Readers for caseload exports: CSV/TXT, Excel (.xlsx/.xls) and Parquet.

A reader goes from a file as a case-management system (Treserva, Lifecare/Procapita, Combine,
Viva …) or a BI tool exported it to a canonical table that :func:`arbetstyngd.score` takes:

1. **sniff** the format, the encoding and the delimiter (:mod:`.sniff`);
2. find the **header row** (exports often start with a title line) and **map** the headers to
   canonical columns (:mod:`.columns`);
3. **pseudonymise**: every value of ``subject_id``, and every personnummer found inside any
   other text column, becomes a keyed pseudonym (:mod:`.pseudonym`);
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

from ..errors import ColumnsError, InputFileError
from ..frames import REJECTED_COLUMNS, required_columns
from . import personnummer as pnr
from .columns import (
    CANONICAL,
    KINDS,
    Profile,
    header_score,
    match_headers,
    normalise_header,
    normalise_name,
    resolve_user_columns,
    slug,
)
from .parse import DATE_HELP, gather, parse_dates, parse_numbers, parse_share, text_column
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
        ``how`` is ``"profile"``, ``"synonym"``, ``"canonical"`` or ``"kept"`` (unmapped, kept
        under a normalised name).
    pseudonymised : tuple of (column, cells)
        Cells replaced by pseudonyms, per column.
    key_source : str
        Where the pseudonymisation key came from.
    notes : tuple of str
        Decisions worth knowing (``fte read as per cent``).
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


def _too_large(size: int, limit: int, kind: str) -> str:
    return (
        f"the {kind} file is {size / 2**20:,.0f} MiB, more than a caseload export should be "
        f"(limit {limit / 2**20:,.0f} MiB); check that it is the right file, or pass "
        "max_bytes= to read it anyway"
    )


def _decode(data: bytes, encoding: str) -> str:
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
    fast = _read_csv_fast(text, delim, h, head_rows[h] if h < len(head_rows) else [])
    if fast is not None:
        rows = np.arange(h + 2, h + 2 + len(fast), dtype=np.int64)
        frame, rows, blank = _drop_blank(fast, rows)
        return _Raw(frame, rows, sniffed, None, h + 1, blank, [])
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
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            raise InputFileError(
                f"the {kind} file cannot be read as {sniffed.describe()}: "
                f"{pnr.redact(str(exc)).splitlines()[0] if str(exc) else type(exc).__name__}"
            ) from None
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
    frame, rows, blank = _drop_blank(frame, rows)
    return _Raw(frame, rows, sniffed, None, h + 1, blank, rejected)


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
                raise InputFileError(f"'sheet' {sheet} is not in the workbook: sheets {names}")
            candidates = [names[sheet]]
        elif sheet in names:
            candidates = [sheet]
        else:
            close = difflib.get_close_matches(str(sheet), names, n=1)
            hint = f" (is {close[0]!r} meant?)" if close else ""
            raise InputFileError(f"no sheet {sheet!r} in the workbook{hint}; sheets: {names}")
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
    return _Raw(frame, rows_n, sniffed, name, h + 1, blank, [])


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
    frame.columns = _unique([str(c) for c in frame.columns])
    return _Raw(frame, rows, sniffed, None, 1, 0, [])


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
    user = resolve_user_columns(user_raw, frame.columns, kind)
    mapping = _map_columns(frame.columns, kind, user)
    frame = frame.rename(columns={h: c for h, c, _ in mapping})
    missing = [c for c in required_columns(kind) if c not in frame.columns]
    if missing:
        raise ColumnsError(_missing_message(kind, missing, mapping))
    rejected = list(raw.rejected)
    bad = np.zeros(len(frame), dtype=bool)
    notes: list[str] = []
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
        subject = frame["subject_id"]
        if demographics:
            on = None
            if "opened" in frame.columns:
                on, _ = parse_dates(frame["opened"], order=date_order)
            demo = pnr.age_band_and_sex(text_column(subject), on)
            out["subject_age_band"] = demo["age_band"].to_numpy(dtype=object)
            out["subject_sex"] = demo["sex"].to_numpy(dtype=object)
        tokens = pseudo.identifiers(subject)
        pseudonymised["subject_id"] = int(tokens.notna().sum())
        frame["subject_id"] = tokens.astype("str")
    for col in frame.columns:
        if col == "subject_id":
            continue
        s = frame[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue
        text = text_column(s)
        if col in parsed_cols:
            hit = pnr.contains_personnummer(text)
            reject(
                hit,
                col,
                None,
                f"'{col}' holds what looks like a personal identity number; the value is not "
                "shown. Check the column mapping",
            )
            frame[col] = text.mask(hit, "")
            continue
        replaced, cells = pseudo.in_text(text)
        if cells:
            pseudonymised[col] = cells
            frame[col] = replaced.astype("str")
        else:
            frame[col] = text

    # 2. dates and numbers
    for col in _DATES[kind]:
        if col in frame.columns:
            dates, mask = parse_dates(frame[col], order=date_order)
            reject(mask, col, frame[col], f"'{col}' is not a date; write it as {DATE_HELP}")
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
                notes.append(f"'{col}' read as per cent (75 → 0.75)")
            frame[col] = shares
    for col in _NUMBERS[kind]:
        if col in frame.columns:
            numbers, mask = parse_numbers(frame[col])
            reject(mask, col, frame[col], f"'{col}' is not a number; write it as 1,5 or 1.5")
            frame[col] = numbers
    _extra_numbers(frame, kind)

    # 3. value maps and worker names
    maps = _value_maps(profile, kind, scheme)
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
    headers: pd.Index, kind: str, user: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    matched = match_headers(headers, kind, user)
    user_norm = {normalise_header(k) for k in user}
    canonical = set(CANONICAL[kind])
    used = set(matched.values())
    out = []
    for h in headers:
        if h in matched:
            c = matched[h]
            how = (
                "profile"
                if normalise_header(h) in user_norm
                else ("canonical" if str(h) == c else "synonym")
            )
        else:
            base = slug(h)
            c = base if base not in canonical else f"{base}_source"
            k = 2
            while c in used:
                c = f"{base}_{k}"
                k += 1
            how = "kept"
        used.add(c)
        out.append((h, c, how))
    return out


def _missing_message(kind: str, missing: list[str], mapping: list[tuple[str, str, str]]) -> str:
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
    return (
        f"the {kind} file has no column for {', '.join(hints)}; its headers are {headers}. "
        f"Map them with columns={{'<header>': '{missing[0]}'}} or a mapping profile "
        "(see docs/mapping-profiles.md)"
    )


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
        from ..scheme import Scheme

        if not isinstance(scheme, Scheme):
            from ..schemes import load_scheme

            scheme = load_scheme(scheme)
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
    for v in u:
        if v in roster_ids or v in aliases.values():
            resolved.append(v)
            fail.append("")
        elif normalise_name(v) in names:
            resolved.append(names[normalise_name(v)])
            fail.append("")
        elif roster is not None:
            close = difflib.get_close_matches(v, display, n=3, cutoff=0.5)
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
        For slash dates; ``auto`` is day first unless the column proves otherwise.
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
