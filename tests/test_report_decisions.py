"""The report's "who has room" and staffing-need sections (issue 11)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.labels import fmt_percent
from arbetstyngd.report._decisions import room_rows, staffing_rows, typical_cases


@pytest.fixture(scope="module")
def wl() -> at.Workload:
    town = at.datasets.make_municipality(n_workers=12, n_teams=2, seed=1, mean_utilisation=0.9)
    return town.score()


def test_typical_case_is_the_teams_most_common_active_type(wl):
    active = wl.cases[wl.cases["active"]]
    for row in typical_cases(wl).itertuples(index=False):
        mine = active[active["team_id"] == row.team_id]
        counts = mine["case_type"].value_counts()
        assert counts[row.case_type] == counts.max()
        assert row.points == pytest.approx(
            mine.loc[mine["case_type"] == row.case_type, "points"].mean()
        )


def test_room_is_capacity_left_below_the_normal_load(wl):
    rows = room_rows(wl, "en", {})
    w = wl.workers.set_index("worker_id")
    typical = typical_cases(wl).set_index("team_id")
    spares = [r["spare"] for r in rows]
    assert spares == sorted(spares, reverse=True) and all(s > 0 for s in spares)
    assert len(rows) == int((w["capacity"] > w["load"]).sum())
    for r in rows:
        me = w.loc[r["id"]]
        assert r["spare"] == pytest.approx(me["capacity"] - me["load"])
        per_case = typical.at[me["team_id"], "points"]
        assert r["n_typical"] == math.floor(r["spare"] / per_case)


def test_hand_computed_room():
    # one worker: capacity 100 x 1.0, one active case of 30 points: 70 points left, 2 cases
    scheme = at.load_scheme("barn-och-unga")
    cases = pd.DataFrame(
        {
            "case_id": ["A"],
            "worker_id": ["W"],
            "case_type": ["bou_utredning"],
            "opened": pd.to_datetime(["2026-01-01"]),
        }
    )
    workers = pd.DataFrame(
        {"worker_id": ["W"], "fte": [1.0], "team_id": ["T"], "experience_years": [10]}
    )
    wl = at.score(cases, workers, scheme, on="2026-06-30")
    (row,) = room_rows(wl, "sv", {})
    capacity, load = wl.workers["capacity"].iat[0], wl.workers["load"].iat[0]
    assert row["spare"] == pytest.approx(capacity - load)
    assert row["n_typical"] == int((capacity - load) // load)  # the one case is the typical one


def test_staffing_rows_are_the_workloads_staff_need(wl):
    rows = staffing_rows(wl, {}, set())
    need = wl.staff_need(1.0)
    assert [r["need_reference"] for r in rows] == pytest.approx(need["need_reference"].tolist())
    assert rows[-1]["unit"]


@pytest.mark.parametrize(
    ("lang", "room", "staffing"),
    [("sv", "Vem har utrymme", "Bemanningsbehov"), ("en", "Who has room", "Staffing need")],
)
def test_sections_in_the_report(wl, lang, room, staffing):
    page = wl.to_html(lang=lang, why=False)
    assert room in page and staffing in page


def test_reports_for_outside_the_unit_name_no_one_with_room(wl):
    page = wl.to_html(lang="en", why=False, min_group=5)
    assert "Who has room" not in page


@pytest.fixture(scope="module")
def forecast(wl):
    import warnings

    town = at.datasets.make_municipality(n_workers=12, n_teams=2, seed=1, mean_utilisation=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return at.forecast(
            town.cases, town.workers, town.scheme, teams=town.teams, start="2026-06-15",
            horizon="6W", n_paths=50, random_state=0,
        )  # fmt: skip


@pytest.mark.parametrize(("lang", "heading"), [("sv", "Prognos"), ("en", "Forecast")])
def test_forecast_section(wl, forecast, lang, heading):
    page = wl.to_html(lang=lang, why=False, forecast=forecast)
    section = page.split('<section id="forecast">')[1].split("</section>")[0]
    assert (f"<h2>{heading}</h2>" in section and "<img" in section) or "<svg" in section
    util = forecast.measure("utilisation")
    last = util[(util["date"] == util["date"].max()) & (util["level"] == "unit")]
    median = fmt_percent(last["median"].iat[0], lang)
    assert median in section


def test_no_forecast_section_without_a_forecast(wl):
    assert '<section id="forecast">' not in wl.to_html(lang="en", why=False)
