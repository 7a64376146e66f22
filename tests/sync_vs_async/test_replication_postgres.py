"""The replication model checked against PostgreSQL: a primary and a synchronous standby.

What replication/ models, a real server does: with synchronous_commit = on a commit
returns once the standby has flushed it, and a read there can still be stale; with
remote_apply it returns once the standby has applied it; a cancelled wait leaves the
commit committed on the primary, with PostgreSQL's warning. The standby's replay is
paused with pg_wal_replay_pause(), as the model pauses its own.
Skips without PostgreSQL, unless REQUIRE_POSTGRES=1 (CI sets it): then it fails.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

from tests.pg_server import (
    SYSTEM_USER,
    PostgresServer,
    find_bin_dir,
    require_postgres,
    running_postgres,
)
from tests.support import free_port

TIMEOUT = 30.0  # seconds for any step of the servers


def as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SYSTEM_USER, "--", *command] if os.geteuid() == 0 else command


def dsn(port: int) -> str:
    return f"host=127.0.0.1 port={port} user=postgres dbname=postgres connect_timeout=10"


@pytest.fixture(scope="module")
def primary_and_standby() -> Iterator[tuple[str, str]]:
    """A primary, and a standby made from it by pg_basebackup, streaming and synchronous."""
    require_postgres()
    bin_dir = find_bin_dir()
    with running_postgres() as primary:
        data, port = primary.data_dir.parent / "standby", free_port()
        backup = [str(bin_dir / "pg_basebackup"), "-D", str(data), "-R", "-X", "stream"]
        backup += ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
        subprocess.run(as_server_user(backup), check=True, capture_output=True, timeout=TIMEOUT)
        server = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port)]
        server += ["-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={data}"]
        server += ["-c", "cluster_name=standby1"]  # its application_name on the primary
        log = (data.parent / "standby.log").open("w")
        standby = subprocess.Popen(as_server_user(server), stdout=log, stderr=log)
        try:
            standby_dsn = wait_ready(port, standby)
            yield synchronous(primary), standby_dsn
        finally:
            with psycopg.connect(primary.dsn, autocommit=True) as conn:
                conn.execute("ALTER SYSTEM RESET synchronous_standby_names")
                conn.execute("SELECT pg_reload_conf()")
            stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
            subprocess.run(as_server_user(stop), check=False, capture_output=True, timeout=TIMEOUT)
            standby.wait(TIMEOUT)
            log.close()


def synchronous(primary: PostgresServer) -> str:
    """The primary's dsn, once the standby streams to it as its synchronous standby."""
    with psycopg.connect(primary.dsn, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET synchronous_standby_names = 'standby1'")
        conn.execute("SELECT pg_reload_conf()")
        state = "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'"
        deadline = time.monotonic() + TIMEOUT
        while conn.execute(state).fetchone() != ("sync",):
            assert time.monotonic() < deadline, "the standby did not become synchronous"
            time.sleep(0.1)
    return primary.dsn


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> str:
    """The standby's dsn, once it accepts read-only queries."""
    ready = [str(find_bin_dir() / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
    deadline = time.monotonic() + TIMEOUT
    while subprocess.run(ready, timeout=TIMEOUT, check=False).returncode != 0:
        assert process.poll() is None and time.monotonic() < deadline, "the standby did not start"
        time.sleep(0.1)
    return dsn(port)


def commit(primary: str, mode: str, value: int) -> list[str]:
    """One UPDATE, committed with synchronous_commit = mode; the warnings it got."""
    with psycopg.connect(primary, autocommit=True) as conn:
        notices: list[str] = []
        conn.add_notice_handler(lambda d: notices.append(f"{d.message_primary} {d.message_detail}"))
        conn.execute("SELECT set_config('synchronous_commit', %s, false)", [mode])
        conn.execute("UPDATE balance SET v = %s", [value])
        return notices


def read(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT v FROM balance").fetchone()
    assert row is not None
    return int(row[0])


def cancel_when_waiting(primary: str) -> None:
    """Cancel the backend waiting for the standby, once it waits (wait event SyncRep); past
    the deadline, cancel whatever runs, so that the test fails instead of hanging."""
    waiting = "wait_event = 'SyncRep'"
    with psycopg.connect(primary, autocommit=True) as conn:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            query = f"SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE {waiting}"
            if conn.execute(query).fetchone() is not None:
                return
            time.sleep(0.05)
        others = "backend_type = 'client backend' AND pid <> pg_backend_pid()"
        conn.execute(f"SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE {others}")


def test_postgres_flush_ack_can_be_stale_apply_ack_is_not_and_a_cancel_keeps_the_commit(
    primary_and_standby: tuple[str, str],
) -> None:
    primary, standby = primary_and_standby
    with psycopg.connect(primary, autocommit=True) as conn:
        conn.execute("CREATE TABLE balance (v int)")
        conn.execute("INSERT INTO balance VALUES (0)")
    assert commit(primary, "remote_apply", 100) == []
    assert read(standby) == 100  # returned once applied on the standby
    with psycopg.connect(standby, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")  # replay lags behind the flush
        assert commit(primary, "on", 150) == []  # returned: the standby flushed it
        assert read(standby) == 100  # stale: not applied
        canceller = threading.Thread(target=cancel_when_waiting, args=(primary,))
        canceller.start()
        warnings = commit(primary, "remote_apply", 200)  # waits for an apply that cannot come
        canceller.join(TIMEOUT)
        assert warnings == [
            "canceling wait for synchronous replication due to user request The transaction "
            "has already committed locally, but might not have been replicated to the standby."
        ]
        assert (read(primary), read(standby)) == (200, 100)  # committed, not replicated
        conn.execute("SELECT pg_wal_replay_resume()")
    assert commit(primary, "remote_apply", 300) == []
    assert read(standby) == 300
