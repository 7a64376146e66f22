"""A new thread that blocks: the OS blocks that thread, not the caller.

Comparing thread ids would only show that another thread made the call. These tests
look at what each thread did: the helper sleeps in /proc while the caller's counter
moves, and the CPU time goes to the caller, not to the helper in its recv().
"""

from __future__ import annotations

import sys

import pytest

from examples.sync_vs_async import new_thread


def test_the_caller_works_while_the_helper_waits() -> None:
    got = new_thread.read_on_a_thread(delay=0.1)
    assert got.answer == b"answer"
    assert got.work > got.work_then > 0  # the counter moved before and after the look
    assert got.helper_wall >= 0.1 * 0.8  # the helper really waited for the answer
    assert got.helper_wall >= 10 * got.helper_cpu  # ... without using the CPU
    assert got.caller_cpu >= 10 * got.helper_cpu  # the CPU went to the caller


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_proc_shows_the_helper_sleeping_halfway() -> None:
    assert new_thread.read_on_a_thread(delay=0.1).helper_state.startswith("S")
