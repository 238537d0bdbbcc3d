"""Forecast benchmark: 26 weekly steps x 1,000 paths against one `at.timeline` of 26 dates.

Run with `make bench` (or `python benchmarks/bench_forecast.py [--workers N --paths P]`).
The history is :func:`arbetstyngd.datasets.make_history` sized so that about 20,000 cases
are open on the start date (two and a half years, some 150,000 cases in all). Each round
times `at.forecast(..., horizon="26W", freq="W", n_paths=1000)` (one thread, and with
`n_jobs=2`) and one `at.timeline` over the same 26 weekly dates on the same tables,
interleaved; the ratio of the medians is printed (wall clock and CPU time; CPU time counts
both threads), absolute seconds for context only. The aim is a forecast within 20 timelines.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import arbetstyngd as at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1570)
    parser.add_argument("--paths", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    h = at.datasets.make_history(
        n_workers=args.workers, n_teams=30, seed=0, start="2023-06-01", end="2025-12-31"
    )
    start = "2025-12-31"
    n_open = int(h.cases["closed"].isna().sum())
    fc = at.forecast(
        h.cases, h.workers, h.scheme, teams=h.teams, start=start, n_paths=10, random_state=0
    )
    dates = fc.dates
    print(
        f"{len(h.cases):,} cases, {n_open:,} open on {start}, {len(h.workers)} workers in "
        f"30 teams; {len(dates)} weekly dates, {args.paths} paths"
    )

    def run_forecast(n_jobs: int | None = None) -> None:
        at.forecast(
            h.cases, h.workers, h.scheme, teams=h.teams, start=start, horizon="26W",
            freq="W", n_paths=args.paths, random_state=0, progress=False, n_jobs=n_jobs,
        )  # fmt: skip

    def run_timeline() -> None:
        at.timeline(h.cases, h.workers, h.scheme, teams=h.teams, dates=dates)

    runs = {
        "timeline": run_timeline,
        "forecast": run_forecast,
        "forecast_2": lambda: run_forecast(n_jobs=2),
    }
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.ThinHistoryWarning)
        for _ in range(args.rounds):
            for name, func in runs.items():
                w0, c0 = time.perf_counter(), time.process_time()
                func()
                wall[name].append(time.perf_counter() - w0)
                cpu[name].append(time.process_time() - c0)
    med = {k: statistics.median(v) for k, v in wall.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"timeline      {med['timeline']:8.3f} s  (cpu {med_cpu['timeline']:.3f} s)")
    print(f"forecast      {med['forecast']:8.3f} s  (cpu {med_cpu['forecast']:.3f} s)")
    print(f"forecast, 2 threads {med['forecast_2']:8.3f} s  (cpu {med_cpu['forecast_2']:.3f} s)")
    for name, what in (("forecast", "one thread"), ("forecast_2", "n_jobs=2")):
        print(
            f"ratio forecast ({what}) / timeline: {med[name] / med['timeline']:.1f}x wall, "
            f"{med_cpu[name] / med_cpu['timeline']:.1f}x cpu (aim: within 20x)"
        )


if __name__ == "__main__":
    main()
