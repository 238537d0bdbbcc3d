"""Personnummer and samordningsnummer: recognition, validation, normalisation, demographics."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arbetstyngd.io import personnummer as pnr
from arbetstyngd.io.personnummer import synthetic_personnummer

numbers = st.builds(
    lambda seed, form, sep, samordning: synthetic_personnummer(
        1, seed=seed, form=form, sep=sep, samordning=samordning
    )[0],
    st.integers(0, 2**32 - 1),
    st.sampled_from(["10", "12"]),
    st.sampled_from(["-", ""]),
    st.booleans(),
)


def _with_wrong_check(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


@settings(max_examples=60, deadline=None)
@given(numbers)
def test_generated_numbers_are_valid_and_a_wrong_check_digit_is_not(number: str) -> None:
    assert pnr.is_valid(number)
    assert not pnr.is_valid(_with_wrong_check(number))
    # shape is still recognised, so a mistyped number is still treated as personal data
    assert pnr.contains_personnummer(pd.Series([f"x {_with_wrong_check(number)} y"]))[0]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_ten_and_twelve_digit_forms_normalise_alike(seed: int) -> None:
    twelve = synthetic_personnummer(1, seed=seed, born=(1950, 2015))[0]
    ten = twelve[2:]
    assert pnr.normalise(twelve) == pnr.normalise(ten) == twelve.replace("-", "")
    assert pnr.normalise(ten.replace("-", "")) == twelve.replace("-", "")


def test_luhn_known_value_and_vectorised_validation() -> None:
    # by hand: digits 8 5 0 1 0 1 1 2 3 weighted 2 1 2 1 …: 16→7, 5, 0, 1, 0, 1, 2, 2, 6 = 24,
    # so the check digit is (10 - 4) % 10 = 6. The numbers are built here, never written out.
    nine = "850101" + "123"
    assert pnr.luhn_check_digit(nine) == 6
    good = f"{nine[:6]}-{nine[6:]}6"
    wrong = good[:-1] + "5"
    samordning = f"{nine[:4]}{int(nine[4:6]) + 60}-{nine[6:]}"
    samordning += str(pnr.luhn_check_digit(samordning.replace("-", "")[:9]))
    out = pnr.validate([good, wrong, samordning, good.replace("-", ""), "hej", None])
    assert out["valid"].tolist() == [True, False, True, True, False, False]
    assert out["samordning"].tolist() == [False, False, True, False, False, False]
    assert out["normalised"].iloc[0] == "19" + good.replace("-", "")


def test_plus_separator_means_a_hundred_years_older() -> None:
    today = dt.date(2026, 1, 1)
    nine = "121212" + "121"
    digits = nine + str(pnr.luhn_check_digit(nine))
    minus = pnr.validate([f"{digits[:6]}-{digits[6:]}"], today=today)["normalised"].iloc[0]
    plus = pnr.validate([f"{digits[:6]}+{digits[6:]}"], today=today)["normalised"].iloc[0]
    assert minus.startswith("2012") and plus.startswith("1912")


def test_impossible_dates_are_not_valid() -> None:
    digits = "850230123"  # 30 February
    number = f"{digits[:6]}-{digits[6:]}{pnr.luhn_check_digit(digits)}"
    assert not pnr.is_valid(number)


def test_interim_numbers_with_a_letter_are_recognised() -> None:
    born = "1990" + "0101"  # interim numbers: a letter where the serial's first digit is
    info = pnr.validate([f"{born}-T123", f"{born[2:]}T123"])
    assert info["valid"].all() and info["interim"].all()
    assert pnr.contains_personnummer(pd.Series([f"reserv {born}-T123"]))[0]


def test_contains_ignores_longer_digit_runs_and_short_text() -> None:
    s = pd.Series(["2024010112345678", "ärende 12", None, "tel 0701234567x"])
    hit = pnr.contains_personnummer(s)
    assert hit.tolist()[:3] == [False, False, False]


def test_redact_replaces_every_occurrence() -> None:
    a, b = synthetic_personnummer(2, seed=7)
    text = f"syskon {a} och {b[2:]}"
    assert pnr.redact(text) == "syskon <personnummer> och <personnummer>"


def test_age_band_and_sex() -> None:
    rng = np.random.default_rng(0)
    nums = synthetic_personnummer(200, seed=rng, born=(2012, 2012))
    out = pnr.age_band_and_sex(pd.Series(nums), dt.date(2026, 1, 1))
    assert set(out["age_band"]) == {"13-17"}
    ninth = np.array([int(n.replace("-", "")[10]) for n in nums])
    assert (out["sex"].to_numpy() == np.where(ninth % 2 == 1, "man", "kvinna")).all()
    bad = pnr.age_band_and_sex(pd.Series(["nonsense"]))
    assert bad["age_band"].isna().all() and bad["sex"].isna().all()


def test_generator_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="'form'"):
        synthetic_personnummer(1, form="11")
    with pytest.raises(ValueError, match="'sep'"):
        synthetic_personnummer(1, sep="/")
