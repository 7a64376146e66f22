"""The `postgres` fixture: one throwaway PostgreSQL server for the whole test session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pg_server import PostgresServer, PostgresUnavailable, find_bin_dir, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A fresh server on 127.0.0.1 (host, port, user, dbname, dsn); skipped if not installed.

    With REQUIRE_POSTGRES=1 (CI sets it) a missing PostgreSQL fails instead of skipping.
    """
    try:
        find_bin_dir()
    except PostgresUnavailable as missing:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {missing}")
        pytest.skip(str(missing))
    with running_postgres() as server:
        yield server
