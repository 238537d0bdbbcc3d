"""``at.score`` against a plain Python oracle, bit for bit.

The engine counts cases per (worker, value key) and multiplies each key's points once, in an
order chosen so that snapshots, timelines and explanations agree. The oracle below walks the
cases one by one in Python floats, takes the same operations in the same order, and must give
the very same numbers: any speed change to the engine that alters a sum order, a product or a
mask shows up here.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd._contract.coerce import NAT_DAY, to_days
from arbetstyngd._engine.scoring import load_by_type


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=30, n_teams=3, seed=2)


def _points(scheme: Any, case_type: str, phase: Any, flags: dict[str, bool]) -> tuple[Any, ...]:
    """A case's sort key inside its type and its points: weight, then each flag's factor."""
    phases = list(scheme.phases)
    rows = {(w.case_type, w.phase): w.weight for w in scheme.weights}
    column = phases.index(phase) if isinstance(phase, str) and phase in phases else len(phases)
    weight = rows.get((case_type, phases[column] if column < len(phases) else None))
    if weight is None:
        weight = rows[(case_type, None)]  # a phase without a row of its own falls back
    bits, points = 0, weight
    for bit, mult in enumerate(scheme.multipliers):
        if flags.get(mult.flag, False):
            bits |= 1 << bit
            points = points * mult.factor
    return (column, bits), points


def _oracle_loads(cases: pd.DataFrame, scheme: Any, on: pd.Timestamp) -> dict[Any, Any]:
    """Per worker: active cases, and load as the engine sums it (key by key, type by type)."""
    per_worker: dict[Any, dict[str, dict[tuple[Any, ...], list[Any]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    flag_names = [m.flag for m in scheme.multipliers if m.flag in cases.columns]
    for row in cases.itertuples(index=False):
        closed = row.closed
        if not (row.opened <= on and (pd.isna(closed) or on < closed)):
            continue
        flags = {f: bool(getattr(row, f)) for f in flag_names}
        key, points = _points(scheme, row.case_type, row.phase, flags)
        slot = per_worker[row.worker_id][row.case_type].setdefault(key, [0, points])
        slot[0] += 1
    out = {}
    for worker, by_type in per_worker.items():
        load = 0.0
        for case_type in scheme.case_types:
            subtotal = 0.0
            for key in sorted(by_type.get(case_type, {})):
                count, points = by_type[case_type][key]
                subtotal += count * points
            load += subtotal
        n = sum(c for keys in by_type.values() for c, _ in keys.values())
        out[worker] = (n, load)
    return out


def test_score_equals_the_python_oracle(town: at.datasets.Municipality) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wl = at.score(town.cases, town.workers, town.scheme, on=town.on)
    scheme = wl.scheme
    expected = _oracle_loads(town.cases, scheme, pd.Timestamp(town.on))
    workers = wl.workers
    assert len(wl.rejected) == 0
    factor_columns = [f"{a.name}_factor" for a in scheme.adjustments]
    for row in workers.itertuples(index=False):
        n, load = expected.get(row.worker_id, (0, 0.0))
        assert row.n_cases == n
        assert row.load == load  # exact: same products, same order of additions
        capacity = scheme.capacity * row.fte * (1.0 - row.reduction)
        for column in factor_columns:
            capacity = capacity * getattr(row, column)
        assert row.capacity == capacity
        util = load / capacity if capacity > 0 else math.nan
        assert row.utilisation == util or (math.isnan(util) and math.isnan(row.utilisation))
    # teams: ratio of sums, each sum in worker order
    for team in wl.teams.itertuples(index=False):
        members = workers[workers["team_id"] == team.team_id]
        load = 0.0
        capacity = 0.0
        for w_load, w_cap in zip(members["load"], members["capacity"], strict=True):
            load += w_load
            capacity += w_cap
        assert (team.n_workers, team.load, team.capacity) == (len(members), load, capacity)
        assert team.n_cases == members["n_cases"].sum()
    np.testing.assert_array_equal(
        workers["band"].to_numpy(dtype=object),
        scheme.bands.classify(workers["utilisation"].to_numpy()).to_numpy(dtype=object),
    )


def _load_by_type_key_by_key(
    counts: np.ndarray, key_type: np.ndarray, points: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The straightforward form: each key's column on the last axis, in key order."""
    by_type = np.zeros((*counts.shape[:-1], n))
    for k in range(counts.shape[-1]):
        by_type[..., key_type[k]] += counts[..., k] * points[k]
    load = np.zeros(counts.shape[:-1])
    for t in range(n):
        load += by_type[..., t]
    return by_type, load


