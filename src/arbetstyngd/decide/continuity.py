"""Continuity: a new case goes to the worker who already has the same subject or family.

Subjects and families are compared by their pseudonymised ids (``subject_id``,
``family_id``); nothing else about a person is read.
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..errors import LabelledWarning
from .eligibility import Pool

__all__ = ["KEYS", "Links", "link_cases"]

#: The columns continuity reads, the person's own first.
KEYS = ("subject_id", "family_id")


@attrs.frozen(eq=False)
class Links:
    """Per new case: the pool index of the worker who has its subject or family (-1: none),
    whether that match was by family, and a group number shared by new cases of the same
    subject or family."""

    worker: np.ndarray
    by_family: np.ndarray
    group: np.ndarray

    @classmethod
    def none(cls, frame: pd.DataFrame) -> Links:
        n = len(frame)
        return cls(np.full(n, -1), np.zeros(n, dtype=bool), np.arange(n))


def _present(series: pd.Series) -> np.ndarray:
    text = series.astype("string").str.strip()
    return (series.notna() & text.ne("").fillna(False)).to_numpy(dtype=bool)


def _groups(frame: pd.DataFrame) -> np.ndarray:
    """Union of new cases that share a subject or a family (a small union-find)."""
    n = len(frame)
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for key in KEYS:
        if key not in frame.columns:
            continue
        present = _present(frame[key])
        first: dict[str, int] = {}
        for i in np.flatnonzero(present):
            value = str(frame[key].iloc[i]).strip()
            j = first.setdefault(value, int(i))
            parent[root(int(i))] = root(j)
    return np.array([root(i) for i in range(n)])


def _open_on(cases: pd.DataFrame, on: Any) -> pd.DataFrame:
    closed = (
        pd.to_datetime(cases["closed"], errors="coerce")
        if "closed" in cases.columns
        else pd.Series(pd.NaT, index=cases.index)
    )
    if on is None:
        return cases[closed.isna().to_numpy()]
    day = pd.Timestamp(on)
    opened = pd.to_datetime(cases["opened"], errors="coerce")
    keep = (opened <= day) & (closed.isna() | (closed > day))
    return cases[keep.to_numpy()]


def _holder(existing: pd.DataFrame, key: str, pool: Pool) -> dict[str, int]:
    """Subject or family -> pool index of its worker (the most recently opened case's)."""
    if key not in existing.columns:
        return {}
    rows = existing[_present(existing[key])]
    if "opened" in rows.columns:
        rows = rows.assign(_o=pd.to_datetime(rows["opened"], errors="coerce")).sort_values(
            "_o", kind="stable"
        )
    index = {w: i for i, w in enumerate(pool.ids)}
    out: dict[str, int] = {}
    for value, worker in zip(rows[key], rows["worker_id"], strict=True):
        i = index.get(str(worker).strip())
        if i is not None:
            out[str(value).strip()] = i
    return out


def link_cases(frame: pd.DataFrame, cases: pd.DataFrame | None, pool: Pool, on: Any) -> Links:
    """Links of each new case to today's caseload (``cases``) and to the other new cases."""
    has_keys = [k for k in KEYS if k in frame.columns and _present(frame[k]).any()]
    if not has_keys:
        return Links.none(frame)
    n = len(frame)
    worker = np.full(n, -1)
    by_family = np.zeros(n, dtype=bool)
    if cases is None:
        warnings.warn(LabelledWarning.of("warn.continuity_no_cases"), stacklevel=3)
    else:
        existing = _open_on(cases, on)
        for key in reversed(has_keys):  # the person's own case wins over the family's
            holders = _holder(existing, key, pool)
            present = _present(frame[key])
            for i in np.flatnonzero(present):
                w = holders.get(str(frame[key].iloc[i]).strip())
                if w is not None:
                    worker[i] = w
                    by_family[i] = key == "family_id"
    return Links(worker, by_family, _groups(frame))
