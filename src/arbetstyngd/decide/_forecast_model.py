"""What the forecast learns from the history before its start date.

Only what was known on ``start`` is used: cases opened on or before it, with a close date
after it treated as not yet closed (right-censored at their age on ``start``). From that:

- **durations** per case type, and per (type, phase) where a phase has at least
  :data:`MIN_CLOSED` closed cases of its own: Kaplan–Meier with the tail of
  :mod:`._survival`, and bootstrap replicates (Poisson(1) case weights) so that the paths
  carry the uncertainty of the estimate as well as the randomness of the cases;
- **arrivals** per (team, case type): a Poisson rate from the last ``window`` days (Gamma
  posterior under a Jeffreys prior per replicate), times a monthly seasonal factor when the
  history covers two years or more, and the mix of value keys and duration groups the
  window's new cases had (which gives a new case its points and its duration).
"""

from __future__ import annotations

import warnings

import attrs
import numpy as np
import pandas as pd

from ..errors import DataError, Phrase, ThinHistoryWarning
from ._forecast_engine import NAT_DAY, CaseArrays
from ._forecast_inverse import Inverse
from ._survival import DurationModel, fit_durations

__all__ = ["ALL_TYPES", "MIN_CLOSED", "MIN_INFLOW_DAYS", "Model", "fit_model"]

#: Closed cases a duration group needs for a stable Kaplan–Meier estimate.
MIN_CLOSED = 20
#: the group of case types too thin for durations of their own, learnt all together
ALL_TYPES = "(all case types)"
#: Days of inflow history the arrival rates need (about six months).
MIN_INFLOW_DAYS = 182
#: Days of history from which monthly seasonality is estimated.
SEASONAL_DAYS = 730


@attrs.frozen(eq=False)
class Model:
    """Fitted duration and arrival model at one start date (see the module docstring)."""

    durations: DurationModel
    group_names: list[str]
    open_index: np.ndarray  # position in the case arrays of each case open on start
    open_group: np.ndarray  # duration group per case open on start
    open_age: np.ndarray
    open_opened: np.ndarray
    open_team: np.ndarray
    open_points: np.ndarray
    arrival_team: np.ndarray  # per (team, type) arrival stream
    arrival_rate: np.ndarray  # (n_replicates, n_streams): new cases per day before season
    items: Inverse  # draws an item of a stream (cumulative shares, items sorted by stream)
    item_stream: np.ndarray  # stream of each item (sorted)
    item_share: np.ndarray  # share of each item among its stream's new cases
    item_cum: np.ndarray  # cumulative share within the stream (exactly 1 at its last item)
    item_points: np.ndarray
    item_case: np.ndarray  # position in the case arrays of one new case of each item
    item_group: np.ndarray
    season: np.ndarray  # (n_replicates, 12) monthly factors (all 1 without seasonality)
    notes: tuple[str, ...]


