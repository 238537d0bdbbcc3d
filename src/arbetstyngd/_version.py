"""The installed version, in a module of its own so that results can record it without
importing the package's public namespace."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("arbetstyngd")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
