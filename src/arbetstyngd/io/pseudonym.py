"""Keyed pseudonyms for identity numbers and other person identifiers.

A pseudonym is ``ps_`` followed by the first 16 hex digits of HMAC-SHA256(key, value). The key
is what makes it safe: the space of valid personnummer is a few tens of millions per century,
so a plain hash (SHA-256 of the number, salted or not with a public salt) is reversed by
hashing every possible number. With a secret key of at least 128 bits that enumeration is not
possible without the key.

Where the key comes from, first match wins:

1. ``key=`` given to a reader or to :func:`pseudonymise` (text, bytes, or a path to a key file);
2. the environment variable ``ARBETSTYNGD_KEY`` (the key itself);
3. the environment variable ``ARBETSTYNGD_KEY_FILE`` (a path to a key file);
4. none: a random key for this Python process, and a :class:`PseudonymKeyWarning` saying that
   pseudonyms will not match those of another run.

Examples
--------
>>> p = Pseudonymiser.from_key("a-secret-of-at-least-16-chars")
>>> p.token("anything") == p.token("anything"), p.token("x").startswith("ps_")
(True, True)
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import hmac
import os
import re
import secrets
import threading
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..errors import Both, LabelledWarning, Said
from . import personnummer as pnr
from . import pnr_scan
from .parse import distinct, gather

__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "PseudonymKeyWarning",
    "Pseudonymiser",
    "new_key_file",
    "pseudonymise",
    "resolve_key",
]

KEY_ENV = "ARBETSTYNGD_KEY"
KEY_FILE_ENV = "ARBETSTYNGD_KEY_FILE"
MIN_KEY_BYTES = 16
PREFIX = "ps_"
_HEX_DIGITS = 16
_BLOCK = 64  # SHA-256's block size in bytes
_YIELD_EVERY = 2048  # messages hashed between hand-overs of the GIL (about 1.5 ms)

_RUN_KEY: bytes | None = None


class PseudonymKeyWarning(LabelledWarning):
    """No pseudonymisation key was given: a random key for this run is used."""


@attrs.frozen(repr=False)
class Pseudonymiser:
    """Turns identifiers into keyed pseudonyms. Never shows its key (not even in ``repr``).

    Parameters
    ----------
    key : bytes
        The secret, at least 16 bytes.
    source : str
        Where the key came from (``"argument"``, ``"environment"``, ``"file"``, ``"random"``),
        for the read report.
    """

    key: bytes = attrs.field()
    source: str = "argument"

    @key.validator
    def _check(self, attribute: attrs.Attribute[Any], value: bytes) -> None:
        if not isinstance(value, bytes) or len(value) < MIN_KEY_BYTES:
            n = len(value) if isinstance(value, bytes | str) else type(value).__name__
            raise ValueError(Said("err.key_short", min=str(MIN_KEY_BYTES), got=str(n)))

    def __repr__(self) -> str:
        return f"Pseudonymiser(source={self.source!r})"

    @classmethod
    def from_key(cls, key: Any = None) -> Pseudonymiser:
        """Resolve ``key`` (see the module text) into a pseudonymiser."""
        secret, source = resolve_key(key)
        return cls(secret, source)

    def token(self, value: str) -> str:
        """The pseudonym of one already normalised identifier."""
        if self.source == "random":
            _warn_random_key()
        digest = hmac.digest(self.key, value.encode("utf-8"), "sha256")
        return PREFIX + digest.hex()[:_HEX_DIGITS]

    def tokens(self, values: Sequence[str]) -> list[str]:
        """Pseudonyms of many normalised identifiers (see :meth:`digests`)."""
        if self.source == "random" and len(values):
            _warn_random_key()
        digests = self.digests([v.encode("utf-8") for v in values])
        return [PREFIX + digest.hex()[:_HEX_DIGITS] for digest in digests]

    def digests(self, messages: Sequence[bytes]) -> list[bytes]:
        """HMAC-SHA256 of each message under the key, exactly as :func:`hmac.digest` gives it.

        The key's inner and outer pad blocks are hashed once and copied for each message, so
        a message costs two short SHA-256 finishes instead of a whole HMAC set-up: about
        half the time of calling :func:`hmac.digest` per value.
        """
        inner, outer = _pads(self.key)
        out: list[bytes] = []
        append = out.append
        copy_inner, copy_outer = inner.copy, outer.copy
        # with other threads about (a reader runs Arrow kernels beside this loop), hand the GIL
        # over now and then, or each kernel's return waits out the switch interval; alone, a
        # hand-over would only give the processor away
        step = _YIELD_EVERY if threading.active_count() > 1 else max(len(messages), 1)
        for start in range(0, len(messages), step):
            for message in messages[start : start + step]:
                first = copy_inner()
                first.update(message)
                second = copy_outer()
                second.update(first.digest())
                append(second.digest())
            if step < len(messages):
                time.sleep(0)
        return out

    def identifiers(self, values: pd.Series) -> pd.Series:
        """Pseudonymise a column of person identifiers (every non-empty value).

        Personnummer in any written form (10 or 12 digits, with or without ``-``) give the same
        pseudonym; other identifiers are pseudonymised as written (stripped). Each distinct
        value is checked and pseudonymised once, from its bytes.
        """
        import pyarrow as pa

        codes, distinct = _distinct_stripped(values)
        if self.source == "random" and len(distinct):
            _warn_random_key()
        found = pnr_scan.scan(distinct)
        messages = np.empty(len(distinct), dtype=object)
        if found.matched.any():
            keyed = np.concatenate(
                [
                    np.tile(np.frombuffer(b"pnr:", np.uint8), (int(found.matched.sum()), 1)),
                    found.normalised[found.matched],
                ],
                axis=1,
            )
            messages[found.matched] = keyed.view("S16").ravel().tolist()
        unmatched = ~found.matched
        if unmatched.any():  # only these become Python strings
            other = distinct[unmatched].to_numpy(dtype=object)
            messages[unmatched] = [("id:" + v).encode("utf-8") for v in other]
        tokens = _token_array(self.digests(messages.tolist()))
        # gather in arrow: a million rows never become a million Python strings
        index = pa.array(codes, mask=codes < 0, type=pa.int64())
        out = tokens.take(index).to_pandas()
        out.index = values.index
        return out

    def in_text(self, values: pd.Series) -> tuple[pd.Series, int]:
        """Replace personnummer found inside free text; return the column and how many cells.

        Only the distinct values that contain a number are rewritten, so a column of a million
        rows with a few thousand distinct texts costs a few thousand substitutions.
        """
        if not pnr.may_contain_personnummer(values):
            return values, 0
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        u = pd.Series(uniques)
        hit = pnr.contains_personnummer(u)
        if not hit.any():
            return values, 0
        pattern = pnr._PNR
        this_year = dt.date.today().year

        def swap(match: re.Match[str]) -> str:
            return self.token("pnr:" + pnr.normalise_match(match, this_year))

        replaced = u.astype(object)
        replaced[hit] = [pattern.sub(swap, str(v)) for v in replaced[hit]]
        cells = int(np.isin(codes, np.flatnonzero(hit)).sum())
        out = pd.Series(gather(codes, replaced.to_numpy()), index=values.index, dtype="object")
        return out, cells


def _pads(key: bytes) -> tuple[Any, Any]:
    """SHA-256 states after the key's inner and outer pad blocks (RFC 2104)."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner, outer


