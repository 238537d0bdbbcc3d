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
   ``frame.attrs["rejected"]`` (the rejection columns of the data contract, with a
   ``code``), and ``frame.attrs["read"]`` is a :class:`ReadReport` on what was recognised.

Each format has its loader in :mod:`.formats`; the steps are :mod:`.headers`,
:mod:`.identity`, :mod:`.values` and :mod:`.names`; the options are one :class:`ReadOptions`.

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

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import attrs
import pandas as pd

from . import personnummer as pnr
from .columns import KINDS, Profile
from .formats import load
from .formats.common import source_name, unique
from .headers import Mapped, map_headers
from .identity import pseudonymise_cells
from .names import map_values
from .options import ReadOptions
from .parse import forget_distinct, text_column
from .pseudonym import Pseudonymiser
from .reading import Reading
from .rejections import RejectedRows
from .sniff import MAX_BYTES
from .values import ID_COLUMNS, parse_values

__all__ = [
    "ReadOptions",
    "ReadReport",
    "RejectedRows",
    "read_cases",
    "read_table",
    "read_teams",
    "read_workers",
]

Source = str | Path | bytes | BinaryIO | TextIO | pd.DataFrame

#: Read a table as written: headers kept, nothing mapped or parsed (calibration inputs).
AS_WRITTEN = "table"


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
        ``how`` is ``"profile"``, ``"synonym"``, ``"canonical"``, ``"flag"`` (the name or a
        label of a complexity flag of the scheme given), ``"scheme"`` (a label of one of its
        capacity covariates) or ``"kept"`` (unmapped, kept under a normalised name). A header
        that held an identity number is given as its pseudonym.
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


#: Seconds a read runs before its progress bar shows: a million-row export takes about one.
PROGRESS_DELAY = 2.0


@contextlib.contextmanager
def _stages(progress: bool, kind: str) -> Iterator[Callable[[str], None]]:
    """A progress bar over the reader's stages, shown only for reads that take a while.

    The stages are few and uneven (loading is about a third of a read), so the bar says which
    stage runs rather than pretending to a smooth rate.
    """
    from tqdm.auto import tqdm

    names = ("load", "headers", "identity numbers", "dates and numbers", "values", "table")
    with tqdm(
        total=len(names),
        desc=f"reading {kind}",
        unit="step",
        delay=PROGRESS_DELAY,
        mininterval=0,  # six uneven steps: redraw at each, not at tqdm's rate limit
        leave=False,
        disable=not progress,
    ) as bar:
        bar.set_postfix_str(names[0], refresh=False)

        def stage(name: str) -> None:
            bar.set_postfix_str(name, refresh=False)
            bar.update(1)

        yield stage
        bar.update(bar.total - bar.n)


