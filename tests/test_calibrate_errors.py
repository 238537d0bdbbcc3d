"""Bad calibration input gets a message that says what did not match, with the file's rows."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import arbetstyngd as at
from arbetstyngd.calibrate import CalibrationWarning, Delphi, PerceivedWorkload, TimeStudy
from arbetstyngd.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def town():
    return at.datasets.make_municipality(n_workers=12, n_teams=3, seed=4)


@pytest.fixture(scope="module")
def survey(town):
    return at.datasets.make_ratings(town, months=3, seed=1)


@pytest.fixture(scope="module")
def log(town):
    return at.datasets.make_time_log(town, months=3, seed=1)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalibrationWarning)
        warnings.simplefilter("ignore", at.RejectedRowsWarning)
        yield


def from_survey(town, ratings, start, end, **params):
    return PerceivedWorkload.from_survey(
        ratings,
        town.cases,
        town.workers,
        teams=town.teams,
        scheme=town.scheme,
        periods="M",
        start=start,
        end=end,
        n_bootstrap=0,
        **params,
    )


def from_log(town, entries, log):
    return TimeStudy.from_log(
        entries,
        town.cases,
        town.workers,
        teams=town.teams,
        scheme=town.scheme,
        periods="M",
        start=log.start,
        end=log.end,
        n_bootstrap=0,
    )


def write_town(tmp_path, town):
    for name in ("cases", "workers", "teams"):
        getattr(town, name).to_csv(tmp_path / f"{name}.csv", index=False)
    return [str(tmp_path / "cases.csv"), str(tmp_path / "workers.csv")]


# -- 1. ratings that match no worker or period ---------------------------------------------------


def test_ratings_of_unknown_workers_name_the_ids_and_the_closest_roster_ids(town, survey):
    ratings = survey.ratings.assign(worker_id="X" + survey.ratings["worker_id"])
    with pytest.raises(at.DataError) as info:
        from_survey(town, ratings, survey.start, survey.end)
    message = str(info.value)
    assert message.startswith("no rating matches any worker and period of the caseload export")
    assert "'XH0001' (closest: 'H0001')" in message
    assert "more than one answer" not in message
    failures = info.value.failures
    assert len(failures) == len(ratings)
    assert set(failures["column"]) == {"worker_id"}
    assert failures["row"].tolist() == ratings.index.tolist()


def test_ratings_outside_the_study_window_say_so(town, survey):
    with pytest.raises(at.DataError, match="no rating matches any worker and period") as info:
        from_survey(town, survey.ratings, "2030-01-01", "2030-06-30")
    message = str(info.value)
    assert "periods 2026-04 – 2026-06, outside the study periods 2030-01 – 2030-06" in message
    assert "more than one answer" not in message


def test_ratings_command_with_a_window_the_ratings_miss(tmp_path, town, survey):
    dated = survey.ratings.assign(
        date=pd.PeriodIndex(survey.ratings["period"], freq="M").start_time + pd.Timedelta(days=9)
    ).drop(columns="period")
    dated.to_csv(tmp_path / "ratings.csv", index=False)
    res = runner.invoke(
        app,
        [
            "calibrate",
            "ratings",
            *write_town(tmp_path, town),
            str(tmp_path / "ratings.csv"),
            "--start",
            "2030-01-01",
            "--end",
            "2030-06-30",
            "--n-bootstrap",
            "0",
        ],
    )
    assert res.exit_code == 2, res.output
    assert "no rating matches any worker and period" in res.output
    assert "dates 2026-04-10 – 2026-06-10, outside the study window 2030-01-01 – 2030-06-30" in (
        res.output
    )
    assert "more than one answer" not in res.output


def test_some_unmatched_ratings_are_a_warning_naming_them(town, survey):
    ratings = survey.ratings.copy()
    ratings.loc[ratings["worker_id"] == "H0003", "worker_id"] = "H003"
    ratings.loc[[0, 1], "period"] = [None, " "]
    with pytest.warns(CalibrationWarning) as caught:
        pw = from_survey(town, ratings, survey.start, survey.end)
    message = " ".join(str(w.message) for w in caught)
    assert "'H003' (closest: 'H0003')" in message
    assert "2 have no readable period (rows 0, 1)" in message
    assert "H0003" not in set(pw.ratings_["worker_id"])
    assert pw.ratings_["period"].str.strip().str.len().gt(0).all()


def test_matched_ratings_without_any_answer_are_an_error_not_duplicates(town, survey):
    with pytest.raises(at.DataError, match="has an answer"):
        from_survey(town, survey.ratings.assign(rating=np.nan), survey.start, survey.end)


def test_duplicate_answers_name_their_rows(town, survey):
    answered = survey.ratings.dropna()
    ratings = pd.concat([answered, answered.iloc[[0]]]).reset_index(drop=True)
    with pytest.raises(at.DataError, match=rf"rows 0, {len(answered)}: worker H0001"):
        from_survey(town, ratings, survey.start, survey.end)


# -- 2. a time log with no usable row ------------------------------------------------------------


def test_a_log_of_negative_minutes_says_which_rows_and_why(town, log):
    entries = log.log.assign(minutes=-5)
    with pytest.raises(at.DataError) as info:
        from_log(town, entries, log)
    message = str(info.value)
    assert not isinstance(info.value, at.ColumnsError)
    assert message.startswith(f"no row of the time log ({len(entries)} rows) can be used")
    assert f"{len(entries)} row(s): minutes must be a number >= 0 (rows 0, 1, 2, 3, 4 …)" in (
        message
    )
    failures = info.value.failures
    assert list(failures.columns) == ["table", "row", "id", "column", "value", "reason"]
    assert set(failures["column"]) == {"minutes"} and (failures["value"] == -5).all()


def test_a_log_of_unknown_workers_names_them(town, log):
    entries = log.log.assign(worker_id=log.log["worker_id"].str.replace("H", "h"))
    with pytest.raises(at.DataError, match="no row of the time log") as info:
        from_log(town, entries, log)
    message = str(info.value)
    assert "worker id matches no worker of the study" in message
    assert "'h0001' (closest: 'H0001')" in message
    assert "Found array" not in message


def test_a_log_with_one_usable_worker_period_is_an_error_too(town, log):
    first = log.log[(log.log["worker_id"] == "H0001") & (log.log["period"] == "2026-04")]
    with pytest.raises(at.DataError, match=r"cover only 1 \(worker, period\); at least 2"):
        from_log(town, first, log)


def test_rejected_log_rows_carry_the_row_a_person_finds(town, log):
    entries = log.log.assign(source_row=np.arange(2, len(log.log) + 2))
    entries.loc[5, "minutes"] = -10
    entries.loc[7, "worker_id"] = "nobody"
    ts = from_log(town, entries, log)
    rejected = ts.log_rejected_.set_index("row")
    assert rejected.loc[7, "reason"] == "minutes must be a number >= 0"
    assert rejected.loc[9, "reason"] == "worker id matches no worker of the study"
    assert "source_row" not in ts.log_rejected_.columns


# -- 3. the Delphi table is checked before it is read --------------------------------------------


def test_delphi_command_given_the_cases_file_names_the_missing_columns(tmp_path, town):
    cases = write_town(tmp_path, town)[0]
    res = runner.invoke(app, ["calibrate", "delphi", cases])
    assert res.exit_code == 2, res.output
    assert "could not convert" not in res.output
    assert "lacks the column(s) 'expert', 'estimate'" in res.output
    assert "one row per estimate with the columns expert, round, case_type" in res.output


def test_delphi_command_names_a_bad_value_with_its_file_row(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(
        "expert;round;case_type;estimate\na;1;bou_utredning;8\n\nb;1;bou_utredning;T1-H0001\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["calibrate", "delphi", str(path)])
    assert res.exit_code == 2, res.output
    assert "column 'estimate' of the panel must hold numbers >= 0 (got row 4: 'T1-H0001')" in (
        res.output
    )


def test_delphi_command_rejects_a_text_table_without_panel_columns(tmp_path, town):
    town.workers.to_csv(tmp_path / "workers.csv", index=False)
    res = runner.invoke(app, ["calibrate", "delphi", str(tmp_path / "workers.csv")])
    assert res.exit_code == 2, res.output
    assert "column 'worker_id' holds text (row 2: 'H0001')" in res.output


@pytest.mark.parametrize(
    "column,values,message",
    [
        ("round", [1, 1, "andra"], r"'round' .* whole round numbers .*\(got row 12: 'andra'\)"),
        ("round", [1, 1, 1.5], r"'round' .* whole round numbers .*\(got row 12: 1.5\)"),
        ("round", [1, 1, None], r"'round' of the panel is empty on 1 row\(s\) \(row 12\)"),
        ("expert", ["a", "", "c"], r"'expert' of the panel is empty on 1 row\(s\) \(row 11\)"),
        ("case_type", ["x", "x", None], r"'case_type' .* empty on 1 row\(s\) \(row 12\)"),
        ("estimate", [1, -2, 3], r"cannot be negative\) \(got row 11: -2\)"),
    ],
)
def test_delphi_names_the_column_the_expectation_and_the_row(column, values, message):
    panel = pd.DataFrame(
        {"expert": list("abc"), "round": 1, "case_type": "x", "estimate": [1.0, 2.0, 3.0]},
        index=[10, 11, 12],
    )
    panel[column] = values
    with pytest.raises(at.DataError, match=message):
        Delphi().fit(panel)


def test_delphi_reads_decimal_commas_and_the_wide_form():
    long = pd.DataFrame({"expert": list("abc"), "case_type": "x", "estimate": ["8,5", "9", "10,5"]})
    assert Delphi().fit(long).consensus_.loc["x", "median"] == 9.0
    wide = pd.DataFrame({"x": ["8,5", "9", "10,5"], "y": [1.0, 2.0, 3.0]})
    assert Delphi().fit(wide).consensus_["median"].to_dict() == {"x": 9.0, "y": 2.0}


# -- 4. rows are numbered as a person sees them -------------------------------------------------


def test_ratings_command_numbers_an_out_of_scale_rating_by_its_file_row(tmp_path, town, survey):
    ratings = survey.ratings.dropna().reset_index(drop=True)
    ratings.loc[1, "rating"] = 9  # file line 3: header, then rows 0 and 1
    ratings.to_csv(tmp_path / "ratings.csv", index=False)
    res = runner.invoke(
        app,
        [
            "calibrate",
            "ratings",
            *write_town(tmp_path, town),
            str(tmp_path / "ratings.csv"),
            "--n-bootstrap",
            "0",
        ],
    )
    assert res.exit_code == 2, res.output
    assert "1 rating(s) lie outside the scale -3..3 (row 3: 9)" in res.output


def test_out_of_scale_ratings_use_the_tables_row_labels(town, survey):
    ratings = survey.ratings.dropna()
    ratings.index = ratings.index + 100
    ratings.loc[ratings.index[2], "rating"] = -4
    with pytest.raises(at.DataError, match=rf"\(row {ratings.index[2]}: -4\)"):
        from_survey(town, ratings, survey.start, survey.end)
    X = np.abs(np.random.default_rng(0).normal(size=(20, 2)))
    with pytest.raises(at.DataError, match=r"\(y\[19\]: 4\)"):
        PerceivedWorkload(n_bootstrap=0).fit(X, np.r_[np.zeros(19), 4.0])
    y = pd.Series(np.r_[np.zeros(19), 4.0], index=np.arange(20) + 2)
    with pytest.raises(at.DataError, match=r"\(row 21: 4\)"):
        PerceivedWorkload(n_bootstrap=0).fit(X, y)


def test_negative_minutes_name_their_row():
    X = pd.DataFrame({"cases:a": [1.0, 2.0, 3.0], "cases:b": [1.0, 0.0, 2.0]}, index=[5, 6, 7])
    with pytest.raises(ValueError, match=r"logged minutes must be >= 0 \(got row 6: -3\)"):
        TimeStudy(n_bootstrap=0).fit(X, [10.0, -3.0, 30.0])


# -- 5. the specialised municipality's teams ------------------------------------------------------


def test_specialised_teams_have_distinct_names():
    town = at.datasets.make_specialised_municipality(n_workers=20, n_teams=10, seed=0)
    names = town.teams["name"].tolist()
    assert len(set(names)) == 10, names
    assert names[:2] == ["Mottagning", "Utredning"] and names[8] == "Mottagning 2"
