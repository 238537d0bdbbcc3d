"""The result of scoring: tables per case, worker and team, explanations and exports.

Exports and reports live in :mod:`arbetstyngd.io` and :mod:`arbetstyngd.report`; the
convenience methods here import them only when called, so the engine never depends on them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from ._contract.suggest import suggestion
from ._engine.aggregate import unit_table
from ._engine.capacity import capacity_chain
from .labels import team_label, team_name_map
from .scheme import BAND_NAMES, Scheme

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matplotlib.axes import Axes

__all__ = ["Explanation", "Workload"]


@attrs.frozen(eq=False)
class Explanation:
    """Why one worker's figure is what it is.

    ``load_parts.points`` summed in order (``sum(...)``) reproduces :attr:`load` exactly, and
    the last ``capacity_parts.capacity`` is :attr:`capacity` exactly: both are computed by the
    same operations, in the same order, as the engine.
    """

    worker_id: Any
    team_id: Any
    load: float
    capacity: float
    utilisation: float
    band: str
    load_parts: pd.DataFrame
    capacity_parts: pd.DataFrame
    cases: pd.DataFrame
    #: the display name from the roster's ``name`` column (``None`` without one)
    name: Any = None

    def to_frame(self) -> pd.DataFrame:
        """Load and capacity contributions as one long table (``part``, ``name``, ``value``)."""
        load = pd.DataFrame(
            {
                "part": "load",
                "name": self.load_parts["case_type"],
                "value": self.load_parts["points"],
            }
        )
        cap = pd.DataFrame(
            {
                "part": "capacity",
                "name": self.capacity_parts["step"],
                "value": self.capacity_parts["factor"],
            }
        )
        return pd.concat([load, cap], ignore_index=True)

    def _repr_html_(self) -> str:
        e = html.escape
        return (
            f"<div><b>Worker {e(str(self.worker_id))}</b>{e(self._named())} "
            f"(team {e(str(self.team_id))}): "
            f"load {self.load:.1f} / capacity {self.capacity:.1f} = "
            f"<b>{self.utilisation:.0%}</b> ({e(self.band)})"
            f"{self.load_parts.to_html(index=False)}{self.capacity_parts.to_html(index=False)}</div>"
        )

    def _named(self) -> str:
        return "" if self.name is None or pd.isna(self.name) else f" {self.name}"

    def __str__(self) -> str:
        return (
            f"worker {self.worker_id}{self._named()} (team {self.team_id}): "
            f"load {self.load:.2f} / "
            f"capacity {self.capacity:.2f} = {self.utilisation:.1%} ({self.band})\n"
            f"{self.load_parts.to_string(index=False)}\n\n"
            f"{self.capacity_parts.to_string(index=False)}"
        )


class Deferred:
    """A table built on first use, once.

    ``at.score`` returns its per-case table this way: for a million cases the table adds about
    a quarter to a score, and a team or worker summary never needs it.
    """

    def __init__(self, build: Callable[[], pd.DataFrame]) -> None:
        self._build: Callable[[], pd.DataFrame] | None = build
        self._frame: pd.DataFrame | None = None

    def get(self) -> pd.DataFrame:
        if self._frame is None:
            assert self._build is not None
            self._frame = self._build()
            self._build = None  # let go of the inputs it was built from
        return self._frame


@attrs.frozen(eq=False)
class Workload:
    """Scored caseload.

    Attributes
    ----------
    cases : DataFrame
        Every valid case row: its source ``row``, ``active`` on the date, ``weight``, each
        complexity factor, and ``points``. Built on first access, so scoring a large unit
        for its worker and team figures does not pay for a per-case table it never reads.
    workers : DataFrame
        Per worker: ``n_cases``, ``load``, inputs and factors of the capacity, ``capacity``,
        ``utilisation`` and ``band``.
    teams : DataFrame
        Per team, as ratios of sums (sum of load / sum of capacity), with workers per band.
    rejected : DataFrame
        One row per problem: ``table``, ``row``, ``id``, ``column``, ``value``, ``reason``.
    scheme : Scheme
        The scheme that produced the figures.
    on : Timestamp or None
        The scoring date; ``None`` for a snapshot.
    reference_date : Timestamp
        The date experience was counted to (``on``, or the day of scoring for a snapshot).
    type_points : DataFrame
        Points per worker (rows, in ``workers`` order) and case type (columns).
    team_names : dict
        ``team_id`` → name, from the ``name`` column of the teams table the result was scored
        with (empty without one). Reports and plots show these names unless given others.
    """

    _cases: pd.DataFrame | Deferred = attrs.field(alias="cases")
    workers: pd.DataFrame
    teams: pd.DataFrame
    rejected: pd.DataFrame
    scheme: Scheme
    on: pd.Timestamp | None
    reference_date: pd.Timestamp
    type_points: pd.DataFrame
    #: The tables it was scored from, when kept (results of :func:`arbetstyngd.what_if`
    #: keep them so that :meth:`what_if` can build on them; ``at.score`` does not).
    inputs: Any = attrs.field(default=None, kw_only=True, repr=False)
    team_names: dict[Any, str] = attrs.field(factory=dict, converter=team_name_map, kw_only=True)

    @property
    def cases(self) -> pd.DataFrame:
        """Every valid case row (built on first use; see the class docstring)."""
        if isinstance(self._cases, Deferred):
            return self._cases.get()
        return self._cases

    # -- summaries ---------------------------------------------------------------------------

    @property
    def n_active(self) -> int:
        """Number of cases active on the date (every active case belongs to a scored worker)."""
        return int(self.workers["n_cases"].sum())

    @property
    def n_rejected(self) -> int:
        """Number of distinct case rows rejected."""
        rej = self.rejected
        return int(rej.loc[rej["table"] == "cases", "row"].nunique())

    def accounting(self) -> pd.DataFrame:
        """Rows in and where they went: scored and active, scored but not active, rejected."""
        rej = self.rejected
        out = []
        for table, valid in (("cases", len(self.cases)), ("workers", len(self.workers))):
            n_rej = int(rej.loc[rej["table"] == table, "row"].nunique())
            out.append({"table": table, "rows": valid + n_rej, "valid": valid, "rejected": n_rej})
        frame = pd.DataFrame(out)
        frame["active"] = [self.n_active, np.nan]
        return frame

    def meta(self) -> dict[str, Any]:
        """What produced the result: scheme id, dates, library version."""
        from ._version import __version__

        return {
            "scheme": self.scheme.id,
            "scheme_method": self.scheme.provenance.method,
            "on": None if self.on is None else self.on.date().isoformat(),
            "reference_date": self.reference_date.date().isoformat(),
            "arbetstyngd": __version__,
        }

    # -- explain -----------------------------------------------------------------------------

    def explain(self, worker_id: Any) -> Explanation:
        """Contributions of each case type and each capacity factor for one worker.

        Examples
        --------
        >>> import arbetstyngd as at
        >>> town = at.datasets.make_municipality(n_workers=6, n_teams=1, seed=2)
        >>> wl = at.score(town.cases, town.workers, town.scheme, on=town.on)
        >>> ex = wl.explain(wl.workers.worker_id[0])
        >>> sum(ex.load_parts.points) == ex.load
        True
        """
        matches = np.flatnonzero(self.workers["worker_id"].astype(str).to_numpy() == str(worker_id))
        if len(matches) == 0:
            known = self.workers["worker_id"].astype(str).tolist()
            hint = suggestion(worker_id, known)
            raise KeyError(f"worker {worker_id!r} is not among the scored workers{hint}")
        i = int(matches[0])
        row = self.workers.iloc[i]
        mine = self.cases[(self.cases["worker_id"] == row["worker_id"]) & self.cases["active"]]
        by_type = self.type_points.iloc[i].to_numpy()
        base = mine.groupby("case_type", sort=False)["weight"].sum()
        n = mine.groupby("case_type", sort=False).size()
        types = [t for t, p in zip(self.type_points.columns, by_type, strict=True) if n.get(t, 0)]
        points = [float(by_type[list(self.type_points.columns).index(t)]) for t in types]
        load_parts = pd.DataFrame(
            {
                "case_type": types,
                "label": [self.scheme.label(t, "sv") for t in types],
                "n_cases": [int(n[t]) for t in types],
                "base_points": [float(base[t]) for t in types],
                "complexity_points": [
                    p - float(base[t]) for t, p in zip(types, points, strict=True)
                ],
                "points": points,
            }
        )
        steps = capacity_chain(
            self.scheme.capacity,
            row["fte"],
            row["reduction"],
            [(a.name, row[a.covariate], row[f"{a.name}_factor"]) for a in self.scheme.adjustments],
        )
        return Explanation(
            worker_id=row["worker_id"],
            team_id=row["team_id"],
            load=float(row["load"]),
            capacity=float(row["capacity"]),
            utilisation=float(row["utilisation"]),
            band=str(row["band"]),
            load_parts=load_parts,
            capacity_parts=pd.DataFrame(steps, columns=["step", "value", "factor", "capacity"]),
            cases=mine.reset_index(drop=True),
            name=row["name"] if "name" in row.index else None,
        )

    # -- decisions (delegated to arbetstyngd.decide; imported on use) -----------------------

    def impact(self, case: Any, **options: Any) -> pd.DataFrame:
        """What a new case would do to each worker who may take it
        (:func:`arbetstyngd.impact`)."""
        from .decide import impact

        return impact(self, case, **options)

    def staff_need(self, target: float = 1.0) -> pd.DataFrame:
        """FTE needed per team and unit to reach ``target`` (:func:`arbetstyngd.staff_need`)."""
        from .decide import staff_need

        return staff_need(self, target)

    def what_if(self, scenario: Any, **inputs: Any) -> Any:
        """Re-score with a scenario's changes (:func:`arbetstyngd.what_if`); the inputs come
        from ``cases=``, ``workers=``, ``teams=``, or from the Workload when it keeps them."""
        from .decide.whatif import what_if_workload

        return what_if_workload(self, scenario, **inputs)

    # -- exports (delegated; imported on use) ----------------------------------------------

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result's tables by name, as written by the exports."""
        return {
            "teams": self.teams,
            "workers": self.workers,
            "cases": self.cases,
            "rejected": self.rejected,
            "weights": self.scheme.weights_table(),
        }

    def to_csv(
        self,
        directory: str | Path,
        *,
        excel_friendly: bool = False,
        lang: str | None = None,
    ) -> list[Path]:
        """Write each table as CSV (plus ``scheme.toml`` and ``meta.json``) into ``directory``.

        Parameters
        ----------
        directory : str or Path
            Created when missing.
        excel_friendly : bool, default False
            Write for Swedish Excel: semicolon, decimal comma, UTF-8 with a byte-order mark,
            and headers in ``lang`` (Swedish unless given).
        lang : {"sv", "en"}, optional
            Headers and band names in this language. Without it (and without
            ``excel_friendly``) the headers are the library's column names, for programs.

        Returns
        -------
        list of Path
            The files written.

        Notes
        -----
        Points, loads and capacities are rounded to
        :data:`arbetstyngd.io.writers.DECIMALS` places (shares and factors to more), so the
        files carry no float noise; Parquet and the result in memory keep full precision.
        """
        from .io.writers import write_workload

        return write_workload(
            self, directory, format="csv", excel_friendly=excel_friendly, lang=lang
        )

    def to_parquet(self, directory: str | Path) -> list[Path]:
        """Write each table as Parquet (plus ``scheme.toml`` and ``meta.json``), full precision."""
        from .io.writers import write_workload

        return write_workload(self, directory, format="parquet")

    def to_excel(
        self,
        path: str | Path,
        *,
        lang: str = "sv",
        team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
        title: str | None = None,
        teams: Any = None,
    ) -> Path:
        """Write one formatted Excel workbook: overview, teams, workers, cases, rejected, scheme.

        Parameters
        ----------
        path : str or Path
            The ``.xlsx`` file (folders are created).
        lang : {"sv", "en"}, default "sv"
            Language of sheet names, headers, band names and notes.
        team_names : mapping or DataFrame, optional
            ``team_id`` → name (or a teams frame with ``name``). Default: the names the
            result was scored with (:attr:`team_names`).
        title : str, optional
            Heading of the overview sheet.
        teams : optional
            Deprecated name of ``team_names``.

        Returns
        -------
        Path

        See Also
        --------
        arbetstyngd.report.excel_report : The function behind this method.
        """
        from .report.excel import excel_report

        return excel_report(self, path, lang=lang, team_names=team_names, title=title, teams=teams)

    def to_html(
        self,
        path: str | Path | None = None,
        *,
        lang: str = "sv",
        history: pd.DataFrame | None = None,
        min_group: int | None = None,
        team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
        title: str | None = None,
        subtitle: str | None = None,
        workers: bool | None = None,
        why: bool = True,
        streak_weeks: float = 4,
        progress: bool | None = None,
        teams: Any = None,
        forecast: Any = None,
    ) -> str:
        """A self-contained HTML report (one file, no network); written to ``path`` if given.

        Parameters
        ----------
        path : str or Path, optional
            Where to write the report (UTF-8). Without it only the text is returned.
        lang : {"sv", "en"}, default "sv"
            Language of every word, number and date.
        history : DataFrame, optional
            A timeline from :func:`arbetstyngd.timeline`: adds utilisation over time and who
            has been above "high" for ``streak_weeks`` or more.
        min_group : int, optional
            For reports that leave the unit: groups with fewer workers are shown without
            figures, and no figures per worker are shown.
        team_names : mapping or DataFrame, optional
            ``team_id`` → name. Default: the names the result was scored with.
        title, subtitle : str, optional
            The heading (default "Arbetstyngd – rapport" / "Workload report") and a line
            under it.
        workers : bool, optional
            A section per team with each worker (default: yes, unless ``min_group`` is set).
        why : bool, default True
            Each worker's explanation chart (folded; opened when printing).
        streak_weeks : float, default 4
            How long a run above "high" must be to be listed.
        progress : bool, optional
            A progress bar while worker charts are drawn (default: above 100 workers).
        teams : optional
            Deprecated name of ``team_names``.
        forecast : Forecast, optional
            From :func:`arbetstyngd.forecast`: adds the forecast chart with its 80 % and 95 %
            bands and each team's median utilisation on the last date.

        Returns
        -------
        str
            The HTML document.

        See Also
        --------
        arbetstyngd.report.html_report : The function behind this method.
        """
        from .report import html_report

        return html_report(
            self,
            path,
            lang=lang,
            history=history,
            min_group=min_group,
            team_names=team_names,
            title=title,
            subtitle=subtitle,
            workers=workers,
            why=why,
            streak_weeks=streak_weeks,
            progress=progress,
            forecast=forecast,
            teams=teams,
        )

    def plot(
        self,
        kind: str = "utilisation",
        *,
        ax: Axes | None = None,
        lang: str = "sv",
        team: Any = None,
        team_names: Mapping[Any, Any] | pd.DataFrame | None = None,
        title: str | bool = True,
        share: bool = False,
        top: int = 8,
        annotate: bool = True,
    ) -> Axes:
        """A matplotlib chart of the result.

        Parameters
        ----------
        kind : {"utilisation", "teams", "case_mix"}, default "utilisation"
            Bars of utilisation per worker, per team, or points per case type per team.
        ax : Axes, optional
            Draw here (else on a new figure).
        lang : {"sv", "en"}, default "sv"
            Language of titles, axes and band names.
        team : optional
            Only the workers of this team (``kind="utilisation"``), or the workers of this
            team instead of teams (``kind="case_mix"``).
        team_names : mapping or DataFrame, optional
            ``team_id`` → name. Default: the names the result was scored with.
        title : str or bool, default True
            A title (``True``: the chart's standard title; ``False``: none).
        share : bool, default False
            ``kind="case_mix"``: each case type's share of the points instead of points.
        top : int, default 8
            ``kind="case_mix"``: the case types shown; the rest are "other".
        annotate : bool, default True
            ``kind="utilisation"`` or ``"teams"``: the percentage and band at each bar's end.

        Returns
        -------
        Axes

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import arbetstyngd as at
        >>> town = at.datasets.make_municipality(n_workers=8, n_teams=2, seed=1)
        >>> wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
        >>> ax = wl.plot("teams", lang="en")
        >>> ax.get_title(loc="left")
        'Utilisation by team'
        """
        from .plot import workload

        return workload(self, kind, ax=ax, lang=lang, team=team, team_names=team_names, title=title)

    # -- display ---------------------------------------------------------------------------

    @property
    def unit(self) -> pd.Series:
        """The whole unit as one row: ``n_workers``, ``fte``, ``n_cases``, ``load``,
        ``capacity``, ``utilisation`` (sum of load / sum of capacity), ``band`` and workers
        per band."""

        return unit_table(self.workers, self.scheme)

    def band_counts(self) -> pd.Series:
        return self.workers["band"].value_counts().reindex(list(BAND_NAMES), fill_value=0)

    def __repr__(self) -> str:
        when = "snapshot" if self.on is None else f"on {self.on.date()}"
        return (
            f"<Workload {when}, scheme {self.scheme.id}: {len(self.workers)} workers in "
            f"{len(self.teams)} teams, {self.n_active} active cases, "
            f"{self.n_rejected} case rows rejected>"
        )

    def _repr_html_(self) -> str:
        from .labels import BAND_COLOURS, BAND_TEXT_COLOURS

        e = html.escape

        def chip(band: Any) -> str:
            name = str(band)
            colour = BAND_COLOURS.get(name, "#eeeeee")
            ink = BAND_TEXT_COLOURS.get(name, "#333333")
            return (
                f"<span style='background:{colour};color:{ink};padding:0 6px;"
                f"border-radius:8px'>{e(name)}</span>"
            )

        when = "snapshot" if self.on is None else f"on {self.on.date()}"
        counts = self.band_counts()
        unit = float(self.unit["utilisation"])
        rows = "".join(
            f"<tr><td>{e(team_label(t.team_id, self.team_names))}</td>"
            f"<td style='text-align:right'>{t.n_workers}</td>"
            f"<td style='text-align:right'>{t.n_cases}</td>"
            f"<td style='text-align:right'>{t.load:.1f}</td>"
            f"<td style='text-align:right'>{t.capacity:.1f}</td>"
            f"<td style='text-align:right'><b>{t.utilisation:.0%}</b></td><td>{chip(t.band)}</td>"
            f"<td>{' · '.join(str(getattr(t, f'n_{b}')) for b in BAND_NAMES)}</td></tr>"
            for t in self.teams.itertuples(index=False)
        )
        rejected = (
            f"; <b>{self.n_rejected}</b> case rows rejected (see <code>.rejected</code>)"
            if self.n_rejected
            else ""
        )
        return (
            f"<div><b>Workload</b> {e(when)} · scheme <code>{e(self.scheme.id)}</code> "
            f"({e(self.scheme.provenance.method)})<br>{len(self.workers)} workers, "
            f"{self.n_active} active cases{rejected}<br>"
            f"unit utilisation <b>{unit:.0%}</b> (sum of load / sum of capacity); workers per "
            f"band: {', '.join(f'{chip(b)} {counts[b]}' for b in BAND_NAMES)}"
            "<table><thead><tr><th>team</th><th>workers</th><th>active cases</th><th>load</th>"
            "<th>capacity</th><th>utilisation</th><th>band</th>"
            f"<th>{' · '.join(BAND_NAMES)}</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
