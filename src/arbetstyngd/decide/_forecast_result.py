"""The forecast's results: bands per team and date, and a backtest's coverage."""

from __future__ import annotations

import html
from typing import Any

import attrs
import numpy as np
import pandas as pd

__all__ = ["BAND_COLUMNS", "MEASURES", "QUANTILES", "Backtest", "Forecast", "band_table"]

#: Percentiles of the paths behind each band column (2.5, 10, 50, 90, 97.5).
QUANTILES = (0.025, 0.1, 0.5, 0.9, 0.975)
BAND_COLUMNS = ("low95", "low80", "median", "high80", "high95")
MEASURES = ("load", "capacity", "utilisation", "staff_need")
UNIT = "unit"


def band_table(
    load: np.ndarray,
    capacity: np.ndarray,
    team_ids: list[Any],
    dates: pd.DatetimeIndex,
    p: float | np.ndarray,
) -> pd.DataFrame:
    """The tidy table of bands from load paths (path, team, date) and capacity (team, date).

    The unit is the last group: its load and capacity are sums over the teams (a ratio of
    sums). Capacity is the same on every path, so the percentiles of utilisation and staff
    need are those of load divided by capacity and by ``p`` (the scheme's normal load, or
    one per date when a scenario changes it).
    """
    unit_load = load.sum(axis=1, keepdims=True)
    all_load = np.concatenate([load, unit_load], axis=1)
    all_cap = np.vstack([capacity, capacity.sum(axis=0, keepdims=True)])
    # each (group, date)'s paths sorted once: the percentiles then read them without a search
    ordered = np.sort(all_load.reshape(len(all_load), -1).T, axis=1)
    q_load = np.quantile(ordered, QUANTILES, axis=1).reshape(-1, *all_load.shape[1:])
    with np.errstate(divide="ignore", invalid="ignore"):
        q_util = np.where(all_cap > 0, q_load / all_cap, np.nan)
    values = np.stack(
        [
            q_load,
            np.broadcast_to(all_cap, q_load.shape),
            q_util,
            q_load / np.asarray(p, dtype=float),
        ]
    )  # (measure, 5, groups, dates)
    n_m, _, n_g, n_t = values.shape
    # rows in the order group, date, measure
    flat = values.transpose(2, 3, 0, 1).reshape(n_g * n_t * n_m, len(QUANTILES))
    groups = [*team_ids, None]
    out = pd.DataFrame(
        {
            "date": np.tile(np.repeat(dates.to_numpy(), n_m), n_g),
            "level": np.repeat(["team"] * (n_g - 1) + [UNIT], n_t * n_m),
            "team_id": pd.Series(groups, dtype=object).repeat(n_t * n_m).to_numpy(),
            "measure": np.tile(np.array(MEASURES, dtype=object), n_g * n_t),
        }
    )
    for j, name in enumerate(BAND_COLUMNS):
        out[name] = flat[:, j]
    return out


@attrs.frozen(eq=False)
class Forecast:
    """Load, capacity, utilisation and staff need ahead, with median and 80 % / 95 % bands.

    Attributes
    ----------
    table : DataFrame
        One row per (team or unit, date, measure): ``date``, ``level`` ("team" or "unit"),
        ``team_id`` (empty for the unit), ``measure`` (load, capacity, utilisation,
        staff_need), and ``low95``, ``low80``, ``median``, ``high80``, ``high95`` (the 2.5,
        10, 50, 90 and 97.5 percentiles over the paths).
    load_paths : ndarray, shape (n_paths, n_teams, n_dates)
        Every simulated path of team load, for other summaries.
    capacity : DataFrame
        Capacity per team (rows) and date (columns).
    start : Timestamp
        The last day of history the forecast used.
    notes : tuple of str
        What the history lacked (also issued as ``ThinHistoryWarning``).
    """

    table: pd.DataFrame
    load_paths: np.ndarray
    capacity: pd.DataFrame
    start: pd.Timestamp
    scheme: str
    notes: tuple[str, ...]
    rejected: pd.DataFrame

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.capacity.columns)

    @property
    def n_paths(self) -> int:
        return int(self.load_paths.shape[0])

    def measure(self, name: str = "utilisation", level: str | None = None) -> pd.DataFrame:
        """The rows of one measure (optionally of one level), without the ``measure`` column."""
        if name not in MEASURES:
            raise ValueError(f"'name' must be one of {', '.join(MEASURES)} (got {name!r})")
        rows = self.table["measure"] == name
        if level is not None:
            rows &= self.table["level"] == level
        return self.table.loc[rows].drop(columns="measure").reset_index(drop=True)

    def plot(self, **options: Any) -> Any:
        """The forecast chart with bands (see :func:`arbetstyngd.plot.forecast`)."""
        from ..plot import forecast as chart

        return chart(self, **options)

    def _summary(self) -> pd.DataFrame:
        last = self.measure("utilisation")
        last = last[last["date"] == last["date"].max()]
        return last[["level", "team_id", "low80", "median", "high80"]]

    def __repr__(self) -> str:
        s = self._summary()
        lines = [
            f"Forecast from {self.start.date()} to {self.dates[-1].date()} "
            f"({len(self.dates)} dates, {self.n_paths} paths, scheme {self.scheme})",
            "utilisation on the last date: median (80 % band)",
        ]
        for level, team, lo, mid, hi in s.itertuples(index=False):
            lines.append(f"  {team if level == 'team' else 'unit'}: {mid:.0%} ({lo:.0%}–{hi:.0%})")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(str(t) if lv == 'team' else 'unit')}</td><td>{m:.0%}</td>"
            f"<td>{lo:.0%} – {hi:.0%}</td></tr>"
            for lv, t, lo, m, hi in self._summary().itertuples(index=False)
        )
        notes = "".join(f"<li>{e(n)}</li>" for n in self.notes)
        return (
            f"<div><b>Forecast</b> from {self.start.date()} to {self.dates[-1].date()}, "
            f"{self.n_paths} paths (scheme {e(self.scheme)})"
            "<table><tr><th>team</th><th>median utilisation</th><th>80 % band</th></tr>"
            f"{rows}</table>{f'<ul>{notes}</ul>' if notes else ''}</div>"
        )


@attrs.frozen(eq=False)
class Backtest:
    """How often the realised utilisation fell inside the forecast's bands.

    Attributes
    ----------
    table : DataFrame
        One row per (origin, date, team or unit): ``origin``, ``date``, ``step`` (dates
        ahead), ``level``, ``team_id``, ``realised``, the band columns and ``inside80`` /
        ``inside95``.
    coverage : DataFrame
        Per level: ``n`` (comparisons), ``inside80`` and ``inside95`` (shares).
    """

    table: pd.DataFrame
    coverage: pd.DataFrame
    origins: pd.DatetimeIndex
    notes: tuple[str, ...]

    def __repr__(self) -> str:
        lines = [f"Backtest over {len(self.origins)} origin(s)"]
        for level, row in self.coverage.iterrows():
            lines.append(
                f"  {level}: {row['inside80']:.0%} inside the 80 % band, "
                f"{row['inside95']:.0%} inside the 95 % band (n = {int(row['n'])})"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(repr(self))}</pre>"
