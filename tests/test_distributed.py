"""Many units on a real dask.distributed cluster (a LocalCluster of two worker processes).

Each unit's figures must equal ``at.score`` / ``at.timeline`` on that unit's rows alone, bit
for bit; rows without a unit are rejected with a reason; the whole population is a ratio of
sums. dask is a dev dependency, so these tests never skip.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import arbetstyngd as at
from arbetstyngd import distributed as dist

UNITS = ("Norrby", "Söderby", "Österby")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def units() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, at.Scheme, pd.Timestamp]:
    cases, workers, teams = [], [], []
    for i, name in enumerate(UNITS):
        town = at.datasets.make_municipality(n_workers=6 + 2 * i, n_teams=2, seed=10 + i)
        cases.append(town.cases.assign(unit=name))
        workers.append(town.workers.assign(unit=name))
        teams.append(town.teams.assign(unit=name))
    c = pd.concat(cases, ignore_index=True)
    w = pd.concat(workers, ignore_index=True)
    # problems in one unit: a case of nobody on its roster, a worker with an impossible fte
    c.loc[3, "worker_id"] = "H9999"
    w.loc[len(workers[0]) + 1, "fte"] = 2.0
    c.loc[[0, 7], "unit"] = None  # rows of no unit
    return c, w, pd.concat(teams, ignore_index=True), town.scheme, town.on


def _one(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame[frame["unit"] == name].drop(columns="unit").reset_index(drop=True)


def _pandas(cases: pd.DataFrame, workers: pd.DataFrame, name: str, **kw: object) -> at.Workload:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        return at.score(cases[cases.unit == name], workers[workers.unit == name], **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def scored(client: Client, units) -> dist.UnitsWorkload:  # type: ignore[no-untyped-def]
    cases, workers, teams, scheme, on = units
    return at.score(
        dd.from_pandas(cases, npartitions=3),
        dd.from_pandas(workers, npartitions=2),
        scheme,
        teams=teams,
        on=on,
        compute=True,
    )


def test_each_unit_equals_the_pandas_path_bit_for_bit(scored, units) -> None:  # type: ignore[no-untyped-def]
    cases, workers, teams, scheme, on = units
    assert isinstance(scored, dist.UnitsWorkload)
    assert sorted(scored.units["unit"]) == sorted(UNITS)
    for name in UNITS:
        ref = _pandas(cases, workers, name, scheme=scheme, teams=teams[teams.unit == name], on=on)
        kw = {"check_exact": True, "check_dtype": False}
        pd.testing.assert_frame_equal(_one(scored.workers, name), ref.workers, **kw)
        pd.testing.assert_frame_equal(_one(scored.teams, name), ref.teams, **kw)
        pd.testing.assert_frame_equal(_one(scored.rejected, name), ref.rejected, **kw)
        row = _one(scored.units, name).iloc[0]
        for field, value in ref.unit.items():
            assert row[field] == value, field
    assert len(_one(scored.rejected, UNITS[0])) >= 1  # the case of H9999
    assert (_one(scored.rejected, UNITS[1])["column"] == "fte").any()


def test_rows_without_a_unit_are_rejected_with_a_reason(scored) -> None:  # type: ignore[no-untyped-def]
    lost = scored.rejected[scored.rejected["column"] == "unit"]
    assert sorted(lost["row"]) == [0, 7] and (lost["table"] == "cases").all()
    assert lost["reason"].str.contains("belongs to no unit").all()


def test_lazy_result_is_dask_and_computes_to_the_same_tables(scored, units) -> None:  # type: ignore[no-untyped-def]
    cases, workers, teams, scheme, on = units
    lazy = at.score(
        dd.from_pandas(cases, 2), dd.from_pandas(workers, 3), scheme, teams=teams, on=on
    )
    assert hasattr(lazy.workers, "__dask_graph__")
    done = lazy.compute()
    for table in ("workers", "teams", "units"):
        for name in UNITS:
            pd.testing.assert_frame_equal(
                _one(getattr(done, table), name), _one(getattr(scored, table), name)
            )


def test_population_is_the_ratio_of_summed_load_and_capacity(scored) -> None:  # type: ignore[no-untyped-def]
    total = scored.total
    ordered = scored.units
    assert total["load"] == sum(ordered["load"].tolist())  # summed in the units' order
    assert total["utilisation"] == total["load"] / total["capacity"]
    assert total["utilisation"] != pytest.approx(ordered["utilisation"].mean(), rel=1e-9)
    assert total["n_workers"] == len(scored.workers)


def test_totals_by_hand() -> None:
    scheme = at.load_scheme("barn-och-unga")
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-05", "2025-01-05", "2025-01-12"]),
            "unit": ["a", "b", "a"],
            "n_workers": [2, 3, 2],
            "n_cases": [10, 5, 12],
            "load": [100.0, 20.0, 150.0],
            "capacity": [100.0, 300.0, 100.0],
        }
    )
    out = dist.totals(frame, scheme)
    assert out["load"].tolist() == [120.0, 150.0]
    assert out["utilisation"].tolist() == [0.3, 1.5]  # 120 / 400, not the mean of 1.0 and 0.07
    assert out["n_units"].tolist() == [2, 1] and out["n_workers"].tolist() == [5, 2]


def test_timeline_per_unit_equals_the_pandas_timeline(client: Client, units) -> None:  # type: ignore[no-untyped-def]
    cases, workers, _, scheme, _ = units
    kw = {"start": "2025-01-05", "end": "2025-03-30", "freq": "W"}
    frame = at.timeline(
        dd.from_pandas(cases, 3), dd.from_pandas(workers, 2), scheme, compute=True, **kw
    )
    by_unit = at.timeline(
        dd.from_pandas(cases, 3), dd.from_pandas(workers, 2), scheme, level="unit", **kw
    ).compute()
    for name in UNITS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", at.RejectedRowsWarning)
            ref = at.timeline(
                cases[cases.unit == name], workers[workers.unit == name], scheme, **kw
            )
        pd.testing.assert_frame_equal(_one(frame, name), ref, check_exact=True, check_dtype=False)
        # the unit level is each date's Workload.unit
        date = pd.Timestamp("2025-02-16")
        snap = _pandas(cases, workers, name, scheme=scheme, on=date).unit
        row = by_unit[(by_unit.unit == name) & (by_unit.date == date)].iloc[0]
        for field in ("n_workers", "n_cases", "load", "capacity", "utilisation", "band"):
            assert row[field] == snap[field], field


def test_a_missing_unit_column_or_mismatched_types_are_clear_errors(units) -> None:  # type: ignore[no-untyped-def]
    cases, workers, _, scheme, on = units
    with pytest.raises(at.ColumnsError, match="no unit column 'kommun'"):
        at.score(dd.from_pandas(cases, 1), dd.from_pandas(workers, 1), scheme, unit="kommun")
    with pytest.raises(ValueError, match="'on'"):  # the engine's own message, at once
        at.score(dd.from_pandas(cases, 1), dd.from_pandas(workers, 1), scheme, on="soon")
    numbered = workers.assign(unit=np.arange(len(workers)) % 3)
    with pytest.raises(TypeError, match="must have one type"):
        at.score(dd.from_pandas(cases, 1), dd.from_pandas(numbered, 1), scheme, on=on)


def test_dask_is_imported_only_when_a_dask_frame_arrives() -> None:
    # static, like tests/test_architecture.py: no module-level import of dask in the engine
    src = Path(at.__file__).parent
    for name in ("distributed.py", "_engine/scoring.py", "_engine/timeline.py", "__init__.py"):
        tree = ast.parse((src / name).read_text(encoding="utf-8"))
        top = {
            alias.name.split(".")[0]
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (node.names if isinstance(node, ast.Import) else [])
        } | {
            (node.module or "").split(".")[0]
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and not node.level
        }
        assert top.isdisjoint({"dask", "distributed"}), name
