"""Many units on a dask cluster: :func:`arbetstyngd.score` and :func:`arbetstyngd.timeline`
per unit, for dask DataFrames.

A county's FoU unit comparing its municipalities, or a national benchmark of every
municipality over ten years of weekly figures, outgrows one process. When ``cases`` and
``workers`` are dask DataFrames, each with a unit column (``unit=``, default ``"unit"``), both
are shuffled on that column so that each unit's cases and workers land in the same partition,
and the engine runs once per unit, on whichever dask scheduler is active (a
``dask.distributed`` cluster when a :class:`distributed.Client` exists). Each unit's figures
are those of :func:`arbetstyngd.score` on that unit's rows alone, bit for bit: the same
function computes them, on the unit's rows in their input order with their index labels.

Nothing here schedules work itself: dask does. To use an existing cluster, connect a client
before scoring (``distributed.Client("tcp://scheduler:8786")``, or a cluster object from
``dask-kubernetes`` or ``dask-jobqueue``); see the performance guide.

dask is imported only when a dask frame arrives, never when arbetstyngd is imported.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ._engine.scoring import score as score_pandas
from ._engine.scoring import utilisation
from ._engine.timeline import aggregate
from ._engine.timeline import timeline as timeline_pandas
from .errors import ColumnsError
from .scheme import BAND_NAMES, Scheme

__all__ = ["UnitsWorkload", "score", "timeline", "totals"]

_ORDER = "__arbetstyngd_order__"
_TABLES = ("workers", "teams", "units", "rejected")


@attrs.frozen(eq=False)
class UnitsWorkload:
    """Figures of many units, scored unit by unit.

    Attributes
    ----------
    workers, teams : DataFrame (dask or pandas)
        The unit column, then the worker and team tables of :class:`~arbetstyngd.Workload`.
    units : DataFrame (dask or pandas)
        One row per unit: ``Workload.unit`` of each (sums of load and capacity and their
        ratio, workers per band).
    rejected : DataFrame (dask or pandas)
        The unit column, then every rejected input row with its reason.
    scheme : Scheme
    on : Timestamp or None
    """

    workers: Any
    teams: Any
    units: Any
    rejected: Any
    scheme: Scheme
    on: pd.Timestamp | None

    def compute(self, **kwargs: Any) -> UnitsWorkload:
        """All four tables as pandas frames, computed together (the engine runs once)."""
        if isinstance(self.units, pd.DataFrame):
            return self
        done = _compute([getattr(self, t) for t in _TABLES], **kwargs)
        return attrs.evolve(self, **dict(zip(_TABLES, done, strict=True)))

    @property
    def total(self) -> pd.Series:
        """The whole population: :func:`totals` of the units (computed if need be)."""
        units = self.units if isinstance(self.units, pd.DataFrame) else self.units.compute()
        return totals(units, self.scheme).iloc[0]


def totals(units: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """Ratio of sums over units (per ``date`` when there is one): the population's figures.

    Sums run over the units in the order given; utilisation is total load over total
    capacity, never a mean of the units' percentages.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> scheme = at.load_scheme("barn-och-unga")
    >>> units = pd.DataFrame({"unit": ["a", "b"], "n_workers": [2, 3], "fte": [2.0, 2.5],
    ...                       "n_cases": [20, 30], "load": [150.0, 90.0],
    ...                       "capacity": [200.0, 200.0]})
    >>> float(totals(units, scheme)["utilisation"].iloc[0])
    0.6
    """
    by_date = "date" in units.columns
    codes, dates = (
        pd.factorize(units["date"], sort=True)
        if by_date
        else (np.zeros(len(units), dtype=np.intp), pd.Index([None]))
    )
    n = len(dates)

    def total(column: str) -> np.ndarray:
        return np.bincount(codes, weights=units[column].to_numpy(dtype=float), minlength=n)

    load, capacity = total("load"), total("capacity")
    out = pd.DataFrame({"date": dates} if by_date else {}, index=range(n))
    out["n_units"] = np.bincount(codes, minlength=n)
    for column in ("n_workers", "fte", "n_cases"):
        if column in units.columns:
            summed = total(column)
            out[column] = summed if column == "fte" else summed.astype(np.int64)
    out["load"], out["capacity"] = load, capacity
    out["utilisation"] = utilisation(load, capacity)
    out["band"] = scheme.bands.classify(out["utilisation"].to_numpy())
    for name in BAND_NAMES:
        if f"n_{name}" in units.columns:
            out[f"n_{name}"] = total(f"n_{name}").astype(np.int64)
    return out


def score(
    cases: Any,
    workers: Any,
    scheme: Scheme | str,
    *,
    teams: Any = None,
    reductions: Any = None,
    on: Any = None,
    strict: bool = False,
    unit: str = "unit",
    compute: bool = False,
) -> UnitsWorkload:
    """:func:`arbetstyngd.score` per unit for dask DataFrames (``at.score`` dispatches here).

    ``teams`` and ``reductions`` (small tables; pandas or dask) need the unit column too.
    With ``compute=True`` the tables come back as pandas frames, computed with a progress
    bar; otherwise as dask frames (call :meth:`UnitsWorkload.compute` to get all four in one
    pass over the data).
    """
    scheme = _scheme(scheme)

    def run(c: pd.DataFrame, w: pd.DataFrame, t: Any, r: Any, u: Any) -> dict[str, pd.DataFrame]:
        wl = score_pandas(c, w, scheme, teams=t, reductions=r, on=on, strict=strict)
        unit_row = wl.unit.to_frame().T.infer_objects()
        return {
            "workers": _labelled(wl.workers, unit, u),
            "teams": _labelled(wl.teams, unit, u),
            "units": _labelled(unit_row.reset_index(drop=True), unit, u),
            "rejected": _labelled(wl.rejected, unit, u),
        }

    # the empty run that gives dask its example output checks the arguments (dates, scheme)
    parts = _per_unit(cases, workers, teams, reductions, unit, run)
    on_ts = None if on is None else pd.Timestamp(on).normalize()
    out = UnitsWorkload(*parts, scheme=scheme, on=on_ts)  # type: ignore[misc]
    return out.compute() if compute else out


def timeline(
    cases: Any,
    workers: Any,
    scheme: Scheme | str,
    *,
    start: Any = None,
    end: Any = None,
    freq: str = "W",
    dates: Any = None,
    teams: Any = None,
    reductions: Any = None,
    level: str = "worker",
    strict: bool = False,
    unit: str = "unit",
    compute: bool = False,
) -> Any:
    """:func:`arbetstyngd.timeline` per unit for dask DataFrames (``at.timeline`` dispatches).

    ``level`` is ``"worker"``, ``"team"`` or ``"unit"`` (per unit and date, the ratio of
    sums; :func:`totals` of that frame gives the whole population per date). Every unit is
    scored on the same dates. Returns a dask DataFrame, or pandas with ``compute=True``.
    """
    scheme = _scheme(scheme)
    if level not in ("worker", "team", "unit"):
        raise ValueError(f"'level' must be 'worker', 'team' or 'unit' (got {level!r})")

    def run(c: pd.DataFrame, w: pd.DataFrame, t: Any, r: Any, u: Any) -> dict[str, pd.DataFrame]:
        frame = timeline_pandas(
            c,
            w,
            scheme,
            start=start,
            end=end,
            freq=freq,
            dates=dates,
            teams=t,
            reductions=r,
            level="team" if level == "team" else "worker",
            strict=strict,
        )
        rejected = frame.attrs.get("rejected", pd.DataFrame())
        if level == "unit":
            frame = aggregate(frame.assign(team_id=0), scheme).drop(columns="team_id")
        frame.attrs = {}
        return {"frame": _labelled(frame, unit, u), "rejected": _labelled(rejected, unit, u)}

    frame, _ = _per_unit(cases, workers, teams, reductions, unit, run, names=("frame", "rejected"))
    if compute:
        return _compute([frame])[0]
    return frame


# --- the per-unit machinery --------------------------------------------------------------------


def _scheme(scheme: Scheme | str) -> Scheme:
    if isinstance(scheme, Scheme):
        return scheme
    from .schemes import load_scheme

    return load_scheme(scheme)


def _labelled(frame: pd.DataFrame, unit: str, value: Any) -> pd.DataFrame:
    out = frame.copy()
    out.insert(0, unit, pd.Series([value] * len(out), index=out.index, dtype=object))
    return out


def _check_unit(frame: Any, unit: str, name: str) -> None:
    if unit not in frame.columns:
        raise ColumnsError(
            f"the {name} table has no unit column {unit!r} (columns: {list(frame.columns)}); "
            "name it with unit="
        )


def _small(frame: Any) -> pd.DataFrame | None:
    """Teams and reductions are small: a pandas frame on the client."""
    if frame is None or isinstance(frame, pd.DataFrame):
        return frame
    return frame.compute()


def _numbered(frame: Any) -> Any:
    """The frame with each row's input position (partition, row) in a column, so that a
    unit's rows can be put back in input order after the shuffle."""
    import dask
    import dask.dataframe as dd

    def number(part: pd.DataFrame, i: int) -> pd.DataFrame:
        return part.assign(**{_ORDER: (i << 40) + np.arange(len(part), dtype=np.int64)})

    pieces = [dask.delayed(number)(p, i) for i, p in enumerate(frame.to_delayed())]
    meta = frame._meta.assign(**{_ORDER: np.zeros(0, dtype=np.int64)})
    return dd.from_delayed(pieces, meta=meta, verify_meta=False)


