"""Every user-facing word of the reports and plots, in Swedish and English, and number formats.

One table (:data:`TEXT`) holds the words: column headers, band names, headings, notes. Case-type
labels are not here: they come from the scheme. Numbers and dates are formatted for the
language: Swedish uses a decimal comma, a space as thousands separator and a space before
``%`` (``1 234,5``, ``112 %``); English uses ``1,234.5`` and ``112%``.

Examples
--------
>>> from arbetstyngd.report.labels import fmt_number, fmt_percent, text
>>> fmt_number(1234.5, "sv"), fmt_number(1234.5, "en")
('1\\xa0234,5', '1,234.5')
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
    "step_label",
    "text",
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

# key -> (Swedish, English)
_WORDS: dict[str, tuple[str, str]] = {
    # bands
    "band.low": ("låg", "low"),
    "band.balanced": ("balanserad", "balanced"),
    "band.high": ("hög", "high"),
    "band.critical": ("kritisk", "critical"),
    "band.none": ("saknas", "missing"),
    # columns of the result tables
    "col.team_id": ("Team", "Team"),
    "col.team": ("Team", "Team"),
    "col.team_name": ("Teamnamn", "Team name"),
    "col.worker_id": ("Handläggare", "Caseworker"),
    "col.n_workers": ("Handläggare", "Caseworkers"),
    "col.fte": ("Tjänstgöringsgrad", "FTE"),
    "col.n_cases": ("Aktiva ärenden", "Active cases"),
    "col.load": ("Poäng (belastning)", "Points (load)"),
    "col.capacity": ("Kapacitet", "Capacity"),
    "col.utilisation": ("Belastningsgrad", "Utilisation"),
    "col.band": ("Nivå", "Band"),
    "col.n_low": ("Antal låg", "Number low"),
    "col.n_balanced": ("Antal balanserad", "Number balanced"),
    "col.n_high": ("Antal hög", "Number high"),
    "col.n_critical": ("Antal kritisk", "Number critical"),
    "col.reduction": ("Nedsättning (andel)", "Reduction (share)"),
    "col.experience_years": ("Erfarenhet (år)", "Experience (years)"),
    "col.profession_start": ("I yrket sedan", "In the profession since"),
    "col.span_of_control": ("Medarbetare per chef", "Workers per manager"),
    "col.supervision_hours": ("Handledning (tim/mån)", "Supervision (h/month)"),
    "col.row": ("Rad", "Row"),
    "col.case_id": ("Ärende", "Case"),
    "col.case_type": ("Ärendetyp", "Case type"),
    "col.case_label": ("Ärendetyp (namn)", "Case type (name)"),
    "col.phase": ("Fas", "Phase"),
    "col.active": ("Aktivt", "Active"),
    "col.opened": ("Öppnat", "Opened"),
    "col.closed": ("Avslutat", "Closed"),
    "col.weight": ("Vikt", "Weight"),
    "col.phase_fallback": ("Vikt utan fas", "Weight without phase"),
    "col.points": ("Poäng", "Points"),
    "col.case_mix": ("Ärendemix (poäng)", "Case mix (points)"),
    "col.table": ("Tabell", "Table"),
    "col.id": ("Id", "Id"),
    "col.column": ("Kolumn", "Column"),
    "col.value": ("Värde", "Value"),
    "col.reason": ("Orsak", "Reason"),
    "col.part": ("Del", "Part"),
    "col.rule": ("Regel", "Rule"),
    "col.note": ("Kommentar", "Note"),
    "col.name": ("Namn", "Name"),
    "col.label": ("Benämning", "Label"),
    "col.date": ("Datum", "Date"),
    "col.weeks": ("Veckor i följd", "Consecutive weeks"),
    "col.from": ("Från", "From"),
    "col.to": ("Till", "To"),
    "col.ongoing": ("Pågår", "Ongoing"),
    "col.factor_of": ("Faktor: {name}", "Factor: {name}"),
    # capacity steps of an explanation
    "step.normal_load": ("Normalbelastning P", "Normal load P"),
    "step.fte": ("Tjänstgöringsgrad", "FTE"),
    "step.reduction": ("Nedsättning", "Reduction"),
    "step.experience": ("Erfarenhet", "Experience"),
    "step.support": ("Arbetsledningsstöd", "Supervisory support"),
    "step.load_total": ("= Belastning", "= Load"),
    "step.capacity_total": ("= Kapacitet", "= Capacity"),
    "step.complexity": ("varav komplexitet", "of which complexity"),
    # sheet names (Excel allows 31 characters)
    "sheet.overview": ("Översikt", "Overview"),
    "sheet.teams": ("Team", "Teams"),
    "sheet.workers": ("Handläggare", "Caseworkers"),
    "sheet.cases": ("Ärenden", "Cases"),
    "sheet.rejected": ("Avvisade rader", "Rejected rows"),
    "sheet.scheme": ("Schema", "Scheme"),
    # parts of the scheme sheet
    "part.capacity": ("kapacitet", "capacity"),
    "part.weight": ("vikt", "weight"),
    "part.multiplier": ("komplexitetsfaktor", "complexity multiplier"),
    "part.adjustment": ("kapacitetsjustering", "capacity adjustment"),
    "part.band": ("nivågräns", "band threshold"),
    # headings and words of the report
    "title": ("Arbetstyngd", "Workload"),
    "report.title": ("Arbetstyngd – rapport", "Workload report"),
    "report.on": ("Ärendeläget den {date}", "Caseload on {date}"),
    "report.snapshot": ("Ärendeläget vid uttaget ({date})", "Caseload at export ({date})"),
    "report.generated": (
        "Skapad {date} med arbetstyngd {version}",
        "Made {date} with arbetstyngd {version}",
    ),
    "report.overview": ("Översikt för enheten", "Unit overview"),
    "report.unit": ("Enheten", "The unit"),
    "report.how_to_read": ("Så läser du rapporten", "How to read this report"),
    "report.how_to_read_text": (
        "Belastningsgrad är ärendepoäng delat med kapacitet. 100 % är den överenskomna "
        "normalbelastningen för en heltidsanställd, erfaren handläggare med gott stöd; kapaciteten "
        "sänks för deltid, nedsättningar, kort erfarenhet och svagt arbetsledningsstöd. "
        "Teamets och enhetens siffra är summan av poängen delad med summan av kapaciteten.",
        "Utilisation is case points divided by capacity. 100% is the agreed normal load of a "
        "full-time, experienced caseworker with good support; capacity is lowered for part time, "
        "reductions, short experience and weak supervisory support. A team's and the unit's figure "
        "is the sum of points divided by the sum of capacity.",
    ),
    "report.dialogue": (
        "Siffrorna är ett underlag för samtal om arbetsmiljö och fördelning av ärenden, inte ett "
        "mått på hur bra någon arbetar. Ett ärende kan kräva mer eller mindre än sina poäng.",
        "The figures are a basis for conversations about the work environment and the allocation "
        "of cases, not a measure of how well anyone works. A case can need more or less than its "
        "points.",
    ),
    "report.illustrative": (
        "Schemat är en illustrativ utgångspunkt, inte en norm: kalibrera vikterna lokalt innan "
        "siffrorna används som beslutsunderlag.",
        "The scheme is an illustrative starting point, not a norm: calibrate the weights locally "
        "before the figures inform decisions.",
    ),
    "report.bands": ("Nivåer", "Bands"),
    "report.band_range.low": ("under {hi}", "below {hi}"),
    "report.band_range.mid": ("{lo} till under {hi}", "{lo} to below {hi}"),
    "report.band_range.top": ("{lo} och mer", "{lo} and above"),
    "report.kpi.utilisation": ("Belastningsgrad", "Utilisation"),
    "report.kpi.workers": ("Handläggare", "Caseworkers"),
    "report.kpi.cases": ("Aktiva ärenden", "Active cases"),
    "report.kpi.above_high": (
        "Handläggare på hög eller kritisk nivå",
        "Caseworkers high or critical",
    ),
    "report.teams": ("Team", "Teams"),
    "report.team_chart": ("Belastningsgrad per team", "Utilisation by team"),
    "report.workers_per_band": ("Handläggare per nivå", "Caseworkers per band"),
    "report.team": ("Team {name}", "Team {name}"),
    "report.team_workers": (
        "Handläggare, sorterade efter belastningsgrad",
        "Caseworkers, sorted by utilisation",
    ),
    "report.why": (
        "Varför? Poäng och kapacitet per handläggare",
        "Why? Points and capacity per caseworker",
    ),
    "report.why_one": ("{worker}: {util} ({band})", "{worker}: {util} ({band})"),
    "report.why_hint": (
        "Staplarna visar vad poängen består av (per ärendetyp, med tillägg för komplexitet) och "
        "hur kapaciteten räknas fram från normalbelastningen.",
        "The bars show what the points are made of (per case type, with complexity added) and "
        "how capacity is worked out from the normal load.",
    ),
    "report.history": ("Utveckling över tid", "Over time"),
    "report.history_teams": ("Belastningsgrad per team över tid", "Utilisation by team over time"),
    "report.history_workers": (
        "Belastningsgrad per handläggare över tid",
        "Utilisation by caseworker over time",
    ),
    "report.history_period": ("{start} – {end}, {n} mättillfällen", "{start} – {end}, {n} dates"),
    "report.streaks": (
        "Över nivån ”hög” minst {weeks} veckor i följd",
        "Above “high” for at least {weeks} consecutive weeks",
    ),
    "report.no_streaks": (
        "Ingen handläggare har legat över nivån ”hög” så länge.",
        "No caseworker has been above “high” for that long.",
    ),
    "report.suppressed": (
        "Döljs: färre än {n} handläggare",
        "Hidden: fewer than {n} caseworkers",
    ),
    "report.suppressed_note": (
        "Grupper med färre än {n} handläggare visas utan siffror, och uppgifter per handläggare "
        "visas inte, eftersom rapporten kan lämna enheten.",
        "Groups with fewer than {n} caseworkers are shown without figures, and no figures per "
        "caseworker are shown, because the report may leave the unit.",
    ),
    "report.scheme": ("Om beräkningen", "About the calculation"),
    "report.scheme_id": ("Schema", "Scheme"),
    "report.scheme_version": ("Version", "Version"),
    "report.scheme_effective": ("Gäller från", "Effective from"),
    "report.scheme_method": ("Framtaget genom", "Made by"),
    "report.scheme_capacity": ("Normalbelastning P", "Normal load P"),
    "report.scheme_references": ("Källor", "Sources"),
    "report.scheme_period": ("Dataperiod", "Data period"),
    "report.points": ("poäng", "points"),
    "report.rejected": ("Rader som inte kunde beräknas", "Rows that could not be scored"),
    "report.rejected_text": (
        "{n} rader i underlaget kunde inte beräknas. Varje rad finns med sin orsak i tabellen "
        "över avvisade rader (Excel eller CSV).",
        "{n} rows of the input could not be scored. Each is listed with its reason in the "
        "rejected-rows table (Excel or CSV).",
    ),
    "report.rejected_by_reason": ("Vanligaste orsaker", "Most common reasons"),
    "report.generated_on": ("Skapad", "Made"),
    "report.library": ("Programversion", "Library version"),
    "report.unit_load": ("Poäng, hela enheten", "Points, whole unit"),
    "report.unit_capacity": ("Kapacitet, hela enheten", "Capacity, whole unit"),
    "report.unit_utilisation": ("Belastningsgrad, hela enheten", "Utilisation, whole unit"),
    "report.unit_band": ("Nivå, hela enheten", "Band, whole unit"),
    "report.workers_in_band": ("Handläggare på nivån {band}", "Caseworkers in band {band}"),
    "report.n_rejected": ("Avvisade rader", "Rejected rows"),
    "report.no_data": ("Inga handläggare att visa.", "No caseworkers to show."),
    "report.yes": ("ja", "yes"),
    "report.no": ("nej", "no"),
    "report.total": ("Alla", "All"),
    "report.contents": ("Innehåll", "Contents"),
    "method.default": ("standardvärden (illustrativa)", "defaults (illustrative)"),
    "method.delphi": ("expertpanel (Delphi)", "expert panel (Delphi)"),
    "method.time-study": ("tidsstudie", "time study"),
    "method.perceived-workload": ("upplevd arbetsbelastning", "perceived workload"),
    "method.manual": ("manuellt satta vikter", "manually set weights"),
    # plot axes
    "axis.utilisation": ("Belastningsgrad", "Utilisation"),
    "axis.points": ("Poäng", "Points"),
    "axis.date": ("Datum", "Date"),
    "axis.share_points": ("Andel av poängen", "Share of points"),
    "axis.observed": ("Observerat", "Observed"),
    "axis.predicted": ("Förutsagt", "Predicted"),
    "axis.weight": ("Vikt (poäng per ärende)", "Weight (points per case)"),
    "plot.normal_load": ("normalbelastning (100 %)", "normal load (100%)"),
    "plot.balanced_band": ("balanserad nivå", "balanced band"),
    "plot.interval": ("intervall", "interval"),
    "plot.estimate": ("skattning", "estimate"),
    "plot.reference": ("referens", "reference"),
    "plot.identity": ("y = x", "y = x"),
    "plot.other": ("övriga", "other"),
}

#: The label table: ``TEXT[key][lang]``.
TEXT: dict[str, dict[str, str]] = {k: {"sv": sv, "en": en} for k, (sv, en) in _WORDS.items()}


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
    '−12\\xa0345,68'
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
        out = _group(whole, _NBSP) + ("," + frac if frac else "")
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
