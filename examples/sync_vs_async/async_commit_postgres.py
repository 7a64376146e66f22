"""Needs psycopg: asynchronous commit in PostgreSQL, measured.

With ``synchronous_commit = on`` (the default) COMMIT returns once the commit's WAL
record is flushed to disk; with ``off`` at once, and the WAL writer flushes it a moment
later. The same one-row INSERT transactions from 1 session and from 8 at once, each
setting in turn, in rounds; the server counts its WAL flushes (PostgreSQL 15 or later).

Run it against a server that trusts local connections: ``pip install psycopg``, then
``python async_commit_postgres.py --port 5432``. Its page shows the form of what it
prints. The spread of a few rounds, and the crash window:

>>> spread([300.0, 100.0, 200.0])
'200 (100 to 300)'
>>> window(wal_writer_delay_ms=10)
'a crash may lose the last 30 ms of acknowledged commits (3 x wal_writer_delay, 10 ms here)'
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time

import psycopg

TABLE = "async_commit_demo"
SETTINGS = ("on", "off")
COMMITTERS = (1, 8)  # sessions committing at once
TIMEOUT = 60.0  # seconds for a round, and for any one statement
Connection = psycopg.Connection[tuple[object, ...]]
Figures = dict[tuple[int, str], list[tuple[float, float | None]]]


# --8<-- [start:measure]
def commit_seconds(conn: Connection, setting: str, n: int) -> float:
    """Time n one-row INSERT transactions with synchronous_commit set to `setting`."""
    conn.execute("SELECT set_config('synchronous_commit', %s, false)", [setting])
    start = time.perf_counter()
    for i in range(n):  # autocommit: each INSERT is its own transaction, its own COMMIT
        conn.execute(f"INSERT INTO {TABLE} (setting, i) VALUES (%s, %s)", [setting, i])
    return time.perf_counter() - start


def wal_flushes(conn: Connection) -> int | None:
    """WAL fsyncs by all the server's processes since it started; None before version 15."""
    version = conn.info.server_version // 10000
    if version < 15:
        return None
    query = "SELECT wal_sync FROM pg_stat_wal"  # moved to pg_stat_io in PostgreSQL 18
    if version >= 18:
        query = "SELECT sum(fsyncs)::bigint FROM pg_stat_io WHERE object = 'wal'"
    row = conn.execute(query).fetchone()
    return None if row is None else int(str(row[0]))


def one_round(conns: list[Connection], setting: str, n: int) -> tuple[float, float | None]:
    """Every session commits n transactions at once: commits per second, flushes per commit."""
    start, errors = threading.Barrier(len(conns) + 1, timeout=TIMEOUT), []

    def committer(conn: Connection) -> None:
        try:
            start.wait()
            commit_seconds(conn, setting, n)
            conn.execute("SELECT pg_stat_force_next_flush()")  # its counts into the view
        except Exception as error:  # re-raised below, on the main thread
            errors.append(error)

    threads = [threading.Thread(target=committer, args=(conn,)) for conn in conns]
    flushed = wal_flushes(conns[0])
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(TIMEOUT)
    seconds = time.perf_counter() - began
    if errors or any(thread.is_alive() for thread in threads):
        raise errors[0] if errors else TimeoutError(f"a round took over {TIMEOUT} s")
    after, commits = wal_flushes(conns[0]), n * len(conns)
    per_commit = None if flushed is None or after is None else (after - flushed) / commits
    return commits / seconds, per_commit


def measure(conninfo: str, commits: int = 50, rounds: int = 5) -> tuple[Figures, int]:
    """Each round, 1 then 8 sessions, `on` then `off`; and wal_writer_delay in ms."""
    figures: Figures = {(c, s): [] for c in COMMITTERS for s in SETTINGS}
    options = f"-c statement_timeout={TIMEOUT:.0f}s"
    with contextlib.ExitStack() as stack:  # on the way out: drop the table, close all
        conns = [
            stack.enter_context(
                psycopg.connect(conninfo, autocommit=True, connect_timeout=5, options=options)
            )
            for _ in range(max(COMMITTERS))
        ]
        conns[0].execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (setting text, i int)")
        stack.callback(conns[0].execute, f"DROP TABLE {TABLE}")
        one_round(conns, "on", 5)  # warm up: every session, plan and table
        for _ in range(rounds):  # alternate, so that a busy moment hurts every case
            for committers, setting in figures:
                figures[committers, setting].append(one_round(conns[:committers], setting, commits))
        row = conns[0].execute("SELECT setting FROM pg_settings WHERE name = 'wal_writer_delay'")
        delay = row.fetchone()
    return figures, int(str(delay[0] if delay else 0))  # pg_settings gives it in ms
    # --8<-- [end:measure]


# --8<-- [start:report]
def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ({min(values):.0f} to {max(values):.0f})"


def window(wal_writer_delay_ms: int) -> str:
    return (
        f"a crash may lose the last {3 * wal_writer_delay_ms} ms of acknowledged commits "
        f"(3 x wal_writer_delay, {wal_writer_delay_ms} ms here)"
    )


def report(figures: Figures, wal_writer_delay_ms: int) -> list[str]:
    lines, medians = [], {}
    for (committers, setting), rounds in figures.items():
        medians[committers, setting] = statistics.median(rate for rate, _ in rounds)
        flushes = [flushes for _, flushes in rounds if flushes is not None]
        counted = f"{statistics.median(flushes):.2f}" if flushes else "(not counted)"
        lines.append(
            f"{committers} at once, {setting:<3}: {spread([rate for rate, _ in rounds])} "
            f"commits/s, {counted} WAL flushes per commit"
        )
    gaps = [f"{medians[c, 'off'] / medians[c, 'on']:.1f}x with {c}" for c in COMMITTERS]
    return [*lines, f"off/on, medians: {', '.join(gaps)} at once", window(wal_writer_delay_ms)]
    # --8<-- [end:report]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="the server's address")
    parser.add_argument("--port", type=int, default=5432, help="the server's port")
    parser.add_argument("--user", default="postgres", help="a role the server trusts")
    parser.add_argument("--dbname", default="postgres", help="a database to make a table in")
    parser.add_argument("--commits", type=int, default=50, help="per session and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of every case")
    args = parser.parse_args(argv)
    conninfo = f"host={args.host} port={args.port} user={args.user} dbname={args.dbname}"
    try:
        figures, delay = measure(conninfo, args.commits, args.rounds)
    except psycopg.OperationalError as error:
        print(f"no PostgreSQL server at {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"one-row INSERT transactions, each committed, {args.commits} per session and round;")
    print(f"commits/s: median (min to max) of {args.rounds} rounds; {os.cpu_count()} CPUs here")
    print("\n".join(report(figures, delay)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
