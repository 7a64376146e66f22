"""Fixtures for every test: `postgres` (a server for the session) and `executed_labs`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import PostgresServer, require_postgres, running_postgres
from tests.support import labs


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A fresh server on 127.0.0.1 (host, port, user, dbname, dsn); skipped if not installed,
    failed instead with REQUIRE_POSTGRES=1 (CI sets it)."""
    require_postgres()
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def executed_labs(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """Every lab executed once in the whole run (tests/support/labs.py), gathered in one
    folder: the site is built from these runs, which the lab tests check."""
    return labs.executed_labs(tmp_path_factory, request)
