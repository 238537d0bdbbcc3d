"""Alembic environment: runs on the connection the archive hands over (never from a URL).

Alembic executes this file for each migration run; importing it outside a run (a doctest
collector walking the source tree) does nothing.
"""

from __future__ import annotations

from alembic import context


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "_proxy", None) is not None:
    run()
