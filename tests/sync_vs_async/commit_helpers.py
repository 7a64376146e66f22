"""What the two commit tests share: run an example as a program, take the best of a few ratios."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

COMMITS = 300  # per setting: a fraction of a second on a disk whose fsync costs ~0.1-3 ms


def run(module: str, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", f"examples.sync_vs_async.{module}", *args]
    env = dict(os.environ, **environment)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def best_ratio(measure: Callable[[], tuple[float, float]], attempts: int = 2) -> float:
    """Off/on rate, the best of a few tries: the machine is shared, a busy moment is noise."""
    best = 0.0
    for _ in range(attempts):
        slow, fast = measure()
        best = max(best, fast / slow)
    return best
