"""The measurement archive: every monthly measurement kept as it was measured."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..result import Workload
from ..scheme import Scheme
from . import queries as q
from . import schema as s
from .connect import ArchiveError, describe_failure, open_engine, shown_url
from .extract import GROUP_COLUMNS, extract
from .ratings import check_ratings, compare_frames, perceived_step
from .restate import Restatement, restate_one
from .store import delete_measurements, insert_measurement, records

__all__ = ["Archive"]

_LEVELS = ("worker", "team", "unit")


class Archive:
    """A database of measurements, self-ratings and their history.

    Parameters
    ----------
    url_or_path : str or path
        ``sqlite:///path/archive.db`` or a plain path (an embedded SQLite file, no server
        needed), or ``postgresql+psycopg://user@host/dbname`` for a shared installation. An
        empty database becomes an archive; an archive of an older schema is migrated.
    migrate : bool, default True
        Migrate an older schema on opening; with ``False`` such an archive is refused with a
        message saying how to migrate it.

    Raises
    ------
    ArchiveError
        Not an archive, not a database URL, or the server cannot be reached.

    Examples
    --------
    >>> import arbetstyngd as at
    >>> town = at.datasets.make_municipality(n_workers=6, n_teams=2, seed=1)
    >>> wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
    >>> archive = at.Archive("sqlite://")  # in memory; give a file name to keep it
    >>> mid = archive.record(wl)
    >>> archive.workers(mid).equals(wl.workers)
    True
    >>> archive.history("unit")[["n_workers", "utilisation"]].iloc[0].tolist() == [
    ...     6, wl.unit["utilisation"]]
    True
    """

    def __init__(self, url_or_path: str | os.PathLike[str], *, migrate: bool = True) -> None:
        self._engine, self.url = open_engine(url_or_path, migrate=migrate)

    def __repr__(self) -> str:
        return f"<Archive {shown_url(self.url)}>"

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sa.Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            raise ArchiveError(describe_failure(exc, shown_url(self.url))) from None

    # -- writing ---------------------------------------------------------------------------

    def record(self, wl: Workload, *, label: str | None = None, replace: bool = False) -> int:
        """Store one measurement; return its id.

        The same inputs again return the existing measurement with a
        :class:`SameMeasurementWarning`. A different measurement for the same date and label
        needs ``replace=True``. Everything is written in one transaction.
        """
        if not isinstance(wl, Workload):
            raise TypeError(f"record() takes a Workload from at.score (got {type(wl).__name__})")
        from .. import __version__

        ex = extract(wl, library_version=__version__)
        with self._tx() as conn:
            return insert_measurement(conn, ex, (label or "").strip(), replace)

    def record_ratings(self, frame: pd.DataFrame, *, scale: str | None = None) -> int:
        """Store self-ratings (and flexi-time balances); return the number of rows stored.

        ``frame`` has ``worker_id``, ``period`` (any date in the month), ``rating`` and
        optionally ``flexi_hours`` and ``comment`` (see :func:`arbetstyngd.read_ratings`). The
        scale is ``"1-5"`` or ``"-3..3"``, from ``scale``, a ``scale`` column or
        ``frame.attrs["scale"]``. A later rating of the same worker and month replaces the
        earlier one.
        """
        rows = check_ratings(frame, scale)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        r = s.rating
        with self._tx() as conn:
            for start in range(0, len(rows), 500):
                part = rows.iloc[start : start + 500]
                conn.execute(
                    r.delete().where(
                        sa.tuple_(r.c.worker_id, r.c.period).in_(
                            list(zip(part["worker_id"], part["period"], strict=True))
                        )
                    )
                )
            cols = ["worker_id", "period", "rating", "scale", "flexi_hours", "comment"]
            if len(rows):
                conn.execute(r.insert(), records(rows, cols, recorded_at=now))
        return len(rows)

    # -- reading ---------------------------------------------------------------------------

    def measurements(self) -> pd.DataFrame:
        """One row per measurement, oldest first (date, label, scheme, unit figures)."""
        with self._tx() as conn:
            return q.measurements(conn)

    def _measurement_id(self, conn: sa.Connection, which: Any) -> int:
        m = s.measurement
        if which is None:
            row = conn.execute(
                sa.select(m.c.id).order_by(m.c.measured_on.desc(), m.c.id.desc()).limit(1)
            ).first()
        else:
            row = conn.execute(sa.select(m.c.id).where(m.c.id == int(which))).first()
        if row is None:
            raise KeyError(
                "the archive has no measurements yet"
                if which is None
                else f"no measurement {which!r} in the archive (see .measurements())"
            )
        return int(row[0])

    def workers(self, measurement_id: int | None = None) -> pd.DataFrame:
        """The worker table of one measurement (default the latest), as it was scored."""
        with self._tx() as conn:
            return q.workers_of(conn, self._measurement_id(conn, measurement_id))

    def teams(self, measurement_id: int | None = None) -> pd.DataFrame:
        """The team table of one measurement (default the latest), as it was scored."""
        with self._tx() as conn:
            mid = self._measurement_id(conn, measurement_id)
            spec = q.worker_spec(conn, mid)
            t = s.team_figure
            frame = q.frame_of(
                conn,
                sa.select(t.c.team_id, *(t.c[c] for c in GROUP_COLUMNS))
                .where(t.c.measurement_id == mid)
                .order_by(t.c.team_id),
            )
        return q.restore_group(frame, spec)

    def history(
        self,
        level: str = "worker",
        start: Any = None,
        end: Any = None,
        *,
        worker_id: Any = None,
    ) -> pd.DataFrame:
        """Figures per measurement for each worker, team or the unit, oldest first."""
        if level not in _LEVELS:
            raise ValueError(f"'level' must be one of {_LEVELS} (got {level!r})")
        a, b = q.to_date(start, "start"), q.to_date(end, "end")
        with self._tx() as conn:
            if level == "worker":
                return q.worker_history(conn, a, b, worker_id)
            return q.group_history(conn, level, a, b)

    def ratings(
        self, start: Any = None, end: Any = None, *, comments: bool = False
    ) -> pd.DataFrame:
        """Self-ratings per worker and month; free-text comments only with ``comments=True``."""
        r = s.rating
        cols = [r.c.worker_id, r.c.period, r.c.rating, r.c.scale, r.c.flexi_hours]
        query = sa.select(*cols, *([r.c.comment] if comments else []))
        a, b = q.to_date(start, "start"), q.to_date(end, "end")
        if a is not None:
            query = query.where(r.c.period >= q.month_floor(a))
        if b is not None:
            query = query.where(r.c.period <= b)
        with self._tx() as conn:
            frame = q.frame_of(conn, query.order_by(r.c.period, r.c.worker_id))
        frame["period"] = pd.to_datetime(frame["period"])
        for c in ("rating", "flexi_hours"):
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
        frame["perceived_step"] = perceived_step(frame["rating"], frame["scale"])
        return frame

    def compare(self, start: Any = None, end: Any = None) -> pd.DataFrame:
        """Self-rating beside the measured band per worker and month.

        ``flag`` marks where the two are two steps or more apart (``steps_apart`` > 0: the
        work feels heavier than measured). A list for the dialogue, not a verdict.
        """
        return compare_frames(self.history("worker", start, end), self.ratings(start, end))

    def report_section(self, wl: Workload, **options: Any) -> tuple[pd.DataFrame | None, str]:
        """What the HTML report shows from the archive (see :mod:`.report_section`)."""
        from .report_section import report_section

        return report_section(self, wl, **options)

    # -- restating ---------------------------------------------------------------------------

    def restate(self, scheme: Scheme, start: Any = None, end: Any = None) -> Restatement:
        """Recompute every measurement's figures under ``scheme`` through the engine."""
        if not isinstance(scheme, Scheme):
            raise TypeError(f"restate() takes a Scheme (got {type(scheme).__name__})")
        found = self.measurements()
        a, b = q.to_date(start, "start"), q.to_date(end, "end")
        if a is not None:
            found = found[found["measured_on"].dt.date >= a]
        if b is not None:
            found = found[found["measured_on"].dt.date <= b]
        parts: dict[str, list[pd.DataFrame]] = {"worker": [], "team": [], "unit": []}
        skipped = []
        for m in found.itertuples(index=False):
            with self._tx() as conn:
                keys, workers, flags = q.restate_inputs(conn, int(str(m.measurement_id)))
            wl, why = restate_one(scheme, m.measured_on, keys, workers, flags)
            head = {
                "measurement_id": m.measurement_id,
                "measured_on": m.measured_on,
                "label": m.label,
                "scheme_name": scheme.name,
                "scheme_version": scheme.version,
            }
            if wl is None:
                skipped.append({**{k: head[k] for k in list(head)[:3]}, "reason": why})
                continue
            for level, frame in (("worker", wl.workers), ("team", wl.teams)):
                parts[level].append(q.with_head(frame, head, level))
            parts["unit"].append(q.with_head(wl.unit.to_frame().T, head, "unit"))
        return Restatement(
            scheme=scheme,
            workers=q.stack(parts["worker"], "worker"),
            teams=q.stack(parts["team"], "team"),
            unit=q.stack(parts["unit"], "unit"),
            not_restated=pd.DataFrame(
                skipped, columns=["measurement_id", "measured_on", "label", "reason"]
            ),
        )

    # -- retention and erasure ---------------------------------------------------------------

    def purge(self, before: Any) -> dict[str, int]:
        """Delete measurements dated before ``before`` and ratings of months before it."""
        day = q.to_date(before, "before")
        if day is None:
            raise ValueError("'before' must be a date such as 2021-01-01 (got None)")
        m, r = s.measurement, s.rating
        with self._tx() as conn:
            ids = [row[0] for row in conn.execute(sa.select(m.c.id).where(m.c.measured_on < day))]
            delete_measurements(conn, ids)
            n_ratings = conn.execute(r.delete().where(r.c.period < q.month_floor(day))).rowcount
        return {"measurements": len(ids), "ratings": int(n_ratings or 0)}

    def forget_worker(self, worker_id: Any) -> dict[str, int]:
        """Delete every row that names ``worker_id``; team and unit totals stay."""
        wid = str(worker_id).strip()
        if not wid:
            raise ValueError("'worker_id' must be a non-empty id")
        out = {}
        with self._tx() as conn:
            for table in (s.worker_figure, s.worker_value, s.key_count, s.rating):
                n = conn.execute(table.delete().where(table.c.worker_id == wid)).rowcount
                out[table.name] = int(n or 0)
        return out
