"""The throwaway server helper starts, answers on 127.0.0.1, and leaves nothing behind."""

from __future__ import annotations

import socket
from pathlib import Path

import psutil
import psycopg
import pytest

from tests.pg_server import PostgresUnavailable, find_bin_dir, require_postgres, running_postgres


def test_starts_answers_and_leaves_nothing_behind() -> None:
    require_postgres()
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with running_postgres() as pg:
        top = pg.data_dir.parent
        assert pg.host == "127.0.0.1"
        assert pg.dsn == f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres"
        with socket.create_connection((pg.host, pg.port), timeout=5):
            pass
        with psycopg.connect(pg.dsn, connect_timeout=5) as conn:
            row = conn.execute("SELECT 1, current_setting('fsync')").fetchone()
        assert row == (1, "on")
        assert psutil.Process().children(recursive=True), "the server is a child of the tests"
    assert not top.exists()
    assert {p.pid for p in psutil.Process().children(recursive=True)} == before
    with pytest.raises(OSError), socket.create_connection((pg.host, pg.port), timeout=1):
        pass


def test_finds_the_newest_version_or_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(PostgresUnavailable, match="apt-get install postgresql"):
        find_bin_dir(tmp_path)
    for version in ("9.6", "15", "16", "100"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "initdb").touch()
    assert find_bin_dir(tmp_path) == tmp_path / "100" / "bin"
