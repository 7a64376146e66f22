"""Polling: empty answers and latency, measured against the poll interval.

Each message arrives half an interval away from any scheduled poll, so the counts below
follow from the intervals: a poll would have to be that late to change them.
"""

from __future__ import annotations

import math

import pytest

from examples.request_response import polling
from tests.support.threads import threads_left_after


def test_polling_wastes_requests_and_delays_the_message() -> None:
    interval = 0.050
    answers, latency = polling.run(arrives_after=4.5 * interval, interval=interval)
    assert answers[-1] == 1 and set(answers[:-1]) == {0}
    assert len(answers) >= 4  # several empty answers before the message
    assert 0 <= latency < 2 * interval  # about one interval late, with a margin for load


def test_polling_ten_times_as_often_costs_more_empty_requests() -> None:
    arrives_after, slow_interval, fast_interval = 0.250, 0.100, 0.010
    slow, _ = polling.run(arrives_after, slow_interval)
    fast, _ = polling.run(arrives_after, fast_interval)
    # On a fixed schedule a poll is never early, so the slow client cannot ask more often
    # than the schedule allows; the fast one asks about 25 times, a late poll or two aside.
    assert slow.count(0) <= math.ceil(arrives_after / slow_interval)
    assert fast.count(0) >= 2 * slow.count(0), (fast, slow)


def test_the_demo_leaves_no_thread_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    assert threads_left_after(monkeypatch, lambda: polling.demo(lambda line: None)) == set()
