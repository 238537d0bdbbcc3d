"""Built-in illustrative schemes, shipped as TOML data files, and their loader."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from .._contract.suggest import Suggester
from ..errors import Phrase, Said, SchemeError
from ..scheme import Scheme

__all__ = ["list_schemes", "load_scheme"]


def _files() -> dict[str, resources.abc.Traversable]:
    root = resources.files(__name__)
    return {f.name.removesuffix(".toml"): f for f in root.iterdir() if f.name.endswith(".toml")}


def list_schemes() -> list[str]:
    """Names of the built-in schemes.

    Examples
    --------
    >>> "barn-och-unga" in list_schemes()
    True
    """
    return sorted(_files())


@cache
def _builtin(name: str) -> Scheme:
    return Scheme.from_toml(_files()[name].read_text(encoding="utf-8"))


def load_scheme(name_or_path: str | Path | Scheme) -> Scheme:
    """A built-in scheme by name, or a scheme from a TOML file.

    Parameters
    ----------
    name_or_path : str, Path or Scheme
        A name from :func:`list_schemes`, or the path of a TOML file. A Scheme is returned as is.

    Examples
    --------
    >>> load_scheme("barn-och-unga").capacity
    150.0
    """
    if isinstance(name_or_path, Scheme):
        return name_or_path
    key = str(name_or_path)
    if key in _files():
        return _builtin(key)
    path = Path(key)
    if path.suffix.lower() == ".toml" or path.exists():
        return Scheme.from_toml(path)
    close = Suggester(list_schemes()).closest(key, n=2)
    hint = Phrase("err.did_you_mean", {"close": _or([repr(c) for c in close])}) if close else ""
    raise SchemeError(
        Said("err.unknown_scheme", name=repr(key), hint=hint, builtin=", ".join(list_schemes()))
    )


def _or(names: list[str]) -> Phrase | str:
    return Phrase("note.or", {"first": names[0], "last": names[1]}) if len(names) > 1 else names[0]
