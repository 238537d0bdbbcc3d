"""Recognise what a file is before reading it: format, encoding, delimiter.

Exports reach analysts as Excel workbooks, as "CSV (semikolonavgränsad)" saved by Swedish
Excel (cp1252, semicolons), as UTF-8 with or without a byte-order mark from web systems, and
sometimes as something else entirely (a PDF renamed .csv, an empty file, a 4 GB database
dump). This module decides which, from the first bytes, so that the reader can say so in one
sentence instead of a traceback.

Examples
--------
>>> info = sniff_bytes("Dnr;Handläggare\\nA1;H1\\n".encode("cp1252"))
>>> info.format, info.encoding, info.delimiter
('csv', 'cp1252', ';')
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import attrs

from ..errors import Both, InputFileError, Said

__all__ = [
    "DELIMITERS",
    "MAX_BYTES",
    "Sniffed",
    "detect_encoding",
    "detect_utf16",
    "sniff_bytes",
    "sniff_delimiter",
]

#: Delimiters tried, in order of preference when counts tie.
DELIMITERS: tuple[str, ...] = (";", ",", "\t", "|")
#: Files larger than this are refused unless the caller raises ``max_bytes``: a caseload of a
#: large municipality is a few hundred thousand rows, well under 1 GiB.
MAX_BYTES = 1 << 30

_SAMPLE = 64 * 1024
_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}


@attrs.frozen
class Sniffed:
    """What a file looks like.

    Attributes
    ----------
    format : {"csv", "xlsx", "xls", "parquet"}
    encoding : str or None
        Text encoding (``utf-8-sig``, ``utf-8``, ``cp1252``, ``latin-1``, ``utf-16``,
        ``utf-16-le``, ``utf-16-be``) for text files.
    delimiter : str or None
        Field separator for text files.
    """

    format: str
    encoding: str | None = None
    delimiter: str | None = None

    def describe(self, lang: str = "en") -> str:
        """One line for people: ``CSV text, cp1252, semicolon-separated`` (in ``lang``)."""
        from ..labels import TEXT, text

        if self.format != "csv":
            key = f"sniff.{self.format}"
            return text(key, lang) if key in TEXT else self.format.capitalize()
        bom = text("sniff.bom", lang) if self.encoding in ("utf-8-sig", "utf-16") else ""
        enc = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(
            self.encoding or "", self.encoding
        )
        if enc and enc.startswith("utf-16-"):
            enc = text(f"sniff.utf16_{enc[-2:]}", lang)
        name = _NAMES.get(self.delimiter or "")
        sep = text(f"sniff.sep.{name}", lang) if name else repr(self.delimiter)
        return text("sniff.csv", lang, encoding=f"{enc}{bom}", sep=sep)


#: Why a file could not be decoded, in Swedish (English says the Python error's name)
_WHY_NOT_DECODED = {
    "LookupError": "okänd teckenkodning",
    "UnicodeDecodeError": "byte som inte hör till den teckenkodningen",
}


def _binary_kind(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    return None


def detect_utf16(sample: bytes) -> str | None:
    """``utf-16`` (with a byte-order mark), ``utf-16-le`` / ``utf-16-be`` or None.

    Excel's "Unicode text" is UTF-16 with a byte-order mark. Without one, text in a Latin
    script has a zero byte in every other position (the high byte of each character), which
    binary data does not have consistently.

    Examples
    --------
    >>> detect_utf16("Dnr\\tÄrende\\n".encode("utf-16")), detect_utf16(b"Dnr;A\\n")
    ('utf-16', None)
    """
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    pairs = sample[: len(sample) // 2 * 2]
    if len(pairs) < 8:
        return None
    even, odd = pairs[0::2], pairs[1::2]
    for zeros, text, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) == 0:
            try:
                pairs.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    control = sum(sample.count(bytes([b])) for b in (*range(0, 9), 11, 12, *range(14, 32)))
    return control > max(8, len(sample) // 100)


def detect_encoding(sample: bytes, *, complete: bool = False) -> str:
    """``utf-8-sig``, ``utf-8``, ``cp1252`` or ``latin-1`` for a sample of a text file.

    ``complete`` says the sample is the whole file: otherwise a multi-byte character cut at the
    end of the sample is not held against UTF-8.

    Examples
    --------
    >>> detect_encoding("Ärende".encode("utf-8")), detect_encoding("Ärende".encode("cp1252"))
    ('utf-8', 'cp1252')
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte
        return "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields.

    Counting happens outside quotes (the csv module tokenises each candidate), so a comma inside
    ``"Andersson, Anna"`` does not vote for comma.

    Examples
    --------
    >>> sniff_delimiter("a|b|c\\n1|2,5|3\\n")
    '|'
    """
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ";"
    best, best_score = DELIMITERS[0], (-1.0, 0)
    for order, delim in enumerate(DELIMITERS):
        counts = [
            len(row) - 1 for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)
        ]
        if not counts or max(counts) == 0:
            continue
        mode, n_mode = Counter(counts).most_common(1)[0]
        if mode == 0:
            continue
        # consistency first (share of lines with the usual count), then more fields
        score = (n_mode / len(counts), mode)
        if score > best_score or (score == best_score and order == 0):
            best, best_score = delim, score
    return best


def sniff_bytes(
    head: bytes,
    *,
    complete: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Sniffed:
    """Decide format, encoding and delimiter from the first bytes of a file.

    Raises
    ------
    InputFileError
        The bytes are empty or binary data that is not a workbook or Parquet file.
    """
    if not head[:_SAMPLE].strip() and not head[_SAMPLE : 4 * _SAMPLE].strip():
        raise InputFileError(Said("err.empty_file"))
    kind = _binary_kind(head)
    if kind is not None:
        return Sniffed(kind)
    sample = head[:_SAMPLE]
    utf16 = (
        encoding
        if encoding and encoding.lower().replace("_", "-").startswith("utf-16")
        else (None if encoding else detect_utf16(sample))
    )
    if utf16:
        # an odd cut at the end of the sample would be a decoding error, not a property
        sample = sample[: len(sample) // 2 * 2]
    elif _looks_binary(sample):
        raise InputFileError(Said("err.binary_file"))
    enc = utf16 or encoding or detect_encoding(sample, complete=complete or len(head) <= _SAMPLE)
    try:
        text = sample.decode(enc, errors="strict" if encoding else "replace")
    except (UnicodeDecodeError, LookupError) as exc:
        name = type(exc).__name__
        why = Both(_WHY_NOT_DECODED.get(name, name), name)
        raise InputFileError(Said("err.encoding", encoding=repr(encoding), error=why)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputFileError(Said("err.empty_file"))
    delim = delimiter or sniff_delimiter(text)
    return Sniffed("csv", enc, delim)
