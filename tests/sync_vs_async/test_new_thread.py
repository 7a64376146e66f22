"""A new thread that blocks: the OS blocks that thread, not the caller."""

from __future__ import annotations

from examples.sync_vs_async import new_thread


def test_a_new_thread_blocks_instead_of_the_caller() -> None:
    answer, work, elsewhere = new_thread.read_on_a_thread(delay=0.05)
    assert (answer, elsewhere) == (b"answer", True)
    assert work > 0
