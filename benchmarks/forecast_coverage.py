"""Validity of the forecast's bands on histories with a known arrival and duration process.

For each design (workers x teams, seasonality) and seed, a five-year history (2021–2025) is
drawn with :func:`arbetstyngd.datasets.make_history`, and
:func:`arbetstyngd.forecast.backtest` reruns the forecast from evenly spaced origins, each
with at least two years of history before it (so monthly seasonality is estimated) and the
whole horizon after it. Printed per design: how often the realised team (and unit)
utilisation fell inside the 80 % and 95 % bands, overall and by how far ahead (weeks 1–4,
5–13, 14–26). The target is 70–90 % for the 80 % band and 88–99 % for the 95 % band.

Slow (minutes on 2 cores); not run by the tests (the test suite runs a small seeded version).

    .venv/bin/python benchmarks/forecast_coverage.py [--seeds 2] [--origins 20] [--paths 300]
        [--horizon 26W]
"""

from __future__ import annotations

import argparse
import time
import warnings

import pandas as pd

import arbetstyngd as at

#: (workers, teams, seasonality amplitude)
DESIGNS = ((30, 3, 0.0), (30, 3, 0.25), (120, 6, 0.0), (120, 6, 0.25))


def _ahead(step: pd.Series) -> pd.Series:
    return pd.cut(step, [0, 4, 13, 1000], labels=["1-4", "5-13", "14+"])


def run_design(
    n_workers: int, n_teams: int, season: float, seeds: int, origins: int, paths: int, horizon: str
) -> pd.DataFrame:
    parts = []
    for seed in range(seeds):
        h = at.datasets.make_history(
            n_workers=n_workers, n_teams=n_teams, seed=seed, seasonality=season,
            start="2021-01-01", end="2025-12-31",
        )  # fmt: skip
        last = h.end - pd.Timedelta(horizon)
        dates = pd.date_range(h.start + pd.Timedelta(days=731), last, periods=origins)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", at.ThinHistoryWarning)
            bt = at.forecast.backtest(
                h.cases, h.workers, h.scheme, teams=h.teams, origins=dates.normalize(),
                horizon=horizon, n_paths=paths, random_state=seed,
            )  # fmt: skip
        parts.append(bt.table.assign(seed=seed))
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--origins", type=int, default=20)
    parser.add_argument("--paths", type=int, default=300)
    parser.add_argument("--horizon", default="26W")
    args = parser.parse_args()
    print(
        f"{args.seeds} seed(s) x {args.origins} origins, {args.paths} paths, "
        f"horizon {args.horizon}\n"
    )
    rows = []
    for n_workers, n_teams, season in DESIGNS:
        t0 = time.perf_counter()
        table = run_design(
            n_workers, n_teams, season, args.seeds, args.origins, args.paths, args.horizon
        )
        for level, part in table.groupby("level"):
            by_ahead = part.groupby(_ahead(part["step"]), observed=True)[["inside80", "inside95"]]
            ahead = by_ahead.mean()
            rows.append(
                {
                    "design": f"{n_workers}w x {n_teams}t, season {season:g}",
                    "level": level,
                    "n": len(part),
                    "inside80": part["inside80"].mean(),
                    "inside95": part["inside95"].mean(),
                    **{f"80 @ {k}": v for k, v in ahead["inside80"].items()},
                    **{f"95 @ {k}": v for k, v in ahead["inside95"].items()},
                }
            )
        print(f"  {rows[-1]['design']}: {time.perf_counter() - t0:.0f} s", flush=True)
    out = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print()
        print(out.to_string(index=False, float_format=lambda v: f"{v:.1%}"))
    team = out[out["level"] == "team"]
    ok80 = team["inside80"].between(0.70, 0.90).all()
    ok95 = team["inside95"].between(0.88, 0.99).all()
    print(f"\nteam 80 % band within 70-90 %: {ok80}; team 95 % band within 88-99 %: {ok95}")


if __name__ == "__main__":
    main()
