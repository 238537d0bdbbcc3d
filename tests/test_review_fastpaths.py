"""Regression tests from an independent review of the engine's fast paths (codes.py).

Each test names the defect it guards against. Both defects are regressions: the engine before
the fast paths (e26d66f) scored these inputs; the fast paths crash on them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import arbetstyngd as at

TEXT = ("case_id", "worker_id", "case_type", "phase")


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=4, n_teams=2, seed=1)


def quiet_score(cases: pd.DataFrame, town: at.datasets.Municipality) -> at.Workload:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        return at.score(cases, town.workers, town.scheme, teams=town.teams, on=town.on)


def as_object(town: at.datasets.Municipality) -> pd.DataFrame:
    cases = town.cases.copy()
    for name in TEXT:
        values = cases[name].to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
        cases[name] = pd.Series(values, dtype=object, index=cases.index)
    return cases


# Defect: codes.arrow_text (and _id_checks) call pd.api.types.is_object_dtype on the column's
# dtype first; for pd.ArrowDtype(pa.string_view()) that raises a bare
# NotImplementedError('string_view'), so a column that scored before now crashes the engine.
@pytest.mark.parametrize("name", TEXT)
def test_string_view_column_scores_like_string(town: at.datasets.Municipality, name: str) -> None:
    plain = as_object(town)
    viewed = plain.copy()
    values = plain[name].to_numpy(dtype=object)
    view = pa.array(values, type=pa.string_view(), from_pandas=True)
    viewed[name] = pd.Series(pd.arrays.ArrowExtensionArray(view), index=plain.index)
    want, got = quiet_score(plain, town), quiet_score(viewed, town)
    pd.testing.assert_frame_equal(got.workers, want.workers)
    assert len(got.cases) == len(want.cases)
    assert len(got.rejected) == len(want.rejected)


# Defect: codes.arrow_text(objects=True) trusts infer_dtype(skipna=True) == "string", which
# skips a numpy float32/float16 NaN as missing, but pyarrow.array(from_pandas=True) refuses
# it (ArrowTypeError: Expected bytes, got a 'numpy.float32' object). The row should be
# rejected as missing (as before the fast paths), not crash the whole run.
@pytest.mark.parametrize("name", TEXT)
@pytest.mark.parametrize("nan", [np.float32("nan"), np.float16("nan")])
def test_numpy_scalar_nan_in_object_text_is_missing(
    town: at.datasets.Municipality, name: str, nan: np.floating
) -> None:
    cases = as_object(town)
    values = cases[name].to_numpy(dtype=object).copy()
    values[3] = nan
    cases[name] = pd.Series(values, dtype=object, index=cases.index)
    wl = quiet_score(cases, town)
    assert len(wl.cases) + wl.n_rejected == len(cases)
    if name == "phase":
        assert wl.n_rejected == 0  # a missing phase falls back to the case type's weight
    else:
        reasons = wl.rejected.loc[wl.rejected["column"] == name, "reason"].tolist()
        assert reasons == [f"{name} is missing"]
