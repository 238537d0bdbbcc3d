"""Writing results: CSV, Parquet and Excel, safe to open in a spreadsheet.

Text cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would be run
as formulas by Excel (CSV/formula injection); they are prefixed with an apostrophe.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:
    from ..result import Workload

__all__ = ["safe_cell", "safe_frame", "write_workload", "write_workload_excel"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def _meta(workload: Workload, directory: Path) -> list[Path]:
    scheme_path = directory / "scheme.toml"
    workload.scheme.to_toml(scheme_path)
    meta_path = directory / "meta.json"
    meta_path.write_text(json.dumps(workload.meta(), indent=2), encoding="utf-8")
    return [scheme_path, meta_path]


def write_workload(
    workload: Workload,
    directory: str | Path,
    *,
    format: Literal["csv", "parquet"] = "csv",
    excel_friendly: bool = False,
) -> list[Path]:
    """Write each table of a result into ``directory``; return the paths written.

    ``excel_friendly=True`` writes CSV the way Swedish Excel opens it directly: semicolon,
    decimal comma, UTF-8 with BOM.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in workload.tables().items():
        if format == "parquet":
            path = directory / f"{name}.parquet"
            _plain(table).to_parquet(path, index=False)
        elif format == "csv":
            path = directory / f"{name}.csv"
            if excel_friendly:
                safe_frame(table).to_csv(
                    path,
                    index=False,
                    sep=";",
                    decimal=",",
                    encoding="utf-8-sig",
                    lineterminator="\r\n",
                )
            else:
                # CRLF as RFC 4180 says: a field holding a bare CR is then quoted, so Excel
                # cannot read it as a new row that starts with a formula
                safe_frame(table).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
        else:
            raise ValueError(f"'format' must be 'csv' or 'parquet' (got {format!r})")
        written.append(path)
    return written + _meta(workload, directory)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns of mixed Python values as text, so Parquet can type them."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if v is None else str(v)).astype("string")
    return out


def write_workload_excel(workload: Workload, path: str | Path, **_: Any) -> Path:
    """One workbook, one sheet per table, text cells safe against formula injection."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in workload.tables().items():
            out = safe_frame(table)
            for col in out.columns:
                if isinstance(out[col].dtype, pd.CategoricalDtype):
                    out[col] = out[col].astype(object)
            out.to_excel(writer, sheet_name=name, index=False)
        pd.DataFrame(
            {"key": list(workload.meta()), "value": [str(v) for v in workload.meta().values()]}
        ).to_excel(writer, sheet_name="meta", index=False)
    return path
