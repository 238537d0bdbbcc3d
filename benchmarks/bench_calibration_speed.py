"""Calibration speed: the bootstrap against the plain fit, and the fast solver against the oracle.

Run with `make bench` (or `python benchmarks/bench_calibration_speed.py [--rounds R]`). On the
README's example (120 workers x 12 months, about 1,200 answered ratings, the barn-och-unga
scheme) it times, in interleaved rounds and as medians:

- `PerceivedWorkload.from_survey` without a bootstrap and with `n_bootstrap=200` (and,
  with `--n-jobs`, the same in parallel): the ratio says what the intervals cost;
- `TimeStudy.from_log` on a time log of the same town, the same two ways;
- `PerceivedWorkload.fit` on the same rows with a smaller bootstrap, with the fast solver
  (per-cell sufficient statistics) and with the simple row-based solver that the tests keep
  as the oracle, and the largest difference between their intervals.

Seconds are printed for context; the ratios are measured in the same run, so the noise of a
shared machine mostly cancels out.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import arbetstyngd as at
from arbetstyngd.calibrate import PerceivedWorkload, TimeStudy

NUMBERS = ["estimate", "lower", "upper", "se"]


def timed(func: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds of this process (a parallel run's workers not counted)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = func()
    return time.perf_counter() - start, time.process_time() - cpu, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n-bootstrap", type=int, default=200)
    parser.add_argument("--oracle-bootstrap", type=int, default=20)
    parser.add_argument("--n-jobs", type=int, default=None)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    town = at.datasets.make_specialised_municipality(n_workers=120, n_teams=8, seed=11)
    survey = at.datasets.make_ratings(town, months=12, seed=11)
    log = at.datasets.make_time_log(town, months=12, seed=11)
    common = {
        "teams": town.teams,
        "scheme": "barn-och-unga",
        "periods": "M",
        "random_state": 0,
        "progress": False,
    }

    def survey_fit(n_bootstrap: int, n_jobs: int | None = None) -> Callable[[], Any]:
        return lambda: PerceivedWorkload.from_survey(
            survey.ratings,
            town.cases,
            town.workers,
            start=survey.start,
            end=survey.end,
            n_bootstrap=n_bootstrap,
            n_jobs=n_jobs,
            **common,
        )

    def log_fit(n_bootstrap: int) -> Callable[[], Any]:
        return lambda: TimeStudy.from_log(
            log.log,
            town.cases,
            town.workers,
            start=log.start,
            end=log.end,
            method="nnls",
            n_bootstrap=n_bootstrap,
            **common,
        )

    plain = survey_fit(0)()
    X, y = plain.features_, plain.ratings_["rating"].to_numpy()

    def oracle_fit(solver: str) -> Callable[[], Any]:
        def run() -> Any:
            est = PerceivedWorkload(
                "barn-och-unga", n_bootstrap=args.oracle_bootstrap, random_state=0, progress=False
            )
            est._solver = solver
            return est.fit(X, y)

        return run

    nb = args.n_bootstrap
    cases: dict[str, Callable[[], Any]] = {
        "PerceivedWorkload.from_survey, no bootstrap": survey_fit(0),
        f"PerceivedWorkload.from_survey, n_bootstrap={nb}": survey_fit(nb),
        "TimeStudy.from_log (nnls), no bootstrap": log_fit(0),
        f"TimeStudy.from_log (nnls), n_bootstrap={nb}": log_fit(nb),
        f"PerceivedWorkload.fit, n_bootstrap={args.oracle_bootstrap}, fast": oracle_fit("cells"),
        f"PerceivedWorkload.fit, n_bootstrap={args.oracle_bootstrap}, oracle": oracle_fit("rows"),
    }
    if args.n_jobs is not None:
        cases[f"PerceivedWorkload.from_survey, n_bootstrap={nb}, n_jobs={args.n_jobs}"] = (
            survey_fit(nb, args.n_jobs)
        )
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    results: dict[str, Any] = {}
    for _ in range(args.rounds):
        for name, func in cases.items():
            seconds, cpu_seconds, results[name] = timed(func)
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f"{len(X)} answered (worker, period) rows, {len(plain.weights_)} weights; ", end="")
    print(f"median of {args.rounds} interleaved rounds (wall-clock s, CPU s of this process)")
    for name, seconds in median.items():
        print(f"  {name:<62} {seconds:8.2f} {statistics.median(cpu[name]):8.2f}")
    names = list(cases)
    print(f"PerceivedWorkload: bootstrap / plain fit  {median[names[1]] / median[names[0]]:6.1f}x")
    print(f"TimeStudy:         bootstrap / plain fit  {median[names[3]] / median[names[2]]:6.1f}x")
    print(f"oracle (rows) / fast (cells) solver       {median[names[5]] / median[names[4]]:6.1f}x")
    fast, oracle = results[names[4]].intervals_, results[names[5]].intervals_
    diff = np.abs(fast[NUMBERS].to_numpy() - oracle[NUMBERS].to_numpy())
    scale = np.abs(oracle[NUMBERS].to_numpy()) + 1e-12
    print(f"largest relative difference, fast vs oracle intervals: {np.nanmax(diff / scale):.1e}")
    if args.n_jobs is not None:
        ratio = median[names[6]] / median[names[1]]
        print(f"n_jobs={args.n_jobs} / n_jobs=None (bootstrap)             {ratio:6.2f}x")


if __name__ == "__main__":
    main()
