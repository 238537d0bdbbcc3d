"""The result's output methods say what they take: explicit keywords, numpy docstrings.

``help(wl.to_html)`` and ``help(wl.plot)`` must show ``lang``, ``history``, ``min_group`` and
``team_names`` instead of ``**options`` and "see arbetstyngd.report"; team names are
``team_names=`` on every plot that shows teams.
"""

from __future__ import annotations

import inspect

import pytest

import arbetstyngd as at
import arbetstyngd.plot as plot

OPTIONS = {
    "to_html": ("lang", "history", "min_group", "team_names"),
    "to_excel": ("lang", "team_names"),
    "to_csv": ("excel_friendly", "lang"),
    "plot": ("kind", "lang", "team", "team_names", "ax"),
}


@pytest.mark.parametrize("method", sorted(OPTIONS))
def test_output_methods_take_explicit_documented_keywords(method: str) -> None:
    function = getattr(at.Workload, method)
    parameters = inspect.signature(function).parameters
    assert not any(p.kind is p.VAR_KEYWORD for p in parameters.values()), method
    doc = inspect.getdoc(function) or ""
    assert "Parameters\n----------" in doc, method
    for name in OPTIONS[method]:
        assert name in parameters, (method, name)
        # each option has its own entry in the numpy docstring
        assert f"\n{name} :" in f"\n{doc}", (method, name)


@pytest.mark.parametrize("name", ["teams", "utilisation", "case_mix", "timeline", "workload"])
def test_every_team_plot_calls_team_names_team_names(name: str) -> None:
    parameters = inspect.signature(getattr(plot, name)).parameters
    assert "team_names" in parameters and "names" not in parameters
