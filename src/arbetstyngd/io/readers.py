"""Basic readers for canonical CSV, Excel and Parquet files.

This is the plain path: files whose headers already are the canonical column names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputFileError

__all__ = ["read_cases", "read_teams", "read_workers"]


def _read(path: str | Path, kind: str, **options: Any) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"no {kind} file at {str(path)!r}")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xls", ".xlsm"):
            frame = pd.read_excel(path, engine="calamine", sheet_name=options.get("sheet") or 0)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputFileError(f"cannot read {str(path)!r} as a {kind} table: {exc}") from None
    frame.insert(0, "source_row", range(2, len(frame) + 2))
    return frame


def read_cases(path: str | Path, **options: Any) -> pd.DataFrame:
    """Read a cases table (canonical column names)."""
    return _read(path, "cases", **options)


def read_workers(path: str | Path, **options: Any) -> pd.DataFrame:
    """Read a workers table (canonical column names)."""
    return _read(path, "workers", **options)


def read_teams(path: str | Path, **options: Any) -> pd.DataFrame:
    """Read a teams table (canonical column names)."""
    return _read(path, "teams", **options)
