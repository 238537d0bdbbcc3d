"""Shared fixtures: a small hand-computable scheme and caseload."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at

MINI = """
name = "mini"
version = "1"
capacity = 100
[provenance]
method = "manual"
note = "test scheme"
[[weights]]
case_type = "A"
weight = 10
label = { sv = "Ärende A", en = "Case A" }
[[weights]]
case_type = "A"
phase = "utredning"
weight = 16
[[weights]]
case_type = "B"
weight = 4
[multipliers]
tolk = 1.5
[[adjustments]]
covariate = "experience_years"
name = "experience"
breaks = [1, 5]
factors = [0.5, 0.8, 1.0]
[[adjustments]]
covariate = "span_of_control"
name = "support"
breaks = [10]
factors = [1.0, 0.9]
"""


@pytest.fixture
def mini() -> at.Scheme:
    return at.Scheme.from_toml(MINI)


@pytest.fixture
def workers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "worker_id": ["W1", "W2", "W3"],
            "team_id": ["T1", "T1", "T2"],
            "fte": [1.0, 0.5, 1.0],
            "reduction": [0.0, 0.2, np.nan],
            "experience_years": [3.0, 2.0, np.nan],
            "profession_start": [None, None, "2025-09-01"],
        }
    )


@pytest.fixture
def teams() -> pd.DataFrame:
    return pd.DataFrame({"team_id": ["T1", "T2"], "span_of_control": [12.0, np.nan]})


@pytest.fixture
def cases() -> pd.DataFrame:
    rows = [
        # case, worker, type, phase, opened, closed, tolk
        ("c1", "W1", "A", "utredning", "2026-01-01", None, "nej"),
        ("c2", "W1", "A", "insats", "2026-01-15", None, "ja"),
        ("c3", "W1", "B", None, "2026-02-01", "2026-03-01", None),
        ("c4", "W1", "B", None, "2026-03-01", None, None),
        ("c5", "W2", "A", None, "2025-12-01", None, "ja"),
        ("c6", "W2", "B", None, "2026-03-02", None, None),
        ("c7", "W2", "B", None, "2026-01-10", "2026-03-02", "0"),
        ("c8", "W2", "A", "utredning", "2026-02-20", None, None),
        ("c9", "W1", "A", "utredning", "2026-02-01", None, "x"),
        ("c10", "W1", "B", None, "2026-02-11", None, ""),
    ]
    return pd.DataFrame(
        rows, columns=["case_id", "worker_id", "case_type", "phase", "opened", "closed", "tolk"]
    )


def make_random_caseload(
    rng: np.random.Generator, n_cases: int, n_workers: int, scheme: at.Scheme
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random valid tables for property tests."""
    table = scheme.weights_table()
    item = rng.integers(0, len(table), n_cases)
    opened = np.datetime64("2025-01-01") + rng.integers(0, 300, n_cases).astype("timedelta64[D]")
    closed = opened + rng.integers(0, 200, n_cases).astype("timedelta64[D]")
    closed = np.where(rng.random(n_cases) < 0.3, np.datetime64("NaT"), closed)
    cases = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(n_cases)],
            "worker_id": [f"W{i}" for i in rng.integers(0, n_workers, n_cases)],
            "case_type": table["case_type"].to_numpy()[item],
            "phase": table["phase"].to_numpy(dtype=object)[item],
            "opened": opened,
            "closed": closed,
        }
    )
    for m in scheme.multipliers:
        cases[m.flag] = rng.random(n_cases) < 0.2
    workers = pd.DataFrame(
        {
            "worker_id": [f"W{i}" for i in range(n_workers)],
            "team_id": [f"T{i % 3}" for i in range(n_workers)],
            "fte": rng.choice([1.0, 0.75, 0.5], n_workers),
            "reduction": rng.choice([0.0, 0.0, 0.1], n_workers),
            "profession_start": np.datetime64("2025-06-01")
            - rng.integers(0, 3000, n_workers).astype("timedelta64[D]"),
        }
    )
    return cases, workers
