"""Reading self-ratings of workload (and flexi-time balances) from survey exports.

Form tools (Microsoft Forms, Google Forms, Netigate, Esmaker …) export one row per answer:
a respondent (name, e-mail or worker id), a time stamp or month, the self-rating and perhaps
a flexi-time balance and a comment. :func:`read_ratings` finds these columns from the usual
Swedish and English headers, matches respondents to the roster like the case readers match
worker names, declares the scale, and pseudonymises identity numbers written in comments.
Comments are optional; reports that leave the unit never show them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._contract.suggest import Suggester
from ..errors import ColumnsError, InputFileError
from .columns import normalise_header, normalise_name
from .parse import parse_dates, parse_numbers
from .pseudonym import Pseudonymiser
from .rejections import Rejections
from .sniff import MAX_BYTES, sniff_bytes

__all__ = ["RATING_HEADERS", "SCALES", "read_ratings"]

#: The declared scales: five-point (3 = balanced) and seven-point (0 = balanced).
SCALES: dict[str, tuple[int, int]] = {"1-5": (1, 5), "-3..3": (-3, 3)}

#: Headers recognised for each column (compared after :func:`normalise_header`).
RATING_HEADERS: dict[str, tuple[str, ...]] = {
    "worker_id": (
        "worker_id",
        "handlaggare",
        "handlaggar id",
        "handlaggare id",
        "medarbetare",
        "namn",
        "name",
        "respondent",
        "e post",
        "epost",
        "e mail",
        "email",
        "anstallningsnummer",
    ),
    "period": (
        "period",
        "manad",
        "month",
        "datum",
        "date",
        "tidsstampel",
        "timestamp",
        "starttid",
        "start time",
        "completion time",
        "slutfort",
        "inskickat",
        "submitted",
    ),
    "rating": (
        "rating",
        "skattning",
        "sjalvskattning",
        "arbetsbelastning",
        "upplevd arbetsbelastning",
        "hur upplever du din arbetsbelastning",
        "workload",
        "perceived workload",
        "betyg",
    ),
    "flexi_hours": ("flexi_hours", "flexsaldo", "flex", "flextid", "flex saldo", "flexi time"),
    "comment": ("comment", "kommentar", "kommentarer", "ovrigt", "fritext", "comments"),
}

_LEADING_NUMBER = re.compile(r"^\s*([+\-\u2212]?\d+(?:[.,]\d+)?)")


def _load(source: Any, sheet: str | int | None, encoding: str | None) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source.astype(object).where(source.notna(), None)
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise InputFileError(f"the ratings file {str(path)!r} does not exist")
        data = path.read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
        data = data.encode("utf-8") if isinstance(data, str) else data
    if len(data) > MAX_BYTES:
        raise InputFileError("the ratings file is larger than 1 GiB")
    sniffed = sniff_bytes(data, encoding=encoding, complete=True)
    if sniffed.format in ("xlsx", "xls"):
        return pd.read_excel(
            io.BytesIO(data), sheet_name=sheet or 0, dtype=object, engine="calamine"
        )
    if sniffed.format == "parquet":
        return pd.read_parquet(io.BytesIO(data)).astype(object)
    text = data.decode(sniffed.encoding or "utf-8", errors="replace").lstrip("\ufeff")
    return pd.read_csv(io.StringIO(text), sep=sniffed.delimiter, dtype=str, keep_default_na=False)


def _map_headers(frame: pd.DataFrame, columns: Mapping[str, str] | None) -> dict[str, str]:
    """``{canonical: header in the file}``."""
    given = dict(columns or {})
    found: dict[str, str] = {}
    by_norm = {normalise_header(h): str(h) for h in frame.columns}
    for header, canonical in given.items():
        # both {file header: canonical} and {canonical: file header} are understood
        if canonical in RATING_HEADERS and header in map(str, frame.columns):
            found[canonical] = header
        elif header in RATING_HEADERS and canonical in map(str, frame.columns):
            found[header] = canonical
    for canonical, names in RATING_HEADERS.items():
        if canonical in found:
            continue
        for name in map(normalise_header, names):
            hits = [h for n, h in by_norm.items() if n == name or n.startswith(name + " ")]
            if hits and hits[0] not in found.values():
                found[canonical] = hits[0]
                break
    return found


def _ratings(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers, also from answers such as ``4 – ganska hög``."""
    text = values.astype(object).where(values.notna(), None)
    lead = text.map(lambda v: None if v is None else _first_number(str(v)))
    numbers, bad = parse_numbers(lead.where(lead.notna(), text).astype(object))
    return numbers, bad


