"""The byte-level scan and the batched pseudonyms agree with the scalar oracle on any input."""

from __future__ import annotations

import datetime as dt
import hmac

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pnr_oracle as oracle
from arbetstyngd.io import personnummer as pnr
from arbetstyngd.io import pnr_scan
from arbetstyngd.io.pseudonym import Pseudonymiser

KEY = b"oracle-key-0123456789abcdef"
TODAY = dt.date(2026, 3, 1)

_NOISE = "0123456789-+ AbTz\t\n\x0b\xa0é/"


@st.composite
def identity_like(draw: st.DrawFn) -> object:
    """Valid numbers in every written form, and near misses of each."""
    kind = draw(st.sampled_from(["number", "number", "mutated", "interim", "text", "none"]))
    if kind == "none":
        return draw(st.sampled_from([None, np.nan, "", "   "]))
    if kind == "text":
        return draw(st.text(alphabet=_NOISE, min_size=0, max_size=15))
    number = pnr.synthetic_personnummer(
        1,
        seed=draw(st.integers(0, 2**32 - 1)),
        form=draw(st.sampled_from(["10", "12"])),
        sep=draw(st.sampled_from(["-", "+", ""])),
        samordning=draw(st.booleans()),
        born=(1850, 2026),
    )[0]
    if draw(st.booleans()):
        number = number.replace("-", " ") if "-" in number else number
    if kind == "interim":
        at = len(number) - 4
        number = number[:at] + draw(st.sampled_from("ATxk")) + number[at + 1 :]
    if kind == "mutated":
        at = draw(st.integers(0, len(number) - 1))
        swap = draw(st.sampled_from(["replace", "insert", "delete"]))
        char = draw(st.sampled_from(_NOISE))
        tail = number[at + 1 :] if swap != "insert" else number[at:]
        number = number[:at] + ("" if swap == "delete" else char) + tail
    pad = draw(st.sampled_from(["", " ", "\t", "\xa0", "\x0b"]))
    return pad + number + draw(st.sampled_from(["", " ", "\r\n"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(identity_like(), min_size=1, max_size=30))
def test_validate_agrees_with_the_scalar_oracle(values: list[object]) -> None:
    got = pnr.validate(values, today=TODAY)
    for i, value in enumerate(values):
        want = oracle.check(value, TODAY.year)
        assert got.iloc[i].to_dict() == want, repr(value)


@settings(max_examples=100, deadline=None)
@given(st.lists(identity_like(), min_size=1, max_size=30))
def test_pseudonyms_agree_with_one_hmac_digest_per_value(values: list[object]) -> None:
    got = Pseudonymiser(KEY).identifiers(pd.Series(values, dtype=object))
    this_year = dt.date.today().year
    for i, value in enumerate(values):
        want = oracle.pseudonym(KEY, value, this_year)
        assert (None if pd.isna(got.iloc[i]) else got.iloc[i]) == want, repr(value)


@pytest.mark.parametrize("key", [b"k" * 16, b"k" * 64, b"\xff" * 65, bytes(range(200))])
def test_batched_digests_equal_hmac_digest_for_short_block_and_long_keys(key: bytes) -> None:
    # a generated identity number among the messages: no literal one in the repository
    number = pnr.synthetic_personnummer(1, seed=3, form="12")[0]
    messages = [b"", f"pnr:{number}".encode(), "id:Åsa".encode(), b"x" * 200]
    want = [hmac.digest(key, m, "sha256") for m in messages]
    assert Pseudonymiser(key).digests(messages) == want


def test_pseudonyms_of_string_dtype_and_a_sliced_column_match_object_input() -> None:
    numbers = [*pnr.synthetic_personnummer(40, seed=7, form="10"), "  K-1 ", "", None]
    obj = pd.Series(numbers, dtype=object)
    p = Pseudonymiser(KEY)
    expected = p.identifiers(obj)
    assert p.identifiers(obj.astype("str")).tolist() == expected.tolist()
    sliced = pd.Series(numbers * 2, dtype="str").iloc[len(numbers) :]
    assert p.identifiers(sliced).tolist() == expected.tolist()


def test_scan_of_whole_numbers_keeps_leading_zeros() -> None:
    ten = pnr.synthetic_personnummer(1, seed=2, form="10", sep="", born=(2003, 2003))[0]
    twelve = "20" + ten
    found = pnr_scan.scan_digits(np.array([int(ten), int(twelve)]), np.array([10, 12]))
    assert found.valid.tolist() == [True, True]
    assert found.normalised_text().tolist() == [twelve, twelve]


@pytest.mark.parametrize("form,sep", [("10", ""), ("10", "-"), ("12", ""), ("12", "+")])
def test_one_width_columns_read_in_place_agree_with_the_oracle(form: str, sep: str) -> None:
    # every value of one width: the Arrow buffer itself is read as the byte matrix
    good = pnr.synthetic_personnummer(30, seed=11, form=form, sep=sep, samordning=sep == "+")
    bad = [n[:-1] + str((int(n[-1]) + 3) % 10) for n in good[:10]]
    column = pd.Series(good + bad + good, dtype="str").iloc[len(good) :]  # sliced: an offset
    got = pnr.validate(column, today=TODAY)
    for i, value in enumerate(column):
        assert got.iloc[i].to_dict() == oracle.check(value, TODAY.year), value