def _distinct_stripped(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes into the distinct stripped non-empty values (-1 for missing or empty).

    Distinct values are found first and stripped after, so a million rows with a few hundred
    thousand people cost one hash pass and a strip of the distinct values only.
    """
    text = values.astype("str")
    codes, uniques = distinct(text)
    written = pd.Series(uniques, dtype=text.dtype)
    stripped = written.str.strip()
    if not (stripped.ne(written) | stripped.eq("")).any():
        return codes, stripped  # nothing to strip, nothing empty: distinct as they are
    again, values_once = pd.factorize(stripped.where(stripped.ne(""), None), use_na_sentinel=True)
    lookup = np.append(again, -1)  # code -1 (missing) stays -1
    return lookup[codes], pd.Series(values_once, dtype=text.dtype)


def _token_array(digests: list[bytes]) -> Any:
    """``ps_`` and the first 16 hex digits of each digest, as one Arrow string array."""
    import pyarrow as pa

    n = len(digests)
    raw = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(n, 32)[:, : _HEX_DIGITS // 2]
    hex_digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    width = len(PREFIX) + _HEX_DIGITS
    text = np.empty((n, width), dtype=np.uint8)
    text[:, : len(PREFIX)] = np.frombuffer(PREFIX.encode("ascii"), dtype=np.uint8)
    text[:, len(PREFIX) :: 2] = hex_digits[raw >> 4]
    text[:, len(PREFIX) + 1 :: 2] = hex_digits[raw & 15]
    offsets = np.arange(n + 1, dtype=np.int32) * width
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text.tobytes()))


def resolve_key(key: Any = None) -> tuple[bytes, str]:
    """The secret key and where it came from (see the module text for the order)."""
    if isinstance(key, Pseudonymiser):
        return key.key, key.source
    if isinstance(key, Path):
        return _read_key_file(key), "file"
    if isinstance(key, bytes):
        return key, "argument"
    if isinstance(key, str):
        return key.encode("utf-8"), "argument"
    if key is not None:
        raise TypeError(f"'key' must be text, bytes or a Path (got {type(key).__name__})")
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8"), "environment"
    file = os.environ.get(KEY_FILE_ENV)
    if file:
        return _read_key_file(Path(file)), "file"
    global _RUN_KEY
    if _RUN_KEY is None:
        _RUN_KEY = secrets.token_bytes(32)
    # the warning comes when a pseudonym is made with it (a file without identity numbers
    # needs no key, and should not be told it lacks one)
    return _RUN_KEY, "random"


def _warn_random_key() -> None:
    warning = PseudonymKeyWarning.of("warn.no_key", env=KEY_ENV, env_file=KEY_FILE_ENV)
    warnings.warn(warning, stacklevel=4)


#: Why a file could not be read, in Swedish (English gives the system's words)
_OS_WHY = {
    errno.ENOENT: "filen finns inte",
    errno.EACCES: "behörighet saknas",
    errno.EISDIR: "det är en mapp",
}


def _read_key_file(path: Path) -> bytes:
    try:
        text = path.read_bytes().strip()
    except OSError as exc:
        why = Both(_OS_WHY.get(exc.errno or 0, str(exc.strerror)), str(exc.strerror))
        raise ValueError(Said("err.key_file_unreadable", path=repr(str(path)), why=why)) from None
    if len(text) < MIN_KEY_BYTES:
        raise ValueError(
            Said(
                "err.key_file_short",
                path=repr(str(path)),
                got=str(len(text)),
                min=str(MIN_KEY_BYTES),
            )
        )
    return text


def new_key_file(path: str | Path) -> Path:
    """Write a new random key (256 bits, hex) to ``path``, readable by its owner only.

    Keep the file outside the data folder and out of version control; whoever has it can
    re-identify pseudonyms by enumeration.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     key = new_key_file(pathlib.Path(d) / "arbetstyngd.key")
    ...     Pseudonymiser.from_key(key).source
    'file'
    """
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{str(path)!r} exists; a key file is never overwritten")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path


def pseudonymise(values: Sequence[Any] | pd.Series, *, key: Any = None) -> pd.Series:
    """Keyed pseudonyms of person identifiers (personnummer in any form, or other ids).

    Examples
    --------
    >>> from arbetstyngd.io.personnummer import synthetic_personnummer
    >>> twelve = synthetic_personnummer(1, seed=9)[0]        # YYYYMMDD-NNNC
    >>> ten = twelve[2:]                                      # YYMMDD-NNNC
    >>> p = pseudonymise([twelve, ten, None], key="k" * 32)
    >>> bool(p[0] == p[1]), bool(pd.isna(p[2]))
    (True, True)
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return Pseudonymiser.from_key(key).identifiers(series)