def _first_number(text: str) -> str | None:
    match = _LEADING_NUMBER.match(text)
    return None if match is None else match.group(1).replace("\u2212", "-")


def _match_workers(
    values: pd.Series, roster: pd.DataFrame | None, aliases: Mapping[str, Any] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Worker ids from ids, names or aliases; a reason where a name matches nobody."""
    names = {normalise_name(k): str(v) for k, v in (aliases or {}).items()}
    ids: set[str] = set()
    display = list(aliases or {})
    if roster is not None:
        if "worker_id" not in roster.columns:
            raise ColumnsError("'roster' must have a worker_id column (read it with read_workers)")
        ids = {str(v).strip() for v in roster["worker_id"].dropna()}
        if "name" in roster.columns:
            for n, w in zip(roster["name"], roster["worker_id"], strict=True):
                if isinstance(n, str) and n.strip():
                    names.setdefault(normalise_name(n), str(w).strip())
                    display.append(n)
    suggest = Suggester(display)
    out = np.empty(len(values), dtype=object)
    why = np.full(len(values), "", dtype=object)
    for i, raw in enumerate(values):
        v = "" if raw is None or raw != raw else str(raw).strip()
        if not v:
            why[i] = "the respondent (worker) is missing"
        elif v in ids or (roster is None and normalise_name(v) not in names):
            out[i] = v
        elif normalise_name(v) in names:
            out[i] = names[normalise_name(v)]
        else:
            close = suggest.closest(v)
            hint = f"; closest roster names: {', '.join(map(repr, close))}" if close else ""
            why[i] = f"worker {v!r} is neither a worker id of the roster nor a known name{hint}"
    return out, why


def _periods(
    raw: pd.DataFrame, found: Mapping[str, str], period: Any, date_order: str
) -> tuple[pd.Series, np.ndarray, Any]:
    """The month of each answer, a bad-date mask and the values as written."""
    if period is not None:
        return pd.Series(pd.Timestamp(period), index=raw.index), np.zeros(len(raw), bool), None
    col = raw[found["period"]].astype(object)
    # "2026-03" (a month) is read as its first day
    col = col.map(
        lambda v: f"{v}-01" if isinstance(v, str) and re.fullmatch(r"\s*\d{4}-\d{2}\s*", v) else v
    )
    months, bad = parse_dates(col, order=date_order)
    return months, bad | months.isna().to_numpy(), col.to_numpy()


def _comments(raw: pd.DataFrame, found: Mapping[str, str], key: Any) -> pd.Series:
    """Comments with identity numbers replaced by pseudonyms (``None`` where empty)."""
    if "comment" not in found:
        return pd.Series([None] * len(raw), dtype=object)
    text = raw[found["comment"]].astype(object).where(raw[found["comment"]].notna(), None)
    text = text.map(lambda v: None if v is None or not str(v).strip() else str(v).strip())
    comment, _ = Pseudonymiser.from_key(key).in_text(text.reset_index(drop=True))
    return comment.astype(object).where(comment.notna(), None)


def read_ratings(
    path_or_buffer: Any,
    *,
    scale: str,
    roster: pd.DataFrame | None = None,
    aliases: Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    period: Any = None,
    key: Any = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str = "auto",
) -> pd.DataFrame:
    """Read a survey export of self-rated workload into the ratings table.

    Parameters
    ----------
    path_or_buffer : path, bytes, file object or DataFrame
        CSV (any delimiter, UTF-8/cp1252) or Excel, one row per answer.
    scale : {"1-5", "-3..3"}
        The scale the question used: five-point with 3 = balanced, or −3 … +3 with 0 =
        balanced. Declared, never guessed.
    roster : DataFrame, optional
        Workers (``worker_id``, optional ``name``): respondents given by name are matched to
        ids as the case readers do; unknown names are rejected with the closest names.
    aliases : dict, optional
        ``{name or e-mail: worker_id}``.
    columns : dict, optional
        ``{header in the file: canonical}`` for headers the built-in list does not know
        (canonical: ``worker_id``, ``period``, ``rating``, ``flexi_hours``, ``comment``).
    period : date-like, optional
        The month every answer belongs to (when the export has no date column).
    key : str, bytes or Path, optional
        Pseudonymisation key for identity numbers written in comments.

    Returns
    -------
    DataFrame
        ``source_row``, ``worker_id``, ``period`` (first of the month), ``rating``, ``scale``,
        ``flexi_hours`` and ``comment``; ``attrs["rejected"]`` lists the unusable rows with a
        reason and ``attrs["scale"]`` the scale.

    Examples
    --------
    >>> import io
    >>> text = "Namn;Månad;Arbetsbelastning;Flexsaldo\\nH1;2026-03;4 - ganska hög;12,5\\n"
    >>> r = read_ratings(io.StringIO(text), scale="1-5", key="k" * 32)
    >>> r[["worker_id", "rating", "flexi_hours"]].to_dict("records")
    [{'worker_id': 'H1', 'rating': 4.0, 'flexi_hours': 12.5}]
    """
    if scale not in SCALES:
        raise ValueError(f"'scale' must be one of {list(SCALES)} (got {scale!r})")
    raw = _load(path_or_buffer, sheet, encoding)
    found = _map_headers(raw, columns)
    need = ["worker_id", "rating"] + ([] if period is not None else ["period"])
    missing = [c for c in need if c not in found]
    if missing:
        raise ColumnsError(
            f"the ratings file lacks column(s) {missing}; its headers are "
            f"{[str(h) for h in raw.columns]}. Name them with columns={{header: canonical}}"
            + ("" if "period" not in missing else ", or give period='2026-03'")
        )
    rows = np.arange(len(raw)) + 2  # header = row 1
    rejections = Rejections("ratings")
    # a row with a flexi-time balance that cannot be read keeps its rating
    unusable = np.zeros(len(raw), dtype=bool)

    def reject(mask: np.ndarray, column: str, values: Any, reason: Any, code: str) -> None:
        shown = None if values is None else np.asarray(values, dtype=object)[mask]
        why = reason if isinstance(reason, str) else np.asarray(reason, dtype=object)[mask]
        rejections.add(rows[mask], None, column, shown, why, code)
        if column != "flexi_hours":
            unusable[mask] = True

    worker, why = _match_workers(raw[found["worker_id"]], roster, aliases)
    reject(why != "", "worker_id", raw[found["worker_id"]].to_numpy(), why, "unknown_name")
    rating, bad = _ratings(raw[found["rating"]])
    lo, hi = SCALES[scale]
    outside = ~np.isnan(rating) & ((rating < lo) | (rating > hi))
    shown = raw[found["rating"]].to_numpy(dtype=object)
    reject(bad, "rating", shown, f"'rating' must be a number on the {scale} scale", "not_a_number")
    reject(outside, "rating", shown, f"'rating' must be in [{lo}, {hi}]", "unreadable_value")
    reject(np.isnan(rating) & ~bad, "rating", None, "'rating' is missing", "missing_value")
    months, date_bad, shown_dates = _periods(raw, found, period, date_order)
    reject(date_bad, "period", shown_dates, "'period' is not a date", "not_a_date")
    flexi = np.full(len(raw), np.nan)
    if "flexi_hours" in found:
        flexi, fbad = parse_numbers(raw[found["flexi_hours"]].astype(object))
        reject(
            fbad,
            "flexi_hours",
            raw[found["flexi_hours"]].to_numpy(),
            "'flexi_hours' must be hours",
            "not_a_number",
        )
    comment = _comments(raw, found, key)
    keep = ~unusable
    out = pd.DataFrame(
        {
            "source_row": rows,
            "worker_id": worker,
            "period": pd.to_datetime(months.to_numpy()).to_period("M").start_time,
            "rating": rating,
            "scale": scale,
            "flexi_hours": flexi,
            "comment": pd.Series(comment.to_numpy(dtype=object), dtype=object),
        }
    )[keep].reset_index(drop=True)
    out.attrs["scale"] = scale
    out.attrs["rejected"] = rejections.table()
    return out
