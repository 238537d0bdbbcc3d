"""Opening an archive: the URL, the engine, the schema version and the one error for each.

An archive is a database with the table ``archive_info`` (``kind = arbetstyngd-archive``) and
Alembic's ``alembic_version``. An empty database becomes an archive on first open; an older
schema is migrated (in one transaction); anything else is refused with an
:class:`ArchiveError` saying what was found.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import StaticPool

from .schema import ARCHIVE_KIND, HEAD

__all__ = ["ArchiveError", "migrate", "open_engine", "revisions", "shown_url", "to_url"]

#: PostgreSQL advisory lock that serialises schema changes between processes.
_MIGRATION_LOCK = 7_262_391_145


class ArchiveError(RuntimeError):
    """The archive cannot be opened or changed as asked (one clear sentence says why)."""


def to_url(url_or_path: str | os.PathLike[str]) -> URL:
    """The SQLAlchemy URL of an archive given as a URL or as a path to a SQLite file.

    Examples
    --------
    >>> to_url("postgresql://analys@db.example/arbetstyngd").drivername
    'postgresql+psycopg'
    >>> to_url("sqlite://").database is None
    True
    """
    text = os.fspath(url_or_path)
    if "://" not in text:
        path = Path(text).expanduser()
        if path.is_dir():
            raise ArchiveError(f"{text!r} is a folder; give a file name such as {text}/archive.db")
        return sa.engine.make_url("sqlite:///" + str(path.resolve()))
    try:
        url = sa.engine.make_url(text)
    except sa.exc.ArgumentError:
        raise ArchiveError(
            f"{_hide_password(text)!r} is not a database URL; write sqlite:///path/archive.db, "
            "postgresql+psycopg://user@host/dbname or a path to a file"
        ) from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername != "postgresql+psycopg":
            url = url.set(drivername="postgresql+psycopg")
        return url
    if backend != "sqlite":
        raise ArchiveError(
            f"an archive lives in SQLite or PostgreSQL; {backend!r} is not supported "
            f"(got {shown_url(url)})"
        )
    return url


def _hide_password(text: str) -> str:
    head, sep, tail = text.partition("://")
    if sep and "@" in tail:
        credentials, _, rest = tail.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{head}://{user}:***@{rest}" if ":" in credentials else text
    return text


def shown_url(url: URL) -> str:
    """The URL as it may appear in a message: never with a password."""
    return url.render_as_string(hide_password=True)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    if not memory:
        parent = Path(str(url.database)).parent
        if not parent.is_dir():
            raise ArchiveError(f"the folder {str(parent)!r} of the archive file does not exist")
    options: dict[str, Any] = {"connect_args": {"timeout": 60}}
    if memory:
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    engine = sa.create_engine(url, **options)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # transactions are begun by hand below, so that each one takes the write lock at
        # once (BEGIN IMMEDIATE): two writers then wait for each other instead of failing
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 60000")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _alembic_config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def revisions() -> list[str]:
    """Every schema revision this library knows, oldest first."""
    script = ScriptDirectory(str(Path(__file__).parent / "migrations"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _current_revision(connection: sa.Connection) -> str | None:
    rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    return rows[0][0] if rows else None


def _check_and_migrate(
    connection: sa.Connection, shown: str, migrate_to: str | None, allow_migrate: bool
) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
    tables = set(sa.inspect(connection).get_table_names())
    target = migrate_to or HEAD
    if not tables:
        command.upgrade(_alembic_config(connection), target)
        return
    if "archive_info" not in tables or "alembic_version" not in tables:
        raise ArchiveError(
            f"{shown} is not an arbetstyngd archive: it holds other tables "
            f"({', '.join(sorted(tables)[:5])}); give a new file or an empty database"
        )
    kind = connection.execute(sa.text("SELECT value FROM archive_info WHERE key = 'kind'")).all()
    if not kind or kind[0][0] != ARCHIVE_KIND:
        raise ArchiveError(f"{shown} is not an arbetstyngd archive (archive_info says otherwise)")
    current = _current_revision(connection)
    known = revisions()
    if current not in known:
        raise ArchiveError(
            f"{shown} has schema revision {current!r}, newer than this arbetstyngd knows "
            f"(up to {known[-1]}); upgrade arbetstyngd to open it"
        )
    if known.index(current) < known.index(target):
        if not allow_migrate:
            raise ArchiveError(
                f"{shown} has schema revision {current}; this arbetstyngd needs {target}. "
                "Open it with Archive(url, migrate=True) (keep a copy first) to migrate it"
            )
        command.upgrade(_alembic_config(connection), target)


def open_engine(
    url_or_path: str | os.PathLike[str],
    *,
    migrate: bool = True,
    revision: str | None = None,
) -> tuple[Engine, URL]:
    """Connect, check that this is an archive, create or migrate its schema.

    ``revision`` (for tests and tools) stops the migration at that revision.
    """
    url = to_url(url_or_path)
    shown = shown_url(url)
    engine = _sqlite_engine(url) if url.get_backend_name() == "sqlite" else _pg_engine(url)
    try:
        with engine.begin() as connection:
            _check_and_migrate(connection, shown, revision, migrate)
    except ArchiveError:
        engine.dispose()
        raise
    except sa.exc.DatabaseError as exc:
        engine.dispose()
        raise ArchiveError(describe_failure(exc, shown)) from None
    return engine, url


def _pg_engine(url: URL) -> Engine:
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def describe_failure(exc: sa.exc.DBAPIError, shown: str) -> str:
    """One sentence for a database failure, without the SQL or the parameters."""
    first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    if "file is not a database" in first or "not a database" in first:
        return f"{shown} is not an arbetstyngd archive (the file is not a SQLite database)"
    if isinstance(exc, sa.exc.OperationalError):
        return f"cannot open the archive at {shown}: {first}"
    return f"the archive at {shown} refused the operation: {first}"


def migrate(url_or_path: str | os.PathLike[str], revision: str = HEAD) -> str:
    """Bring an archive (or an empty database) to ``revision``; return the revision now in force."""
    engine, _ = open_engine(url_or_path, migrate=True, revision=revision)
    try:
        with engine.connect() as connection:
            current = _current_revision(connection)
    finally:
        engine.dispose()
    assert current is not None
    return current
