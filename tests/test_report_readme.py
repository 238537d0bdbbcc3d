"""The README's Python example reproduces the table printed above it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

README = Path(__file__).parents[1] / "README.md"


def _section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 4)
    return text[start:end]


def test_readme_python_example_reproduces_the_demo_table() -> None:
    text = README.read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", _section(text, "In Python"), re.S)
    assert example
    code = example.group(1)
    # run the example up to the score that makes its table (the rest writes files and draws a
    # timeline)
    code = code[: code.index("\n", code.index("wl = at.score("))]
    space: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), space)
    wl = space["wl"]
    table = re.search(r"```\n(Syntetisk kommun.*?)```", _section(text, "Quick start"), re.S)
    assert table
    lines = table.group(1).replace("\u202f", "").splitlines()  # thousands: a thin space
    # a team's line: "Mottagning (T1) 8 105 …" (or "T1 Mottagning 8 105 …")
    rows = [line.split() for line in lines if re.match(r"\s*(\S+ \(T\d\)|T\d \S+)\s", line)]
    teams = wl.teams.set_index("team_id")  # type: ignore[attr-defined]
    assert len(rows) == len(teams)
    for row in rows:
        tid = next(t.strip("()") for t in row[:2] if re.fullmatch(r"\(?T\d\)?", t))
        numbers = " ".join(row[2:]).replace(",", ".").split()
        n_workers, n_cases, load, capacity, pct = numbers[:5]
        assert int(n_workers) == teams.loc[tid, "n_workers"]
        assert int(n_cases) == teams.loc[tid, "n_cases"]
        assert float(load) == round(teams.loc[tid, "load"], 1)
        assert float(capacity) == round(teams.loc[tid, "capacity"], 1)
        assert int(pct) == round(teams.loc[tid, "utilisation"] * 100)
    # the comment under the example shows the same figures
    shown = re.findall(
        r"^# \d\s+(T\d)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)",
        example.group(1),
        re.M,
    )
    assert len(shown) == len(teams)
    for tid, _, _, load, capacity, util in shown:
        assert float(load) == round(teams.loc[tid, "load"], 3)
        assert float(capacity) == round(teams.loc[tid, "capacity"], 3)
        assert float(util) == round(teams.loc[tid, "utilisation"], 3)
    assert isinstance(teams, pd.DataFrame)
