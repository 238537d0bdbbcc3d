"""Coverage study: how often do the 95 % worker-clustered bootstrap intervals cover the truth?

Runs each calibrator on synthetic municipalities with a known scheme over many seeds and
prints the recovery errors and the interval coverage. Slow (minutes); not run by the tests.

    .venv/bin/python benchmarks/bench_calibration_coverage.py [seeds] [reps] [workers] [months]
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd

import arbetstyngd as at
from arbetstyngd._synthetic import make_specialised_municipality
from arbetstyngd.calibrate import PerceivedWorkload, TimeStudy, parse_load_column

MINI = at.Scheme.from_dict(
    {
        "name": "mini",
        "version": "1",
        "capacity": 120,
        "weights": [
            {"case_type": "intake", "weight": 2},
            {"case_type": "utredning", "weight": 10},
            {"case_type": "insats", "weight": 6},
            {"case_type": "placering", "weight": 14},
        ],
        "adjustments": [
            {
                "covariate": "experience_years",
                "name": "experience",
                "breaks": [1.0],
                "factors": [0.75, 1.0],
            }
        ],
    }
)


def rel_error(est: pd.Series, truth: pd.Series) -> float:
    return float(((est / est.mean()) / (truth / truth.mean()) - 1).abs().max())


def main(n_seeds: int = 20, n_bootstrap: int = 200, n_workers: int = 60, months: int = 6) -> None:
    warnings.simplefilter("ignore")
    rows = []
    t0 = time.perf_counter()
    for seed in range(n_seeds):
        town = make_specialised_municipality(n_workers=n_workers, n_teams=6, seed=seed, scheme=MINI)
        log = at.datasets.make_time_log(town, months=months, seed=seed)
        common = dict(teams=town.teams, scheme=MINI, periods="M", start=log.start, end=log.end)
        for method in ("ratio", "nnls"):
            ts = TimeStudy.from_log(
                log.log,
                town.cases,
                town.workers,
                method=method,
                n_bootstrap=n_bootstrap,
                random_state=seed,
                progress=False,
                **common,
            )
            truth = log.minutes.reindex(ts.weights_.index)
            iv = ts.intervals_
            cover = ((iv["lower"] <= truth) & (truth <= iv["upper"])).to_numpy()
            rows.append(
                {
                    "method": f"time study ({method})",
                    "seed": seed,
                    "max_rel_error": rel_error(ts.weights_, truth),
                    "p_error": np.nan,
                    "covered": cover.sum(),
                    "intervals": cover.size,
                }
            )
        survey = at.datasets.make_ratings(town, months=months, seed=seed)
        pw = PerceivedWorkload.from_survey(
            survey.ratings,
            town.cases,
            town.workers,
            n_bootstrap=n_bootstrap,
            random_state=seed,
            progress=False,
            **common,
        )
        truth = pd.Series({c: MINI.weight_of(*parse_load_column(c)) for c in pw.weights_.index})
        truth_all = pd.concat([truth, pd.Series({"P": MINI.capacity, "experience[0]": 0.75})])
        iv = pw.intervals_
        t = truth_all.reindex(iv.index)
        cover = ((iv["lower"] <= t) & (t <= iv["upper"])).to_numpy()
        rows.append(
            {
                "method": "perceived workload",
                "seed": seed,
                "max_rel_error": rel_error(pw.weights_, truth),
                "p_error": pw.capacity_ / MINI.capacity - 1,
                "covered": cover.sum(),
                "intervals": cover.size,
                "p_covered": bool(iv.loc["P", "lower"] <= MINI.capacity <= iv.loc["P", "upper"]),
            }
        )
    frame = pd.DataFrame(rows)
    summary = frame.groupby("method").agg(
        seeds=("seed", "nunique"),
        median_max_rel_error=("max_rel_error", "median"),
        worst_max_rel_error=("max_rel_error", "max"),
        mean_abs_p_error=("p_error", lambda v: v.abs().mean()),
        covered=("covered", "sum"),
        intervals=("intervals", "sum"),
    )
    summary["coverage"] = summary["covered"] / summary["intervals"]
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    print(
        f"{n_seeds} seeds, {n_workers} workers x {months} months, {n_bootstrap} replicates, "
        f"{time.perf_counter() - t0:.0f} s"
    )
    print(summary.round(3))
    pw_rows = frame[frame["method"] == "perceived workload"]
    print(f"P interval coverage: {pw_rows['p_covered'].mean():.2f}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
