"""A messy Swedish export goes from disk to scores, every row scored or rejected."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import arbetstyngd as at
from arbetstyngd.datasets.messy import write_messy_export

KEY = "end-to-end-key-0123456789"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_messy_export_to_scores(tmp_path: Path, encoding: str) -> None:
    files = write_messy_export(tmp_path, n_workers=10, seed=3, encoding=encoding)
    workers = at.read_workers(files["workers"], key=KEY)
    assert len(workers) == files.rows["workers"] and workers["fte"].between(0, 1).all()
    cases = at.read_cases(files["cases"], key=KEY, roster=workers, scheme=files.scheme)
    info = cases.attrs["read"]
    assert info.header_row == 3 and info.blank_rows == 1
    assert dict(info.pseudonymised)["subject_id"] > 0 and dict(info.pseudonymised)["anteckning"] > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        wl = at.score(cases, workers, files.scheme)
    case_rows = wl.rejected.query("table == 'cases'")["row"].nunique() + wl.cases["row"].nunique()
    assert case_rows == files.rows["cases"]
    reasons = " ".join(wl.rejected["reason"])
    assert "fields but the header has" in reasons and "'opened' is not a date" in reasons
    # flags written as Ja/Nej and X reached the engine as complexity multipliers
    assert (wl.cases["tolk_factor"] > 1).any()
    assert wl.cases["case_type"].isin(files.scheme.case_types).all()
