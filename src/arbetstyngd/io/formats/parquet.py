"""Parquet files: typed columns, one header row; identity numbers may be stored as integers."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from ...errors import InputFileError, Said, kind_words
from ..options import ReadOptions
from ..sniff import Sniffed
from .common import Raw, header_index
from .frame import load_frame

__all__ = ["load_parquet"]


def load_parquet(
    data: bytes, kind: str, sniffed: Sniffed, user: Mapping[str, str], options: ReadOptions
) -> Raw:
    """The table as stored; refused when none of its column names is a known header."""
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises ArrowInvalid and friends
        raise InputFileError(
            Said("err.parquet", kind=kind_words(kind), error=type(exc).__name__)
        ) from None
    raw = load_frame(frame, kind, sniffed)
    header_index([list(raw.frame.columns)], kind, user, None)
    return raw
