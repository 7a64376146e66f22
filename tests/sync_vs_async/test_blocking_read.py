"""A blocking read: the wall clock moves, the caller's CPU time and work counter do not."""

from __future__ import annotations

import sys

from examples.sync_vs_async import blocking_read


def test_a_blocking_read_moves_the_wall_clock_not_the_cpu_time() -> None:
    result = blocking_read.blocking_read(delay=0.1)
    assert result.answer == b"answer"
    assert result.work_during == 0
    assert result.wall >= 10 * result.cpu
    assert result.switches >= 1
    if sys.platform == "linux":
        assert result.state.startswith("S")