def read_table(
    path_or_buffer: Source,
    kind: str,
    *,
    options: ReadOptions | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Read one table: the entry point every reader and command goes through.

    Parameters
    ----------
    path_or_buffer : path, bytes, file object or DataFrame
        The export (see :func:`read_cases`).
    kind : {"cases", "workers", "teams", "table"}
        The canonical table to read, or ``"table"``: any other table (a time log, a survey)
        read as written — headers from row 1 (or ``header_row``) kept as they are, identity
        numbers in text pseudonymised, columns of plain numbers as numbers.
    options : ReadOptions, optional
        How to read; keyword arguments (``columns=``, ``key=`` … as :func:`read_cases`) are
        applied on top.

    Returns
    -------
    pandas.DataFrame
        As :func:`read_cases`.

    Examples
    --------
    >>> import io
    >>> log = read_table(io.StringIO("worker_id,minutes\\nH1,30\\n"), "table", key="k" * 32)
    >>> log.to_dict("records")
    [{'source_row': 2, 'worker_id': 'H1', 'minutes': 30}]
    """
    if kind not in (*KINDS, AS_WRITTEN):
        raise ValueError(f"'kind' must be one of {KINDS} (got {kind!r})")
    options = attrs.evolve(options or ReadOptions(), **kwargs)
    profile = Profile.coerce(options.columns)
    options = options.resolved(profile)
    pseudo = Pseudonymiser.from_key(options.key)
    if kind == AS_WRITTEN:
        return _read_as_written(path_or_buffer, options, pseudo)
    with _stages(options.progress, kind) as stage:
        raw = load(path_or_buffer, kind, profile.columns_for(kind), options)
        stage("headers")
        loaded = len(raw.rejected)
        scheme = None if options.scheme is None else _scheme(options.scheme)
        mapped = map_headers(raw, kind, profile, options.columns, pseudo, scheme)
        r = Reading(mapped.frame, raw.rows, kind, raw.rejected)
        stage("identity numbers")
        # 1. personal data first, so that nothing below (messages, rejections) sees a raw number
        pseudonymised, demographic = pseudonymise_cells(
            r, pseudo, demographics=options.demographics, date_order=str(options.date_order)
        )
        stage("dates and numbers")
        # 2. dates and numbers; 3. value maps and worker names
        parse_values(r, date_order=str(options.date_order), fte_unit=str(options.fte_unit))
        stage("values")
        map_values(r, profile, scheme, options.roster, options.aliases)
        forget_distinct()
        stage("table")
    frame = r.frame
    for col in ID_COLUMNS & set(frame.columns):
        if col != "subject_id":
            frame[col] = text_column(frame[col]).replace("", pd.NA).astype("str")
    for name, values in demographic.items():
        frame[name] = values
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.StringDtype) and frame[col].dtype != "str":
            frame[col] = frame[col].astype("str")
    frame.insert(0, "source_row", r.rows)
    good = frame.loc[~r.bad].reset_index(drop=True)
    rows_loaded = len(r.rows) + loaded
    _attach(good, r, raw, mapped, path_or_buffer, pseudo, pseudonymised, rows_loaded)
    return good


def _attach(
    good: pd.DataFrame,
    r: Reading,
    raw: Any,
    mapped: Mapped,
    source: Any,
    pseudo: Pseudonymiser,
    pseudonymised: Mapping[str, int],
    rows_read: int,
) -> None:
    """Put the rejection table and the :class:`ReadReport` in ``good.attrs``."""
    table = r.rejections.table()
    good.attrs["rejected"] = table
    good.attrs["read"] = ReadReport(
        source=source_name(source),
        kind=r.kind,
        format=raw.sniffed.describe(),
        encoding=raw.sniffed.encoding,
        delimiter=raw.sniffed.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
        rows_read=rows_read,
        blank_rows=raw.blank,
        rows_rejected=int(table["row"].nunique()),
        mapping=tuple((pnr.redact(str(h)), c, how) for h, c, how in mapped.mapping),
        pseudonymised=tuple(pseudonymised.items()),
        key_source=pseudo.source,
        notes=tuple(mapped.notes + r.notes),
    )


def _read_as_written(source: Source, options: ReadOptions, pseudo: Pseudonymiser) -> pd.DataFrame:
    """A table that is not one of the canonical three, with ``source_row`` first."""
    raw = load(source, AS_WRITTEN, {}, options)
    frame = raw.frame
    frame.columns = unique(
        [str(c).strip() or f"column {i + 1}" for i, c in enumerate(frame.columns)]
    )
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object:
            # Excel cells keep their type: a column of numbers or dates stays one
            values = values.infer_objects()
            frame[column] = values
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            text = text_column(values)
            present = text.fillna("").ne("")
            numbers = pd.to_numeric(text.where(present), errors="coerce")
            if present.any() and numbers[present].notna().all():
                frame[column] = numbers
                continue
            replaced, _ = pseudo.in_text(text.astype(object).where(present, None))
            frame[column] = replaced
    frame.insert(0, "source_row", raw.rows)
    frame.attrs["rejected"] = raw.rejected.table()
    return frame


def _scheme(scheme: Any) -> Any:
    from ..schemes import load_scheme

    return load_scheme(scheme)  # a Scheme as it is, else by name or path


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
    progress: bool = True,
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
        For slash dates (every date form read is listed in :mod:`arbetstyngd.io.values`).
        ``auto`` (the default) and ``dmy`` read them day first, the Swedish
        order, in every row; a value that can only be month first (``4/13/2026``) is rejected
        with the value shown. ``mdy`` reads the whole file month first.
    scheme : Scheme or str, optional
        Map case-type values that are the scheme's labels (``Barnavårdsutredning``) to its
        codes (``bou_utredning``), and phases written with capitals or accents to its phases;
        a header that is the name or the Swedish or English label of one of its complexity
        flags (``Tolk behövs``) is read as that flag.
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
    progress : bool
        Show a progress bar (tqdm) when the read takes more than a couple of seconds (a
        large export: about two million rows and up).

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
    options = ReadOptions(
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
        progress=progress,
    )
    return read_table(path_or_buffer, "cases", options=options)


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
    scheme: Any = None,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Read a roster (workers) export into the canonical workers table.

    ``fte`` (tjänstgöringsgrad) is a share of full time: ``0,75``, ``75`` and ``75 %`` all
    read as 0.75 (``fte_unit``: ``auto``, ``percent`` or ``share``; see
    :func:`arbetstyngd.io.parse.parse_share`). With a ``scheme``, a header that is the
    Swedish or English label of one of its capacity covariates is read as that covariate.
    Other parameters as :func:`read_cases`; the forms of dates and shares read are listed in
    :mod:`arbetstyngd.io.values`.

    Examples
    --------
    >>> import io
    >>> text = "Handläggar-id;Enhet;Tjänstgöringsgrad\\nH1;T1;75 %\\nH2;T1;100\\n"
    >>> w = read_workers(io.StringIO(text), key="k" * 32)
    >>> w["fte"].tolist()
    [0.75, 1.0]
    """
    options = ReadOptions(
        columns=columns,
        key=key,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        date_order=date_order,
        fte_unit=fte_unit,
        scheme=scheme,
        max_bytes=max_bytes,
    )
    return read_table(path_or_buffer, "workers", options=options)


def read_teams(
    path_or_buffer: Source,
    *,
    columns: Any = None,
    key: Any = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    scheme: Any = None,
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
    options = ReadOptions(
        columns=columns,
        key=key,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        scheme=scheme,
        max_bytes=max_bytes,
    )
    return read_table(path_or_buffer, "teams", options=options)
