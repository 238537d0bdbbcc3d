"""The README is for users; internals live in docs/; notebooks reach the docs with outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, title
    return match.group(1)


def test_readme_performance_section_is_short_and_points_to_the_internals() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = _section(readme, "Performance")
    # the Arrow fast paths are internals: docs/performance.md explains them, not the README
    assert "pyarrow.compute" not in readme and "Arrow buffer" not in readme
    assert "docs/performance.md" in section or "performance.md" in section
    assert len(section.splitlines()) <= 30
    internals = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert "pyarrow.compute.index_in" in internals and "Arrow buffer" in internals


def test_docs_site_runs_the_notebooks_and_shows_their_outputs() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    plugin = re.search(r"- mkdocs-jupyter:\n((?:\s{6,}.*\n)+)", config)
    assert plugin, "the docs site renders notebooks with mkdocs-jupyter"
    assert re.search(r"execute:\s*true", plugin.group(1))
    pages = set(re.findall(r"notebooks/(\d\d_\w+\.ipynb)", config))
    assert pages == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}


def test_notebook_03_starts_from_a_messy_export() -> None:
    cells = json.loads((ROOT / "notebooks" / "03_your_own_export.ipynb").read_text("utf-8"))
    code = "\n".join("".join(c["source"]) for c in cells["cells"] if c["cell_type"] == "code")
    # the Treserva-style fixture: title lines, names, identity numbers, and its profile
    assert "make_treserva_export" in code
    assert "columns=profile" in code or "columns=paths" in code
