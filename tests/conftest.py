"""The `postgres` fixture: one throwaway PostgreSQL server for the whole test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg_server import PostgresServer, require_postgres, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A fresh server on 127.0.0.1 (host, port, user, dbname, dsn); skipped if not installed,
    failed instead with REQUIRE_POSTGRES=1 (CI sets it)."""
    require_postgres()
    with running_postgres() as server:
        yield server
