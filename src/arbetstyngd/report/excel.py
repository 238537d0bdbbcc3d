"""A formatted Excel workbook of a result, for people rather than programs.

Sheets: overview, teams, workers, cases, rejected rows and the scheme; headers, sheet names and
band names in the chosen language; numbers stored as numbers with formats (Excel shows the
decimal mark of the reader's locale); band colours as conditional formats, so they follow the
cells when someone sorts; a frozen header row, filters and column widths. Every text cell goes
through :func:`arbetstyngd.io.writers.safe_cell`, so nothing from the data runs as a formula.

For machine-readable tables with the library's own column names use
:meth:`arbetstyngd.Workload.to_csv` or :meth:`~arbetstyngd.Workload.to_parquet`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._contract.reasons import localise_reasons
from ..io.writers import round_figures, safe_cell, safe_frame, sorted_rejections
from ..labels import (
    BAND_COLOURS,
    TEXT,
    band_name,
    check_lang,
    column_label,
    fmt_date,
    fmt_percent,
    rule_text,
    scheme_text,
    text,
)
from ..scheme import BAND_NAMES
from ._names import resolve_team_names

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from ..result import Workload

__all__ = ["excel_report"]

_PERCENT = "0%"
_ONE = "0.0"
_TWO = "0.00"
_INT = "0"
_FORMATS = {
    "utilisation": _PERCENT,
    "reduction": _PERCENT,
    "load": _ONE,
    "capacity": _ONE,
    "points": _ONE,
    "weight": _ONE,
    "experience_years": _ONE,
    "fte": _TWO,
    "span_of_control": _INT,
}
_HEADER_FILL = "DDE3EA"
_MAX_WIDTH = 60


#: Data rows that fit under the header of one Excel sheet (1,048,576 rows in all).
EXCEL_ROWS = 1_048_575


def _plain_types(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
    return out


def _localise(
    frame: pd.DataFrame, lang: str, factor_names: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Band names translated; headers translated; the number format of each output column."""
    out = _plain_types(frame)
    if "band" in out.columns:
        out["band"] = out["band"].map(lambda b: band_name(b, lang))
    formats = {}
    headers = []
    for col in out.columns:
        header = column_label(str(col), lang, factor_names)
        headers.append(header)
        fmt = _FORMATS.get(str(col)) or (_TWO if str(col).endswith("_factor") else None)
        if fmt and pd.api.types.is_numeric_dtype(out[col]):
            formats[header] = fmt
    out.columns = headers
    return safe_frame(out), formats


def _with_team_names(frame: pd.DataFrame, names: Mapping[Any, str]) -> pd.DataFrame:
    if not names or "team_id" not in frame.columns:
        return frame
    out = frame.copy()
    at = int(out.columns.get_loc("team_id")) + 1  # type: ignore[arg-type]
    out.insert(at, "team_name", out["team_id"].map(names))
    return out


def _scheme_frame(wl: Workload, lang: str) -> pd.DataFrame:
    s = wl.scheme
    rows: list[dict[str, Any]] = [
        {"part": text("part.capacity", lang), "name": "P", "value": s.capacity},
    ]
    rows += [
        {
            "part": text("part.weight", lang),
            "name": w.case_type,
            "phase": w.phase,
            "label": w.label.get(lang, w.case_type),
            "value": w.weight,
        }
        for w in s.weights
    ]
    rows += [
        {
            "part": text("part.multiplier", lang),
            "name": m.flag,
            "label": m.label.get(lang, m.flag),
            "value": m.factor,
        }
        for m in s.multipliers
    ]
    rows += [
        {
            "part": text("part.adjustment", lang),
            "name": a.name,
            "label": a.label.get(lang, a.name),
            "value": None,
            "rule": rule_text(a, lang),
        }
        for a in s.adjustments
    ]
    rows += [
        {"part": text("part.band", lang), "name": band_name(b, lang), "value": v}
        for b, v in s.bands.to_dict().items()
    ]
    return pd.DataFrame(rows, columns=["part", "name", "phase", "label", "value", "rule"])


