"""Plots return Axes, accept ax=, speak both languages and show bands by name."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

import arbetstyngd as at
from arbetstyngd import plot


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=10, n_teams=3, seed=11)


@pytest.fixture(scope="module")
def wl(town) -> at.Workload:
    return town.score()


@pytest.fixture(autouse=True)
def _close() -> None:
    yield
    plt.close("all")


@pytest.mark.parametrize("kind", ["utilisation", "teams", "case_mix"])
def test_workload_plot_kinds_return_axes(wl, kind) -> None:
    ax = wl.plot(kind)
    assert isinstance(ax, Axes)


def test_unknown_kind(wl) -> None:
    with pytest.raises(ValueError, match="'kind' must be one of"):
        wl.plot("pie")


def test_plots_draw_on_given_axes(wl) -> None:
    fig, ax = plt.subplots()
    assert plot.utilisation(wl, ax=ax) is ax
    assert len(fig.axes) == 1


def test_utilisation_bars_sorted_and_named_by_band(wl) -> None:
    ax = plot.utilisation(wl, lang="en")
    widths = [p.get_width() for p in ax.patches if p.get_height() < 1 and p.get_width() > 0]
    assert widths == sorted(widths)
    # the bar notes ("98% balanced"); the threshold lines carry their own names
    notes = [t.get_text() for t in ax.texts if "% " in t.get_text()]
    assert len(notes) == len(wl.workers)
    assert all(any(b in n for b in at.BAND_NAMES) for n in notes)
    assert ax.get_xlabel() == "Utilisation"
    assert plot.utilisation(wl, lang="sv").get_xlabel() == "Belastningsgrad"


def test_team_filter_and_team_names(wl, town) -> None:
    tid = wl.teams["team_id"].iloc[0]
    ax = plot.utilisation(wl, team=tid)
    assert len(ax.get_yticklabels()) == int((wl.workers["team_id"] == tid).sum())
    names = dict(zip(town.teams["team_id"], town.teams["name"], strict=True))
    labels = [t.get_text() for t in plot.teams(wl, team_names=names).get_yticklabels()]
    assert all("(" in label for label in labels)


def test_case_mix_shares_sum_to_one(wl) -> None:
    ax = plot.case_mix(wl, share=True)
    right = {}
    for p in ax.patches:
        y = round(p.get_y(), 6)
        right[y] = max(right.get(y, 0), p.get_x() + p.get_width())
    assert np.allclose(list(right.values()), 1.0)


def test_timeline_team_lines_are_ratio_of_sums(town) -> None:
    dates = pd.date_range(end=town.on, periods=5, freq="7D")
    tl = at.timeline(town.cases, town.workers, town.scheme, teams=town.teams, dates=dates)
    ax = plot.timeline(tl, scheme=town.scheme)
    lines = {str(line.get_label()): line for line in ax.get_lines()}
    team = tl["team_id"].iloc[0]
    mine = tl[tl["team_id"] == team].groupby("date")[["load", "capacity"]].sum()
    assert np.allclose(lines[str(team)].get_ydata(), mine["load"] / mine["capacity"])
    assert isinstance(plot.timeline(tl, "worker_id", groups=["H0001"]), Axes)
    with pytest.raises(ValueError, match="lacks"):
        plot.timeline(tl.drop(columns="load"))


def test_explain_chart_totals(wl) -> None:
    ex = wl.explain(wl.workers["worker_id"].iloc[0])
    ax = plot.explain(ex, scheme=wl.scheme, lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "= Capacity" and "= Load" in labels
    assert "Experience" in labels
    assert ex.worker_id in ax.get_title(loc="left")


def test_dollar_signs_in_data_are_literal(wl) -> None:
    import attrs

    workers = wl.workers.assign(worker_id=["$x$", *wl.workers["worker_id"].iloc[1:]])
    odd = attrs.evolve(wl, workers=workers)
    ax = plot.utilisation(odd)
    ax.figure.canvas.draw()  # mathtext would fail or render differently


def test_predicted_vs_observed() -> None:
    ax = plot.predicted_vs_observed([1, 2, 3, np.nan], [1, 2, 3, 4], labels=list("abcd"))
    assert "R² = 1,00" in ax.get_title(loc="left")
    with pytest.raises(ValueError, match="same length"):
        plot.predicted_vs_observed([1, 2], [1])


def test_weights_with_intervals() -> None:
    table = pd.DataFrame(
        {"case_type": ["a", "b"], "weight": [2.0, 5.0], "lower": [1.0, 4.0], "upper": [3.0, 7.0]}
    )
    ax = plot.weights_with_intervals(table, reference=pd.Series({"a": 2.5}), labels={"a": "A"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "b"]
    with pytest.raises(ValueError, match="lower <= weight <= upper"):
        plot.weights_with_intervals(table.assign(lower=[2.5, 4.0]))
    with pytest.raises(ValueError, match="needs columns"):
        plot.weights_with_intervals(table.drop(columns="upper"))


@pytest.mark.parametrize("kind", ["utilisation", "teams", "case_mix"])
@pytest.mark.parametrize(("lang", "word"), [("sv", "Belastningsgrad"), ("en", "Utilisation")])
def test_every_workload_plot_has_a_title(wl, kind, lang, word) -> None:
    title = wl.plot(kind, lang=lang).get_title(loc="left")
    assert title, kind
    if kind != "case_mix":
        assert word in title
    assert wl.plot(kind, title=False).get_title(loc="left") == ""
    assert wl.plot(kind, title="Mine").get_title(loc="left") == "Mine"


def test_threshold_lines_are_named_on_the_chart(wl) -> None:
    ax = plot.utilisation(wl, lang="sv")
    texts = {t.get_text() for t in ax.texts}
    assert {"kritisk", "hög", "100\u00a0%"} <= texts
    ax = plot.utilisation(wl, lang="en")
    assert {"critical", "high", "100%"} <= {t.get_text() for t in ax.texts}


def test_result_remembers_team_names(town) -> None:
    wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    names = dict(zip(town.teams["team_id"], town.teams["name"], strict=True))
    assert wl.team_names == names
    labels = [t.get_text() for t in wl.plot("teams").get_yticklabels()]
    assert all(any(n in label for n in names.values()) for label in labels)
    # given names win over the remembered ones
    other = {t: f"X{t}" for t in names}
    labels = [t.get_text() for t in wl.plot("teams", team_names=other).get_yticklabels()]
    assert all(label.startswith("X") for label in labels)


def _timeline_frame(n_workers: int, weeks: int) -> pd.DataFrame:
    dates = pd.date_range("2025-07-06", periods=weeks, freq="7D")
    rng = np.random.default_rng(0)
    rows = [
        {
            "date": d,
            "worker_id": f"H{w:02d}",
            "team_id": "T1",
            "load": float(rng.uniform(60, 180)),
            "capacity": 150.0,
        }
        for w in range(n_workers)
        for d in dates
    ]
    return pd.DataFrame(rows)


def test_twenty_workers_get_distinct_lines_and_a_legend() -> None:
    ax = plot.timeline(_timeline_frame(20, 8), "worker_id", lang="en")
    lines = [ln for ln in ax.get_lines() if not str(ln.get_label()).startswith("_")]
    assert len(lines) == 20
    looks = {(ln.get_color(), ln.get_linestyle()) for ln in lines}
    assert len(looks) == 20
    legend = ax.get_legend()
    # one entry per worker, plus the shaded balanced band
    assert legend is not None and len(legend.get_texts()) == 21


def test_many_workers_are_labelled_directly() -> None:
    ax = plot.timeline(_timeline_frame(30, 8), "worker_id", lang="en")
    assert ax.get_legend() is None
    named = [t.get_text() for t in ax.texts if t.get_text().startswith("H")]
    assert len(named) == 5


def test_a_year_of_weeks_has_readable_date_ticks() -> None:
    import matplotlib.pyplot as plt

    ax = plot.timeline(_timeline_frame(3, 52), "worker_id", lang="sv")
    fig = ax.figure
    fig.canvas.draw()
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert 3 <= len(labels) <= 9
    assert all(
        t.get_text().split()[0]
        in {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
        for t in labels
    )
    boxes = [t.get_window_extent() for t in labels]
    for a, b in itertools.pairwise(boxes):
        assert a.x1 < b.x0, "date labels overlap"
    plt.close(fig)


def test_importing_plot_loads_no_report() -> None:
    import subprocess
    import sys

    code = (
        "import sys, arbetstyngd.plot, arbetstyngd.labels; "
        "print('jinja2' in sys.modules, 'arbetstyngd.report' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False"]
