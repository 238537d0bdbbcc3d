"""Engine benchmark: `score` against a bare numpy floor, `timeline` against a naive loop.

Run with `make bench` (or `python benchmarks/bench_engine.py [--cases N --workers M]`).
Both ratios are measured in the same run, so machine noise cancels out; absolute seconds are
printed for context only.

- floor: weights gathered by integer code and summed per worker with `numpy.bincount`, from
  the raw DataFrame columns (so it includes the two hash passes any engine must make to turn
  worker and case-type text into codes);
- score: `at.score(cases, workers, scheme, on=...)`, with every validation and the worker
  and team tables; also timed on one thread, with the rows shuffled (case ids in no order),
  and with the per-case table (built on first use) read as well;
- timeline: `at.timeline` over 104 weekly dates, against calling `score` once per date.
  The naive loop is timed on a sample of dates and scaled, to keep the run short.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

import arbetstyngd as at


def make_data(n_cases: int, n_workers: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    scheme = at.load_scheme("barn-och-unga")
    table = scheme.weights_table()
    worker_ids = np.array([f"H{i:06d}" for i in range(n_workers)])
    item = rng.integers(0, len(table), n_cases)
    opened = np.datetime64("2024-01-01") + rng.integers(0, 900, n_cases).astype("timedelta64[D]")
    length = rng.gamma(2.0, 90.0, n_cases).astype(np.int64) + 1
    closed = opened + length.astype("timedelta64[D]")
    closed = np.where(closed > np.datetime64("2026-06-30"), np.datetime64("NaT"), closed)
    cases = pd.DataFrame(
        {
            "case_id": [f"A{i:08d}" for i in range(n_cases)],
            "worker_id": worker_ids[rng.integers(0, n_workers, n_cases)],
            "case_type": table["case_type"].to_numpy()[item],
            "phase": table["phase"].to_numpy(dtype=object)[item],
            "opened": opened.astype("datetime64[ns]"),
            "closed": closed.astype("datetime64[ns]"),
            "tolk": rng.random(n_cases) < 0.08,
        }
    )
    workers = pd.DataFrame(
        {
            "worker_id": worker_ids,
            "team_id": [f"T{i % 200}" for i in range(n_workers)],
            "fte": rng.choice([1.0, 0.8, 0.5], n_workers),
            "experience_years": rng.uniform(0, 20, n_workers),
        }
    )
    return cases, workers


def floor(
    cases: pd.DataFrame, workers: pd.DataFrame, scheme: at.Scheme, on: np.datetime64
) -> np.ndarray:
    weights = scheme.weights_table().drop_duplicates("case_type").set_index("case_type")["weight"]
    tcode, tuniq = pd.factorize(cases["case_type"])
    wcode, wuniq = pd.factorize(cases["worker_id"])
    active = (cases["opened"].to_numpy() <= on) & ~(cases["closed"].to_numpy() <= on)
    w = weights.reindex(tuniq).to_numpy()[tcode]
    return np.bincount(wcode[active], weights=w[active], minlength=len(wuniq))


def floor_known(
    cases: pd.DataFrame, workers: pd.DataFrame, scheme: at.Scheme, on: np.datetime64
) -> np.ndarray:
    """The floor with the engine's own lookup: codes by probing the known roster and types."""
    types = scheme.weights_table().drop_duplicates("case_type")
    weights = types["weight"].to_numpy()
    roster = pa.array(workers["worker_id"].to_numpy(dtype=object))
    tcode = pc.index_in(pa.array(cases["case_type"]), value_set=pa.array(types["case_type"]))
    wcode = pc.index_in(pa.array(cases["worker_id"]), value_set=roster)
    active = (cases["opened"].to_numpy() <= on) & ~(cases["closed"].to_numpy() <= on)
    w = weights[tcode.to_numpy(zero_copy_only=False)]
    wc = wcode.to_numpy(zero_copy_only=False)
    return np.bincount(wc[active], weights=w[active], minlength=len(roster))


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--dates", type=int, default=104)
    parser.add_argument("--naive-sample", type=int, default=6)
    args = parser.parse_args()
    warnings.simplefilter("ignore", at.RejectedRowsWarning)

    t = time.perf_counter()
    cases, workers = make_data(args.cases, args.workers)
    scheme = at.load_scheme("barn-och-unga")
    print(f"data: {len(cases):,} cases, {len(workers):,} workers ({time.perf_counter() - t:.1f} s)")
    on = np.datetime64("2025-06-30")

    t_floor = best_of(lambda: floor(cases, workers, scheme, on))
    t_known = best_of(lambda: floor_known(cases, workers, scheme, on))
    t_score = best_of(lambda: at.score(cases, workers, scheme, on=str(on)))
    # the same call confined to one thread (pyarrow's CPU budget also caps the engine's)
    cpus = pa.cpu_count()
    pa.set_cpu_count(1)
    try:
        t_single = best_of(lambda: at.score(cases, workers, scheme, on=str(on)))
    finally:
        pa.set_cpu_count(cpus)
    # the per-case table is built on first use; this is what reading it costs on top
    t_cases = best_of(lambda: at.score(cases, workers, scheme, on=str(on)).cases)
    # ids in no order: the check can no longer prove uniqueness from the order alone
    shuffled = cases.sample(frac=1.0, random_state=1).reset_index(drop=True)
    t_shuffled = best_of(lambda: at.score(shuffled, workers, scheme, on=str(on)))
    print(f"floor (factorize + gather + bincount): {t_floor:.3f} s")
    print(f"score:                                 {t_score:.3f} s  ({cpus} threads at most)")
    print(f"RATIO score / floor = {t_score / t_floor:.2f}  (target <= 2)")
    print(
        f"  floor with pyarrow index_in lookups: {t_known:.3f} s; "
        f"score / that floor = {t_score / t_known:.2f}"
    )
    for what, t in (
        ("score on one thread:", t_single),
        ("score, rows in random order:", t_shuffled),
        ("score and then .cases built:", t_cases),
    ):
        print(f"  {what:<36} {t:.3f} s  ratio {t / t_floor:.2f}")

    dates = pd.date_range("2024-07-07", periods=args.dates, freq="W")
    t_tl = best_of(lambda: at.timeline(cases, workers, scheme, dates=dates), repeat=3)
    sample = dates[:: max(1, len(dates) // args.naive_sample)][: args.naive_sample]
    t0 = time.perf_counter()
    for d in sample:
        at.score(cases, workers, scheme, on=d)
    per_date = (time.perf_counter() - t0) / len(sample)
    t_naive = per_date * len(dates)
    print(f"timeline over {len(dates)} weekly dates:    {t_tl:.3f} s")
    print(
        f"naive loop of score per date (est.):   {t_naive:.3f} s "
        f"({per_date:.3f} s x {len(dates)}, timed on {len(sample)} dates)"
    )
    print(f"RATIO naive / timeline = {t_naive / t_tl:.1f}x faster  (target >= 20)")


if __name__ == "__main__":
    main()
