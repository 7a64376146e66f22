"""The same trade in an embedded database: SQLite in WAL mode, synchronous=FULL, NORMAL, OFF.

With ``PRAGMA synchronous = FULL`` every COMMIT waits for an fsync of the write-ahead
log; with ``NORMAL`` the log is synced only at checkpoints, and with ``OFF`` never:
SQLite hands the bytes to the operating system and returns, and the OS writes them to
disk later (its page cache is the asynchronous part). The program times the same
one-row transactions on a real file, each level in turn, in rounds, and says how each
compares with FULL; the verdicts are what it prints last:

>>> print(verdict("OFF", rate=20000.0, full_rate=500.0))
OFF committed 40.0x as many transactions per second as FULL
>>> print(verdict("NORMAL", rate=480.0, full_rate=500.0))
NORMAL committed about as many transactions per second as FULL (fsync is cheap here)

What each level risks (https://www.sqlite.org/pragma.html#pragma_synchronous): none
loses a commit when the application crashes, since the OS has the bytes. On an OS crash
or a power loss, NORMAL may roll back the last commits but the database stays
consistent; OFF may lose them and leave a corrupt database file; FULL loses nothing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

LEVELS = ("FULL", "NORMAL", "OFF")
MEMORY_FILESYSTEMS = {"tmpfs", "ramfs"}  # an fsync there costs nothing: no disk behind it


def disk_backed_temp_dir() -> str:
    """The temp dir, unless /proc/mounts says it is in memory: then the current directory."""
    temp = Path(tempfile.gettempdir()).resolve()
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:  # not Linux: trust the temp dir
        return str(temp)
    on = max((m for m in mounts if temp.is_relative_to(m[0])), key=lambda m: len(m[0]))
    return str(Path.cwd()) if on[1] in MEMORY_FILESYSTEMS else str(temp)


# --8<-- [start:measure]
def commit_seconds(db: sqlite3.Connection, synchronous: str, n: int) -> float:
    """Time n one-row transactions, each its own COMMIT, with the given sync level."""
    db.execute(f"PRAGMA synchronous = {synchronous}")
    start = time.perf_counter()
    for i in range(n):  # autocommit (isolation_level=None): each INSERT is a transaction
        db.execute("INSERT INTO t (setting, i) VALUES (?, ?)", (synchronous, i))
    return time.perf_counter() - start


def measure(n: int = 60, rounds: int = 5) -> dict[str, list[float]]:
    """Commits per second of each level in each round (interleaved), on a file on disk."""
    rates: dict[str, list[float]] = {level: [] for level in LEVELS}
    with tempfile.TemporaryDirectory(dir=disk_backed_temp_dir()) as folder:
        db = sqlite3.connect(Path(folder) / "commits.db", isolation_level=None, timeout=5)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("CREATE TABLE t (setting TEXT, i INTEGER)")
            commit_seconds(db, "FULL", 10)  # warm up
            for _ in range(rounds):  # alternate, so that a busy moment hurts every level
                for level in LEVELS:
                    rates[level].append(n / commit_seconds(db, level, n))
        finally:
            db.close()
    return rates
    # --8<-- [end:measure]


# --8<-- [start:verdict]
def verdict(level: str, rate: float, full_rate: float) -> str:
    ratio = rate / full_rate
    if ratio < 1.5:
        return (
            f"{level} committed about as many transactions per second as FULL (fsync is cheap here)"
        )
    return f"{level} committed {ratio:.1f}x as many transactions per second as FULL"
    # --8<-- [end:verdict]


WHAT = {
    "FULL": "COMMIT waits for fsync of the WAL",
    "NORMAL": "fsync at checkpoints only",
    "OFF": "never fsyncs: the OS writes later",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=60, help="per level and round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    rates = measure(args.commits, args.rounds)
    print(f"one-row transactions on a file in WAL mode, {args.commits} per level and round;")
    print(f"commits/s: median (min to max) of {args.rounds} rounds; {os.cpu_count()} CPUs here")
    medians = {level: statistics.median(rates[level]) for level in LEVELS}
    for level in LEVELS:
        low, high = min(rates[level]), max(rates[level])
        print(
            f"synchronous = {level:<6}: {medians[level]:.0f} ({low:.0f} to {high:.0f}) "
            f"commits/s, {WHAT[level]}"
        )
    for level in ("NORMAL", "OFF"):
        print(verdict(level, medians[level], medians["FULL"]))


if __name__ == "__main__":
    main()
