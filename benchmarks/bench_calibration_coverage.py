"""Accuracy and coverage study of the calibrators on synthetic data with a known truth.

For each study design (workers x months, how many teams handle each case type) and each
estimator this fits the calibrator on many seeds and prints

- the median and worst (over seeds) of the largest relative-weight error over case types,
  where a relative weight is a weight over the mean weight;
- the mean and worst absolute error of ``P`` (perceived workload only);
- the pooled coverage of the 95 % worker-clustered bootstrap intervals over all seeds and
  all parameters (weights, and for ratings also ``P`` and the experience factor), with the
  coverage of ``P`` alone.

Slow (minutes on 2 cores); not run by the tests.

    .venv/bin/python benchmarks/bench_calibration_coverage.py [--seeds 20] [--reps 200]
        [--design 60x6x2 ...]

A design ``60x6x2`` is 60 workers x 6 months with every case type handled by at least 2 of
the 6 teams; ``60x6x1`` lets a type sit in a single team.
"""

from __future__ import annotations

import argparse
import time
import warnings
from multiprocessing import Pool

import numpy as np
import pandas as pd

import arbetstyngd as at
from arbetstyngd.calibrate import PerceivedWorkload, TimeStudy, parse_load_column
from arbetstyngd.datasets.studies import STUDY_SCHEME, make_specialised_municipality

MINI = STUDY_SCHEME

DESIGNS = ("60x6x1", "60x6x2", "120x12x1", "120x12x2")
TIME_STUDIES = (("ratio", "relative"), ("nnls", "none"), ("nnls", "relative"))


def rel_errors(est: pd.Series, truth: pd.Series) -> pd.Series:
    return ((est / est.mean()) / (truth / truth.mean()) - 1).abs()


def covered(iv: pd.DataFrame, truth: pd.Series) -> pd.Series:
    t = truth.reindex(iv.index)
    return (iv["lower"] <= t) & (t <= iv["upper"])


def one_seed(job: tuple[str, int, int]) -> list[dict]:
    design, seed, reps = job
    warnings.simplefilter("ignore")
    n_workers, months, min_teams = (int(v) for v in design.split("x"))
    town = make_specialised_municipality(
        n_workers=n_workers, n_teams=6, seed=seed, scheme=MINI, min_teams=min_teams
    )
    log = at.datasets.make_time_log(town, months=months, seed=seed)
    common = dict(teams=town.teams, scheme=MINI, periods="M", start=log.start, end=log.end)
    fit_args = dict(n_bootstrap=reps, random_state=seed, progress=False)
    rows = []
    for method, weighting in TIME_STUDIES:
        ts = TimeStudy.from_log(
            log.log, town.cases, town.workers, method=method, weighting=weighting,
            **fit_args, **common,
        )  # fmt: skip
        truth = log.minutes.reindex(ts.weights_.index)
        err = rel_errors(ts.weights_, truth)
        cover = covered(ts.intervals_, truth)
        label = "time study, ratio" if method == "ratio" else f"time study, nnls ({weighting})"
        rows.append(
            {
                "design": design,
                "estimator": label,
                "seed": seed,
                "max_rel_error": err.max(),
                "worst_type": err.idxmax(),
                "covered": int(cover.sum()),
                "intervals": len(cover),
            }
        )
    survey = at.datasets.make_ratings(town, months=months, seed=seed)
    pw = PerceivedWorkload.from_survey(
        survey.ratings, town.cases, town.workers, **fit_args, **common
    )
    truth = pd.Series({c: MINI.weight_of(*parse_load_column(c)) for c in pw.weights_.index})
    err = rel_errors(pw.weights_, truth)
    cover = covered(
        pw.intervals_, pd.concat([truth, pd.Series({"P": 120.0, "experience[0]": 0.75})])
    )
    rows.append(
        {
            "design": design,
            "estimator": "perceived workload",
            "seed": seed,
            "max_rel_error": err.max(),
            "worst_type": err.idxmax(),
            "p_error": pw.capacity_ / MINI.capacity - 1,
            "covered": int(cover.sum()),
            "intervals": len(cover),
            "p_covered": bool(cover["P"]),
        }
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--design", nargs="*", default=list(DESIGNS))
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    t0 = time.perf_counter()
    jobs = [(d, s, args.reps) for d in args.design for s in range(args.seeds)]
    with Pool(args.processes) as pool:
        frame = pd.DataFrame([r for rows in pool.map(one_seed, jobs) for r in rows])
    if "p_error" not in frame:
        frame["p_error"] = np.nan
        frame["p_covered"] = np.nan
    summary = frame.groupby(["design", "estimator"], sort=False).agg(
        median_rel_error=("max_rel_error", "median"),
        worst_rel_error=("max_rel_error", "max"),
        mean_abs_p_error=("p_error", lambda v: v.abs().mean()),
        worst_abs_p_error=("p_error", lambda v: v.abs().max()),
        covered=("covered", "sum"),
        intervals=("intervals", "sum"),
        p_coverage=("p_covered", "mean"),
    )
    summary["coverage"] = summary["covered"] / summary["intervals"]
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    print(
        f"{args.seeds} seeds per design, {args.reps} bootstrap replicates, "
        f"{time.perf_counter() - t0:.0f} s"
    )
    print(summary.drop(columns="covered").round(3).to_string())
    worst = frame.groupby(["design", "estimator"], sort=False)["worst_type"].agg(
        lambda v: v.value_counts().to_dict()
    )
    print("\ncase type with the largest error, per seed:")
    print(worst.to_string())


if __name__ == "__main__":
    main()
