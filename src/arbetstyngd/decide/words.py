"""The words decisions are explained in, in Swedish and English (one language per output)."""

from __future__ import annotations

from typing import Any

from ..labels import fmt_percent, text

__all__ = ["LANGS", "check_lang", "percent", "say"]

LANGS = ("sv", "en")

# the phrases live in the one label table (arbetstyngd.labels) as "decide.<key>"
_PREFIX = "decide."

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
    shown = {k: _BANDS[lang].get(v, v) if isinstance(v, str) else v for k, v in values.items()}
    return text(_PREFIX + key, check_lang(lang), **shown)


def band(name: Any, lang: str) -> str:
    return _BANDS[lang].get(str(name), "–")


def percent(value: float, lang: str) -> str:
    """84 % (sv, with a no-break space) or 84% (en); a dash where there is no figure."""
    return fmt_percent(value, check_lang(lang))
