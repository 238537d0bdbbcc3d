"""Read a messy Swedish caseload export and score it.

Writes a synthetic export (invented data, no real person) the way case-management systems do:
a title line above the header, semicolons, cp1252, day-first dates and Excel date numbers,
caseworkers named instead of identified, identity numbers in a column and in free text, and a
couple of broken rows. Then reads it, shows what the reader recognised, and scores it.

Run: ``python examples/read_messy_export.py``
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import arbetstyngd as at
from arbetstyngd.datasets.messy import write_messy_export

# In real use the key lives in a file outside the data folder (arbetstyngd.io.new_key_file)
# or in the ARBETSTYNGD_KEY environment variable; never in a script.
KEY = "example-only-key-0123456789abcdef"

with tempfile.TemporaryDirectory() as tmp:
    files = write_messy_export(Path(tmp), n_workers=12, seed=7)
    print(files["cases"].read_text(encoding="cp1252").splitlines()[2][:100], "...\n")

    workers = at.read_workers(files["workers"], key=KEY)
    cases = at.read_cases(files["cases"], key=KEY, roster=workers, scheme=files.scheme)

    report = cases.attrs["read"]
    print(f"{report.source}: {report.format}, header on row {report.header_row}")
    print(report.mapping_frame().to_string(index=False))
    print("pseudonymised:", dict(report.pseudonymised))
    print("rejected by the reader:")
    print(cases.attrs["rejected"][["row", "column", "value", "reason"]].to_string(index=False))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        wl = at.score(cases, workers, files.scheme)
    print()
    print(wl)
    print(wl.teams[["team_id", "n_workers", "load", "capacity", "utilisation", "band"]])
    scored = wl.cases["row"].nunique()
    rejected = wl.rejected.query("table == 'cases'")["row"].nunique()
    print(f"\n{files.rows['cases']} case rows in the file = {scored} scored + {rejected} rejected")
