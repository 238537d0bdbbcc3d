"""at.forecast and its backtest: results, engine agreement, bad input, thin history, scenarios,
validity on a history with a known process, the command and the chart."""

from __future__ import annotations

import warnings

import attrs
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.cli.app import app


@pytest.fixture(scope="module")
def history() -> at.datasets.History:
    return at.datasets.make_history(n_workers=16, n_teams=2, seed=3)


def _forecast(h, **options):
    options.setdefault("start", "2025-06-30")
    options.setdefault("horizon", "12W")
    options.setdefault("n_paths", 100)
    options.setdefault("random_state", 0)
    return at.forecast(h.cases, h.workers, h.scheme, teams=h.teams, **options)


def test_table_shape_and_bands(history):
    fc = _forecast(history)
    t = fc.table
    assert list(t.columns) == [
        "date", "level", "team_id", "measure", "low95", "low80", "median", "high80", "high95",
    ]  # fmt: skip
    assert len(fc.dates) == 12 and fc.dates[0] > pd.Timestamp("2025-06-30")
    assert len(t) == 3 * 12 * 4  # (2 teams + unit) x dates x measures
    band = t[["low95", "low80", "median", "high80", "high95"]].to_numpy()
    assert (np.diff(band, axis=1) >= -1e-9).all()
    assert fc.load_paths.shape == (100, 2, 12)
    assert "Forecast from 2025-06-30" in repr(fc) and "<table>" in fc._repr_html_()


def test_capacity_is_the_engines(history):
    fc = _forecast(history)
    tl = at.timeline(
        history.cases, history.workers, history.scheme, teams=history.teams,
        dates=fc.dates, level="team",
    )  # fmt: skip
    cap = fc.measure("capacity", level="team")
    merged = cap.merge(tl, on=["date", "team_id"])
    assert len(merged) == len(cap)
    np.testing.assert_array_equal(merged["median"].to_numpy(), merged["capacity"].to_numpy())
    # staff need is load over the normal load of one full-time worker
    load = fc.measure("load").set_index(["date", "level", "team_id"], drop=True)
    need = fc.measure("staff_need").set_index(["date", "level", "team_id"], drop=True)
    np.testing.assert_allclose(need["median"], load["median"] / history.scheme.capacity)


def test_first_step_starts_from_the_caseload_on_start(history):
    # on the day after start nothing can have changed much: the realised load is inside the
    # 95 % band and close to the median
    fc = _forecast(history, freq="D", horizon="3D", n_paths=200)
    tl = at.timeline(
        history.cases, history.workers, history.scheme, teams=history.teams,
        dates=fc.dates[:1], level="team",
    )  # fmt: skip
    load = fc.measure("load", level="team").merge(tl, on=["date", "team_id"])
    assert ((load["low95"] <= load["load"]) & (load["load"] <= load["high95"])).all()
    assert np.allclose(load["median"], load["load"], rtol=0.05)


