"""Every kind of bad input gets its own reason, and no row is lost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import arbetstyngd as at

ON = "2026-03-01"


def score(cases, workers, scheme, **kw):
    with pytest.warns(at.RejectedRowsWarning):
        return at.score(cases, workers, scheme, on=ON, **kw)


def reasons(wl, table="cases"):
    rej = wl.rejected[wl.rejected["table"] == table]
    return dict(zip(rej["id"].astype(str), rej["reason"], strict=False))


def assert_accounted(wl, cases):
    n_rej = wl.rejected.loc[wl.rejected["table"] == "cases", "row"].nunique()
    assert len(wl.cases) + n_rej == len(cases)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("case_type", "utredningg", "unknown case type 'utredningg'"),
        ("case_type", None, "case_type is missing"),
        ("worker_id", "W99", "not in the roster"),
        ("worker_id", " ", "worker_id is missing"),
        ("case_id", None, "case_id is missing"),
        ("opened", "31/13/2026", "'opened' is not a date"),
        ("opened", None, "opened (start date) is missing"),
        ("closed", "2025-01-01", "closed before opened"),
        ("closed", "soon", "'closed' is not a date"),
        ("tolk", "kanske", "complexity flag 'tolk' must be yes/no"),
    ],
)
def test_each_bad_case_value_has_a_reason(cases, workers, teams, mini, column, value, expected):
    bad = cases.copy()
    bad.loc[3, column] = value
    wl = score(bad, workers, mini, teams=teams)
    rej = wl.rejected
    assert len(rej) == 1
    assert rej["row"].iloc[0] == 3 and rej["column"].iloc[0] == column
    assert expected in rej["reason"].iloc[0]
    assert_accounted(wl, bad)


def test_unknown_case_type_suggests_closest(cases, workers, mini):
    bad = cases.copy()
    bad.loc[0, "case_type"] = "a"
    bad.loc[1, "case_type"] = "BB"
    wl = score(bad, workers, mini)
    msgs = reasons(wl)
    assert "closest known: 'B'" in msgs["c2"]


def test_duplicate_case_ids_reject_every_copy(cases, workers, mini):
    bad = pd.concat([cases, cases.iloc[[0]]], ignore_index=True)
    wl = score(bad, workers, mini)
    rej = wl.rejected
    assert sorted(rej["row"]) == [0, 10]
    assert (rej["reason"] == "case_id appears on 2 rows; keep one").all()
    assert_accounted(wl, bad)


def test_phase_without_row_or_fallback(workers, mini):
    scheme = mini.evolve(weights=[*mini.weights, at.Weight("C", 3.0, phase="insats")])
    cases = pd.DataFrame(
        {
            "case_id": ["a", "b"],
            "worker_id": ["W1", "W1"],
            "case_type": ["C", "C"],
            "phase": ["insats", "utredning"],
            "opened": ["2026-01-01"] * 2,
        }
    )
    wl = score(cases, workers, scheme)
    assert wl.cases["case_id"].tolist() == ["a"]
    assert "no weight for phase 'utredning'" in reasons(wl)["b"]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("fte", 2.0, "'fte' must be in (0, 1.5] (got 2)"),
        ("fte", 75, "if it is a percentage, divide by 100"),
        ("fte", 0, "'fte' must be in (0, 1.5] (got 0)"),
        ("fte", "heltid", "'fte' must be a number"),
        ("fte", None, "fte (tjänstgöringsgrad) is missing"),
        ("reduction", 1.0, "'reduction' must be in [0, 1) (got 1)"),
        ("reduction", -0.1, "'reduction' must be in [0, 1)"),
        ("team_id", None, "team_id is missing"),
        ("experience_years", -2, "'experience_years' must be >= 0"),
        ("profession_start", "igår", "'profession_start' is not a date"),
    ],
)
def test_bad_worker_rejects_row_and_its_cases(cases, workers, mini, column, value, expected):
    bad = workers.astype({column: object}).copy()
    bad.loc[0, column] = value  # W1, who has 6 cases
    wl = score(cases, bad, mini)
    wrej = wl.rejected[wl.rejected["table"] == "workers"]
    assert len(wrej) == 1 and wrej["column"].iloc[0] == column
    assert expected in wrej["reason"].iloc[0]
    assert "6 case(s) of this worker are rejected with it" in wrej["reason"].iloc[0]
    crej = wl.rejected[wl.rejected["table"] == "cases"]
    assert len(crej) == 6
    # the row as the rejection table names it, and no doubled quote ('W1''s)
    assert crej["reason"].str.contains(r"worker 'W1' was rejected in the roster \(row 0\): ").all()
    assert not crej["reason"].str.contains("''").any()
    assert "W1" not in set(wl.workers["worker_id"])
    assert_accounted(wl, cases)


def test_missing_covariate_rejects_worker(cases, workers, mini):
    bad = workers.copy()
    bad.loc[2, "profession_start"] = None
    wl = score(cases, bad, mini)
    msg = reasons(wl, "workers")["W3"]
    assert "no value for 'experience_years'" in msg and "profession_start" in msg


def test_duplicate_worker_and_team_not_in_teams_table(cases, workers, teams, mini):
    bad = pd.concat([workers, workers.iloc[[1]]], ignore_index=True)
    bad.loc[2, "team_id"] = "T9"
    wl = score(cases, bad, mini, teams=teams)
    w = wl.rejected[wl.rejected["table"] == "workers"]
    assert set(w["row"]) == {1, 2, 3}
    assert w["reason"].str.contains("appears on more than one row").sum() == 2
    assert w["reason"].str.contains("team 'T9' is not in the teams table").sum() == 1


def test_bad_team_rows(cases, workers, mini):
    # T2 is fine, so a worker is left (a roster with every worker rejected is a DataError)
    teams = pd.DataFrame(
        {"team_id": ["T1", "T1", None, "T2"], "span_of_control": [5, "many", 3, 4]}
    )
    wl = score(cases, workers, mini, teams=teams)
    t = wl.rejected[wl.rejected["table"] == "teams"]
    assert "team_id is missing" in set(t["reason"])
    assert t["reason"].str.contains("more than one row").sum() == 2
    assert t["reason"].str.contains("'span_of_control' must be a number").sum() == 1


def test_missing_columns_is_one_clear_error(cases, workers, mini):
    with pytest.raises(at.ColumnsError, match=r"lacks required column\(s\) 'opened'"):
        at.score(cases.drop(columns="opened"), workers, mini)
    with pytest.raises(at.ColumnsError, match=r"'fte' \(is 'ftee' meant\?\)"):
        at.score(cases, workers.rename(columns={"fte": "ftee"}), mini)
    with pytest.raises(at.ColumnsError, match="must be a pandas DataFrame"):
        at.score([1, 2], workers, mini)


def test_strict_raises_with_every_problem(cases, workers, mini):
    bad = cases.copy()
    bad.loc[0, "case_type"] = "X"
    bad.loc[1, "opened"] = "nope"
    with pytest.raises(at.DataError) as err:
        at.score(bad, workers, mini, strict=True)
    assert len(err.value.failures) == 2
    assert "2 problem(s)" in str(err.value) and "unknown case type 'X'" in str(err.value)


def test_several_problems_on_one_row_are_all_listed(cases, workers, mini):
    bad = cases.copy()
    bad.loc[0, ["case_type", "opened"]] = ["X", "nope"]
    wl = score(bad, workers, mini)
    assert sorted(wl.rejected["column"]) == ["case_type", "opened"]
    assert_accounted(wl, bad)


def test_source_row_is_reported(cases, workers, mini):
    bad = cases.copy()
    bad["source_row"] = np.arange(len(bad)) + 2
    bad.loc[4, "case_type"] = "X"
    wl = score(bad, workers, mini)
    assert wl.rejected["row"].tolist() == [6]


def test_reader_rejections_are_carried_into_the_result(cases, workers, mini):
    frame = cases.copy()
    frame.attrs["rejected"] = pd.DataFrame(
        [
            {
                "table": "cases",
                "row": 99,
                "id": None,
                "column": "opened",
                "value": "x",
                "reason": "unparseable",
            }
        ]
    )
    wl = score(frame, workers, mini)
    assert 99 in set(wl.rejected["row"])


def test_scheme_errors_name_field_and_value():
    with pytest.raises(at.SchemeError, match=r"'capacity' must be > 0 \(got -5.0\)"):
        at.Scheme("s", "1", -5, [at.Weight("a", 1)])
    with pytest.raises(at.SchemeError, match="'weight' must be >= 0"):
        at.Weight("a", -1)
    with pytest.raises(at.SchemeError, match=r"unknown key 'capacty'.*did you mean 'capacity'"):
        at.Scheme.from_dict({"name": "s", "version": "1", "capacty": 1, "weights": []})
    with pytest.raises(at.SchemeError, match="two rows for case_type='a'"):
        at.Scheme("s", "1", 1, [at.Weight("a", 1), at.Weight("a", 2)])
    with pytest.raises(at.SchemeError, match="len\\(breaks\\) \\+ 1 = 3"):
        at.Adjustment("x", breaks=(1, 2), factors=(1, 1))
    with pytest.raises(at.SchemeError, match="increase strictly"):
        at.Adjustment("x", breaks=(2, 1), factors=(1, 1, 1))
    with pytest.raises(at.SchemeError, match="0 < balanced < high < critical"):
        at.Bands(1.2, 1.1, 1.3)
    with pytest.raises(at.SchemeError, match="not valid TOML"):
        at.Scheme.from_toml("name = ")
    with pytest.raises(at.SchemeError, match=r"no built-in scheme called 'barn-och-ung'.*did you"):
        at.load_scheme("barn-och-ung")


def test_repeated_column_names_are_one_clear_error(cases, workers, mini):
    doubled = pd.concat([cases, cases[["case_id"]]], axis=1)
    with pytest.raises(at.ColumnsError, match="more than one column named 'case_id'"):
        at.score(doubled, workers, mini)


def test_reductions_without_share_column(cases, workers, mini):
    with pytest.raises(at.ColumnsError, match="lacks required column") as err:
        at.score(cases, workers, mini, reductions=pd.DataFrame({"worker_id": ["W1"]}))
    assert "read_reductions" not in str(err.value)


def test_worker_of_a_rejected_team_says_so(cases, workers, mini):
    teams = pd.DataFrame({"team_id": ["T1", "T1", "T2"]})
    wl = score(cases, workers, mini, teams=teams)
    msgs = reasons(wl, "workers")
    assert "team 'T1''s row in the teams table was rejected" in msgs["W1"]


@pytest.mark.parametrize("on", [5, 2.5, True])
def test_a_number_is_not_a_date(cases, workers, mini, on):
    with pytest.raises(ValueError, match="'on' must be a date"):
        at.score(cases, workers, mini, on=on)


def test_bad_timeline_arguments_are_explained(cases, workers, mini):
    with pytest.raises(ValueError, match="'freq' must be a pandas frequency"):
        at.timeline(cases, workers, mini, start="2026-01-01", end="2026-03-01", freq="fortnight")
    with pytest.raises(ValueError, match="'dates' must be dates"):
        at.timeline(cases, workers, mini, dates=["junk"])
    with pytest.raises(ValueError, match="'start' must be a date"):
        at.timeline(cases, workers, mini, start="soon", end="2026-03-01")


def test_provenance_values_toml_cannot_hold_are_refused():
    with pytest.raises(at.SchemeError, match="'statistics' values must be numbers, text or lists"):
        at.Provenance(statistics={"r2": None})
    assert at.Provenance(statistics={"scale": (-3, 3)}).statistics == {"scale": [-3, 3]}
    assert at.Provenance(note=None).note == ""


def test_suggestions_ignore_case_and_do_not_repeat(cases, workers, mini):
    bad = cases.copy()
    bad.loc[0, "case_type"] = "a"
    wl = score(bad, workers, mini)
    assert "closest known: 'A'" in reasons(wl)["c1"]
    from arbetstyngd._contract.suggest import Suggester

    assert Suggester(["w1", "w1", "W1"]).closest("w1") == ["w1", "W1"]
