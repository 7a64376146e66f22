"""What the commit tests share: how much to measure, and running an example as a program."""

from __future__ import annotations

import os
import subprocess
import sys

COMMITS = 40  # per level (SQLite) or per session (PostgreSQL) and round
ROUNDS = 5  # interleaved rounds of every case; the examples compare medians


def run(module: str, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", f"examples.sync_vs_async.{module}", *args]
    env = dict(os.environ, **environment)
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
