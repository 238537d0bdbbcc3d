""" "Did you mean": known names close to an unknown one, with one cut-off policy."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["CUTOFF", "HEADER_CUTOFF", "Suggester", "suggestion"]

#: difflib's similarity a known name needs to be suggested for a value.
CUTOFF = 0.5
#: Stricter for guessing which header of a file is a missing column: a loose guess there
#: points a person at the wrong column (a date column offered as the caseworker id).
HEADER_CUTOFF = 0.75


class Suggester:
    """Known names close to unknown values, for many values against one list of names.

    A match ignoring case and surrounding spaces is found by dictionary. difflib's fuzzy
    search costs a few µs per known name and value (some 35 ms against a roster of 10,000),
    so it runs for as many values as ``fuzzy_budget`` comparisons allow (20 values against
    10,000 names, 400 against 500, at least 5): a run with thousands of unknown ids stays
    fast, and the first messages still show where to look.
    """

    def __init__(
        self, known: Iterable[Any], fuzzy_budget: int = 200_000, cutoff: float = CUTOFF
    ) -> None:
        self.cutoff = cutoff
        self.names = list(dict.fromkeys(str(k) for k in known))
        self.folded: dict[str, list[str]] = {}
        for name in self.names:
            self.folded.setdefault(name.strip().casefold(), []).append(name)
        self.fuzzy_left = max(5, fuzzy_budget // max(len(self.names), 1))

    def closest(self, value: Any, n: int = 3) -> list[str]:
        """Known names closest to ``value``; a match ignoring case comes first.

        Then names that begin with the value ignoring case (``tolk`` → ``Tolkbehov``; values
        of at least three characters), then difflib's fuzzy matches at the cut-off
        (:data:`CUTOFF`, or :data:`HEADER_CUTOFF` for header guesses).
        """
        text = str(value)
        folded = text.strip().casefold()
        close = list(self.folded.get(folded, []))
        if self.fuzzy_left > 0:
            self.fuzzy_left -= 1
            if len(folded) >= 3:
                close += [k for f, ks in self.folded.items() if f.startswith(folded) for k in ks]
            close += difflib.get_close_matches(text, self.names, n=n, cutoff=self.cutoff)
        return list(dict.fromkeys(close))[:n]

    def __call__(self, value: Any) -> str:
        close = self.closest(value)
        return f"; closest known: {', '.join(repr(c) for c in close)}" if close else ""


def suggestion(value: Any, known: Sequence[str]) -> str:
    return Suggester(known)(value)
