"""Scaling of the distributed path: many units on a LocalCluster of 1 and of 2 workers.

Builds ``--units`` units (default 20) of about ``--cases`` cases each (sizes spread from half
to one and a half times that, so one unit is the largest), generated on the workers (as a
``read_parquet`` of a county's exports would be), and scores them with
``at.score(dask_cases, dask_workers, scheme, compute=True)`` on two LocalClusters (worker
processes, one thread each) in interleaved rounds. Prints the median time of each, the ratio
1 worker / 2 workers (2.0 would be perfect scaling), and each worker's peak memory (resident
set size) against the in-memory size of the largest unit's cases and workers.

The issue's full size is ``--units 20 --cases 500000`` (10 million cases); the default is
small enough to run in a few minutes on a 2-core machine (20,000 cases per unit). Not a test; run
``python benchmarks/bench_distributed.py``.
"""

from __future__ import annotations

import argparse
import logging
import resource
import time
import warnings

import bench_engine
import cloudpickle
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

import arbetstyngd as at

# the workers cannot import this folder's modules: ship the data generator by value
cloudpickle.register_pickle_by_value(bench_engine)


def unit_size(i: int, units: int, cases: int) -> int:
    return int(cases * (0.5 + i / max(units - 1, 1)))


def make_unit(i: int, units: int, cases: int, which: str) -> pd.DataFrame:
    n = unit_size(i, units, cases)
    c, w = bench_engine.make_data(n, max(10, n // 100), seed=i)
    frame = c if which == "cases" else w
    return frame.assign(unit=f"unit{i:02d}")


def frames(units: int, cases: int) -> tuple[dd.DataFrame, dd.DataFrame]:
    out = []
    for which in ("cases", "workers"):
        meta = make_unit(0, 1, 20, which).iloc[:0]
        parts = [dask.delayed(make_unit)(i, units, cases, which) for i in range(units)]
        out.append(dd.from_delayed(parts, meta=meta, verify_meta=False))
    return out[0], out[1]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--cases", type=int, default=20_000, help="cases per unit (mean)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    scheme = at.load_scheme("barn-och-unga")
    largest = args.units - 1
    c = make_unit(largest, args.units, args.cases, "cases")
    w = make_unit(largest, args.units, args.cases, "workers")
    unit_mib = (c.memory_usage(deep=True).sum() + w.memory_usage(deep=True).sum()) / 2**20
    total = sum(unit_size(i, args.units, args.cases) for i in range(args.units))
    print(f"{args.units} units, {total:,} cases; largest unit {unit_mib:.0f} MiB in memory")

    clusters = {
        n: LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        for n in (1, 2)
    }
    times: dict[int, list[float]] = {1: [], 2: []}
    peaks: dict[int, list[float]] = {}
    # what a worker holds before any unit: Python, pandas, dask and arbetstyngd imported
    idle = []
    for cluster in clusters.values():
        with Client(cluster) as client:
            client.run(lambda: __import__("arbetstyngd"))
            idle.extend(client.run(peak_rss_mib).values())
    try:
        for _ in range(args.rounds):
            for n, cluster in clusters.items():
                with Client(cluster) as client:
                    cases, workers = frames(args.units, args.cases)
                    t = time.perf_counter()
                    result = at.score(cases, workers, scheme, on="2025-06-30", compute=True)
                    times[n].append(time.perf_counter() - t)
                    assert len(result.units) == args.units
                    peaks[n] = list(client.run(peak_rss_mib).values())
    finally:
        for cluster in clusters.values():
            cluster.close()
    med = {n: float(np.median(v)) for n, v in times.items()}
    print(f"median of {args.rounds} interleaved rounds:")
    for n in (1, 2):
        shown = ", ".join(f"{p:.0f}" for p in peaks[n])
        print(f"  {n} worker(s): {med[n]:7.2f} s   peak RSS per worker (MiB): {shown}")
    print(f"RATIO 1 worker / 2 workers = {med[1] / med[2]:.2f}x  (2.0 = perfect scaling)")
    worst = max(max(p) for p in peaks.values())
    base = float(np.median(idle))
    print(
        f"peak worker memory {worst:.0f} MiB = {base:.0f} MiB idle (imports) + "
        f"{worst - base:.0f} MiB; the increase / largest unit = {(worst - base) / unit_mib:.1f}x"
    )


if __name__ == "__main__":
    main()
