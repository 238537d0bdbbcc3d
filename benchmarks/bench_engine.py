"""Engine benchmark: `score` against a bare numpy floor, `timeline` against a naive loop.

Run with `make bench` (or `python benchmarks/bench_engine.py [--cases N --workers M]`;
`--timeline-only` skips the score part).
Both ratios are measured in the same run, so machine noise cancels out; absolute seconds are
printed for context only.

- floor: weights gathered by integer code and summed per worker with `numpy.bincount`, from
  the raw DataFrame columns (so it includes the two hash passes any engine must make to turn
  worker and case-type text into codes); the targets are set against this floor;
- floor_full: the same, doing all of score's arithmetic without its checks (phase with its
  fallback, flags, capacity with every adjustment, utilisation and band per worker and
  team), printed alongside so the distance to an engine without validation is visible;
- score: `at.score(cases, workers, scheme, on=...)`, with every validation and the worker
  and team tables; also timed on one thread, with the rows shuffled (case ids in no order),
  and with the per-case table (built on first use) read as well;
- timeline: `at.timeline` over 104 weekly dates, against calling `score` once per date.
  The naive loop is timed on a sample of dates and scaled, to keep the run short; both in
  interleaved rounds, median, in wall and in CPU time (``time.process_time``, all threads).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable

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


def floor_full(
    cases: pd.DataFrame, workers: pd.DataFrame, scheme: at.Scheme, on: np.datetime64
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The floor doing all of `score`'s arithmetic, still without any validation.

    Points from case type, phase (falling back to the phase-less row) and complexity flags;
    load, capacity (normal load, fte, reduction, each adjustment), utilisation and band per
    worker; load, capacity, utilisation and band per team as ratios of sums.
    """
    table = scheme.weights_table()
    tcode, tuniq = pd.factorize(cases["case_type"])
    pcode, puniq = pd.factorize(cases["phase"])  # missing phase: -1, the last column
    weight = {
        (t, None if pd.isna(p) else p): w
        for t, p, w in zip(table["case_type"], table["phase"], table["weight"], strict=True)
    }
    grid = np.array(
        [[weight.get((t, p), weight.get((t, None), np.nan)) for p in [*puniq, None]] for t in tuniq]
    )
    points = grid[tcode, pcode]
    for m in scheme.multipliers:
        if m.flag in cases.columns:
            points = np.where(cases[m.flag].to_numpy(), points * m.factor, points)
    wcode, wuniq = pd.factorize(cases["worker_id"])
    active = (cases["opened"].to_numpy() <= on) & ~(cases["closed"].to_numpy() <= on)
    by_code = np.bincount(wcode[active], weights=points[active], minlength=len(wuniq))
    # loads in roster order: the roster's ids looked up among the case's worker ids
    at_roster = pd.Index(wuniq).get_indexer(workers["worker_id"])
    load = np.where(at_roster >= 0, by_code[at_roster], 0.0)
    team, teams = pd.factorize(workers["team_id"], sort=True)
    covariates = {
        "experience_years": workers["experience_years"].to_numpy(),
        "span_of_control": np.bincount(team)[team].astype(float),
    }
    reduction = workers["reduction"].to_numpy() if "reduction" in workers else 0.0
    capacity = scheme.capacity * workers["fte"].to_numpy() * (1.0 - reduction)
    for adj in scheme.adjustments:
        capacity = capacity * adj.factor(covariates[adj.covariate])
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(capacity > 0, load / capacity, np.nan)
        t_load = np.bincount(team, weights=load, minlength=len(teams))
        t_cap = np.bincount(team, weights=capacity, minlength=len(teams))
        t_util = np.where(t_cap > 0, t_load / t_cap, np.nan)
    return util, scheme.bands.codes(util), t_util, scheme.bands.codes(t_util)


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


