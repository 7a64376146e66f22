"""What the commit tests share: run an example as a program, take the best of a few ratios."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

COMMITS = 40  # per level (SQLite) or per session (PostgreSQL) and round
ROUNDS = 5  # interleaved rounds of every case; the examples compare medians


def run(module: str, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", f"examples.sync_vs_async.{module}", *args]
    env = dict(os.environ, **environment)
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def best_ratio(
    measure: Callable[[], tuple[float, float]], enough: float, attempts: int = 2
) -> float:
    """fast/slow from `measure`, the best of a few tries (stopping once it is `enough`): the
    machine is shared, and a busy moment is noise, not the behaviour under test."""
    best = 0.0
    for _ in range(attempts):
        slow, fast = measure()
        best = max(best, fast / slow)
        if best >= enough:
            break
    return best
