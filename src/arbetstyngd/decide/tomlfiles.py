"""Reading and writing the decisions' small TOML files (rules, scenarios)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from ..errors import Said, kind_words, toml_said

__all__ = ["read_toml", "write_toml"]


def read_toml(source: str | Path, what: str, error: type[Exception]) -> dict[str, Any]:
    """The table in a TOML file path or TOML text; ``error`` names ``what`` was wrong."""
    if isinstance(source, Path) or ("\n" not in source and "=" not in source):
        try:
            source = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise error(
                Said("err.no_toml_file", what=kind_words(what, "err.what"), path=repr(str(source)))
            ) from None
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise error(toml_said(what, exc)) from None


def write_toml(data: dict[str, Any], path: str | Path | None) -> str:
    """The TOML text of ``data``; also written to ``path`` when given."""
    text = tomli_w.dumps(data)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