def _style_table(ws: Worksheet, frame: pd.DataFrame, formats: Mapping[str, str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    line = Border(bottom=Side(style="thin", color="7F8C99"))
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.border = line
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    ws.freeze_panes = "B2" if frame.shape[1] > 1 else "A2"
    if len(frame) and frame.shape[1]:
        ws.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{len(frame) + 1}"
    sample = frame.head(2000)
    for j, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        values = sample[col].dropna()
        widest = int(values.astype(str).str.len().max()) if len(values) else 0
        ws.column_dimensions[letter].width = min(
            max(len(str(col)) * 0.9, widest, 6) + 2, _MAX_WIDTH
        )
        fmt = formats.get(str(col))
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt


def _band_colours(ws: Worksheet, frame: pd.DataFrame, lang: str) -> None:
    """Colour the band column, and the utilisation cell beside it, by the band's name."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    header = column_label("band", lang)
    if header not in frame.columns or not len(frame):
        return
    band_col = get_column_letter(list(frame.columns).index(header) + 1)
    targets = [band_col]
    util = column_label("utilisation", lang)
    if util in frame.columns:
        targets.append(get_column_letter(list(frame.columns).index(util) + 1))
    last = len(frame) + 1
    for band in BAND_NAMES:
        fill = PatternFill("solid", fgColor=BAND_COLOURS[band].lstrip("#").upper())
        formula = f'${band_col}2="{band_name(band, lang)}"'
        for col in targets:
            ws.conditional_formatting.add(
                f"{col}2:{col}{last}", FormulaRule(formula=[formula], fill=fill)
            )


def _overview(ws: Worksheet, wl: Workload, lang: str, title: str | None) -> None:
    from openpyxl.styles import Alignment, Font

    from .. import __version__

    unit = wl.unit
    b = wl.scheme.bands
    when = (
        text("report.on", lang, date=fmt_date(wl.on, lang))
        if wl.on is not None
        else text("report.snapshot", lang, date=fmt_date(wl.reference_date, lang))
    )
    ws["A1"] = safe_cell(title or text("report.title", lang))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = when
    rows: list[tuple[str, Any, str | None]] = [
        (text("report.scheme_id", lang), wl.scheme.id, None),
        (
            text("report.scheme_method", lang),
            text(f"method.{wl.scheme.provenance.method}", lang),
            None,
        ),
        (text("col.note", lang), scheme_text(wl.scheme.provenance.note, lang), None),
        (text("report.scheme_capacity", lang), wl.scheme.capacity, _ONE),
        (text("report.kpi.workers", lang), int(unit["n_workers"]), _INT),
        (text("report.kpi.cases", lang), int(unit["n_cases"]), _INT),
        (text("report.unit_load", lang), round(float(unit["load"]), 2), _ONE),
        (text("report.unit_capacity", lang), round(float(unit["capacity"]), 2), _ONE),
        (text("report.unit_utilisation", lang), float(unit["utilisation"]), _PERCENT),
        (text("report.unit_band", lang), band_name(unit["band"], lang), None),
    ]
    ranges = [
        text("report.band_range.low", lang, hi=fmt_percent(b.balanced, lang)),
        text(
            "report.band_range.mid",
            lang,
            lo=fmt_percent(b.balanced, lang),
            hi=fmt_percent(b.high, lang),
        ),
        text(
            "report.band_range.mid",
            lang,
            lo=fmt_percent(b.high, lang),
            hi=fmt_percent(b.critical, lang),
        ),
        text("report.band_range.top", lang, lo=fmt_percent(b.critical, lang)),
    ]
    for band, rng in zip(BAND_NAMES, ranges, strict=True):
        rows.append(
            (
                text("report.workers_in_band", lang, band=f"{band_name(band, lang)} ({rng})"),
                int(unit[f"n_{band}"]),
                _INT,
            )
        )
    rows += [
        (text("report.n_rejected", lang), wl.n_rejected, _INT),
        (text("report.generated_on", lang), dt.date.today().isoformat(), None),
        (text("report.library", lang), f"arbetstyngd {__version__}", None),
    ]
    start = 4
    for i, (key, value, fmt) in enumerate(rows):
        r = start + i
        ws.cell(r, 1, safe_cell(key)).font = Font(bold=True)
        cell = ws.cell(r, 2, safe_cell(value))
        if fmt:
            cell.number_format = fmt
        cell.alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
    r = start + len(rows) + 1
    ws.cell(r, 1, text("report.dialogue", lang)).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.row_dimensions[r].height = 48
    if wl.scheme.provenance.method == "default":
        ws.cell(r + 1, 1, text("report.illustrative", lang)).alignment = Alignment(wrap_text=True)
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=2)
        ws.row_dimensions[r + 1].height = 36
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 70


def _team_sheet(wl: Workload, names: Mapping[Any, str], lang: str) -> pd.DataFrame:
    """The teams, then a totals row: the whole unit from :attr:`Workload.unit`."""
    total = wl.unit.to_dict()
    total["team_id"] = text("report.total", lang)
    frame = _plain_types(wl.teams)
    frame = pd.concat([frame, pd.DataFrame([total])[list(frame.columns)]], ignore_index=True)
    for col in wl.teams.columns:
        if pd.api.types.is_integer_dtype(wl.teams[col].dtype):
            frame[col] = frame[col].astype("int64")
    return _with_team_names(frame, names)


def _case_sheet(wl: Workload, lang: str) -> pd.DataFrame:
    cases = wl.cases.copy()
    if "case_type" in cases.columns:
        at = int(cases.columns.get_loc("case_type")) + 1  # type: ignore[arg-type]
        labels = {t: wl.scheme.label(t, lang) for t in cases["case_type"].astype(str).unique()}
        cases.insert(at, "case_label", cases["case_type"].astype(str).map(labels))
    return cases


def _rejected_sheet(wl: Workload, lang: str) -> pd.DataFrame:
    """Rejected rows in reading order, the table and column named in ``lang``."""
    rej = localise_reasons(sorted_rejections(wl.rejected), lang).copy()
    if len(rej):
        rej["table"] = [
            text(f"table.{t}", lang) if f"table.{t}" in TEXT else t
            for t in rej["table"].astype(str)
        ]
        rej["column"] = [column_label(str(c), lang) for c in rej["column"]]
    return rej


def excel_report(
    workload: Workload,
    path: str | Path,
    *,
    lang: str = "sv",
    team_names: pd.DataFrame | Mapping[Any, Any] | None = None,
    title: str | None = None,
    teams: pd.DataFrame | Mapping[Any, Any] | None = None,
) -> Path:
    """Write a formatted workbook: overview, teams, workers, cases, rejected rows, scheme.

    Figures are rounded as :data:`arbetstyngd.io.writers.DECIMALS` says; the team sheet ends
    with a totals row for the whole unit (ratio of sums); rejected rows are sorted by table
    and row.

    Parameters
    ----------
    workload : Workload
    path : str or Path
        The ``.xlsx`` file to write (folders are created).
    lang : {"sv", "en"}, default "sv"
        Language of sheet names, headers, band names and notes.
    team_names : DataFrame or mapping, optional
        Team names (``team_id`` and ``name``, or id → name), added as a column. Default: the
        names the result was scored with (:attr:`arbetstyngd.Workload.team_names`).
    title : str, optional
        Heading of the overview sheet.
    teams : DataFrame or mapping, optional
        Deprecated name of ``team_names``.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> import arbetstyngd as at
    >>> wl = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=1).score()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = excel_report(wl, pathlib.Path(tmp) / "a.xlsx", lang="en")
    ...     openpyxl.load_workbook(p).sheetnames
    ['Overview', 'Teams', 'Caseworkers', 'Cases', 'Rejected rows', 'Scheme']
    """
    check_lang(lang)
    from openpyxl import Workbook

    wl = workload
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = resolve_team_names(wl, team_names, teams)
    factor_names = {m.flag: m.label.get(lang, m.flag) for m in wl.scheme.multipliers}
    factor_names |= {a.name: a.label.get(lang, a.name) for a in wl.scheme.adjustments}
    tables = {
        "teams": _team_sheet(wl, names, lang),
        "workers": _with_team_names(wl.workers, names),
        "cases": _case_sheet(wl, lang),
        "rejected": _rejected_sheet(wl, lang),
        "scheme": _scheme_frame(wl, lang),
    }
    wb = Workbook()
    overview = wb.active
    assert overview is not None
    overview.title = text("sheet.overview", lang)
    _overview(overview, wl, lang, title)
    for key, frame in tables.items():
        shown, formats = _localise(round_figures(frame), lang, factor_names)
        # a sheet holds at most EXCEL_ROWS rows under its header: continue on more sheets
        starts = range(0, max(len(shown), 1), EXCEL_ROWS)
        for part, first in enumerate(starts, start=1):
            name = text(f"sheet.{key}", lang) + (f" ({part})" if len(starts) > 1 else "")
            chunk = shown.iloc[first : first + EXCEL_ROWS]
            ws = wb.create_sheet(name)
            _write(ws, chunk)
            _style_table(ws, chunk, formats)
            _band_colours(ws, chunk, lang)
            if key == "teams":
                _bold_last_row(ws, len(chunk))
    wb.save(path)
    return path


def _bold_last_row(ws: Worksheet, n_rows: int) -> None:
    from openpyxl.styles import Border, Font, Side

    top = Border(top=Side(style="thin", color="7F8C99"))
    for cell in ws[n_rows + 1]:
        cell.font = Font(bold=True)
        cell.border = top


def _write(ws: Worksheet, frame: pd.DataFrame) -> None:
    """Header and values; NaN/NaT become empty cells, timestamps become dates."""
    ws.append([str(c) for c in frame.columns])
    if not len(frame):
        return
    values = frame.astype(object).where(frame.notna(), None)
    for col in values.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            values[col] = [None if v is None else pd.Timestamp(v).date() for v in values[col]]
    for row in values.itertuples(index=False, name=None):
        ws.append(row)
    from openpyxl.styles.numbers import FORMAT_DATE_YYYYMMDD2

    for j, col in enumerate(frame.columns, start=1):
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = FORMAT_DATE_YYYYMMDD2
