"""The label table and number formats."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arbetstyngd import labels
from arbetstyngd.labels import TEXT, band_name, fmt_date, fmt_number, fmt_percent, text
from arbetstyngd.scheme import BAND_NAMES


def test_every_label_has_both_languages() -> None:
    for key, words in TEXT.items():
        assert set(words) == {"sv", "en"}, key
        assert all(w.strip() for w in words.values()), key


def test_band_names_cover_every_band() -> None:
    assert [band_name(b, "sv") for b in BAND_NAMES] == ["låg", "balanserad", "hög", "kritisk"]
    assert [band_name(b, "en") for b in BAND_NAMES] == list(BAND_NAMES)
    assert set(labels.BAND_COLOURS) == set(BAND_NAMES)


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234567.891, "sv", 2, "1\u202f234\u202f567,89"),
        (1234567.891, "en", 2, "1,234,567.89"),
        (0.04, "sv", 1, "0,0"),
        (-0.04, "sv", 1, "0,0"),  # no "−0,0"
        (-1.5, "sv", 1, "−1,5"),
        (-1.5, "en", 1, "-1.5"),
        (999.96, "sv", 1, "1\u202f000,0"),
        (float("nan"), "sv", 1, "–"),
        (None, "en", 1, "–"),
        (12, "sv", 0, "12"),
    ],
)
def test_fmt_number(value, lang, decimals, expected) -> None:
    assert fmt_number(value, lang, decimals) == expected


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3))
def test_swedish_number_reads_back(x: float, decimals: int) -> None:
    shown = fmt_number(x, "sv", decimals)
    back = float(shown.replace("\u202f", "").replace(",", ".").replace("−", "-"))
    assert math.isclose(back, round(x, decimals), abs_tol=10 ** (-decimals))
    assert "." not in shown


def test_percent_and_date() -> None:
    assert fmt_percent(1.0, "sv") == "100\u00a0%"
    assert fmt_percent(0.855, "en", 1) == "85.5%"
    assert fmt_percent(0.855, "sv", 1) == "85,5\u00a0%"
    assert fmt_date("2026-01-05", "sv") == "5 januari 2026"
    assert fmt_date("2026-01-05", "en") == "5 January 2026"
    assert fmt_date(None, "sv") == "–"


def test_text_fills_placeholders_and_refuses_unknown() -> None:
    assert text("report.suppressed", "sv", n=5) == "Döljs: färre än 5 handläggare"
    with pytest.raises(KeyError, match="no label"):
        text("no.such.key", "sv")
    with pytest.raises(ValueError, match="'lang' must be one of"):
        text("title", "fi")


def test_column_labels() -> None:
    assert labels.column_label("band", "sv") == "Nivå"
    named = labels.column_label("tolk_factor", "sv", {"tolk": "Tolk behövs"})
    assert named == "Faktor: Tolk behövs"
    assert labels.column_label("experience_factor", "en") == "Factor: Experience"
    assert labels.column_label("custom_column", "sv") == "custom_column"
