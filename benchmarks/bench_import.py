"""Import cost: ``import arbetstyngd`` against ``import pandas``, and ``arbetstyngd --help``.

Each measurement runs in a fresh interpreter (``python -c ...``), so nothing is cached in
the process; the three commands take turns in every round (interleaved, so a busy machine
slows all of them alike) and the median of the rounds is reported. Printed: the medians,
the ratio of ``import arbetstyngd`` to ``import pandas`` (target: at most 1.5) and the time
of ``arbetstyngd --help`` (target: under 1 s). Not a test; run
``python benchmarks/bench_import.py`` (``--rounds`` to change the count).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "import pandas": [sys.executable, "-c", "import pandas"],
    "import arbetstyngd": [sys.executable, "-c", "import arbetstyngd"],
    "arbetstyngd --help": [
        sys.executable,
        "-c",
        "from arbetstyngd.cli import main; main()",
        "--help",
    ],
    # what stays unloaded until first use
    "import arbetstyngd, then at.io": [
        sys.executable,
        "-c",
        "import arbetstyngd as at; at.read_cases",
    ],
}


def once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    rounds = parser.parse_args().rounds
    for command in COMMANDS.values():  # warm the file system cache once
        once(command)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(rounds):
        for name, command in COMMANDS.items():
            times[name].append(once(command))
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        print(f"{name:34s} {value:6.3f} s (median of {rounds})")
    ratio = median["import arbetstyngd"] / median["import pandas"]
    print(f"import arbetstyngd / import pandas  {ratio:6.2f}x (target <= 1.5x)")
    help_ok = "under" if median["arbetstyngd --help"] < 1.0 else "over"
    print(f"arbetstyngd --help                 {help_ok} 1 s")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, arbetstyngd; "
            "print(sorted({m.split('.')[1] for m in sys.modules "
            "if m.startswith('arbetstyngd.')}))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"loaded by import arbetstyngd: {loaded}")


if __name__ == "__main__":
    main()
