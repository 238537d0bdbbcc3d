"""The words decisions are explained in, in Swedish and English (one language per output)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["LANGS", "check_lang", "percent", "say"]

LANGS = ("sv", "en")

_WORDS: dict[str, tuple[str, str]] = {
    "change": ("{before} → {after}", "{before} → {after}"),
    "band_change": ("nivå {before} → {after}", "band {before} → {after}"),
    "sibling": ("har syskonets ärende", "has the sibling's case"),
    "subject": ("har redan ärende för samma person", "already has a case for the same person"),
    "together": (
        "följer med ett nytt ärende i samma familj",
        "goes with a new case of the same family",
    ),
    "over_ceiling": (
        "över taket ({band}) för kontinuitetens skull",
        "over the ceiling ({band}) to keep continuity",
    ),
    "only_experienced": (
        "enda erfarna handläggaren med utrymme",
        "only experienced worker with room",
    ),
    "only_one": ("enda handläggaren med utrymme", "only worker with room"),
    "lowest": (
        "lägst belastning efteråt bland {n} möjliga",
        "lowest resulting utilisation of {n} who could take it",
    ),
    "of_n": ("en av {n} möjliga", "one of {n} who could take it"),
    "continuity_blocked": (
        "{worker} har familjens ärende men kan inte ta fler ({why})",
        "{worker} has the family's case but cannot take more ({why})",
    ),
    "would_be_critical": ("skulle bli kritisk", "would reach critical"),
    "barred": ("reglerna hindrar", "barred by the rules"),
    "no_team": (
        "inget team tar ärendetypen {case_type}",
        "no team takes case type {case_type}",
    ),
    "no_experience": (
        "kräver {years:g} års erfarenhet; ingen möjlig handläggare har det",
        "needs {years:g} years in the profession; no eligible worker has it",
    ),
    "all_paused": (
        "alla möjliga handläggare är pausade eller frånvarande",
        "every eligible worker is paused or absent",
    ),
    "no_room": (
        "alla möjliga handläggare skulle passera taket ({band})",
        "every eligible worker would cross the ceiling ({band})",
    ),
    "no_room_batch": (
        "inget utrymme kvar under taket ({band}) efter de andra ärendena",
        "no room left under the ceiling ({band}) after the other cases",
    ),
    "advice": (
        "Förslag till chefen, inget automatiskt beslut: chefen fördelar ärendena.",
        "Advice for the manager, never an automatic decision: the manager allocates the cases.",
    ),
    "method_milp": (
        "exakt lösning (blandat heltalsprogram, HiGHS)",
        "exact solution (mixed-integer program, HiGHS)",
    ),
    "method_milp_limit": (
        "bästa lösning inom tidsgränsen (blandat heltalsprogram); högst {gap:.1f} "
        "procentenheter över bästa möjliga",
        "best solution within the time limit (mixed-integer program); at most {gap:.1f} "
        "percentage points above the best",
    ),
    "method_greedy": (
        "snabb tumregel (girig); högst {gap:.1f} procentenheter över bästa möjliga",
        "fast rule of thumb (greedy); at most {gap:.1f} percentage points above the best",
    ),
}

_BANDS = {
    "sv": {"low": "låg", "balanced": "balanserad", "high": "hög", "critical": "kritisk"},
    "en": {"low": "low", "balanced": "balanced", "high": "high", "critical": "critical"},
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"'lang' must be one of {list(LANGS)} (got {lang!r})")
    return lang


def say(key: str, lang: str, **values: Any) -> str:
    """A phrase in ``lang``, with band names translated."""
    text = _WORDS[key][LANGS.index(lang)]
    shown = {k: _BANDS[lang].get(v, v) if isinstance(v, str) else v for k, v in values.items()}
    return text.format(**shown)


def band(name: Any, lang: str) -> str:
    return _BANDS[lang].get(str(name), "–")


def percent(value: float, lang: str) -> str:
    """84 % (sv) or 84% (en); a dash where there is no figure."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value * 100:.0f} %" if lang == "sv" else f"{value * 100:.0f}%"