def _per_unit(
    cases: Any,
    workers: Any,
    teams: Any,
    reductions: Any,
    unit: str,
    run: Callable[..., dict[str, pd.DataFrame]],
    names: tuple[str, ...] = _TABLES,
) -> list[Any]:
    """Shuffle cases and workers on the unit, run ``run`` per unit, one dask frame per name."""
    import dask
    import dask.dataframe as dd

    cases, workers = _as_dask(cases), _as_dask(workers)
    _check_unit(cases, unit, "cases")
    _check_unit(workers, unit, "workers")
    if cases[unit].dtype != workers[unit].dtype:
        raise TypeError(
            f"the unit column {unit!r} must have one type in cases and workers (got "
            f"{cases[unit].dtype} and {workers[unit].dtype}); convert one of them"
        )
    teams, reductions = _small(teams), _small(reductions)
    for frame, name in ((teams, "teams"), (reductions, "reductions")):
        if frame is not None:
            _check_unit(frame, unit, name)
    n = max(cases.npartitions, workers.npartitions)
    # both shuffled on the same column and dtype into as many partitions: a unit's cases and
    # workers land in partitions of the same number
    by_unit_c = _numbered(cases).shuffle(on=unit, npartitions=n)
    by_unit_w = _numbered(workers).shuffle(on=unit, npartitions=n)
    pieces = [
        dask.delayed(_run_partition)(c, w, teams, reductions, unit, run, names)
        for c, w in zip(by_unit_c.to_delayed(), by_unit_w.to_delayed(), strict=True)
    ]
    meta = _run_partition(
        cases._meta.assign(**{_ORDER: np.zeros(0, np.int64)}),
        workers._meta.assign(**{_ORDER: np.zeros(0, np.int64)}),
        None,
        None,
        unit,
        run,
        names,
        empty_unit=True,
    )
    # the engine's tables come back as it made them: dask would turn the object columns
    # (row labels, ids as given) into Arrow strings
    with dask.config.set({"dataframe.convert-string": False}):
        return [
            dd.from_delayed([p[name] for p in pieces], meta=meta[name], verify_meta=False)
            for name in names
        ]


