"""Validators and converters of the scheme's fields: each says which field is wrong and why.

Kept apart from :mod:`arbetstyngd.scheme` so that the scheme module holds the model itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._contract.suggest import Suggester
from .errors import Phrase, Said, SchemeError

#: How a scheme can have been made.
METHODS: tuple[str, ...] = ("default", "delphi", "time-study", "perceived-workload", "manual")

__all__ = [
    "METHODS",
    "all_of",
    "as_tuple",
    "check_finite",
    "check_finite_list",
    "check_keys",
    "check_method",
    "check_non_negative",
    "check_optional_text",
    "check_positive",
    "check_text",
    "read_file",
    "read_source",
    "require_key",
    "to_float",
    "to_number",
    "to_numbers",
    "to_optional_date",
    "to_optional_int",
    "to_stats",
    "to_text_or_empty",
]

# attrs passes the Attribute to validators, so messages can name the field the user wrote.


def to_float(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise SchemeError(Said("err.scheme.number", name=name, value=repr(value)))
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SchemeError(Said("err.scheme.number", name=name, value=repr(value))) from None
    if not math.isfinite(out):
        raise SchemeError(Said("err.scheme.finite", name=name, value=repr(value)))
    return out


def check_positive(_: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value > 0:
        raise SchemeError(Said("err.scheme.positive", name=attribute.name, value=repr(value)))


def check_non_negative(_: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value >= 0:
        raise SchemeError(Said("err.scheme.non_negative", name=attribute.name, value=repr(value)))


def check_text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SchemeError(Said("err.scheme.text", name=attribute.name, value=repr(value)))


def check_optional_text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_text(_, attribute, value)


def to_number(value: Any) -> Any:
    """Convert to float where possible; the validator reports what could not be converted."""
    if isinstance(value, bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def to_numbers(values: Any) -> Any:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return values
    return tuple(to_number(v) for v in values)


def check_finite(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    to_float(value, attribute.name)


def check_finite_list(_: Any, attribute: attrs.Attribute[Any], values: Any) -> None:
    if not isinstance(values, tuple):
        raise SchemeError(Said("err.scheme.numbers", name=attribute.name, value=repr(values)))
    for v in values:
        to_float(v, attribute.name)


def to_text_or_empty(value: Any) -> str:
    return "" if value is None else str(value)


def to_optional_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SchemeError(Said("err.scheme.date", value=repr(value))) from None


def check_keys(d: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in d:
        if key not in allowed:
            close = Suggester(sorted(allowed)).closest(key, n=1)
            hint = (
                Phrase("err.did_you_mean", {"close": f"'{close[0]}'"})
                if close
                else Phrase("err.allowed", {"allowed": str(sorted(allowed))})
            )
            raise SchemeError(Said("err.scheme.key", name=key, where=where, hint=hint))


def require_key(d: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise SchemeError(Said("err.scheme.needs", where=where, name=key))
    return d[key]


def check_method(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in METHODS:
        raise SchemeError(
            Said(
                "err.scheme.method",
                name=attribute.name,
                methods=str(list(METHODS)),
                value=repr(value),
            )
        )


def to_stats(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SchemeError(Said("err.scheme.stats", value=repr(value)))
    out: dict[str, Any] = {}
    for key, v in value.items():
        # TOML has no null: only values it can hold keep the round trip lossless
        scalars = list(v) if isinstance(v, list | tuple) else [v]
        if not all(isinstance(x, str | int | float | bool) for x in scalars):
            raise SchemeError(Said("err.scheme.stats_value", value=repr(v), name=repr(key)))
        out[key] = scalars if isinstance(v, list | tuple) else v
    return out


def to_optional_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise SchemeError(Said("err.scheme.count", value=repr(value)))
    return int(value)


def read_source(source: str | Path) -> str:
    """TOML text from a path or the text itself."""
    if isinstance(source, Path):
        return read_file(source)
    if "\n" not in source and "=" not in source:
        return read_file(Path(source))
    return source


def read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SchemeError(Said("err.no_scheme_file", path=repr(str(path)))) from None
    except UnicodeDecodeError:
        raise SchemeError(Said("err.scheme_not_utf8", path=repr(str(path)))) from None


def as_tuple(values: Any) -> tuple[Any, ...]:
    """A sequence field as a tuple (``None`` as empty), so that a scheme stays hashable."""
    return () if values is None else tuple(values)


def all_of(kind: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: every item of a tuple field is a ``kind``."""

    def check(_: Any, attribute: attrs.Attribute[Any], values: tuple[Any, ...]) -> None:
        for v in values:
            if not isinstance(v, kind):
                raise SchemeError(
                    f"'{attribute.name}' must hold {kind.__name__} objects (got {type(v).__name__})"
                )

    return check
