"""A suggested allocation of a batch of new cases, with the reasons for each suggestion.

Advice for the first-line manager, never an automatic decision. The rules decide who may take
what (:class:`~arbetstyngd.decide.Rules`); continuity places a case with the worker who
already has the subject or family; the rest is solved so that the highest resulting
utilisation is as low as possible, then the spread (see :mod:`arbetstyngd.decide.solver`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from ..errors import DataError, Said
from ._engine import Workload, case_points
from .continuity import Links, link_cases
from .eligibility import Pool, allowed, ceiling_of, pool_of, why_none
from .impacts import as_cases
from .rules import Rules
from .solver import Problem, Solution, solve_exact, solve_greedy
from .words import check_lang, percent, say

__all__ = ["Allocation", "allocate"]

#: Above this many (class, worker) pairs, ``method="auto"`` uses the greedy.
EXACT_MAX_PAIRS = 200_000


@attrs.frozen(eq=False)
class Allocation:
    """A suggested allocation: advice for the manager, never an automatic decision.

    Attributes
    ----------
    suggestions : DataFrame
        One row per new case, in input order: ``case_id``, ``case_type``, ``points``,
        ``worker_id`` (empty when unassigned), ``team_id``, ``utilisation_before``,
        ``utilisation_after``, ``band_before``, ``band_after``, ``reasons``.
    workers : DataFrame
        One row per worker who receives a case: ``n_new``, ``points_new``, utilisation and
        band before and after.
    method : str
        ``"milp"`` (solved exactly: the highest utilisation and the spread proven best within
        :data:`~arbetstyngd.decide.solver.TOL`), ``"milp-time-limit"`` (best found in the
        time limit, not proven best; :attr:`gap` says how far it can be) or ``"greedy"``.
    highest : float
        The highest resulting utilisation among the workers who receive a case.
    bound : float
        For the cases the solver placed (all but those placed by continuity): no
        allocation of them can have a lower highest utilisation than this (NaN: unknown).
    gap : float
        How far the solver's highest utilisation can at most be above the best possible
        (``0`` when proven best; NaN: unknown).
    """

    suggestions: pd.DataFrame
    workers: pd.DataFrame
    method: str
    highest: float
    bound: float
    gap: float
    lang: str

    @property
    def note(self) -> str:
        """The advice notice and how the suggestion was found, in the allocation's language."""
        gap = max(0.0, self.gap * 100) if np.isfinite(self.gap) else 0.0
        key = {"greedy": "method_greedy", "milp": "method_milp"}.get(self.method)
        how = say(key or "method_milp_limit", self.lang, gap=gap)
        return f"{say('advice', self.lang)} ({how})"

    @property
    def n_unassigned(self) -> int:
        return int(self.suggestions["worker_id"].isna().sum())

    def to_frame(self) -> pd.DataFrame:
        """The suggestions, one row per new case."""
        return self.suggestions

    def __str__(self) -> str:
        shown = self.suggestions.assign(
            utilisation_before=[percent(u, self.lang) for u in self.suggestions.utilisation_before],
            utilisation_after=[percent(u, self.lang) for u in self.suggestions.utilisation_after],
        )
        cols = ["case_id", "case_type", "worker_id", "utilisation_before", "utilisation_after"]
        with pd.option_context("display.max_colwidth", 200, "display.width", 200):
            table = shown[[*cols, "reasons"]].fillna("").to_string(index=False)
        return f"{self.note}\n{table}"

    def _repr_html_(self) -> str:
        e = html.escape
        return (
            f"<div><p><i>{e(self.note)}</i></p>"
            f"{self.suggestions.to_html(index=False, na_rep='')}</div>"
        )


