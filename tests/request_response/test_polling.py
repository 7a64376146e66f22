"""Polling: empty answers and latency, measured against the poll interval."""

from __future__ import annotations

from examples.request_response import polling


def test_polling_wastes_requests_and_delays_the_message() -> None:
    answers, latency = polling.run(arrives_after=0.200, interval=0.050)
    assert answers[-1] == 1 and set(answers[:-1]) == {0}
    assert len(answers) >= 4  # several empty answers before the message
    assert 0 <= latency < 1.6 * 0.050  # at most about one interval late


def test_polling_faster_costs_more_requests() -> None:
    # A busy machine can delay polls; the claim must hold in one of three tries.
    for _attempt in range(3):
        slow, _ = polling.run(arrives_after=0.200, interval=0.080)
        fast, _ = polling.run(arrives_after=0.200, interval=0.020)
        if fast.count(0) >= 2 * slow.count(0):
            return
    raise AssertionError(f"4x faster polling: {fast.count(0)} vs {slow.count(0)} empty answers")
