"""Readiness (epoll): one thread reads the answers in the order they arrive."""

from __future__ import annotations

import selectors
import sys

from examples.sync_vs_async import readiness


def test_readiness_reads_answers_in_completion_order_on_one_thread() -> None:
    polled = readiness.poll_until_done({"A": 0.3, "B": 0.1, "C": 0.2})
    assert polled.order == ["B", "C", "A"]
    assert polled.threads == 1
    assert polled.work > 0
    if sys.platform == "linux":
        assert polled.selector == "EpollSelector"
        assert selectors.DefaultSelector is selectors.EpollSelector
