"""Swedish numbers and dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from arbetstyngd.io.parse import order_conflicts, parse_dates, parse_numbers, parse_share


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0,75", 0.75),
        ("0.75", 0.75),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1\u202f234", 1234.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("-3", -3.0),
        ("\u22123,5", -3.5),
        (" 12 ", 12.0),
        ("75 %", 75.0),
    ],
)
def test_numbers(text: str, value: float) -> None:
    values, bad = parse_numbers(pd.Series([text]))
    assert values[0] == pytest.approx(value) and not bad[0]


def test_bad_and_missing_numbers() -> None:
    values, bad = parse_numbers(pd.Series(["abc", "", None, "1 2 3 4", "12,5,3"]))
    assert bad.tolist() == [True, False, False, True, True]
    assert np.isnan(values).all()


def test_share_units() -> None:
    v, _, amb, unit = parse_share(pd.Series(["75", "100", "50 %"]))
    assert unit == "percent" and v.tolist() == [0.75, 1.0, 0.5] and not amb.any()
    v, _, _, unit = parse_share(pd.Series(["0,75", "1", "50 %"]))
    assert unit == "percent" and v.tolist()[2] == 0.5
    v, _, _, unit = parse_share(pd.Series(["0,75", "1"]))
    assert unit == "share" and v.tolist() == [0.75, 1.0]
    # a percent column with a share-looking value: rejected as ambiguous, not guessed
    v, _, amb, _ = parse_share(pd.Series(["80", "1"]))
    assert amb.tolist() == [False, True] and np.isnan(v[1])
    v, _, _, unit = parse_share(pd.Series([0.5, 1.0]))
    assert unit == "share" and v.tolist() == [0.5, 1.0]
    with pytest.raises(ValueError, match="'unit'"):
        parse_share(pd.Series(["1"]), "bogus")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025-03-07", "2025-03-07T00:00"),
        ("2025-3-7", "2025-03-07T00:00"),
        ("20250307", "2025-03-07T00:00"),
        ("2025-03-07 14:30", "2025-03-07T14:30"),
        ("2025-03-07T14:30:15", "2025-03-07T14:30:15"),
        ("7/3 2025", "2025-03-07T00:00"),
        ("07.03.2025", "2025-03-07T00:00"),
        ("7/3/2025", "2025-03-07T00:00"),
        ("45723", "2025-03-07T00:00"),
        ("45723,5", "2025-03-07T12:00"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    values, bad = parse_dates(pd.Series([text]))
    assert not bad[0]
    assert values[0] == pd.Timestamp(iso)


def test_unparseable_dates_are_flagged_not_guessed() -> None:
    values, bad = parse_dates(pd.Series(["2025-02-30", "31/2 2025", "i morgon", "", None, "123"]))
    assert bad.tolist() == [True, True, True, False, False, True]
    assert values.isna().all()


def test_day_first_always_and_month_first_values_rejected() -> None:
    # one month-first value never flips the other values of the column
    values, bad = parse_dates(pd.Series(["3/4 2026", "4/13/2026", "13/4 2026"]))
    assert bad.tolist() == [False, True, False]
    assert values[0] == pd.Timestamp("2026-04-03") and values[2] == pd.Timestamp("2026-04-13")
    values, bad = parse_dates(pd.Series(["3/25/2025", "4/1/2025"]))
    assert bad.tolist() == [True, False] and values[1] == pd.Timestamp("2025-01-04")
    assert order_conflicts(pd.Series(["3/25/2025", "4/1/2025", "31/2 2025"])).tolist() == [
        True,
        False,
        False,
    ]
    values, bad = parse_dates(pd.Series(["1/2/2025", "3/25/2025", "25/3/2025"]), order="mdy")
    assert values[0] == pd.Timestamp("2025-01-02") and bad.tolist() == [False, False, True]
    assert order_conflicts(pd.Series(["25/3/2025", "3/25/2025"]), order="mdy").tolist() == [
        True,
        False,
    ]
    with pytest.raises(ValueError, match="'order'"):
        parse_dates(pd.Series(["1/2/2025"]), order="ymd")


def test_numeric_and_datetime_columns() -> None:
    values, bad = parse_dates(pd.Series([45723.0, np.nan, 45723.25]))
    assert values[0] == pd.Timestamp("2025-03-07") and pd.isna(values[1]) and not bad.any()
    assert values[2] == pd.Timestamp("2025-03-07 06:00")
    stamps = pd.Series(pd.to_datetime(["2025-01-01"]).tz_localize("Europe/Stockholm"))
    values, bad = parse_dates(stamps)
    assert values.dt.tz is None and not bad.any()
    values, bad = parse_dates(pd.Series([20250307]))
    assert values[0] == pd.Timestamp("2025-03-07")
