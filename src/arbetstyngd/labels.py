"""Every user-facing word of the CLI, reports, plots and results, in Swedish and English.

One table (:data:`TEXT`) holds the words: column headers, band names, headings, notes and the
command line's messages. Case-type labels are not here: they come from the scheme. Numbers and
dates are formatted for the language: Swedish uses a decimal comma, a thin no-break space as
thousands separator and a no-break space before ``%`` (``1 234,5``, ``112 %``); English uses
``1,234.5`` and ``112%``. This module imports nothing of the library but the scheme's band
names, so the engine's neighbours (plots, results, the CLI) can use it without loading a report.

Examples
--------
>>> from arbetstyngd.labels import fmt_number, fmt_percent, text
>>> fmt_number(1234.5, "sv"), fmt_number(1234.5, "en")
('1\\u202f234,5', '1,234.5')
>>> fmt_percent(1.126, "sv"), fmt_percent(1.126, "en")
('113\\xa0%', '113%')
>>> text("band.critical", "sv")
'kritisk'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._label_errors import ERRORS
from ._label_messages import MESSAGES
from ._label_table import SCHEME_TEXTS, WORDS

__all__ = [
    "BAND_COLOURS",
    "BAND_TEXT_COLOURS",
    "LANGS",
    "TEXT",
    "band_name",
    "check_lang",
    "column_label",
    "fmt_date",
    "fmt_int",
    "fmt_number",
    "fmt_percent",
    "rule_text",
    "scheme_text",
    "step_label",
    "team_label",
    "team_name_map",
    "text",
    "text_n",
]

#: Supported languages.
LANGS: tuple[str, ...] = ("sv", "en")

#: Fill colour of each band. A colour-blind-safe sequence (blue, green, orange, red-brown);
#: every place a colour is shown also shows the band's name, so nothing depends on colour.
BAND_COLOURS: dict[str, str] = {
    "low": "#9ecae1",
    "balanced": "#a1d99b",
    "high": "#fdae6b",
    "critical": "#d9534f",
}
#: Text colour on each band's fill (contrast ratio >= 4.5).
BAND_TEXT_COLOURS: dict[str, str] = {
    "low": "#08306b",
    "balanced": "#00441b",
    "high": "#4a1c00",
    "critical": "#ffffff",
}

_NBSP = "\u00a0"
#: Swedish thousands separator: a thin space that never breaks a number across lines.
_THIN = "\u202f"
_MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

#: The label table: ``TEXT[key][lang]``.
TEXT: dict[str, dict[str, str]] = {
    k: {"sv": sv, "en": en} for k, (sv, en) in (WORDS | MESSAGES | ERRORS).items()
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"'lang' must be one of {list(LANGS)} (got {lang!r})")
    return lang


def text(key: str, lang: str = "sv", **values: Any) -> str:
    """The word or sentence ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Examples
    --------
    >>> text("report.team", "en", name="North")
    'Team North'
    """
    check_lang(lang)
    try:
        words = TEXT[key][lang]
    except KeyError:
        raise KeyError(f"no label {key!r} in the label table") from None
    return words.format(**values) if values else words


def text_n(key: str, count: Any, lang: str = "sv", /, **values: Any) -> str:
    """``text`` for a sentence about ``count`` things: the label ``key.one`` when ``count``
    is 1, ``key.other`` otherwise (``key`` itself when it has no such forms).

    Examples
    --------
    >>> text_n("cli.rejected_count", 1, "sv", table="Team", n="1")
    'Team: 1 rad kunde inte beräknas.'
    >>> text_n("cli.rejected_count", 2, "en", table="Team", n="2")
    'Team: 2 rows could not be scored.'
    """
    if f"{key}.one" in TEXT:
        one = count is not None and not isinstance(count, bool) and count == 1
        key = f"{key}.one" if one else f"{key}.other"
    return text(key, lang, **values)


def band_name(band: Any, lang: str = "sv") -> str:
    """The band's name in ``lang`` (``"saknas"``/``"missing"`` for NaN).

    Examples
    --------
    >>> band_name("high", "sv"), band_name(None, "en")
    ('hög', 'missing')
    """
    if band is None or (isinstance(band, float) and math.isnan(band)):
        return text("band.none", lang)
    key = f"band.{band}"
    return text(key, lang) if key in TEXT else str(band)


def step_label(
    step: str, lang: str = "sv", adjustment_labels: Mapping[str, str] | None = None
) -> str:
    """A capacity step's short name: known steps from the table, else the scheme's label."""
    key = f"step.{step}"
    if key in TEXT:
        return text(key, lang)
    if adjustment_labels and step in adjustment_labels:
        return adjustment_labels[step]
    return step


def column_label(
    column: str, lang: str = "sv", factor_names: Mapping[str, str] | None = None
) -> str:
    """The header of a result column in ``lang``; unknown columns keep their name.

    ``*_factor`` columns become "Faktor: <name>", with the name from ``factor_names`` (e.g. a
    multiplier's label) when given.

    Examples
    --------
    >>> column_label("utilisation", "sv"), column_label("tolk_factor", "en")
    ('Belastningsgrad', 'Factor: tolk')
    """
    key = f"col.{column}"
    if key in TEXT:
        return text(key, lang)
    if column.endswith("_factor"):
        name = column.removesuffix("_factor")
        key_step = f"step.{name}"
        shown = (factor_names or {}).get(name) or (
            text(key_step, lang) if key_step in TEXT else name
        )
        return text("col.factor_of", lang, name=shown)
    return column


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def fmt_number(value: Any, lang: str = "sv", decimals: int = 1) -> str:
    """A number with the language's decimal mark and thousands separator; ``–`` for missing.

    Examples
    --------
    >>> fmt_number(-12345.678, "sv", 2)
    '−12\\u202f345,68'
    >>> fmt_number(float("nan"), "en")
    '–'
    """
    check_lang(lang)
    if value is None or pd.isna(value):
        return "–"
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    body = f"{abs(x):.{decimals}f}"
    whole, _, frac = body.partition(".")
    if lang == "sv":
        out = _group(whole, _THIN) + ("," + frac if frac else "")
        sign = "−"  # Swedish typography uses a true minus sign
    else:
        out = _group(whole, ",") + ("." + frac if frac else "")
        sign = "-"
    return (sign if x < 0 and float(body) != 0 else "") + out


def fmt_int(value: Any, lang: str = "sv") -> str:
    """A whole number (``fmt_number`` with no decimals)."""
    return fmt_number(value, lang, 0)


def fmt_percent(value: Any, lang: str = "sv", decimals: int = 0) -> str:
    """A share as a percentage: ``1.12`` → ``112 %`` (sv) or ``112%`` (en)."""
    if value is None or pd.isna(value):
        return "–"
    number = fmt_number(float(value) * 100, lang, decimals)
    return f"{number}{_NBSP}%" if lang == "sv" else f"{number}%"


def fmt_date(value: Any, lang: str = "sv", *, long: bool = True) -> str:
    """A date: ``30 juni 2026`` / ``30 June 2026``, or ISO ``2026-06-30`` with ``long=False``.

    Examples
    --------
    >>> fmt_date("2026-06-30", "sv"), fmt_date("2026-06-30", "en", long=False)
    ('30 juni 2026', '2026-06-30')
    """
    check_lang(lang)
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return "–"
    ts = pd.Timestamp(value)
    if not long:
        return ts.date().isoformat()
    months = _MONTHS_SV if lang == "sv" else _MONTHS_EN
    return f"{ts.day} {months[ts.month - 1]} {ts.year}"


def scheme_text(value: str, lang: str = "sv") -> str:
    """A shipped scheme's description, note or reference in ``lang``; other text as written.

    The built-in schemes carry these texts in English in their TOML files; a local scheme's
    own text is shown as its author wrote it.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> scheme_text(at.load_scheme("vuxen").description, "sv")
    'Vuxen: missbruk, LVM, våld i nära relationer, stöd vid psykisk funktionsnedsättning.'
    >>> scheme_text("Our own weights", "sv")
    'Our own weights'
    """
    check_lang(lang)
    known = SCHEME_TEXTS.get(value)
    if known is None:
        return value
    return known[0] if lang == "sv" else known[1]


def fmt_list(values: Any, lang: str = "sv", decimals: int = 2) -> str:
    """Numbers as a list in ``lang`` (``0,8; 1`` in Swedish, ``0.8, 1`` in English).

    Trailing zeros are dropped, so a break at 5 years reads ``5``.
    """
    parts = []
    for v in values:
        shown = fmt_number(v, lang, decimals)
        mark = "," if lang == "sv" else "."
        if mark in shown:
            shown = shown.rstrip("0").rstrip(mark)
        parts.append(shown)
    return ("; " if lang == "sv" else ", ").join(parts)


def rule_text(adjustment: Any, lang: str = "sv") -> str:
    """A capacity adjustment's rule in words, e.g. for the scheme sheet of the Excel report.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> adj = at.load_scheme("barn-och-unga").adjustments[0]
    >>> rule_text(adj, "sv")
    'Erfarenhet (år), trappsteg: gränser 1; 5 → faktorer 0,7; 0,85; 1'
    >>> rule_text(adj, "en")
    'Experience (years), steps: breaks 1, 5 → factors 0.7, 0.85, 1'
    """
    check_lang(lang)
    return text(
        f"rule.{adjustment.kind}",
        lang,
        covariate=column_label(str(adjustment.covariate), lang),
        breaks=fmt_list(adjustment.breaks, lang),
        factors=fmt_list(adjustment.factors, lang),
    )


def team_name_map(team_names: Any) -> dict[Any, str]:
    """Team names as a mapping ``team_id`` → name, from a mapping or a teams frame.

    A frame needs ``team_id``; its ``name`` column (when there is one) gives the names. Rows
    without a name are left out, so those teams are shown by id.

    Examples
    --------
    >>> team_name_map(pd.DataFrame({"team_id": ["T1", "T2"], "name": ["Norr", None]}))
    {'T1': 'Norr'}
    >>> team_name_map(None)
    {}
    """
    if team_names is None:
        return {}
    if isinstance(team_names, Mapping):
        return {k: str(v) for k, v in team_names.items() if v is not None and not pd.isna(v)}
    if not isinstance(team_names, pd.DataFrame):
        raise TypeError(
            "'team_names' must be a mapping team_id -> name or a frame with 'team_id' and "
            f"'name' (got {type(team_names).__name__})"
        )
    if "team_id" not in team_names.columns:
        raise ValueError("'team_names' must have a 'team_id' column (and 'name' for team names)")
    if "name" not in team_names.columns:
        return {}
    known = team_names.dropna(subset=["name"])
    return dict(zip(known["team_id"], known["name"].astype(str), strict=True))


def team_label(team_id: Any, names: Mapping[Any, str] | None = None) -> str:
    """``"Norr (T1)"`` when the team has a name, else the id.

    Examples
    --------
    >>> team_label("T1", {"T1": "Norr"}), team_label("T2", {"T1": "Norr"})
    ('Norr (T1)', 'T2')
    """
    if names and team_id in names:
        return f"{names[team_id]} ({team_id})"
    return str(team_id)
