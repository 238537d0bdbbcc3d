"""The measurement archive: each month's figures kept as measured, with self-ratings.

``at.Archive(url)`` stores measurements (:meth:`Archive.record`), self-ratings and flexi-time
(:meth:`Archive.record_ratings`), answers questions as pandas frames (:meth:`Archive.history`,
:meth:`Archive.compare` …), restates the whole history under a new scheme through the engine
(:meth:`Archive.restate`) and erases by age or by person (:meth:`Archive.purge`,
:meth:`Archive.forget_worker`). SQLite by default, PostgreSQL for a shared installation; the
schema is versioned with Alembic migrations shipped in this package.
"""

from .archive import Archive
from .connect import ArchiveError
from .restate import Restatement
from .store import SameMeasurementWarning

__all__ = ["Archive", "ArchiveError", "Restatement", "SameMeasurementWarning"]
