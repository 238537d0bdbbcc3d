"""Reading exports and writing results.

Readers return canonical DataFrames with a ``source_row`` column (the row number a person sees
in the file, header = row 1). Rows a reader cannot use are listed in
``frame.attrs["rejected"]`` (the rejection-table columns); :func:`arbetstyngd.score` merges them
into ``Workload.rejected`` so every input row is accounted for. Personal identity numbers are
replaced by keyed pseudonyms on the way in (see :mod:`arbetstyngd.io.pseudonym`).
"""

from .columns import HeaderWarning, Profile, load_profile
from .headers import MissingColumnsError
from .parse import parse_numbers
from .personnummer import redact, synthetic_personnummer
from .pseudonym import Pseudonymiser, PseudonymKeyWarning, new_key_file, pseudonymise
from .ratings import read_ratings as read_ratings
from .readers import ReadOptions, ReadReport, read_cases, read_table, read_teams, read_workers
from .writers import safe_cell, safe_frame, write_csv, write_workload

__all__ = [
    "HeaderWarning",
    "MissingColumnsError",
    "Profile",
    "PseudonymKeyWarning",
    "Pseudonymiser",
    "ReadOptions",
    "ReadReport",
    "load_profile",
    "new_key_file",
    "parse_numbers",
    "pseudonymise",
    "read_cases",
    "read_table",
    "read_teams",
    "read_workers",
    "redact",
    "safe_cell",
    "safe_frame",
    "synthetic_personnummer",
    "write_csv",
    "write_workload",
]
