"""How to read an export: one value object instead of a list of keyword arguments.

Every reader (:func:`arbetstyngd.io.read`, :func:`~arbetstyngd.io.read_cases` …) takes its
options as one :class:`ReadOptions`; a mapping profile's ``[read]`` section fills in what the
caller left out (:meth:`ReadOptions.resolved`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pandas as pd

from .columns import Profile
from .sniff import MAX_BYTES

__all__ = ["ReadOptions"]


@attrs.frozen
class ReadOptions:
    """Options of a reader (see :func:`arbetstyngd.io.read_cases` for what each means).

    Attributes
    ----------
    columns : dict, Profile or path to a .toml profile, optional
        Header mapping or mapping profile.
    key : str, bytes or Path, optional
        Pseudonymisation key or key file.
    sheet : str or int, optional
        Excel sheet.
    encoding, delimiter : str, optional
        Override what is detected.
    header_row : int, optional
        Row of the header (1 = first).
    date_order : {"auto", "dmy", "mdy"}, optional
        Order of slash dates (checked where dates are read).
    fte_unit : {"auto", "percent", "share"}, optional
        Unit of ``fte`` and ``reduction`` (checked where they are read).
    scheme : Scheme or str, optional
        Scheme whose labels map case-type values (cases only).
    roster : DataFrame, optional
        Workers table that names in a cases export are matched to (cases only).
    aliases : dict, optional
        ``{display name: worker_id}``.
    demographics : bool
        Add age band and sex from the identity number (cases only).
    max_bytes : int
        Refuse larger files.
    progress : bool
        Show a progress bar (tqdm) when a read takes more than a few seconds.

    Examples
    --------
    >>> options = ReadOptions(date_order="dmy")
    >>> options.resolved(Profile(read={"encoding": "cp1252"})).encoding
    'cp1252'
    >>> options.resolved(Profile(read={"date_order": "mdy"})).date_order
    'dmy'
    """

    columns: Any = None
    key: Any = None
    sheet: str | int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    date_order: str | None = None
    fte_unit: str | None = None
    scheme: Any = None
    roster: pd.DataFrame | None = attrs.field(default=None, eq=False)
    aliases: Mapping[str, Any] | None = None
    demographics: bool = False
    max_bytes: int = MAX_BYTES
    progress: bool = True

    def resolved(self, profile: Profile) -> ReadOptions:
        """These options with what was left out taken from the profile's ``[read]`` section,
        then the defaults (``date_order="auto"``, ``fte_unit="auto"``)."""
        read = profile.read
        return attrs.evolve(
            self,
            encoding=self.encoding or read.get("encoding"),
            delimiter=self.delimiter or read.get("delimiter"),
            sheet=self.sheet if self.sheet is not None else read.get("sheet"),
            header_row=self.header_row if self.header_row is not None else read.get("header_row"),
            date_order=self.date_order or read.get("date_order") or "auto",
            fte_unit=self.fte_unit or read.get("fte_unit") or "auto",
        )
