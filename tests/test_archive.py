"""The archive on SQLite and PostgreSQL: round trip, duplicates, queries, restatement, erasure."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at
from arbetstyngd.archive import Archive, ArchiveError, SameMeasurementWarning

MONTHS = pd.date_range("2026-01-31", periods=3, freq="ME")
_SCORED: dict[tuple[object, str], at.Workload] = {}


@pytest.fixture(scope="module")
def town() -> at.datasets.Municipality:
    return at.datasets.make_municipality(n_workers=14, n_teams=3, seed=3)


def scored(town: at.datasets.Municipality, on: object, scheme: at.Scheme | None = None):
    scheme = scheme or town.scheme
    key = (pd.Timestamp(on), scheme.to_toml())
    if key not in _SCORED:  # the results are immutable: score each month once per module
        _SCORED[key] = at.score(town.cases, town.workers, scheme, teams=town.teams, on=on)
    return _SCORED[key]


@pytest.fixture
def archive(archive_url: str):
    with Archive(archive_url) as a:
        yield a


def test_round_trip_reproduces_workers_and_teams_bit_for_bit(archive, town):
    for on in MONTHS:
        wl = scored(town, on)
        mid = archive.record(wl)
        pd.testing.assert_frame_equal(archive.workers(mid), wl.workers, check_exact=True)
        pd.testing.assert_frame_equal(archive.teams(mid), wl.teams, check_exact=True)
        unit = archive.history("unit", start=on, end=on).iloc[0]
        for c in ("load", "capacity", "utilisation", "fte"):
            assert unit[c] == wl.unit[c]
    assert list(archive.measurements()["measured_on"]) == list(MONTHS)


def test_history_per_worker_is_each_measurement_in_order(archive, town):
    wls = [scored(town, on) for on in MONTHS[:2]]
    for wl in wls:
        archive.record(wl)
    h = archive.history("worker")
    assert len(h) == sum(len(wl.workers) for wl in wls)
    first = h[h["measured_on"] == MONTHS[0]]
    assert first["utilisation"].tolist() == wls[0].workers["utilisation"].tolist()
    one = archive.history("worker", worker_id=wls[0].workers["worker_id"][0])
    assert len(one) == 2
    assert archive.history("team", start=MONTHS[1])["measured_on"].eq(MONTHS[1]).all()


def test_same_inputs_again_return_the_existing_measurement(archive, town):
    wl = scored(town, MONTHS[0])
    mid = archive.record(wl)
    with pytest.warns(SameMeasurementWarning, match="already in the archive"):
        again = archive.record(wl)
    assert again == mid
    assert len(archive.measurements()) == 1


def test_a_different_measurement_for_the_same_date_needs_replace(archive, town):
    wl = scored(town, MONTHS[0])
    archive.record(wl, label="ordinarie")
    changed = town.workers.assign(fte=town.workers["fte"] * 0.9)
    other = at.score(town.cases, changed, town.scheme, teams=town.teams, on=MONTHS[0])
    with pytest.raises(ArchiveError, match="replace=True"):
        archive.record(other, label="ordinarie")
    archive.record(other, label="extra")  # another label is another measurement
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SameMeasurementWarning)
        # the same inputs as "extra": recognised, nothing added
        archive.record(other, label="ordinarie", replace=True)
    assert sorted(archive.measurements()["label"]) == ["extra", "ordinarie"]


def test_replace_swaps_the_measurement(archive, town):
    wl = scored(town, MONTHS[0])
    archive.record(wl)
    changed = town.workers.assign(fte=town.workers["fte"] * 0.9)
    other = at.score(town.cases, changed, town.scheme, teams=town.teams, on=MONTHS[0])
    mid = archive.record(other, replace=True)
    assert archive.measurements()["measurement_id"].tolist() == [mid]
    pd.testing.assert_frame_equal(archive.workers(mid), other.workers, check_exact=True)


def test_restate_under_the_same_scheme_reproduces_the_history(archive, town):
    for on in MONTHS:
        archive.record(scored(town, on))
    restated = archive.restate(town.scheme)
    assert restated.not_restated.empty
    for level in ("worker", "team", "unit"):
        recorded = archive.history(level).drop(columns=["scheme_name", "scheme_version"])
        again = restated.history(level)[list(archive.history(level).columns)]
        again = again.drop(columns=["scheme_name", "scheme_version"])
        pd.testing.assert_frame_equal(again, recorded, check_exact=True)


def test_restate_under_a_changed_weight_equals_rescoring_the_inputs(archive, town):
    for on in MONTHS:
        archive.record(scored(town, on))
    table = town.scheme.weights_table()
    table.loc[0, "weight"] = table.loc[0, "weight"] * 1.5 + 1
    new = town.scheme.with_weights(table).evolve(version="2")
    restated = archive.restate(new)
    for on in MONTHS:
        truth = scored(town, on, new)
        got = restated.workers[restated.workers["measured_on"] == on]
        for c in ("load", "capacity", "utilisation"):
            np.testing.assert_array_equal(got[c].to_numpy(), truth.workers[c].to_numpy())
        unit = restated.unit[restated.unit["measured_on"] == on].iloc[0]
        assert unit["utilisation"] == truth.unit["utilisation"]
    assert set(restated.workers["scheme_version"]) == {"2"}


def test_restate_says_which_months_it_cannot_restate(archive, town):
    archive.record(scored(town, MONTHS[0]))
    # a scheme without one of the case types in use cannot price those counts
    used = archive.restate(town.scheme).workers
    assert len(used)
    table = town.scheme.weights_table()
    first = town.cases["case_type"].value_counts().index[0]
    narrow = town.scheme.with_weights(table[table["case_type"] != first])
    out = archive.restate(narrow)
    assert out.workers.empty
    assert out.not_restated["reason"].str.contains(first).all()
    # a flag the measurement never saw
    extra = at.Scheme.from_dict(
        {
            **town.scheme.to_dict(),
            "multipliers": {
                **{m.flag: m.factor for m in town.scheme.multipliers},
                "nytt_flagga": 1.3,
            },
        }
    )
    assert "nytt_flagga" in archive.restate(extra).not_restated["reason"].iloc[0]


def test_purge_deletes_old_measurements_and_ratings(archive, town):
    for on in MONTHS:
        archive.record(scored(town, on))
    ids = town.workers["worker_id"][:2]
    archive.record_ratings(
        pd.DataFrame(
            {
                "worker_id": list(ids) * 2,
                "period": ["2026-01-15"] * 2 + ["2026-03-01"] * 2,
                "rating": [3, 4, 2, 5],
            }
        ),
        scale="1-5",
    )
    out = archive.purge(before="2026-03-01")
    assert out == {"measurements": 2, "ratings": 2}
    assert list(archive.measurements()["measured_on"]) == list(MONTHS[2:])
    assert archive.history("worker")["measured_on"].min() == MONTHS[2]
    assert len(archive.ratings()) == 2


def test_forget_worker_removes_the_person_and_keeps_unit_totals(archive, town):
    for on in MONTHS[:2]:
        archive.record(scored(town, on))
    who = str(town.workers["worker_id"][0])
    archive.record_ratings(
        pd.DataFrame({"worker_id": [who], "period": ["2026-01-31"], "rating": [4]}), scale="1-5"
    )
    unit_before = archive.history("unit")
    teams_before = archive.history("team")
    counts = archive.forget_worker(who)
    assert counts["worker_figure"] == 2 and counts["rating"] == 1
    assert who not in set(archive.history("worker")["worker_id"])
    assert archive.ratings().empty
    pd.testing.assert_frame_equal(archive.history("unit"), unit_before, check_exact=True)
    pd.testing.assert_frame_equal(archive.history("team"), teams_before, check_exact=True)


def test_ratings_and_compare_flag_two_steps_apart(archive, town):
    wl = scored(town, MONTHS[0])
    archive.record(wl)
    w = wl.workers
    low = w[w["band"] == "low"]["worker_id"].iloc[0]
    crit = w[w["band"].isin(["critical", "high"])]["worker_id"].iloc[0]
    bal = (
        w[w["band"] == "balanced"]["worker_id"].iloc[0] if (w["band"] == "balanced").any() else low
    )
    ratings = pd.DataFrame(
        {
            "worker_id": [low, crit, bal],
            "period": ["2026-01-10", "2026-01-10", "2026-01-10"],
            "rating": [3, -3, 1],  # -3..3 scale: balanced, far too little, fairly little
            "flexi_hours": [2.5, -4.0, np.nan],
        }
    )
    assert archive.record_ratings(ratings, scale="-3..3") == 3
    got = archive.ratings()
    assert got["scale"].eq("-3..3").all() and "comment" not in got.columns
    cmp = archive.compare()
    by = cmp.set_index("worker_id")
    # low measured, rated far too much: 3 steps apart
    assert bool(by.loc[low, "flag"]) and by.loc[low, "steps_apart"] > 0
    # high or critical measured, rated far too little
    assert bool(by.loc[crit, "flag"]) and by.loc[crit, "steps_apart"] < 0


def test_a_later_rating_of_the_same_month_replaces_the_earlier(archive, town):
    who = str(town.workers["worker_id"][0])
    frame = pd.DataFrame({"worker_id": [who], "period": ["2026-02-03"], "rating": [2]})
    archive.record_ratings(frame, scale="1-5")
    archive.record_ratings(frame.assign(rating=4, period="2026-02-27"), scale="1-5")
    got = archive.ratings()
    assert got["rating"].tolist() == [4.0]
    assert got["period"].tolist() == [pd.Timestamp("2026-02-01")]


@pytest.mark.parametrize(
    ("frame", "scale", "match"),
    [
        (
            pd.DataFrame({"worker_id": ["H1"], "period": ["2026-01"], "rating": [6]}),
            "1-5",
            r"\[1, 5\]",
        ),
        (pd.DataFrame({"worker_id": ["H1"], "period": ["x"], "rating": [3]}), "1-5", "period"),
        (pd.DataFrame({"worker_id": ["H1"], "rating": [3]}), "1-5", "lacks"),
        (
            pd.DataFrame({"worker_id": ["H1"], "period": ["2026-01-01"], "rating": [3]}),
            "0-10",
            "scale",
        ),
        (
            pd.DataFrame({"worker_id": ["H1"], "period": ["2026-01-01"], "rating": [3]}),
            None,
            "declare",
        ),
    ],
)
def test_bad_ratings_are_refused_with_the_reason(archive, frame, scale, match):
    with pytest.raises(ValueError, match=match):
        archive.record_ratings(frame, scale=scale)
    assert archive.ratings().empty


def test_queries_on_an_empty_archive(archive, town):
    assert archive.measurements().empty
    assert archive.history("worker").empty
    assert archive.history("unit").empty
    assert archive.compare().empty
    with pytest.raises(KeyError, match="no measurements"):
        archive.workers()
    with pytest.raises(ValueError, match="level"):
        archive.history("person")
    with pytest.raises(ValueError, match="'start' must be a date"):
        archive.history("worker", start="not a date")


def test_reopening_keeps_everything(archive_url, town):
    wl = scored(town, MONTHS[0])
    with Archive(archive_url) as a:
        mid = a.record(wl)
    with Archive(archive_url) as b:
        pd.testing.assert_frame_equal(b.workers(mid), wl.workers, check_exact=True)


def test_record_refuses_what_is_not_a_workload(archive):
    with pytest.raises(TypeError, match="Workload"):
        archive.record(pd.DataFrame())


def test_numeric_ids_come_back_as_numbers(archive, town):
    ids = {w: i + 100 for i, w in enumerate(town.workers["worker_id"])}
    teams = {t: i + 1 for i, t in enumerate(town.teams["team_id"])}
    workers = town.workers.assign(
        worker_id=town.workers["worker_id"].map(ids).astype("int64"),
        team_id=town.workers["team_id"].map(teams).astype("int64"),
    )
    cases = town.cases.assign(worker_id=town.cases["worker_id"].map(ids).astype("int64"))
    wl = at.score(cases, workers, town.scheme, on=MONTHS[0])
    mid = archive.record(wl)
    pd.testing.assert_frame_equal(archive.workers(mid), wl.workers, check_exact=True)
    pd.testing.assert_frame_equal(archive.teams(mid), wl.teams, check_exact=True)
    restated = archive.restate(town.scheme)
    np.testing.assert_array_equal(
        restated.workers["utilisation"].to_numpy(), wl.workers["utilisation"].to_numpy()
    )
    assert archive.forget_worker(100)["worker_figure"] == 1
