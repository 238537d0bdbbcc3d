"""Writing results: CSV and Parquet, safe to open in a spreadsheet, without float noise.

Text cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would be run
as formulas by Excel (CSV/formula injection); they are prefixed with an apostrophe. Every CSV
is written with CRLF row ends (RFC 4180), so a field holding a bare carriage return is quoted
and cannot start a new row either: use :func:`write_csv` for any CSV a person may open.

Figures in CSV (and in the Excel report) are rounded as :data:`DECIMALS` says; Parquet and the
result in memory keep full precision.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..labels import band_name, check_lang, column_label

if TYPE_CHECKING:
    from ..result import Workload

__all__ = [
    "DECIMALS",
    "round_figures",
    "safe_cell",
    "safe_frame",
    "sorted_rejections",
    "write_csv",
    "write_rejected",
    "write_workload",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Decimal places kept in files for people (CSV, Excel): points and capacities to two places,
#: shares, factors and utilisation to four. Other numeric columns are written as they are.
DECIMALS: dict[str, int] = {
    "load": 2,
    "capacity": 2,
    "points": 2,
    "weight": 2,
    "base_points": 2,
    "complexity_points": 2,
    "value": 4,
    "fte": 4,
    "reduction": 4,
    "utilisation": 4,
    "experience_years": 2,
    "span_of_control": 2,
    "supervision_hours": 2,
    "max_utilisation": 4,
}
_FACTOR_DECIMALS = 4


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run as a formula.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-12"), safe_cell(-12)
    ("'-12", -12)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns (and header) are safe against formula injection."""
    out = frame.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            # ids and case types are categorical in results: their labels are text too
            out[col] = out[col].astype(object)
            dtype = out[col].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out[col] = out[col].map(safe_cell, na_action="ignore")
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def round_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the figures rounded as :data:`DECIMALS` says (``*_factor``: four places).

    Examples
    --------
    >>> round_figures(pd.DataFrame({"load": [13.700000000000001], "n_cases": [3]}))
       load  n_cases
    0  13.7        3
    """
    out = frame.copy()
    for col in out.columns:
        name = str(col)
        places = DECIMALS.get(name, _FACTOR_DECIMALS if name.endswith("_factor") else None)
        if places is not None and pd.api.types.is_float_dtype(out[col].dtype):
            out[col] = out[col].round(places)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, excel_friendly: bool = False) -> Path:
    """Write a frame as CSV a spreadsheet can open safely; return the path.

    Text cells are neutralised (:func:`safe_frame`) and rows end in CRLF, so a cell holding a
    lone carriage return is quoted. ``excel_friendly=True`` writes for Swedish Excel:
    semicolon, decimal comma, UTF-8 with a byte-order mark; otherwise comma, decimal point,
    plain UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_csv(pd.DataFrame({"a": ["x\\ry"]}), pathlib.Path(tmp) / "a.csv")
    ...     p.read_bytes()
    b'a\\r\\n"x\\ry"\\r\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if excel_friendly:
        safe_frame(frame).to_csv(
            path, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    else:
        # CRLF as RFC 4180 says: a field holding a bare CR is then quoted, so Excel cannot
        # read it as a new row that starts with a formula
        safe_frame(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    return path


def _meta(workload: Workload, directory: Path) -> list[Path]:
    scheme_path = directory / "scheme.toml"
    workload.scheme.to_toml(scheme_path)
    meta_path = directory / "meta.json"
    meta_path.write_text(json.dumps(workload.meta(), indent=2), encoding="utf-8")
    return [scheme_path, meta_path]


def _for_people(table: pd.DataFrame, lang: str, factor_names: dict[str, str]) -> pd.DataFrame:
    """Headers and band names in ``lang``."""
    out = table.copy()
    if "band" in out.columns:
        out["band"] = out["band"].astype(object).map(lambda b: band_name(b, lang))
    out.columns = [column_label(str(c), lang, factor_names) for c in out.columns]
    return out


def sorted_rejections(rejected: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows in reading order: by table (cases, workers, teams …) and row number."""
    if not len(rejected) or not {"table", "row"} <= set(rejected.columns):
        return rejected
    order = {"cases": 0, "workers": 1, "teams": 2, "reductions": 3}
    rank = rejected["table"].astype(str).map(lambda t: order.get(t, len(order)))
    keyed = rejected.assign(_rank=rank.to_numpy(), _table=rejected["table"].astype(str))
    keyed = keyed.sort_values(["_rank", "_table", "row"], kind="stable")
    return keyed.drop(columns=["_rank", "_table"]).reset_index(drop=True)


def write_workload(
    workload: Workload,
    directory: str | Path,
    *,
    format: Literal["csv", "parquet"] = "csv",
    excel_friendly: bool = False,
    lang: str | None = None,
) -> list[Path]:
    """Write each table of a result into ``directory``; return the paths written.

    CSV figures are rounded (:data:`DECIMALS`); Parquet keeps full precision. ``rejected``
    is sorted by table and row. ``excel_friendly=True`` writes CSV the way Swedish Excel opens
    it directly: semicolon, decimal comma, UTF-8 with BOM, and headers in ``lang`` (Swedish
    unless given). With ``lang`` alone the CSV headers and band names are in that language;
    without either the headers are the library's column names, for programs.
    """
    if format not in ("csv", "parquet"):
        raise ValueError(f"'format' must be 'csv' or 'parquet' (got {format!r})")
    if excel_friendly and lang is None:
        lang = "sv"
    if lang is not None:
        check_lang(lang)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    scheme = workload.scheme
    factor_names = {m.flag: m.label.get(lang or "sv", m.flag) for m in scheme.multipliers}
    factor_names |= {a.name: a.label.get(lang or "sv", a.name) for a in scheme.adjustments}
    written = []
    for name, table in workload.tables().items():
        if name == "rejected":
            table = sorted_rejections(table)
        if format == "parquet":
            path = directory / f"{name}.parquet"
            _plain(table).to_parquet(path, index=False)
        elif name == "rejected":
            path = write_rejected(workload, directory, excel_friendly=excel_friendly, lang=lang)
        else:
            shown = round_figures(table)
            if lang is not None:
                shown = _for_people(shown, lang, factor_names)
            path = write_csv(shown, directory / f"{name}.csv", excel_friendly=excel_friendly)
        written.append(path)
    return written + _meta(workload, directory)


def write_rejected(
    workload: Workload,
    directory: str | Path,
    *,
    excel_friendly: bool = False,
    lang: str | None = None,
) -> Path:
    """Write only the rejected rows, as :func:`write_workload` writes them (``rejected.csv``).

    ``arbetstyngd report`` writes this file next to the HTML, so that the rows the report
    counts are listed the same way ``arbetstyngd score`` lists them.
    """
    if excel_friendly and lang is None:
        lang = "sv"
    if lang is not None:
        check_lang(lang)
    shown = round_figures(sorted_rejections(workload.rejected))
    if lang is not None:
        shown = _for_people(shown, lang, {})
    return write_csv(shown, Path(directory) / "rejected.csv", excel_friendly=excel_friendly)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns of mixed Python values as text, so Parquet can type them."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if v is None else str(v)).astype("string")
    return out