def _as_dask(frame: Any) -> Any:
    if isinstance(frame, pd.DataFrame):
        import dask.dataframe as dd

        return dd.from_pandas(frame, npartitions=1)
    return frame


def _run_partition(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    teams: pd.DataFrame | None,
    reductions: pd.DataFrame | None,
    unit: str,
    run: Callable[..., dict[str, pd.DataFrame]],
    names: tuple[str, ...],
    *,
    empty_unit: bool = False,
) -> dict[str, pd.DataFrame]:
    """Every unit of one partition, in the order of the units' values."""
    cases = cases.sort_values(_ORDER, kind="stable").drop(columns=_ORDER)
    workers = workers.sort_values(_ORDER, kind="stable").drop(columns=_ORDER)
    units = pd.unique(pd.concat([workers[unit], cases[unit]], ignore_index=True).dropna())
    if empty_unit:  # dask's empty example of the output: run the engine on no rows
        units = np.array([None], dtype=object)
    results = []
    for u in sorted(units, key=_sort_key):
        pick_c = cases[unit].isna() if u is None else cases[unit] == u
        pick_w = workers[unit].isna() if u is None else workers[unit] == u
        with warnings.catch_warnings():
            # the rejections travel in the result's table; a warning in a worker is lost
            warnings.simplefilter("ignore")
            results.append(
                run(
                    cases[pick_c], workers[pick_w], _of(teams, unit, u), _of(reductions, unit, u), u
                )
            )
    missing = _missing_unit_rows(cases, workers, unit)
    out = {}
    for name in names:
        frames = [r[name] for r in results]
        if name == "rejected" and len(missing):
            frames.append(missing)
        out[name] = pd.concat(frames, ignore_index=name != "rejected") if frames else pd.DataFrame()
    return out


def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _of(frame: pd.DataFrame | None, unit: str, value: Any) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame[frame[unit] == value]


def _missing_unit_rows(cases: pd.DataFrame, workers: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Rows without a unit belong to no unit's figures: each is rejected with its reason."""
    parts = []
    for frame, table, id_col in ((cases, "cases", "case_id"), (workers, "workers", "worker_id")):
        lost = frame[frame[unit].isna()]
        if not len(lost):
            continue
        ids = lost[id_col] if id_col in lost.columns else pd.Series(None, index=lost.index)
        parts.append(
            pd.DataFrame(
                {
                    unit: pd.Series([None] * len(lost), dtype=object),
                    "table": table,
                    "row": lost.index.to_numpy(dtype=object),
                    "id": ids.to_numpy(dtype=object),
                    "column": unit,
                    "value": None,
                    "reason": f"'{unit}' is missing, so the row belongs to no unit",
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _compute(collections: list[Any], **kwargs: Any) -> list[Any]:
    """Compute dask collections together, with a progress bar on a distributed client."""
    import dask

    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):  # no distributed, or no client: dask's own scheduler
        return list(dask.compute(*collections, **kwargs))
    from distributed import as_completed, futures_of
    from tqdm.auto import tqdm

    persisted = client.persist(collections)
    futures = [f for c in persisted for f in futures_of(c)]
    with tqdm(total=len(futures), desc="units", unit="part", disable=None) as bar:
        for _ in as_completed(futures):
            bar.update()
    return list(client.compute(persisted, sync=True))
