"""One loader per input format, chosen from what the file is (not what it is called).

:data:`LOADERS` maps the format :func:`arbetstyngd.io.sniff.sniff_bytes` recognises to the
function that loads it; adding an input format is one module here and one entry in the table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from ..options import ReadOptions
from ..sniff import Sniffed, sniff_bytes
from .common import Raw, bytes_of
from .excel import load_excel
from .frame import load_frame
from .parquet import load_parquet
from .text import load_text

__all__ = ["LOADERS", "Raw", "load"]

Loader = Callable[[bytes, str, Sniffed, Mapping[str, str], ReadOptions], Raw]

#: Sniffed format → loader.
LOADERS: dict[str, Loader] = {
    "csv": load_text,
    "xlsx": load_excel,
    "xls": load_excel,
    "parquet": load_parquet,
}


def load(source: object, kind: str, user: Mapping[str, str], options: ReadOptions) -> Raw:
    """The raw table of ``source`` (a path, bytes, a file object or a DataFrame)."""
    if isinstance(source, pd.DataFrame):
        return load_frame(source.copy(), kind, Sniffed("DataFrame"))
    data = bytes_of(source, kind, options.max_bytes)
    sniffed = sniff_bytes(
        data, encoding=options.encoding, delimiter=options.delimiter, complete=True
    )
    return LOADERS[sniffed.format](data, kind, sniffed, user, options)
