"""Completion (io_uring's model): callbacks on the caller's thread, in completion order."""

from __future__ import annotations

import asyncio

from examples.sync_vs_async import completion


def test_completion_callbacks_run_on_the_callers_thread_in_completion_order() -> None:
    called_back, work = asyncio.run(completion.submit_and_work({"X": 0.2, "Y": 0.1}))
    # X is submitted first: a receiver that found both sockets ready at once would report
    # X first. Submissions taken before any answer, and X answering only once Y's
    # callback has run, are what make the order certain on a loaded machine.
    assert [(name, data) for name, data, _ in called_back] == [("Y", b"Y"), ("X", b"X")]
    assert all(on_caller for _, _, on_caller in called_back)
    assert work > 0
