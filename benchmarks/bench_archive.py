"""The archive against plain pandas SQL I/O, in the same run.

* **record**: one 10,000-worker measurement, ``Archive.record`` (extracting the aggregates,
  fingerprinting the inputs, one transaction) against ``DataFrame.to_sql`` writing the same
  tables (workers, their covariates, teams, key counts) to a new database;
* **read**: five years of monthly history (60 measurements) for 2,000 workers,
  ``Archive.history("worker")`` against ``pandas.read_sql`` of the same rows from one table
  written by ``to_sql``.

Rounds are interleaved (archive, baseline, archive, …) and the median ratio is printed, with
best and worst. SQLite always; PostgreSQL too when ``ARBETSTYNGD_BENCH_PG_URL`` (or
``ARBETSTYNGD_TEST_PG_URL``) names a server. ``--quick`` for a small run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

import arbetstyngd as at
from arbetstyngd.archive.extract import extract


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@contextmanager
def fresh_database(kind: str, tmp: Path, pg: str | None) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / (uuid.uuid4().hex + '.db')}"
        return
    assert pg is not None
    base = sa.engine.make_url(pg)
    name = "bench_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def report(what: str, archive: list[float], baseline: list[float]) -> None:
    ratios = [a / b for a, b in zip(archive, baseline, strict=True)]
    print(
        f"  {what}: archive median {statistics.median(archive):.3f} s, pandas median "
        f"{statistics.median(baseline):.3f} s; ratio archive/pandas median "
        f"{statistics.median(ratios):.2f} (best {min(ratios):.2f}, worst {max(ratios):.2f})",
        flush=True,
    )


def bench_record(kind: str, wl: at.Workload, tmp: Path, pg: str | None, rounds: int) -> None:
    ex = extract(wl, library_version=at.__version__)
    tables = {"workers": ex.workers, "values": ex.values, "teams": ex.teams, "keys": ex.keys}
    ours, theirs = [], []
    for _ in range(rounds):
        with fresh_database(kind, tmp, pg) as url:
            archive = at.Archive(url)  # schema created outside the timing, like to_sql's
            ours.append(timed(lambda a=archive: a.record(wl)))
            archive.close()
        with fresh_database(kind, tmp, pg) as url:
            engine = sa.create_engine(url)

            def plain(engine: sa.Engine = engine) -> None:
                with engine.begin() as conn:
                    for name, frame in tables.items():
                        frame.assign(
                            **{
                                c: frame[c].astype(str)
                                for c in frame.columns
                                if isinstance(frame[c].dtype, pd.CategoricalDtype)
                            }
                        ).to_sql(name, conn, index=False)

            theirs.append(timed(plain))
            engine.dispose()
    rows = sum(len(t) for t in tables.values())
    report(f"record one measurement ({len(wl.workers):,} workers, {rows:,} rows)", ours, theirs)


def bench_read(
    kind: str, town: at.datasets.Municipality, tmp: Path, pg: str | None, rounds: int, months: int
) -> None:
    dates = pd.date_range(end=town.on, periods=months, freq="ME")
    with fresh_database(kind, tmp, pg) as url:
        archive = at.Archive(url)
        t0 = time.perf_counter()
        for on in dates:
            archive.record(at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=on))
        print(f"  (filled {months} measurements in {time.perf_counter() - t0:.1f} s)")
        history = archive.history("worker")
        engine = sa.create_engine(url)
        flat = history.assign(band=history["band"].astype(str))
        with engine.begin() as conn:
            flat.to_sql("flat_history", conn, index=False)
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(timed(lambda: archive.history("worker")))
            theirs.append(timed(lambda: pd.read_sql("SELECT * FROM flat_history", engine)))
        engine.dispose()
        archive.close()
    report(
        f"read {months} months x {len(town.workers):,} workers ({len(history):,} rows)",
        ours,
        theirs,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    big, small, months = (500, 100, 12) if args.quick else (10_000, 2_000, 60)
    pg = os.environ.get("ARBETSTYNGD_BENCH_PG_URL") or os.environ.get("ARBETSTYNGD_TEST_PG_URL")
    kinds = ["sqlite"] + (["postgresql"] if pg else [])
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    town = at.datasets.make_municipality(n_workers=big, n_teams=big // 12, seed=1)
    wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    five = at.datasets.make_municipality(
        n_workers=small,
        n_teams=small // 12,
        seed=2,
        start=pd.Timestamp(town.on) - pd.DateOffset(years=months // 12 + 1),
        end=town.on,
    )
    print(f"synthetic data in {time.perf_counter() - t0:.1f} s", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            print(f"{kind}:", flush=True)
            bench_record(kind, wl, Path(tmp), pg, args.rounds)
            bench_read(kind, five, Path(tmp), pg, args.rounds, months)


if __name__ == "__main__":
    main()
