"""Needs psycopg: asynchronous commit in PostgreSQL, measured.

With ``synchronous_commit = on`` (the default) COMMIT returns only once the commit's
WAL record is flushed to disk: the client waits for the fsync. With ``off`` COMMIT
returns at once and the WAL writer flushes a moment later, in the background. The
same small INSERT transactions, one connection, each setting in turn.

Run it against a server that trusts local connections: ``pip install psycopg``, then
``python async_commit_postgres.py --host 127.0.0.1 --port 5432``. Its page shows the
form of what it prints. The crash window is three times ``wal_writer_delay``:

>>> report(on_rate=100.0, off_rate=250.0, wal_writer_delay_ms=10).splitlines()[-1]
'a crash may lose the last 30 ms (3 x wal_writer_delay) of acknowledged commits; never corrupts'

The trade: a crash (of the server or the machine, not of the client) can lose commits
that were already acknowledged, up to three times ``wal_writer_delay``; the database
stays consistent, as if those transactions had aborted.
https://www.postgresql.org/docs/current/wal-async-commit.html
"""

from __future__ import annotations

import argparse
import sys
import time

import psycopg

TABLE = "async_commit_demo"


# --8<-- [start:measure]
def commit_seconds(conn: psycopg.Connection[tuple[object, ...]], setting: str, n: int) -> float:
    """Time n one-row INSERT transactions with synchronous_commit set to `setting`."""
    conn.execute("SELECT set_config('synchronous_commit', %s, false)", [setting])
    start = time.perf_counter()
    for i in range(n):  # autocommit: each INSERT is its own transaction, its own COMMIT
        conn.execute(f"INSERT INTO {TABLE} (setting, i) VALUES (%s, %s)", [setting, i])
    return time.perf_counter() - start


def measure(conninfo: str, n: int = 300, rounds: int = 5) -> tuple[float, float, int]:
    """Commits per second with `on` and with `off` (interleaved), and wal_writer_delay."""
    seconds = {"on": 0.0, "off": 0.0}
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (setting text, i int)")
        try:
            commit_seconds(conn, "on", n // rounds)  # warm up: connection, plan, table
            for _ in range(rounds):  # alternate, so that a busy moment hurts both settings
                for setting in seconds:
                    seconds[setting] += commit_seconds(conn, setting, n // rounds)
            row = conn.execute(
                "SELECT setting::int FROM pg_settings WHERE name = 'wal_writer_delay'"
            ).fetchone()
        finally:
            conn.execute(f"DROP TABLE {TABLE}")
    assert row is not None
    done = n // rounds * rounds
    return done / seconds["on"], done / seconds["off"], int(str(row[0]))  # delay in ms
    # --8<-- [end:measure]


# --8<-- [start:report]
def report(on_rate: float, off_rate: float, wal_writer_delay_ms: int) -> str:
    return "\n".join(
        [
            f"synchronous_commit = on : {on_rate:.0f} commits/s (COMMIT waits for the WAL flush)",
            f"synchronous_commit = off: {off_rate:.0f} commits/s (COMMIT returns before the flush)",
            f"off committed {off_rate / on_rate:.1f}x as many transactions per second as on",
            f"a crash may lose the last {3 * wal_writer_delay_ms} ms (3 x wal_writer_delay) "
            "of acknowledged commits; never corrupts",
        ]
    )
    # --8<-- [end:report]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="the server's address")
    parser.add_argument("--port", type=int, default=5432, help="the server's port")
    parser.add_argument("--user", default="postgres", help="a role the server trusts")
    parser.add_argument("--dbname", default="postgres", help="a database to make a table in")
    parser.add_argument("--commits", type=int, default=300, help="transactions per setting")
    args = parser.parse_args(argv)
    conninfo = f"host={args.host} port={args.port} user={args.user} dbname={args.dbname}"
    try:
        on_rate, off_rate, delay = measure(conninfo, args.commits)
    except psycopg.OperationalError as error:
        print(f"no PostgreSQL server at {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"{args.commits} one-row INSERT transactions on one connection, each committed:")
    print(report(on_rate, off_rate, delay))
    return 0


if __name__ == "__main__":
    sys.exit(main())