def test_same_seed_same_forecast(history):
    a, b = _forecast(history, random_state=7), _forecast(history, random_state=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    c = _forecast(history, random_state=8)
    assert not a.table.equals(c.table)


def test_threads_do_not_change_the_paths(history):
    one = _forecast(history, n_paths=200, random_state=3)
    two = _forecast(history, n_paths=200, random_state=3, n_jobs=2)
    np.testing.assert_array_equal(one.load_paths, two.load_paths)
    with pytest.raises(ValueError, match=r"'n_jobs' must be a whole number other than 0"):
        _forecast(history, n_jobs=0)


def test_a_window_without_new_cases_only_closes_cases(history):
    cases = history.cases[pd.to_datetime(history.cases["opened"]) < pd.Timestamp("2025-06-20")]
    fc = at.forecast(
        cases, history.workers, history.scheme, teams=history.teams, start="2025-06-30",
        horizon="8W", n_paths=50, random_state=0, window="7D",
    )  # fmt: skip
    # no stream of new cases: every path's load can only fall as its open cases close
    assert (np.diff(fc.load_paths, axis=-1) <= 1e-9).all()
    assert (fc.load_paths[..., -1] < fc.load_paths[..., 0]).any()


def test_progress_bar_runs(history, capsys):
    fc = _forecast(history, n_paths=30, progress=True)
    assert fc.n_paths == 30
    assert "path" in capsys.readouterr().err


# --- bad input -------------------------------------------------------------------------------


def test_empty_history_is_an_error(history):
    empty = history.cases.iloc[:0]
    with pytest.raises(at.DataError, match=r"'cases' has no valid case.*got 0 row"):
        at.forecast(empty, history.workers, history.scheme, start="2025-06-30")


@pytest.mark.parametrize("start", ["2022-06-30", "2027-01-01"])
def test_start_outside_the_history_is_an_error(history, start):
    with pytest.raises(at.DataError, match=rf"'start' must be a date within .*got {start}"):
        _forecast(history, start=start)


@pytest.mark.parametrize(
    ("option", "value", "match"),
    [
        ("n_paths", 0, r"'n_paths' must be a whole number of at least 1 \(got 0\)"),
        ("n_paths", 2.5, r"'n_paths' .*got 2.5"),
        ("horizon", "soon", r"'horizon' must be a length of time .*got 'soon'"),
        ("horizon", "0D", r"'horizon' must be at least one day"),
        ("freq", "fortnightly", r"'freq' must be a pandas frequency .*got 'fortnightly'"),
        ("window", "a year", r"'window' must be a length of time"),
    ],
)
def test_bad_options(history, option, value, match):
    with pytest.raises(ValueError, match=match):
        _forecast(history, **{option: value})


def test_unknown_case_type_is_rejected_not_guessed(history):
    cases = history.cases.copy()
    cases.loc[0, "case_type"] = "no_such_type"
    with pytest.warns(at.RejectedRowsWarning):
        fc = at.forecast(
            cases, history.workers, history.scheme, teams=history.teams,
            start="2025-06-30", horizon="4W", n_paths=20, random_state=0,
        )  # fmt: skip
    assert len(fc.rejected) == 1


# --- thin history -------------------------------------------------------------------------------


def test_thin_history_warns_what_is_missing(history):
    with pytest.warns(at.ThinHistoryWarning, match=r"fewer than 20 closed cases.*'bou_"):
        fc = _forecast(history, start="2023-03-31")
    with pytest.warns(at.ThinHistoryWarning, match=r"only \d+ day\(s\) of inflow .*six months"):
        _forecast(history, start="2023-03-31")
    assert any("six months" in n for n in fc.notes)


def test_type_without_closed_cases_borrows_all_types(history):
    cases = history.cases.copy()
    placed = cases["case_type"] == "bou_placering"
    cases.loc[placed, "closed"] = pd.NaT  # never closed in the history
    with pytest.warns(at.ThinHistoryWarning, match=r"no closed case .*'bou_placering"):
        at.forecast(
            cases, history.workers, history.scheme, teams=history.teams,
            start="2025-06-30", horizon="4W", n_paths=20, random_state=0,
        )  # fmt: skip


def test_enough_history_gives_no_warning():
    h = at.datasets.make_history(n_workers=40, n_teams=2, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", at.ThinHistoryWarning)
        fc = _forecast(h, start="2025-10-31", n_paths=40)
    assert fc.notes == ()


# --- scenarios (more in test_forecast_scenario.py) -------------------------------------------


def test_a_leave_lowers_capacity_from_its_date(history):
    who = history.workers["worker_id"].iloc[0]
    team = history.workers["team_id"].iloc[0]
    base = _forecast(history)
    leave = at.Scenario.from_dict(
        {"changes": [{"kind": "leave", "worker": who, "date": "2025-08-01", "cases_to": "team"}]}
    )
    left = _forecast(history, scenario=leave)
    cap_base = base.capacity.loc[team]
    cap_left = left.capacity.loc[team]
    before = cap_base.index < pd.Timestamp("2025-08-01")
    np.testing.assert_array_equal(cap_left[before], cap_base[before])
    assert (cap_left[~before] < cap_base[~before]).all()
    # the cases stay in the team: the same load, path by path (same seed)
    np.testing.assert_allclose(left.load_paths, base.load_paths, rtol=1e-12)


def test_scenario_without_apply_is_an_error(history):
    with pytest.raises(TypeError, match=r"'scenario' must be a Scenario .*got dict"):
        _forecast(history, scenario={"hire": []})


@attrs.frozen
class _Inputs:
    cases: pd.DataFrame
    workers: pd.DataFrame
    teams: pd.DataFrame | None
    scheme: at.Scheme


@attrs.frozen
class _Same:
    """Any object with the Scenario's apply: here one that changes nothing."""

    def apply(self, cases, workers, teams, scheme, *, on):
        return _Inputs(cases, workers, teams, scheme)


def test_empty_scenario_is_the_forecast_without_one(history):
    base = _forecast(history)
    same = _forecast(history, scenario=_Same())
    pd.testing.assert_frame_equal(same.table, base.table, rtol=1e-12)
    empty = _forecast(history, scenario=at.Scenario())
    pd.testing.assert_frame_equal(empty.table, base.table, check_exact=True)


# --- validity on a known process ----------------------------------------------------------------


def test_bands_cover_reality_on_a_known_process():
    # the fast, seeded version of benchmarks/forecast_coverage.py
    h = at.datasets.make_history(n_workers=24, n_teams=3, seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.ThinHistoryWarning)
        bt = at.forecast.backtest(
            h.cases, h.workers, h.scheme, teams=h.teams, n_origins=20, horizon="12W",
            n_paths=100, random_state=0,
        )  # fmt: skip
    assert len(bt.origins) == 20
    team = bt.coverage.loc["team"]
    assert 0.70 <= team["inside80"] <= 0.90
    assert 0.88 <= team["inside95"] <= 0.99
    assert (bt.table["step"] >= 1).all() and "inside80" in bt.table
    assert "inside the 80 % band" in repr(bt)


def test_backtest_compares_with_the_engines_timeline(history):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", at.ThinHistoryWarning)
        bt = at.backtest(
            history.cases, history.workers, history.scheme, teams=history.teams,
            origins=["2024-06-30", "2025-01-31"], horizon="4W", n_paths=30, random_state=0,
        )  # fmt: skip
    assert bt.origins.strftime("%Y-%m-%d").tolist() == ["2024-06-30", "2025-01-31"]
    tl = at.timeline(
        history.cases, history.workers, history.scheme, teams=history.teams,
        dates=sorted(bt.table["date"].unique()), level="team",
    )  # fmt: skip
    team = bt.table[bt.table["level"] == "team"].merge(tl, on=["date", "team_id"])
    np.testing.assert_array_equal(team["realised"], team["utilisation"])
    unit = bt.table[bt.table["level"] == "unit"].set_index("date")["realised"]
    sums = tl.groupby("date")[["load", "capacity"]].sum()
    np.testing.assert_allclose(unit, (sums["load"] / sums["capacity"]).loc[unit.index])
    inside = (bt.table["low80"] <= bt.table["realised"]) & (
        bt.table["realised"] <= bt.table["high80"]
    )
    assert (inside == bt.table["inside80"]).all()


def test_backtest_origins_must_leave_a_horizon(history):
    with pytest.raises(at.DataError, match=r"'origins' must be dates from .*got 2025-12-01"):
        at.backtest(
            history.cases, history.workers, history.scheme, origins=["2025-12-01"], horizon="8W"
        )


def test_backtest_needs_enough_history():
    h = at.datasets.make_history(n_workers=6, n_teams=1, seed=0, start="2025-01-01")
    with pytest.raises(at.DataError, match=r"too short for a backtest"):
        at.backtest(h.cases, h.workers, h.scheme, horizon="26W")


# --- command and chart --------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "word"), [("sv", "Hela enheten"), ("en", "Whole unit")])
def test_forecast_command(history, tmp_path, lang, word):
    h = history
    h.cases.to_csv(tmp_path / "cases.csv", index=False)
    h.workers.to_csv(tmp_path / "workers.csv", index=False)
    out = tmp_path / "fc.csv"
    result = CliRunner().invoke(
        app,
        [
            "forecast", str(tmp_path / "cases.csv"), str(tmp_path / "workers.csv"),
            "--start", "2025-06-30", "--horizon", "4W", "--paths", "50", "--seed", "1",
            "--out", str(out), "--lang", lang,
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert word in result.output
    table = pd.read_csv(out)
    assert set(table["measure"]) == {"load", "capacity", "utilisation", "staff_need"}


def test_forecast_command_takes_a_scenario(history, tmp_path):
    # a hire of 2 fte in the first team from the second week: that team's capacity rises from
    # then on, and the other teams' does not move
    h = history
    h.cases.to_csv(tmp_path / "cases.csv", index=False)
    h.workers.to_csv(tmp_path / "workers.csv", index=False)
    team = sorted(h.workers["team_id"].unique())[0]
    (tmp_path / "s.toml").write_text(
        f'[[changes]]\nkind = "hire"\nteam = "{team}"\nfte = 1.0\nn = 2\n'
        'date = "2025-07-08"\nexperience_years = 5\n',
        encoding="utf-8",
    )
    tables = {}
    for name, extra in [("base", []), ("hire", ["--scenario", str(tmp_path / "s.toml")])]:
        out = tmp_path / f"{name}.csv"
        result = CliRunner().invoke(
            app,
            [
                "forecast", str(tmp_path / "cases.csv"), str(tmp_path / "workers.csv"),
                "--start", "2025-06-30", "--horizon", "4W", "--paths", "20", "--seed", "1",
                "--out", str(out), *extra,
            ],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        t = pd.read_csv(out)
        tables[name] = t[(t["measure"] == "capacity") & (t["level"] == "team")]
    base, hire = (tables[k].set_index(["team_id", "date"])["median"] for k in ("base", "hire"))
    gain = (hire - base).unstack("date")
    assert gain.loc[team].iloc[0] == 0  # 2025-07-06, before the hire
    assert (gain.loc[team].iloc[1:] > 0).all()
    assert (gain.drop(index=team) == 0).all().all()


def test_forecast_command_bad_start(history, tmp_path):
    history.cases.to_csv(tmp_path / "cases.csv", index=False)
    history.workers.to_csv(tmp_path / "workers.csv", index=False)
    result = CliRunner().invoke(
        app,
        [
            "forecast",
            str(tmp_path / "cases.csv"),
            str(tmp_path / "workers.csv"),
            "--start",
            "2030-01-01",
        ],
    )
    assert result.exit_code == 2
    assert "fel: 'start' måste vara ett datum inom historiken" in result.output  # Swedish default


def test_chart(history):
    import matplotlib

    matplotlib.use("Agg")
    fc = _forecast(history)
    ax = fc.plot(lang="sv")
    assert ax.get_ylabel() == "Belastningsgrad"  # the one label table's word
    ax = fc.plot(team="T1", measure="staff_need", lang="en")
    assert "T1" in ax.get_title()
    with pytest.raises(ValueError, match=r"'team' must be one of .*got 'T9'"):
        fc.plot(team="T9")