@pytest.mark.parametrize("shape", [(0, 5), (7, 1), (50, 12), (6, 4, 9)])
def test_load_by_type_equals_key_by_key(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(len(shape) * 100 + shape[-1])
    n_types = max(1, shape[-1] // 3)
    key_type = np.sort(rng.integers(0, n_types, shape[-1]))
    points = rng.uniform(0.1, 7.3, shape[-1])
    counts = rng.integers(0, 40, shape)
    table = SimpleNamespace(
        types=[f"t{i}" for i in range(n_types)], key_type=key_type, key_points=points
    )
    # the engine takes the key on the first axis and gives the type on the first axis
    got = load_by_type(np.moveaxis(counts, -1, 0), table)  # type: ignore[arg-type]
    want = _load_by_type_key_by_key(counts, key_type, points, n_types)
    by_type = np.moveaxis(got[0], 0, -1)
    assert by_type.shape == want[0].shape
    # bit for bit: the same bytes in C order
    assert np.ascontiguousarray(by_type).tobytes() == want[0].tobytes()
    assert got[1].tobytes() == want[1].tobytes()


@pytest.mark.parametrize("n_nat", [3, 0])
@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_days_from_datetimes_equal_numpys_cast(unit: str, n_nat: int) -> None:
    """Whole days by integer division equal numpy's cast to datetime64[D], before 1970 too,
    with missing dates (moved to NAT_DAY without a select) and without (no move at all)."""
    per_day = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
    rng = np.random.default_rng(len(unit))
    ticks = rng.integers(-(10**17), 10**17, 5_000) // (per_day["ns"] // per_day[unit])
    edges = [-1, 0, 1, -per_day[unit], -per_day[unit] - 1, per_day[unit] - 1]
    ticks = np.concatenate([ticks, edges, [np.iinfo(np.int64).min] * n_nat])
    series = pd.Series(ticks.view(f"datetime64[{unit}]"))
    days, bad = to_days(series)
    expected = series.to_numpy(dtype="datetime64[D]").astype(np.int64)
    assert days.dtype == np.int64 and not bad.any()
    np.testing.assert_array_equal(days, expected)
    assert (days == NAT_DAY).sum() == n_nat


def test_many_flags_score_as_the_python_oracle(town: at.datasets.Municipality) -> None:
    """Over 8 complexity flags the flag bits no longer fit a byte and take 64 bits."""
    extra = [at.Multiplier(f"extra_{i}", 1.0 + (i + 1) / 16) for i in range(9)]
    scheme = attrs.evolve(town.scheme, multipliers=(*town.scheme.multipliers, *extra))
    assert len(scheme.multipliers) > 8
    rng = np.random.default_rng(5)
    cases = town.cases.assign(**{m.flag: rng.random(len(town.cases)) < 0.3 for m in extra})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wl = at.score(cases, town.workers, scheme, on=town.on)
    expected = _oracle_loads(cases, scheme, pd.Timestamp(town.on))
    assert len(wl.rejected) == 0
    for row in wl.workers.itertuples(index=False):
        n, load = expected.get(row.worker_id, (0, 0.0))
        assert (row.n_cases, row.load) == (n, load)
