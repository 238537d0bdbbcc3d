"""The archive under stress: a killed writer, two writers at once, old schemas, bad targets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import arbetstyngd as at
from arbetstyngd.archive import Archive, ArchiveError
from arbetstyngd.archive import schema as s
from arbetstyngd.archive.connect import migrate, open_engine
from arbetstyngd.archive.extract import extract
from arbetstyngd.archive.store import insert_measurement

# A child process that records one month; with PAUSE it stops inside the transaction, right
# after the worker rows are written, and says so on stdout.
CHILD = textwrap.dedent(
    """
    import sys, time
    import arbetstyngd as at
    from arbetstyngd.archive import Archive, store

    url, on, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
    original = store._many

    def slow(conn, table, rows):
        original(conn, table, rows)
        if table.name == "worker_figure" and pause:
            print("inside", flush=True)
            time.sleep(pause)

    store._many = slow
    town = at.datasets.make_municipality(n_workers=14, n_teams=3, seed=3)
    wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=on)
    with Archive(url) as archive:
        print("recorded", archive.record(wl), flush=True)
    """
)


def _child(url: str, on: str, pause: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, url, on, str(pause)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _row_counts(url: str) -> dict[str, int]:
    engine, _ = open_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in s.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_a_writer_killed_mid_record_leaves_no_partial_measurement(archive_url):
    Archive(archive_url).close()
    before = _row_counts(archive_url)
    child = _child(archive_url, "2026-03-31", 60)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "inside", child.stderr.read() if child.stderr else line
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _row_counts(archive_url) == before
    with Archive(archive_url) as archive:
        assert archive.measurements().empty
        # and the archive takes the next record as if nothing happened
        town = at.datasets.make_municipality(n_workers=14, n_teams=3, seed=3)
        wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on="2026-03-31")
        mid = archive.record(wl)
        pd.testing.assert_frame_equal(archive.workers(mid), wl.workers, check_exact=True)


def test_two_processes_recording_at_once_both_succeed(archive_url):
    Archive(archive_url).close()
    # each holds its transaction open for a moment, so the two really overlap
    children = [_child(archive_url, on, 0.5) for on in ("2026-01-31", "2026-02-28")]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert "recorded" in out
    with Archive(archive_url) as archive:
        got = archive.measurements()
        assert sorted(got["measured_on"].dt.strftime("%Y-%m-%d")) == ["2026-01-31", "2026-02-28"]
        town = at.datasets.make_municipality(n_workers=14, n_teams=3, seed=3)
        for mid, on in zip(got["measurement_id"], got["measured_on"], strict=True):
            wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=on)
            pd.testing.assert_frame_equal(archive.workers(mid), wl.workers, check_exact=True)


def test_a_first_schema_archive_is_migrated_with_every_row(archive_url):
    assert migrate(archive_url, "0001") == "0001"
    town = at.datasets.make_municipality(n_workers=14, n_teams=3, seed=3)
    wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on="2026-01-31")
    engine, _ = open_engine(archive_url, revision="0001")
    with engine.begin() as conn:
        mid = insert_measurement(conn, extract(wl, library_version="0.1.0"), "", False)
        conn.execute(
            sa.text(
                "INSERT INTO rating (worker_id, period, rating, scale, comment, recorded_at) "
                "VALUES ('H0001', :p, 4, '1-5', NULL, :t)"
            ),
            {
                "p": pd.Timestamp("2026-01-01").date(),
                "t": pd.Timestamp("2026-02-01").to_pydatetime(),
            },
        )
        columns = {c["name"] for c in sa.inspect(conn).get_columns("rating")}
    engine.dispose()
    assert "flexi_hours" not in columns
    with pytest.raises(ArchiveError, match="migrate=True"):
        Archive(archive_url, migrate=False)
    before = {k: v for k, v in _counts_v1(archive_url).items()}
    with Archive(archive_url) as archive:
        pd.testing.assert_frame_equal(archive.workers(mid), wl.workers, check_exact=True)
        ratings = archive.ratings()
        assert ratings["rating"].tolist() == [4.0] and ratings["flexi_hours"].isna().all()
    after = _row_counts(archive_url)
    assert all(after[name] == n for name, n in before.items())
    assert migrate(archive_url) == "0002"


def _counts_v1(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version"]
            return {
                n: conn.execute(sa.text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names
            }
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is a shopping list, not a database\n" * 50)
    with pytest.raises(ArchiveError, match="not an arbetstyngd archive"):
        Archive(path)


def test_a_database_of_something_else_is_refused(archive_url):
    engine = sa.create_engine(archive_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(ArchiveError, match=r"not an arbetstyngd archive.*invoices"):
        Archive(archive_url)


def test_an_archive_from_a_newer_version_is_refused(archive_url):
    Archive(archive_url).close()
    engine = sa.create_engine(archive_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(ArchiveError, match="newer than this arbetstyngd"):
        Archive(archive_url)


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("mysql://someone@db.example/arbetstyngd", "SQLite or PostgreSQL"),
        ("://user:secret@archive", "not a database URL"),
        ("postgresql://user:secret@[bad", "cannot open the archive"),
    ],
)
def test_a_wrong_url_gives_one_clear_error(url, match):
    with pytest.raises(ArchiveError, match=match) as info:
        Archive(url)
    assert "secret" not in str(info.value)


def test_a_missing_folder_or_a_folder_is_refused(tmp_path):
    with pytest.raises(ArchiveError, match="does not exist"):
        Archive(tmp_path / "no-such-folder" / "archive.db")
    with pytest.raises(ArchiveError, match="is a folder"):
        Archive(tmp_path)


def test_a_server_that_is_down_gives_one_clear_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # nothing listens on that port now
    url = f"postgresql+psycopg://analys:hemligt@127.0.0.1:{port}/arbetstyngd"
    with pytest.raises(ArchiveError, match="cannot open the archive") as info:
        Archive(url)
    assert "hemligt" not in str(info.value)


def test_the_archive_file_is_in_wal_mode(tmp_path):
    path = tmp_path / "a.db"
    Archive(path).close()
    import sqlite3

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert Path(path).exists()
