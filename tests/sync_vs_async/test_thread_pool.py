"""A thread pool (Node.js's model, in Python): a pool of one serializes the reads."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import pytest

from examples.sync_vs_async import thread_pool


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_one_pool_thread_makes_quick_reads_wait_behind_a_blocked_one() -> None:
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as four:
        serial, _ = asyncio.run(thread_pool.read_all(1, Path(one)))
        parallel, ticks = asyncio.run(thread_pool.read_all(4, Path(four)))
    assert serial >= 0.8 * thread_pool.SLOW
    assert serial >= 3 * parallel  # ideally ~100x: the quick reads take microseconds
    assert ticks >= 5
