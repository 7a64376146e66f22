"""Fixtures for every test: `postgres` (a server for the session) and `executed_labs`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import PostgresServer, require_postgres, running_postgres
from tests.support.labs import execute_labs
from tests.support.once import made_once


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A fresh server on 127.0.0.1 (host, port, user, dbname, dsn); skipped if not installed,
    failed instead with REQUIRE_POSTGRES=1 (CI sets it)."""
    require_postgres()
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def executed_labs(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """Every lab executed once in the whole run, by whichever worker asks first
    (tests/support/labs.py): the lab tests read these runs and the site is built from them."""
    return made_once(tmp_path_factory, "labs", lambda folder: execute_labs(folder, request))