def _duration_groups(
    data: CaseArrays, known: np.ndarray, event: np.ndarray
) -> tuple[np.ndarray, list[str], list[str]]:
    """Duration group per known case: (type, phase) where that has enough closed cases."""
    type_code = data.case_type[known]
    phase_code, phases = pd.factorize(data.phase[known])
    # one code per (type, phase) pair; phase -1 (missing) never gets a group of its own
    pair = type_code * (len(phases) + 1) + (phase_code + 1)
    closed = np.bincount(pair[event], minlength=len(data.types) * (len(phases) + 1))
    use_phase = (phase_code >= 0) & (closed[pair] >= MIN_CLOSED)
    # labels only for the distinct pairs, then the same sorted order by label as before
    label_code = np.where(use_phase, pair, type_code * (len(phases) + 1))
    codes_u, inverse = np.unique(label_code, return_inverse=True)
    types = np.asarray(data.types, dtype=object)
    width = len(phases) + 1
    labels = [
        str(types[c // width])
        if c % width == 0
        else f"{types[c // width]} / {phases[c % width - 1]}"
        for c in codes_u
    ]
    rank = np.argsort(np.asarray(labels, dtype=object), kind="stable")
    position = np.empty(len(rank), dtype=np.intp)
    position[rank] = np.arange(len(rank))
    names = [labels[i] for i in rank]
    per_type = np.bincount(type_code[event], minlength=len(types))
    present = np.bincount(type_code, minlength=len(types)) > 0
    thin = [
        f"'{types[t]}' ({int(per_type[t])})"
        for t in sorted(np.flatnonzero(present), key=lambda t: str(types[t]))
        if per_type[t] < MIN_CLOSED
    ]
    return position[inverse.ravel()].astype(np.intp), names, thin


def _fit_durations(
    data: CaseArrays, start: int, known: np.ndarray, n_replicates: int, rng: np.random.Generator
) -> tuple[DurationModel, np.ndarray, list[str], list[Phrase]]:
    closed = data.closed[known]
    event = (closed != NAT_DAY) & (closed <= start)
    age = np.where(event, closed, start) - data.opened[known]
    group, names, thin = _duration_groups(data, known, event)
    n_closed = np.bincount(group, weights=event, minlength=len(names))
    notes: list[Phrase] = []
    if thin:
        notes.append(Phrase("warn.thin_types", {"min": MIN_CLOSED, "types": ", ".join(thin)}))
    empty = np.flatnonzero(n_closed == 0)
    if len(empty):
        # no closed case at all: borrow the durations of every case type together
        pooled = len(names)
        types = ", ".join(repr(names[g]) for g in empty)
        notes.append(Phrase("warn.no_closed", {"types": types}))
        group = np.where(np.isin(group, empty), pooled, group)
        names = [*names, ALL_TYPES]
        fit_group = np.concatenate([group, np.full(len(group), pooled)])
        fit_age, fit_event = np.concatenate([age, age]), np.concatenate([event, event])
    else:
        fit_group, fit_age, fit_event = group, age, event
    model = fit_durations(
        fit_group, fit_age, fit_event, n_groups=len(names), resample=n_replicates - 1, rng=rng
    )
    return model, group, names, notes


def _season(
    opened: np.ndarray, start: int, first: int, n_replicates: int, rng: np.random.Generator
) -> np.ndarray:
    """Monthly arrival factors (mean 1 over a year's days) from whole years before start.

    One row per replicate: row 0 from the counts, the others from Gamma posterior draws of
    each month's count (Jeffreys prior), so the bands carry the factors' uncertainty too.
    """
    years = (start - first) // 365
    if start - first < SEASONAL_DAYS:
        return np.ones((n_replicates, 12))
    lo = start - 365 * years
    arrivals = np.bincount(_months(opened[(opened > lo) & (opened <= start)]), minlength=12)
    exposure = np.bincount(_months(np.arange(lo + 1, start + 1)), minlength=12)
    counts = np.vstack([arrivals, rng.gamma(arrivals + 0.5, 1.0, (max(n_replicates - 1, 0), 12))])
    rate = counts / np.maximum(exposure, 1)
    mean = counts.sum(axis=1, keepdims=True) / exposure.sum()
    return np.where(mean > 0, rate / np.where(mean > 0, mean, 1.0), 1.0)


def _months(days: np.ndarray) -> np.ndarray:
    """Calendar month (0–11) of whole days since 1970-01-01."""
    return (days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12).astype(
        np.intp
    )


def fit_model(
    data: CaseArrays, start: int, window: int, n_replicates: int, rng: np.random.Generator
) -> Model:
    """Durations and arrival streams from the history known on ``start`` (days)."""
    known = data.opened <= start
    if not known.any():
        raise DataError(
            "'cases' has no valid case opened on or before the start to learn from "
            f"(expected at least one; got 0 of {len(data.opened)} valid cases)"
        )
    durations, group, names, notes = _fit_durations(data, start, known, n_replicates, rng)
    first = int(data.opened[known].min())
    span = start - first
    if span < MIN_INFLOW_DAYS:
        notes.append(Phrase("warn.short_inflow", {"span": span, "min": MIN_INFLOW_DAYS}))
    k_open = data.closed[known]
    is_open = (k_open == NAT_DAY) | (k_open > start)
    opened_k = data.opened[known]

    # arrival streams: (team, case type) pairs that had new cases in the window
    lo = max(first, start - window)
    season = _season(opened_k, start, first, n_replicates, rng)
    in_window = opened_k > lo
    n_types = len(data.types)
    stream_all = data.team[known] * n_types + data.case_type[known]
    stream_codes, stream_ids = pd.factorize(stream_all[in_window], sort=True)
    counts = np.bincount(stream_codes, minlength=len(stream_ids)).astype(float)
    # season-weighted days of the window, per replicate
    exposure = season[:, _months(np.arange(lo + 1, start + 1))].sum(axis=1, keepdims=True)
    shape = counts + 0.5
    rates = np.vstack(
        [shape - 0.5, rng.gamma(shape, 1.0, (max(n_replicates - 1, 0), len(shape)))]
    ) / np.maximum(exposure, 1.0)

    # item mix: (stream, value key, duration group) of the window's new cases, one integer
    # each, in the sorted order of the triple; an item's points and case are its first case's
    key_w, group_w = data.key[known][in_window], group[in_window]
    n_key, n_group = int(key_w.max(initial=-1)) + 1, int(group_w.max(initial=-1)) + 1
    triple = (stream_codes.astype(np.int64) * n_key + key_w) * n_group + group_w
    uniq, first_case, n_cases = np.unique(triple, return_index=True, return_counts=True)
    mix = pd.DataFrame(
        {
            "stream": uniq // (n_key * n_group),
            "group": uniq % n_group,
            "n": n_cases,
            "points": data.points[known][in_window][first_case],
            "case": np.flatnonzero(known)[in_window][first_case],
        }
    )
    share = mix["n"].to_numpy(dtype=float) / counts[mix["stream"].to_numpy()]
    stream_of_item = mix["stream"].to_numpy()
    cum = pd.Series(share).groupby(stream_of_item).cumsum().to_numpy(copy=True)
    # each stream's last item ends at exactly 1, so a draw never slips into the next stream
    cum[np.r_[stream_of_item[1:] != stream_of_item[:-1], True][: len(cum)]] = 1.0

    said = [ThinHistoryWarning.of(note.key, **note.values) for note in notes]
    for warning in said:
        warnings.warn(warning, stacklevel=4)
    return Model(
        durations=durations,
        group_names=names,
        open_index=np.flatnonzero(known)[is_open],
        open_group=group[is_open],
        open_age=(start - opened_k)[is_open].astype(float),
        open_opened=opened_k[is_open],
        open_team=data.team[known][is_open],
        open_points=data.points[known][is_open],
        arrival_team=(np.asarray(stream_ids) // n_types).astype(np.intp),
        arrival_rate=rates,
        items=Inverse(cum, np.searchsorted(stream_of_item, np.arange(len(stream_ids) + 1))),
        item_stream=stream_of_item.astype(np.intp),
        item_share=share,
        item_cum=cum,
        item_points=mix["points"].to_numpy(dtype=float),
        item_case=mix["case"].to_numpy(dtype=np.intp),
        item_group=mix["group"].to_numpy(dtype=np.intp),
        season=season,
        notes=tuple(map(str, said)),
    )
