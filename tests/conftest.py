"""Shared fixtures: a small hand-computable scheme and caseload."""

from __future__ import annotations

from typing import Any

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


# --- archive databases: every archive test runs on SQLite and on a real PostgreSQL -------------
# .ci/run starts a throw-away PostgreSQL cluster and exports its URL; without one a cluster is
# started here when the PostgreSQL server programs are installed. Under CI=true a missing
# server fails the run instead of skipping.

PG_URL_VARIABLE = "ARBETSTYNGD_TEST_PG_URL"


def _start_own_cluster() -> tuple[str | None, Any, str]:
    import glob
    import os
    import shutil
    import socket
    import subprocess
    import tempfile

    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    initdb = shutil.which("initdb") or (f"{bins[-1]}/initdb" if bins else None)
    if initdb is None or not os.path.exists(initdb):
        return None, None, "no PostgreSQL server programs (initdb) are installed"
    pg_ctl = os.path.join(os.path.dirname(os.path.realpath(initdb)), "pg_ctl")
    as_user: list[str] = []
    if os.geteuid() == 0:
        # the server refuses to run as root
        if shutil.which("runuser") is None:
            return None, None, "running as root without runuser to start PostgreSQL as postgres"
        as_user = ["runuser", "-u", "postgres", "--"]
    # a folder of its own under /tmp: pytest's temporary folders are private to root
    tmp = tempfile.mkdtemp(prefix="arbetstyngd-pg-")
    if as_user:
        shutil.chown(tmp, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = os.path.join(tmp, "data")
    try:
        subprocess.run(
            [*as_user, initdb, "-D", data, "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
        )
        options = f"-k {tmp} -p {port} -c listen_addresses='' -c fsync=off"
        subprocess.run(
            [*as_user, pg_ctl, "-D", data, "-o", options, "-l", f"{tmp}/log", "-w", "start"],
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        detail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-1:]
        return None, None, f"could not start a PostgreSQL cluster ({' '.join(detail)})"
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return None, None, f"could not start a PostgreSQL cluster ({exc})"

    def stop() -> None:
        subprocess.run(
            [*as_user, pg_ctl, "-D", data, "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)

    # also when the run is interrupted: no server is left behind
    import atexit

    atexit.register(stop)
    return f"postgresql+psycopg://postgres@/postgres?host={tmp}&port={port}", stop, ""


@pytest.fixture(scope="session")
def pg_server() -> Any:
    """The URL of a PostgreSQL server for the archive tests (or skip / fail with a reason)."""
    import os

    url = os.environ.get(PG_URL_VARIABLE)
    stop = None
    why = ""
    if not url:
        url, stop, why = _start_own_cluster()
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no PostgreSQL for the archive tests: {why}")
        pytest.skip(f"no PostgreSQL server for the archive tests: {why}")
    yield url
    if stop is not None:
        stop()  # registered with atexit too; a second stop finds nothing to do


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    """A fresh, empty database URL: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/archive.db"
        return
    import uuid

    import sqlalchemy as sa

    base = sa.engine.make_url(request.getfixturevalue("pg_server"))
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


# --- under CI=true a skipped test is a failed test --------------------------------------------
# A test that skips in CI tests nothing: the database, cluster and browser tests must run there.
# Only scikit-learn's own array-API checks may skip (they need SCIPY_ARRAY_API, which changes
# SciPy for the whole process).
_SKIPS_ALLOWED_IN_CI = ("SCIPY_ARRAY_API",)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    outcome = yield
    import os

    report = outcome.get_result()
    if os.environ.get("CI", "").lower() != "true" or not report.skipped:
        return
    if hasattr(report, "wasxfail"):
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report)
    if not any(allowed in reason for allowed in _SKIPS_ALLOWED_IN_CI):
        report.outcome = "failed"
        report.longrepr = f"CI=true: this test skipped instead of running ({reason})"
