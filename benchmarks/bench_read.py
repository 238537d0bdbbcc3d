"""Large-file check for the readers: a 1,000,000-row Swedish semicolon CSV.

Writes the file to a temporary folder, then times

* ``pandas.read_csv(path, sep=";")`` (plain: no mapping, no parsing of Swedish dates, no
  pseudonymisation), and
* ``arbetstyngd.read_cases(path)`` (sniffing, header mapping, date parsing of four styles,
  HMAC pseudonyms of every identity number, free-text scan of every text column),

and prints both times and their ratio. Not a test; run ``python benchmarks/bench_read.py``
(``--rows`` to change the size).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import arbetstyngd as at
from arbetstyngd.io.personnummer import synthetic_personnummer


def write_export(path: Path, rows: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2020-01-01")
    opened = start + rng.integers(0, 2000, rows).astype("timedelta64[D]")
    closed = opened + rng.integers(10, 400, rows).astype("timedelta64[D]")
    open_ix = pd.DatetimeIndex(opened)
    style = rng.integers(0, 3, rows)
    iso = open_ix.strftime("%Y-%m-%d").to_numpy(dtype=object)
    dmy = (
        open_ix.day.astype(str) + "/" + open_ix.month.astype(str) + " " + open_ix.year.astype(str)
    ).to_numpy(dtype=object)
    compact = open_ix.strftime("%Y%m%d").to_numpy(dtype=object)
    opened_text = np.select([style == 0, style == 1], [iso, dmy], compact)
    closed_text = pd.DatetimeIndex(closed).strftime("%Y-%m-%d").to_numpy(dtype=object)
    closed_text[rng.random(rows) < 0.4] = ""
    # 200,000 distinct children, several cases each
    people = np.asarray(synthetic_personnummer(200_000, seed=rng, born=(2005, 2024)))
    frame = pd.DataFrame(
        {
            "Dnr": np.char.add("A-", np.arange(rows).astype(str)),
            "Handläggare": np.char.add("H", rng.integers(0, 2000, rows).astype(str)),
            "Ärendetyp": rng.choice(["bou_utredning", "bou_oppenvard", "bou_placering"], rows),
            "Fas": rng.choice(["Utredning", "Insats", "Uppföljning", ""], rows),
            "Aktualiseringsdatum": opened_text,
            "Avslutsdatum": closed_text,
            "Personnummer": people[rng.integers(0, len(people), rows)],
            "Tolk": rng.choice(["Ja", "Nej"], rows),
            "Poäng": np.char.replace(np.char.mod("%.1f", rng.random(rows) * 10), ".", ","),
        }
    )
    frame.to_csv(path, sep=";", index=False, encoding="cp1252")


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        t0 = time.perf_counter()
        write_export(path, args.rows)
        print(
            f"wrote {args.rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        plain = best_of(
            args.repeat, lambda: pd.read_csv(path, sep=";", encoding="cp1252", low_memory=False)
        )
        key = "benchmark-key-0123456789abcdef"
        ours = best_of(args.repeat, lambda: at.read_cases(path, key=key))
        cases = at.read_cases(path, key=key)
        assert len(cases) + cases.attrs["rejected"]["row"].nunique() == args.rows
        print(f"pandas.read_csv      {plain:6.2f} s")
        print(f"arbetstyngd.read_cases {ours:6.2f} s")
        print(f"ratio                {ours / plain:6.2f}x")


if __name__ == "__main__":
    main()
