"""What if: re-score the inputs with a scenario's changes and compare with today.

The changed inputs go through :func:`arbetstyngd.score` like any other, so the figures are
the engine's and an empty scenario gives the original result bit for bit.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._contract.reasons import reason_label
from ..errors import Both, RejectedRowsWarning, Said, ScenarioError, kind_words
from ._engine import Scheme, Workload, day, load_scheme, quiet_score
from .scenario import Inputs, Scenario

__all__ = ["WhatIf", "compare", "what_if"]

_FIGURES = ("n_cases", "load", "capacity", "utilisation")


def _side_by_side(
    before: pd.DataFrame, after: pd.DataFrame, key: str, cols: list[str]
) -> pd.DataFrame:
    """Before, after and change of each figure, one row per key (outer join)."""
    b = before.set_index(before[key].astype(str))
    a = after.set_index(after[key].astype(str))
    keys = list(dict.fromkeys([*b.index, *a.index]))
    out = pd.DataFrame({key: keys})
    if key == "worker_id":
        team = a["team_id"].reindex(keys).astype(object)
        out["team_id"] = team.where(
            team.notna(), b["team_id"].reindex(keys).astype(object)
        ).to_numpy()
    out["status"] = np.select(
        [~pd.Index(keys).isin(b.index), ~pd.Index(keys).isin(a.index)], ["new", "gone"], "kept"
    )
    for col in cols:
        x = b[col].reindex(keys).to_numpy(dtype=float)
        y = a[col].reindex(keys).to_numpy(dtype=float)
        out[f"{col}_before"] = x
        out[f"{col}_after"] = y
        out[f"{col}_change"] = y - x
    out["band_before"] = b["band"].reindex(keys).astype(object).to_numpy()
    out["band_after"] = a["band"].reindex(keys).astype(object).to_numpy()
    return out


def compare(before: Workload, after: Workload) -> dict[str, pd.DataFrame]:
    """Before/after/change tables per worker, team and for the unit."""
    unit_b = before.unit.to_frame().T.assign(unit="all")
    unit_a = after.unit.to_frame().T.assign(unit="all")
    team_cols = ["n_workers", "fte", *_FIGURES]
    return {
        "workers": _side_by_side(before.workers, after.workers, "worker_id", list(_FIGURES)),
        "teams": _side_by_side(before.teams, after.teams, "team_id", team_cols),
        "unit": _side_by_side(unit_b, unit_a, "unit", team_cols).drop(columns=["status"]),
    }


@attrs.frozen(eq=False)
class WhatIf:
    """A scenario's result: the new Workload and what changed, per worker, team and unit.

    Attributes
    ----------
    before, after : Workload
        Today's result and the result with the scenario's changes (both keep their inputs,
        so ``after.what_if(...)`` builds on this one).
    workers, teams, unit : DataFrame
        ``<figure>_before``, ``<figure>_after`` and ``<figure>_change`` for ``n_cases``,
        ``load``, ``capacity`` and ``utilisation`` (teams and unit also ``n_workers`` and
        ``fte``), with the band before and after; ``status`` says whether a worker or team
        is ``kept``, ``new`` or ``gone``.
    """

    scenario: Scenario
    before: Workload
    after: Workload
    workers: pd.DataFrame
    teams: pd.DataFrame
    unit: pd.DataFrame

    def __str__(self) -> str:
        cols = [
            "team_id",
            "status",
            "utilisation_before",
            "utilisation_after",
            "utilisation_change",
        ]
        when = "snapshot" if self.after.on is None else f"on {self.after.on.date()}"
        with pd.option_context("display.width", 200):
            return (
                f"what if: {self.scenario.name or 'scenario'} ({len(self.scenario.changes)} "
                f"change(s)), {when}\n{self.teams[cols].round(3).to_string(index=False)}"
            )

    def _repr_html_(self) -> str:
        return (
            f"<div><b>What if</b>: {html.escape(self.scenario.name or 'scenario')}"
            f"{self.teams.to_html(index=False)}{self.unit.to_html(index=False)}</div>"
        )


def _coerce(scenario: Scenario | Mapping[str, Any] | str | Path) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Mapping):
        return Scenario.from_dict(scenario)
    return Scenario.from_toml(scenario)


def _new_rejections(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    seen = set(zip(before["table"], before["id"].astype(str), before["column"], strict=True))
    fresh = [
        (t, i, c) not in seen
        for t, i, c in zip(after["table"], after["id"].astype(str), after["column"], strict=True)
    ]
    return after[np.asarray(fresh, dtype=bool)] if len(after) else after


def what_if(
    cases: pd.DataFrame,
    workers: pd.DataFrame,
    scheme: Scheme | str,
    scenario: Scenario | Mapping[str, Any] | str | Path,
    *,
    teams: pd.DataFrame | None = None,
    reductions: pd.DataFrame | None = None,
    on: Any = None,
) -> WhatIf:
    """Score the inputs as they are and with a scenario's changes, and compare.

    Parameters
    ----------
    cases, workers, scheme, teams, reductions, on
        As for :func:`arbetstyngd.score`.
    scenario : Scenario, dict or TOML path/text
        The changes; each dated change must be on or before ``on`` (for later changes, use a
        forecast).

    Returns
    -------
    WhatIf

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1)
    >>> s = {"changes": [{"kind": "hire", "team": "T1", "fte": 1.0, "experience_years": 6}]}
    >>> w = at.what_if(town.cases, town.workers, town.scheme, s, teams=town.teams, on=town.on)
    >>> int(w.teams.n_workers_change.sum())
    1
    """
    the_scheme = load_scheme(scheme)  # a Scheme as it is, else by name or path
    the_scenario = _coerce(scenario)
    when = day(on if on is not None else pd.Timestamp.today(), "on")
    the_scenario.check_dates(
        None, when, Said("err.what.whatif_date" if on is not None else "err.what.today")
    )
    before = quiet_score(cases, workers, the_scheme, teams=teams, reductions=reductions, on=on)
    if len(before.rejected):
        n = int(before.rejected["row"].nunique())
        warnings.warn(RejectedRowsWarning.of("warn.rejected_before", n=n), stacklevel=2)
    inputs = the_scenario.apply(cases, workers, teams, the_scheme, on=on, reductions=reductions)
    if the_scenario.is_empty:
        after = before
    else:
        after = quiet_score(
            inputs.cases,
            inputs.workers,
            inputs.scheme,
            teams=inputs.teams,
            reductions=inputs.reductions,
            on=on,
        )
        fresh = _new_rejections(before.rejected, after.rejected)
        if len(fresh):
            first = fresh.iloc[0]
            raise ScenarioError(
                Said(
                    "err.whatif_rejects",
                    count=str(len(fresh)),
                    table=kind_words(str(first["table"])),
                    id=repr(first["id"]),
                    column=first["column"],
                    reason=Both(reason_label(str(first["code"])), str(first["reason"])),
                )
            )
    before = attrs.evolve(before, inputs=Inputs(cases, workers, teams, the_scheme, reductions))
    after = attrs.evolve(after, inputs=inputs)
    tables = compare(before, after)
    return WhatIf(the_scenario, before, after, **tables)


def what_if_workload(
    wl: Workload,
    scenario: Scenario | Mapping[str, Any] | str | Path,
    **inputs: Any,
) -> WhatIf:
    """:func:`what_if` for a Workload: from the inputs it keeps, or the ones given."""
    kept = getattr(wl, "inputs", None)
    if kept is None and ("cases" not in inputs or "workers" not in inputs):
        raise ValueError(
            "this Workload does not keep its inputs (at.score does not store them): call "
            "wl.what_if(scenario, cases=..., workers=..., teams=...) or "
            "at.what_if(cases, workers, scheme, scenario, teams=..., on=...)"
        )
    if kept is not None:
        base = {"cases": kept.cases, "workers": kept.workers, "teams": kept.teams}
        base["reductions"] = kept.reductions
        inputs = {**base, **inputs}
    return what_if(
        inputs["cases"],
        inputs["workers"],
        wl.scheme,
        scenario,
        teams=inputs.get("teams"),
        reductions=inputs.get("reductions"),
        on=wl.on,
    )
