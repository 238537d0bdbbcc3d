"""Allocation benchmark: the exact solve against the greedy (and the first exact method).

Run with `make bench` (or `python benchmarks/bench_allocate.py [--sizes 100x300 --old]`).
A synthetic municipality of M caseworkers gets a batch of N new cases drawn from its own case
mix, under the rules ceiling "high" and a minimum of one year's experience for LVU cases.
The methods run on the same Workload in interleaved rounds; the report gives the median wall
and CPU seconds of each, the exact/greedy ratio, how much lower the exact solution's highest
resulting utilisation is (percentage points), the proven bound and whether the exact solve
proved its answer best (`milp`) or stopped at its time limit (`milp-time-limit`).

``--old`` adds the first exact method (one mixed-integer program per step over case kind ×
worker counts, ``solver.solve_compact``) as a third column, to check that both give the same
highest utilisation where the old one proves its answer.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
import warnings
from collections.abc import Iterator

import numpy as np

import arbetstyngd as at
import arbetstyngd.decide.allocation as allocation
from arbetstyngd.decide.solver import solve_compact


@contextlib.contextmanager
def _old_solver() -> Iterator[None]:
    """The allocation with the first exact method in place of the current one."""
    current = allocation.solve_exact
    allocation.solve_exact = solve_compact
    try:
        yield
    finally:
        allocation.solve_exact = current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="20x60,100x300,300x300", help="new cases x caseworkers, comma-separated"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, default=3, help="municipalities to try")
    parser.add_argument("--old", action="store_true", help="also run the first exact method")
    args = parser.parse_args()
    rules = {"ceiling": "high", "min_experience": {"bou_lvu": 1.0}, "continuity": False}
    print(f"rules {rules}, time limit {args.time_limit:g} s, {args.rounds} interleaved rounds")
    print(
        "  size     seed  greedy s (cpu)   exact s (cpu)   ratio  highest greedy  highest exact"
        "  lower by  proven bound  method"
        + ("            old s   old highest  old method" if args.old else "")
    )
    for size in args.sizes.split(","):
        n_new, n_workers = (int(x) for x in size.split("x"))
        for seed in range(args.seeds):
            run(n_new, n_workers, seed, rules, args)


def _timed(call, wall: list[float], cpu: list[float]):
    t0, c0 = time.perf_counter(), time.process_time()
    out = call()
    wall.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
    return out


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
    methods = ("greedy", "exact", "old") if args.old else ("greedy", "exact")
    wall: dict[str, list[float]] = {m: [] for m in methods}
    cpu: dict[str, list[float]] = {m: [] for m in methods}
    results = {}
    for _ in range(args.rounds):
        for method in methods:
            ctx = _old_solver() if method == "old" else contextlib.nullcontext()
            with ctx:
                results[method] = _timed(
                    lambda m=method: at.allocate(
                        wl,
                        new,
                        rules=rules,
                        method="greedy" if m == "greedy" else "exact",
                        time_limit=args.time_limit,
                    ),
                    wall[method],
                    cpu[method],
                )
    med = {m: (statistics.median(wall[m]), statistics.median(cpu[m])) for m in methods}
    g, e = results["greedy"], results["exact"]
    bound = max(e.bound, g.bound)
    ratio = med["exact"][0] / med["greedy"][0]
    line = (
        f"{n_new:>3}x{n_workers:<4} {seed:>4}  {med['greedy'][0]:6.3f} ({med['greedy'][1]:5.2f})"
        f"  {med['exact'][0]:6.3f} ({med['exact'][1]:5.2f})  {ratio:5.1f}x"
        f"  {g.highest:14.3%}  {e.highest:13.3%}  {(g.highest - e.highest) * 100:5.2f} pp"
        f"  {bound:12.3%}  {e.method:<16}"
    )
    if args.old:
        o = results["old"]
        line += f"  {med['old'][0]:6.2f} ({med['old'][1]:5.2f})  {o.highest:11.3%}  {o.method}"
        if o.method == "milp" and e.method == "milp":
            # the old programs stop at a relative gap of 1e-4
            assert abs(o.highest - e.highest) <= 1e-4 * o.highest + 1e-5, (o.highest, e.highest)
        assert e.highest <= o.highest + 1e-5 or e.method != "milp"
    print(line, flush=True)
    assert np.isnan(e.highest) or e.highest <= g.highest + 1e-9


if __name__ == "__main__":
    main()
