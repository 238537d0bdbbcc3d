"""Allocation benchmark: the exact solve (mixed-integer program) against the greedy.

Run with `make bench` (or `python benchmarks/bench_allocate.py [--new N --workers M]`).
A synthetic municipality of M caseworkers (default 300) gets a batch of N new cases
(default 100) drawn from its own case mix, under the rules ceiling "high" and a minimum of
one year's experience for LVU cases. Both methods run on the same Workload in interleaved
rounds; the report gives the median seconds of each, their ratio, how much lower the exact
solution's highest resulting utilisation is (percentage points) and whether the exact solve
finished within its time limit (proven best) or stopped at it.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

import arbetstyngd as at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="20x60,100x300", help="new cases x caseworkers, comma-separated"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, default=3, help="municipalities to try")
    args = parser.parse_args()
    rules = {"ceiling": "high", "min_experience": {"bou_lvu": 1.0}, "continuity": False}
    print(f"rules {rules}, time limit {args.time_limit:g} s, {args.rounds} interleaved rounds")
    print(
        "  size    seed   greedy s   exact s   ratio   highest greedy   highest exact   "
        "lower by   proven bound   method"
    )
    for size in args.sizes.split(","):
        n_new, n_workers = (int(x) for x in size.split("x"))
        for seed in range(args.seeds):
            run(n_new, n_workers, seed, rules, args)


def run(n_new: int, n_workers: int, seed: int, rules: dict, args: argparse.Namespace) -> None:
    town = at.datasets.make_municipality(
        n_workers=n_workers, n_teams=max(1, n_workers // 25), seed=seed
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wl = town.score()
    sample = town.cases.sample(n_new, random_state=seed)
    new = sample.drop(columns=["worker_id", "opened", "closed"]).assign(
        case_id=[f"N{i}" for i in range(n_new)]
    )
    times: dict[str, list[float]] = {"greedy": [], "exact": []}
    results = {}
    for _ in range(args.rounds):
        for method in ("greedy", "exact"):
            t0 = time.perf_counter()
            results[method] = at.allocate(
                wl, new, rules=rules, method=method, time_limit=args.time_limit
            )
            times[method].append(time.perf_counter() - t0)
    g, e = statistics.median(times["greedy"]), statistics.median(times["exact"])
    hg, he = results["greedy"].highest, results["exact"].highest
    bound = max(results["exact"].bound, results["greedy"].bound)
    print(
        f"{n_new:>3}x{n_workers:<4} {seed:>4}   {g:8.3f}   {e:7.3f}   {e / g:5.0f}x   "
        f"{hg:14.2%}   {he:13.2%}   {(hg - he) * 100:6.2f} pp   {bound:12.2%}   "
        f"{results['exact'].method}"
    )
    assert np.isnan(he) or he <= hg + 1e-9


if __name__ == "__main__":
    main()
