"""The engine never imports readers, reports, calibration or the CLI at import time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "arbetstyngd"
ENGINE = [
    "scheme.py",
    "frames.py",
    "codes.py",
    "scoring.py",
    "timeline.py",
    "result.py",
    "errors.py",
    "contracts.py",
]
OUTSIDE = ("io", "report", "cli", "calibrate", "plot")


def module_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:  # top level only: lazy imports inside functions are the design
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add((node.module or "").split(".")[0])
            found.update(alias.name for alias in node.names if not node.module)
    return found


@pytest.mark.parametrize("name", ENGINE)
def test_engine_module_does_not_depend_on_outer_layers(name):
    assert module_level_imports(SRC / name).isdisjoint(OUTSIDE)
