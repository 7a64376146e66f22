"""Asynchronous commit in PostgreSQL: synchronous_commit off against on, measured."""

from __future__ import annotations

import re

import psycopg

from examples.sync_vs_async import async_commit_postgres as pg_commit
from tests.pg_server import PostgresServer, free_port
from tests.sync_vs_async.commit_helpers import COMMITS, best_ratio, run


def test_postgres_off_commits_faster_than_on(postgres: PostgresServer) -> None:
    # Measured here (fsync ~0.05-2 ms): off/on between 2.2x and 28x. Claim a safe 1.5x.
    ratio = best_ratio(lambda: pg_commit.measure(postgres.dsn, COMMITS)[:2])
    assert ratio >= 1.5, f"synchronous_commit=off was only {ratio:.2f}x as fast as on"


def test_postgres_program_prints_rates_ratio_and_crash_window(postgres: PostgresServer) -> None:
    result = run("async_commit_postgres", "--port", str(postgres.port), "--commits", "100")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "100 one-row INSERT transactions on one connection, each committed:"
    assert re.fullmatch(r"synchronous_commit = on : \d+ commits/s \(.*\)", lines[1])
    assert re.fullmatch(r"synchronous_commit = off: \d+ commits/s \(.*\)", lines[2])
    assert re.fullmatch(r"off committed \d+\.\dx as many transactions per second as on", lines[3])
    assert lines[4].startswith("a crash may lose the last 600 ms (3 x wal_writer_delay)")
    with psycopg.connect(postgres.dsn) as conn:  # the demo table is gone
        row = conn.execute("SELECT to_regclass(%s)", [pg_commit.TABLE]).fetchone()
    assert row == (None,)


def test_postgres_setting_is_per_session_and_takes_effect(postgres: PostgresServer) -> None:
    with psycopg.connect(postgres.dsn, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {pg_commit.TABLE} (setting text, i int)")
        try:
            pg_commit.commit_seconds(conn, "off", 3)
            assert conn.execute("SHOW synchronous_commit").fetchone() == ("off",)
            with psycopg.connect(postgres.dsn) as other:
                assert other.execute("SHOW synchronous_commit").fetchone() == ("on",)
            count = conn.execute(f"SELECT count(*) FROM {pg_commit.TABLE}").fetchone()
            assert count == (3,)  # every transaction committed, none waited for the disk
        finally:
            conn.execute(f"DROP TABLE {pg_commit.TABLE}")


def test_postgres_program_without_server_says_so() -> None:
    port = free_port()
    result = run("async_commit_postgres", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.startswith(f"no PostgreSQL server at 127.0.0.1:{port}: ")
    assert "Traceback" not in result.stderr


def test_the_report_gives_the_ratio_and_the_crash_window() -> None:
    report = pg_commit.report(on_rate=1000.0, off_rate=2500.0, wal_writer_delay_ms=10)
    assert "off committed 2.5x as many" in report
    assert "lose the last 30 ms (3 x wal_writer_delay)" in report
