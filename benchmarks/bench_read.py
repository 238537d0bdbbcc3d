"""Large-file check for the readers: a 1,000,000-row Swedish semicolon CSV.

Writes the file to a temporary folder, then times

* ``pandas.read_csv(path, sep=";")`` (plain: no mapping, no parsing of Swedish dates, no
  pseudonymisation), and
* ``arbetstyngd.read_cases(path)`` (sniffing, header mapping, date parsing of four styles,
  HMAC pseudonyms of every identity number, free-text scan of every text column),

in interleaved rounds (each round runs both once, so a noisy moment hits them alike), and prints
the median and best times, the median CPU time (all threads; steadier than wall time on a
shared machine), the load average, and the ratios. It also times the identity-number work
alone (``Pseudonymiser.identifiers`` on the export's identity column), as a share of the read.
Not a test; run ``python benchmarks/bench_read.py`` (``--rows`` to change the size).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import arbetstyngd as at
from arbetstyngd.io.personnummer import synthetic_personnummer
from arbetstyngd.io.pseudonym import Pseudonymiser


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


def interleaved_cpu(
    fns: dict[str, Callable[[], object]], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds (all threads) of each function, in interleaved rounds."""
    wall: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        t0 = time.perf_counter()
        write_export(path, args.rows)
        print(
            f"wrote {args.rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        key = "benchmark-key-0123456789abcdef"
        pseudo = Pseudonymiser.from_key(key)
        identity = pd.read_csv(path, sep=";", encoding="cp1252", usecols=["Personnummer"])
        identity = identity["Personnummer"].astype("str")
        cases = at.read_cases(path, key=key)  # warm: imports, regular expressions
        assert len(cases) + cases.attrs["rejected"]["row"].nunique() == args.rows
        load = os.getloadavg()[0]
        times, cpu = interleaved_cpu(
            {
                "pandas": lambda: pd.read_csv(path, sep=";", encoding="cp1252", low_memory=False),
                "ours": lambda: at.read_cases(path, key=key),
                "identity": lambda: pseudo.identifiers(identity),
            },
            args.rounds,
        )
        med = {k: float(np.median(v)) for k, v in times.items()}
        best = {k: float(np.min(v)) for k, v in times.items()}
        med_cpu = {k: float(np.median(v)) for k, v in cpu.items()}
        print(
            f"median (best) of {args.rounds} interleaved rounds; load average "
            f"{load:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores):"
        )
        print(
            f"pandas.read_csv          {med['pandas']:6.2f} s ({best['pandas']:.2f})"
            f"  CPU {med_cpu['pandas']:.2f} s"
        )
        print(
            f"arbetstyngd.read_cases   {med['ours']:6.2f} s ({best['ours']:.2f})"
            f"  CPU {med_cpu['ours']:.2f} s"
        )
        print(
            f"  identity numbers alone (validate + pseudonymise, {identity.nunique():,} "
            f"distinct) {med['identity']:.2f} s ({best['identity']:.2f})"
        )
        print(
            f"RATIO read_cases / read_csv = {med['ours'] / med['pandas']:.2f} median, "
            f"{best['ours'] / best['pandas']:.2f} best, "
            f"{med_cpu['ours'] / med_cpu['pandas']:.2f} CPU  (target <= 1.5)"
        )


if __name__ == "__main__":
    main()
