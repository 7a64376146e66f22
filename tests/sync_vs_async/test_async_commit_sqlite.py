"""The same trade in SQLite: PRAGMA synchronous OFF and NORMAL against FULL, measured."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from examples.sync_vs_async import async_commit_sqlite as lite_commit
from tests.sync_vs_async.commit_helpers import COMMITS, ROUNDS, run


def medians(*levels: str) -> tuple[float, float]:
    rates = lite_commit.measure(COMMITS, ROUNDS)
    first, second = (statistics.median(rates[level]) for level in levels)
    return first, second


def test_sqlite_off_commits_faster_than_full() -> None:
    # Measured here, on a loaded 2-core machine: OFF/FULL between 8x and 195x. Claim 3x.
    full, off = medians("FULL", "OFF")
    ratio = off / full
    assert ratio >= 3, f"synchronous=OFF was only {ratio:.2f}x as fast as FULL"


def test_sqlite_normal_does_not_sync_at_commit_in_wal_mode() -> None:
    # NORMAL syncs the WAL at checkpoints only: its commits cost what OFF's do (here 15-170x
    # FULL's rate). Claim 3x.
    full, normal = medians("FULL", "NORMAL")
    ratio = normal / full
    assert ratio >= 3, f"synchronous=NORMAL was only {ratio:.2f}x as fast as FULL"


def test_sqlite_measures_every_level_in_every_round() -> None:
    rates = lite_commit.measure(n=5, rounds=3)
    assert list(rates) == ["FULL", "NORMAL", "OFF"]
    assert all(len(rounds) == 3 and min(rounds) > 0 for rounds in rates.values())


def test_sqlite_measures_on_a_disk_and_leaves_no_file(tmp_path: Path) -> None:
    mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    mount = max((m for m in mounts if tmp_path.is_relative_to(m[0])), key=lambda m: len(m[0]))
    if mount[1] not in {"tmpfs", "ramfs"}:  # the temp dir is on a disk: the program uses it
        environment = dict(os.environ, TMPDIR=str(tmp_path))
        command = [sys.executable, "-c", "from examples.sync_vs_async.async_commit_sqlite import *"]
        command[-1] += "; print(disk_backed_temp_dir())"
        chosen = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=30
        )
        assert chosen.stdout.strip() == str(tmp_path.resolve())
    else:
        assert lite_commit.disk_backed_temp_dir() == str(Path.cwd())
    result = run("async_commit_sqlite", "--commits", "20", "--rounds", "3", TMPDIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "one-row transactions on a file in WAL mode, 20 per level and round;"
    assert re.fullmatch(r"commits/s: median \(min to max\) of 3 rounds; \d+ CPUs here", lines[1])
    for line, level in zip(lines[2:5], ["FULL  ", "NORMAL", "OFF   "], strict=True):
        assert re.fullmatch(rf"synchronous = {level}: \d+ \(\d+ to \d+\) commits/s, .*", line)
    assert lines[5].startswith("NORMAL committed ") and lines[6].startswith("OFF committed ")
    assert list(tmp_path.iterdir()) == []  # the database, its -wal and -shm files are gone


def test_verdicts() -> None:
    assert lite_commit.verdict("OFF", 149.0, 100.0).startswith("OFF committed about as many")
    assert lite_commit.verdict("NORMAL", 150.0, 100.0) == (
        "NORMAL committed 1.5x as many transactions per second as FULL"
    )
