"""`import arbetstyngd` loads the engine only; everything else loads on first use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import arbetstyngd as at

HEAVY = ("sklearn", "scipy", "jinja2", "matplotlib", "openpyxl", "typer", "numba")


def loaded_after(code: str) -> dict[str, list[str]]:
    script = (
        f"import sys, json\n{code}\n"
        "print(json.dumps({'own': sorted({m.split('.')[1] for m in sys.modules "
        "if m.startswith('arbetstyngd.')}), 'all': sorted(sys.modules)}))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_import_loads_the_engine_only():
    loaded = loaded_after("import arbetstyngd")
    assert not set(loaded["own"]) & {"io", "calibrate", "report", "plot", "datasets", "cli"}
    assert not [m for m in loaded["all"] if m.split(".")[0] in HEAVY]


def test_a_reader_loads_on_first_use():
    loaded = loaded_after("import arbetstyngd as at\nat.read_cases")
    assert "io" in loaded["own"] and "calibrate" not in loaded["own"]


def test_numba_loads_with_the_first_forecast_only():
    # the decision layer (allocation, what-if) does not need the forecast's compiled loops
    loaded = loaded_after("import arbetstyngd as at\nat.allocate\nimport arbetstyngd.decide")
    assert "numba" not in {m.split(".")[0] for m in loaded["all"]}


@pytest.mark.parametrize("name", sorted(at.__all__))
def test_every_public_name_resolves(name):
    assert getattr(at, name) is not None


def test_dir_lists_every_public_name_and_unknown_names_fail():
    assert set(at.__all__) <= set(dir(at))
    with pytest.raises(AttributeError, match="has no attribute 'nonsense'"):
        _ = at.nonsense
    assert at.read_cases is at.io.read_cases
    assert at.datasets.make_municipality is not None