def _items(
    forced: np.ndarray, groups: np.ndarray, ok: np.ndarray, points: np.ndarray
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The cases still to place as items: each group of new cases that go together is one."""
    members, item_ok, item_points = [], [], []
    for g in np.unique(groups[forced < 0]):
        cases = np.flatnonzero((groups == g) & (forced < 0))
        joint = ok[cases].all(axis=0)
        if len(cases) > 1 and not joint.any():  # nobody may take all: place them one by one
            for c in cases:
                members.append(np.array([c]))
                item_ok.append(ok[c])
                item_points.append(points[c])
            continue
        members.append(cases)
        item_ok.append(joint)
        item_points.append(points[cases].sum())
    n_w = ok.shape[1]
    return members, np.array(item_ok, dtype=bool).reshape(len(members), n_w), np.array(item_points)


def _classes(item_ok: np.ndarray, item_points: np.ndarray) -> np.ndarray:
    """Items with the same points and the same allowed workers are interchangeable."""
    keys: dict[tuple[float, bytes], int] = {}
    cls = np.empty(len(item_points), dtype=np.int64)
    for i in range(len(item_points)):
        key = (float(item_points[i]), np.packbits(item_ok[i]).tobytes())
        cls[i] = keys.setdefault(key, len(keys))
    return cls


def _solve(
    pool: Pool,
    u: np.ndarray,
    item_ok: np.ndarray,
    item_points: np.ndarray,
    ceiling: float,
    method: str,
    time_limit: float,
) -> tuple[np.ndarray, Solution]:
    """Worker per item (``-1``: none) and the solver's solution, classes handled inside."""
    if len(item_points) == 0:  # every case placed by continuity
        return np.full(0, -1), Solution(np.full(0, -1), np.nan, "milp")
    cls = _classes(item_ok, item_points)
    n_cls = int(cls.max()) + 1 if len(cls) else 0
    first = np.array([np.flatnonzero(cls == k)[0] for k in range(n_cls)], dtype=np.int64)
    problem = Problem(
        points=item_points[first],
        ok=item_ok[first] if n_cls else np.zeros((0, len(pool)), dtype=bool),
        utilisation=u,
        capacity=pool.capacity,
        ceiling=ceiling,
        count=np.bincount(cls, minlength=n_cls).astype(np.int64),
    )
    greedy = solve_greedy(problem)
    pairs = int(problem.fits().sum())
    exact = method == "exact" or (method == "auto" and pairs <= EXACT_MAX_PAIRS)
    solution = solve_exact(problem, greedy=greedy, time_limit=time_limit) if exact else greedy
    # items are numbered class by class inside the problem; map back to input items
    order = np.argsort(cls, kind="stable")
    worker = np.full(len(item_points), -1)
    worker[order] = solution.worker
    return worker, solution


def allocate(
    wl: Workload,
    new_cases: Any,
    *,
    rules: Rules | Mapping[str, Any] | str | None = None,
    on: Any = None,
    cases: pd.DataFrame | None = None,
    method: Literal["auto", "exact", "greedy"] = "auto",
    time_limit: float = 10.0,
    lang: str = "sv",
) -> Allocation:
    """Suggest who takes each of a batch of new cases, with the reasons.

    Parameters
    ----------
    wl : Workload
        Today's caseload, scored on the date of the allocation.
    new_cases : DataFrame, mapping or list of mappings
        ``case_id``, ``case_type``, optional ``phase``, flag columns, and ``subject_id`` /
        ``family_id`` (pseudonymised) for continuity.
    rules : Rules, dict or TOML path/text, optional
        Who may take what (default: any worker with capacity, ceiling *critical*, continuity).
    on : date-like, optional
        Only for continuity: the caseload's cases open on this date count (default: the
        Workload's date, or every case without a closed date for a snapshot).
    cases : DataFrame, optional
        Today's caseload with ``subject_id`` and/or ``family_id``, for continuity.
    method : {"auto", "exact", "greedy"}
        ``"auto"``: exact up to :data:`EXACT_MAX_PAIRS` pairs of (case class, worker), else
        the greedy with its bound. The exact solve searches the highest level, then the
        spread, deciding each level with a linear relaxation over whole-case packings and
        small mixed-integer programs (HiGHS through SciPy); see
        :func:`~arbetstyngd.decide.solver.solve_exact`.
    time_limit : float
        Seconds the exact solver may use; past it, the best solution found is used and
        :attr:`Allocation.method` says so.
    lang : {"sv", "en"}
        Language of the reasons.

    Returns
    -------
    Allocation

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1)
    >>> wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    >>> new = [{"case_id": "N1", "case_type": "bou_utredning"},
    ...        {"case_id": "N2", "case_type": "bou_forhandsbedomning"}]
    >>> a = at.allocate(wl, new, rules={"ceiling": "high"}, lang="en")
    >>> a.suggestions.shape[0], a.method
    (2, 'milp')
    """
    check_lang(lang)
    if method not in ("auto", "exact", "greedy"):
        raise ValueError(f"'method' must be 'auto', 'exact' or 'greedy' (got {method!r})")
    frame = as_cases(new_cases)
    if frame["case_id"].duplicated().any():
        dup = frame.loc[frame["case_id"].duplicated(), "case_id"].tolist()
        raise DataError(Said("err.new_cases_repeated", repeated=str(dup[:5])))
    points = case_points(frame, wl.scheme)
    the_rules = Rules.coerce(rules)
    the_rules.check(wl)
    pool = pool_of(wl, the_rules)
    if not len(pool):
        raise DataError(Said("err.no_worker_to_allocate"))
    types = frame["case_type"].astype(str).tolist()
    ok = allowed(pool, types, the_rules)
    when = on if on is not None else wl.on
    links = link_cases(frame, cases, pool, when) if the_rules.continuity else Links.none(frame)
    u = np.where(pool.available, pool.utilisation, np.inf)
    ceiling = ceiling_of(wl.scheme, the_rules.ceiling)
    forced, notes, u = _continuity(links, ok, points, pool, u, wl, lang)
    members, item_ok, item_points = _items(forced, links.group, ok, points)
    item_worker, solution = _solve(pool, u, item_ok, item_points, ceiling, method, time_limit)
    worker = forced.copy()
    for m, w in zip(members, item_worker, strict=True):
        worker[m] = w
    return _result(
        wl, frame, points, pool, worker, forced, links, notes, solution, ok, the_rules, lang
    )


def _continuity(
    links: Links,
    ok: np.ndarray,
    points: np.ndarray,
    pool: Pool,
    u: np.ndarray,
    wl: Workload,
    lang: str,
) -> tuple[np.ndarray, list[list[str]], np.ndarray]:
    """Place linked cases with their worker unless the rules bar it or it reaches critical."""
    forced = np.full(len(points), -1)
    notes: list[list[str]] = [[] for _ in range(len(points))]
    u = u.copy()
    critical = wl.scheme.bands.critical
    for c in np.flatnonzero(links.worker >= 0):
        w = int(links.worker[c])
        after = u[w] + points[c] / pool.capacity[w]
        if ok[c, w] and after < critical:
            forced[c] = w
            u[w] = after
            continue
        why = say("barred", lang) if not ok[c, w] else say("would_be_critical", lang)
        notes[c].append(say("continuity_blocked", lang, worker=pool.ids[w], why=why))
    return forced, notes, u


def _reasons(
    c: int,
    w: int,
    fits_n: int,
    lowest: bool,
    forced: np.ndarray,
    links: Links,
    rules: Rules,
    case_type: str,
    lang: str,
) -> list[str]:
    out = []
    if forced[c] >= 0:
        out.append(say("sibling" if links.by_family[c] else "subject", lang))
    elif (links.group == links.group[c]).sum() > 1 and rules.continuity:
        out.append(say("together", lang))
    if forced[c] < 0:
        if fits_n == 1:
            key = "only_experienced" if case_type in rules.min_experience else "only_one"
            out.append(say(key, lang))
        elif fits_n > 1:
            out.append(say("lowest" if lowest else "of_n", lang, n=fits_n))
    return out


def _receivers(
    pool: Pool, worker: np.ndarray, points: np.ndarray, u0: np.ndarray, u1: np.ndarray, bands: Any
) -> pd.DataFrame:
    """One row per worker who receives new cases, the most loaded afterwards first."""
    given = worker >= 0
    receivers = np.unique(worker[given])
    return pd.DataFrame(
        {
            "worker_id": pool.ids[receivers],
            "team_id": pool.team[receivers],
            "n_new": np.bincount(worker[given], minlength=len(pool))[receivers],
            "points_new": np.bincount(worker[given], weights=points[given], minlength=len(pool))[
                receivers
            ],
            "utilisation_before": u0[receivers],
            "utilisation_after": u1[receivers],
            "band_before": bands.classify(u0[receivers]),
            "band_after": bands.classify(u1[receivers]),
        }
    ).sort_values("utilisation_after", ascending=False, ignore_index=True)


def _result(
    wl: Workload,
    frame: pd.DataFrame,
    points: np.ndarray,
    pool: Pool,
    worker: np.ndarray,
    forced: np.ndarray,
    links: Links,
    notes: list[list[str]],
    solution: Solution,
    ok: np.ndarray,
    rules: Rules,
    lang: str,
) -> Allocation:
    """One row per new case with its reasons, and one per receiving worker."""
    u0 = pool.utilisation
    u1 = u0.copy()
    given = worker >= 0
    np.add.at(u1, worker[given], points[given] / pool.capacity[worker[given]])
    ceiling = ceiling_of(wl.scheme, rules.ceiling)
    with np.errstate(divide="ignore", invalid="ignore"):
        alone = np.where(ok, u0[None, :] + points[:, None] / pool.capacity[None, :], np.inf)
    fits = alone < ceiling
    bands = wl.scheme.bands
    rows = []
    for c in range(len(frame)):
        w = int(worker[c])
        case_type = str(frame["case_type"].iloc[c])
        if w < 0:
            batch = bool(fits[c].any())
            reasons = [*notes[c], why_none(case_type, pool, rules, lang, batch=batch)]
            rows.append((None, None, np.nan, np.nan, reasons))
            continue
        lowest = bool(alone[c, w] <= alone[c][fits[c]].min() + 1e-12) if fits[c].any() else False
        reasons = [
            *notes[c],
            *_reasons(c, w, int(fits[c].sum()), lowest, forced, links, rules, case_type, lang),
            say("change", lang, before=percent(u0[w], lang), after=percent(u1[w], lang)),
        ]
        if forced[c] >= 0 and u1[w] >= ceiling:
            reasons.append(say("over_ceiling", lang, band=rules.ceiling))
        rows.append((pool.ids[w], pool.team[w], u0[w], u1[w], reasons))
    before = np.array([r[2] for r in rows], dtype=float)
    after = np.array([r[3] for r in rows], dtype=float)
    suggestions = pd.DataFrame(
        {
            "case_id": frame["case_id"].to_numpy(dtype=object),
            "case_type": frame["case_type"].to_numpy(dtype=object),
            "points": points,
            "worker_id": [r[0] for r in rows],
            "team_id": [r[1] for r in rows],
            "utilisation_before": before,
            "utilisation_after": after,
            "band_before": bands.classify(before),
            "band_after": bands.classify(after),
            "reasons": ["; ".join(r[4]) for r in rows],
        }
    )
    receivers = np.unique(worker[given])
    per_worker = _receivers(pool, worker, points, u0, u1, bands)
    top = float(u1[receivers].max()) if len(receivers) else np.nan
    return Allocation(
        suggestions=suggestions,
        workers=per_worker,
        method=solution.method,
        highest=top,
        bound=solution.bound,
        gap=0.0 if solution.method == "milp" else solution.highest - solution.bound,
        lang=lang,
    )
