"""Reading exports and writing results.

Readers return canonical DataFrames with a ``source_row`` column (the row number a person sees
in the file, header = row 1). Rows a reader cannot use are listed in
``frame.attrs["rejected"]`` (the rejection-table columns); :func:`arbetstyngd.score` merges them
into ``Workload.rejected`` so every input row is accounted for.
"""

from .readers import read_cases, read_teams, read_workers
from .writers import safe_cell, write_workload, write_workload_excel

__all__ = [
    "read_cases",
    "read_teams",
    "read_workers",
    "safe_cell",
    "write_workload",
    "write_workload_excel",
]
