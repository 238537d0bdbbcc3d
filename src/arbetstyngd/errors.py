"""Exceptions and warnings raised by arbetstyngd.

Every exception subclasses a built-in so that callers who do not know the library can still
catch it (``except ValueError``). Data problems carry a table of every failure, not just the
first one found.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Both",
    "ColumnsError",
    "DataError",
    "InputFileError",
    "LabelledWarning",
    "Lines",
    "MissingColumnWarning",
    "Phrase",
    "ReductionsWarning",
    "RejectedRowsWarning",
    "RulesError",
    "Said",
    "ScenarioError",
    "SchemeError",
    "ThinHistoryWarning",
    "kind_words",
    "say",
    "toml_said",
]


class SchemeError(ValueError):
    """A scheme is malformed: a field has a value outside what the model allows."""


class DataError(ValueError):
    """Input data cannot be used as given.

    Parameters
    ----------
    message : str
        What is wrong, in words a person understands.
    failures : pandas.DataFrame, optional
        One row per problem (``table``, ``row``, ``id``, ``column``, ``value``, ``code``,
        ``reason``), the same shape as :attr:`arbetstyngd.Workload.rejected`.
    """

    def __init__(self, message: str, failures: pd.DataFrame | None = None) -> None:
        super().__init__(message)
        self.failures = failures


class RulesError(ValueError):
    """Allocation rules name something the workload does not have, or hold a wrong value."""


class ScenarioError(ValueError):
    """A what-if scenario names something the inputs do not have, or holds a wrong value."""


class ColumnsError(DataError):
    """A table lacks a required column (or has one that cannot be interpreted at all)."""


class InputFileError(DataError):
    """A file cannot be read as a table: empty, binary, no recognisable header, too large."""


class Phrase(NamedTuple):
    """Part of a labelled message: a label key and its values, said in the message's language.

    A value of a :class:`Said` text may be a phrase or a list of phrases (said and joined by
    commas), for parts whose words differ by language.
    """

    key: str
    values: dict[str, Any]


class Both(NamedTuple):
    """A value of a :class:`Said` text given in both languages, for words that come from
    another table than the label table (a reason code's label, a reason's own text)."""

    sv: str
    en: str


class Lines(list[Phrase]):
    """A value of a :class:`Said` text: phrases said one to a line (each after a line break)."""


class Said(str):
    """A message from the label table: the English text, which can be said in Swedish too.

    A ``str`` (so it reads, compares and joins as the English text does) that keeps its label
    ``key`` and ``values``; :meth:`in_language` says it in ``"sv"`` or ``"en"``. Numbers among
    the values are formatted in the language: integers with its thousands separator, values
    named ``*_share`` as a per cent. A value ``n`` picks the label's ``.one`` or ``.other``
    form.

    Examples
    --------
    >>> note = Said("warn.no_key", env="E", env_file="F")
    >>> note.startswith("no pseudonymisation key given")
    True
    >>> note.in_language("sv").startswith("ingen pseudonymiseringsnyckel")
    True
    """

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Said:
        said = super().__new__(cls, _say(key, values, "en"))
        said.key = key
        said.values = dict(values)
        return said

    def __reduce__(self) -> Any:  # copies and pickles are made from the label, not the text
        return (_said, (self.key, self.values))

    def in_language(self, lang: str) -> str:
        """The message in ``lang``."""
        return _say(self.key, self.values, lang)


def _said(key: str, values: dict[str, Any]) -> Said:
    return Said(key, **values)


def _say(key: str, values: dict[str, Any], lang: str) -> str:
    # the label table lives with the formatting functions; loaded on use so that importing
    # the errors loads nothing else
    from .labels import fmt_int, fmt_percent, text_n

    def shown(name: str, v: Any) -> Any:
        if isinstance(v, Phrase):
            return _say(v.key, v.values, lang)
        if isinstance(v, Said):
            return v.in_language(lang)
        if isinstance(v, Lines):
            return "".join("\n" + _say(p.key, p.values, lang) for p in v)
        if isinstance(v, Both):
            return v.sv if lang == "sv" else v.en
        if isinstance(v, list) and all(isinstance(p, Phrase) for p in v):
            return ", ".join(_say(p.key, p.values, lang) for p in v)
        if name.endswith("_share"):
            return fmt_percent(v, lang)
        if isinstance(v, int) and not isinstance(v, bool):
            return fmt_int(v, lang)
        return v

    count = values.get("n")
    return text_n(key, count, lang, **{k: shown(k, v) for k, v in values.items()})


def say(message: Any, lang: str) -> str:
    """A message, warning or error in ``lang``: from the label table when it is :class:`Said`
    (or a warning or exception made of one), else as written."""
    if isinstance(message, BaseException):
        first = message.args[0] if message.args else None
        return first.in_language(lang) if isinstance(first, Said) else str(message)
    return message.in_language(lang) if isinstance(message, Said) else str(message)


def kind_words(kind: str, family: str = "err.kind") -> Phrase | Both:
    """The words for a kind of table (``"cases"``, ``"workers"`` …) in an error message, or
    of another ``family`` of labels; the name itself in both languages when it has none."""
    from .labels import TEXT

    key = f"{family}.{kind}"
    return Phrase(key, {}) if key in TEXT else Both(kind, kind)


def toml_said(what: str, exc: Exception, named: Phrase | None = None) -> Said:
    """ "the {what} is not valid TOML: {parser's words}"; in Swedish the parser's (English)
    words give way to the line and column they name."""
    detail = str(exc)
    at = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    where: Phrase | str = (
        Phrase("err.toml.at", {"line": at[1], "col": at[2]})
        if at
        else Phrase("err.toml.end", {})
        if "end of document" in detail
        else ""
    )
    said = named if named is not None else kind_words(what, "err.what")
    return Said("err.toml", what=said, detail=detail, where=where)


class LabelledWarning(UserWarning):
    """A warning whose words come from the label table, so it can be said in Swedish or English.

    ``str()`` is the English text, for Python users; the command line says it in the language
    it was given (:func:`say`). Made by :meth:`of`; constructed with a plain message
    (``warnings.warn("…", Category)``) it says that message.

    Examples
    --------
    >>> w = MissingColumnWarning.of("warn.missing_flags", n=1, flags="'tolk'", scheme="x")
    >>> str(w).startswith("the cases table has no column")
    True
    >>> say(w, "sv").startswith("ärendetabellen har ingen kolumn")
    True
    """

    @classmethod
    def of(cls, key: str, /, **values: Any) -> LabelledWarning:
        """The warning ``key`` of the label table with its ``values``; English as ``str()``."""
        return cls(Said(key, **values))

    @property
    def key(self) -> str | None:
        """The label of the message, or None for a plain message."""
        first = self.args[0] if self.args else None
        return first.key if isinstance(first, Said) else None

    @property
    def values(self) -> dict[str, Any]:
        """The values of the label's placeholders."""
        first = self.args[0] if self.args else None
        return dict(first.values) if isinstance(first, Said) else {}


class RejectedRowsWarning(LabelledWarning):
    """Some input rows were rejected; the result holds them in its rejection table."""


class ReductionsWarning(LabelledWarning):
    """Reductions in force add up to more than the whole working time on some date."""


class MissingColumnWarning(LabelledWarning):
    """A column the scheme uses is not in the table, so it has no effect.

    A complexity flag of the scheme with no column in the cases table counts as "no" for
    every case (factor 1); the message names the closest header, which may be the flag
    under another name.
    """


class ThinHistoryWarning(LabelledWarning):
    """A forecast's history is too thin for part of its model; the message says what lacks."""