def interleaved(
    fns: dict[str, Callable[[], object]], repeat: int, cpu: dict[str, list[float]] | None = None
) -> dict[str, list[float]]:
    """Wall seconds per round of each function; CPU seconds go to ``cpu`` when given."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            c = time.process_time()
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
            if cpu is not None:
                cpu.setdefault(name, []).append(time.process_time() - c)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--dates", type=int, default=104)
    parser.add_argument("--naive-sample", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--timeline-repeat", type=int, default=5)
    parser.add_argument(
        "--timeline-only", action="store_true", help="skip the score part: only the timeline"
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore", at.RejectedRowsWarning)

    t = time.perf_counter()
    cases, workers = make_data(args.cases, args.workers)
    scheme = at.load_scheme("barn-och-unga")
    print(f"data: {len(cases):,} cases, {len(workers):,} workers ({time.perf_counter() - t:.1f} s)")
    if not args.timeline_only:
        score_part(cases, workers, scheme, args)
    timeline_part(cases, workers, scheme, args)


def score_part(
    cases: pd.DataFrame, workers: pd.DataFrame, scheme: at.Scheme, args: argparse.Namespace
) -> None:
    """`score` against the floors, in its variants."""
    on = np.datetime64("2025-06-30")

    shuffled = cases.sample(frac=1.0, random_state=1).reset_index(drop=True)
    # text as Python objects (pandas 2.x's default, and what many exports still give)
    text = ["case_id", "worker_id", "case_type", "phase"]
    objects = cases.astype({c: object for c in text})
    workers_objects = workers.astype({"worker_id": object, "team_id": object})
    cpus = pa.cpu_count()

    def one_thread() -> None:
        # pyarrow's CPU budget also caps the engine's threads
        pa.set_cpu_count(1)
        try:
            at.score(cases, workers, scheme, on=str(on))
        finally:
            pa.set_cpu_count(cpus)

    # each round runs every variant once, so a noisy moment hits them all alike
    cpu: dict[str, list[float]] = {}
    times = interleaved(
        {
            "floor": lambda: floor(cases, workers, scheme, on),
            "floor_known": lambda: floor_known(cases, workers, scheme, on),
            "floor_full": lambda: floor_full(cases, workers, scheme, on),
            "score": lambda: at.score(cases, workers, scheme, on=str(on)),
            "one_thread": one_thread,
            # ids in no order: uniqueness can no longer be proved from the order alone
            "shuffled": lambda: at.score(shuffled, workers, scheme, on=str(on)),
            # the per-case table is built on first use; this is what reading it adds
            "with_cases": lambda: at.score(cases, workers, scheme, on=str(on)).cases,
            "objects": lambda: at.score(objects, workers_objects, scheme, on=str(on)),
        },
        repeat=args.repeat,
        cpu=cpu,
    )
    best = {k: float(np.min(v)) for k, v in times.items()}
    med = {k: float(np.median(v)) for k, v in times.items()}
    cpu_med = {k: float(np.median(v)) for k, v in cpu.items()}
    print(f"best and median of {args.repeat} interleaved rounds:")
    for name, what in (("floor", "floor (factorize + gather + bincount):"), ("score", "score:")):
        print(f"{what:<39}{best[name]:.3f} s  (median {med[name]:.3f})")
    print(f"score uses {cpus} threads at most")
    print(
        f"RATIO score / floor = {best['score'] / best['floor']:.2f} best, "
        f"{med['score'] / med['floor']:.2f} median, {cpu_med['score'] / cpu_med['floor']:.2f} "
        "median CPU  (target <= 1.5; one thread <= 2; object dtype <= 3)"
    )
    for name, what, base in (
        ("score", "score / floor with index_in lookups:", "floor_known"),
        ("one_thread", "score on one thread:", "floor"),
        ("shuffled", "score, rows in random order:", "floor"),
        ("with_cases", "score and then .cases built:", "floor"),
        ("objects", "score, text as object dtype:", "floor"),
        ("score", "score / floor doing all the arithmetic:", "floor_full"),
        ("floor_full", "(that floor / the bare floor:", "floor"),
    ):
        print(
            f"  {what:<38} ratio {best[name] / best[base]:.2f} best, "
            f"{med[name] / med[base]:.2f} median, {cpu_med[name] / cpu_med[base]:.2f} median CPU"
        )
    # other work on the machine shows in wall time first: say how busy it was
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


def timeline_part(
    cases: pd.DataFrame, workers: pd.DataFrame, scheme: at.Scheme, args: argparse.Namespace
) -> None:
    """`timeline` against calling `score` once per date."""
    dates = pd.date_range("2024-07-07", periods=args.dates, freq="W")
    sample = dates[:: max(1, len(dates) // args.naive_sample)][: args.naive_sample]

    def naive_sample() -> None:
        for d in sample:
            at.score(cases, workers, scheme, on=d)

    # interleaved too: a timeline and the sample of per-date scores in each round; CPU time
    # as well, since wall time on a shared machine depends on what else runs
    cpu: dict[str, list[float]] = {}
    rounds = interleaved(
        {
            "timeline": lambda: at.timeline(cases, workers, scheme, dates=dates),
            "naive": naive_sample,
        },
        repeat=args.timeline_repeat,
        cpu=cpu,
    )
    n = args.timeline_repeat
    for what, measured in (("wall", rounds), ("CPU", cpu)):
        t_tl = float(np.median(measured["timeline"]))
        per_date = float(np.median(measured["naive"])) / len(sample)
        t_naive = per_date * len(dates)
        print(f"timeline over {len(dates)} weekly dates, {what}: {t_tl:.3f} s (median of {n})")
        print(
            f"naive loop of score per date (est.), {what}: {t_naive:.3f} s "
            f"({per_date:.3f} s x {len(dates)}, timed on {len(sample)} dates)"
        )
        print(f"RATIO naive / timeline ({what}) = {t_naive / t_tl:.1f}x faster  (target >= 50)")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
