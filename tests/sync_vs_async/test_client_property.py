"""A client property: four clients, one slow server, every figure measured in one run.

Concurrency (calls in flight at once) decides the wall time, whatever the API; what the
API decides is whether the caller's own thread is free while it waits. The server sees
connections, requests at once and headers, not how the client waits. Margins are for a
loaded 2-core machine: the ideal ratios are 1x (alike) and CALLS x (sequential/concurrent).
"""

from __future__ import annotations

import statistics
import sys

import httpx
import pytest

from examples.sync_vs_async import client_property as cp

SYNC_IN_TURN, SYNC_THREADS, ASYNC_IN_TURN, ASYNC_AT_ONCE = cp.CLIENTS
URLLIB = f"Python-urllib/{sys.version_info.major}.{sys.version_info.minor}"
HTTPX = f"python-httpx/{httpx.__version__}"


@pytest.fixture(scope="module")
def runs() -> dict[str, list[cp.Run]]:
    return cp.measure()


def median(runs: dict[str, list[cp.Run]], name: str) -> float:
    return statistics.median(run.seconds for run in runs[name])


def test_a_sync_client_on_threads_is_about_as_fast_as_an_async_one(
    runs: dict[str, list[cp.Run]],
) -> None:
    threads, at_once = median(runs, SYNC_THREADS), median(runs, ASYNC_AT_ONCE)
    assert max(threads, at_once) <= 3 * min(threads, at_once), (threads, at_once)


def test_an_async_client_awaiting_each_call_is_about_as_slow_as_a_sync_one(
    runs: dict[str, list[cp.Run]],
) -> None:
    sync, in_turn = median(runs, SYNC_IN_TURN), median(runs, ASYNC_IN_TURN)
    assert max(sync, in_turn) <= 1.5 * min(sync, in_turn), (sync, in_turn)
    assert min(sync, in_turn) >= cp.CALLS * cp.DELAY  # each call waits for the server


def test_each_concurrent_client_is_at_least_3x_sooner_than_each_sequential_one(
    runs: dict[str, list[cp.Run]],
) -> None:
    for fast in (SYNC_THREADS, ASYNC_AT_ONCE):
        for slow in (SYNC_IN_TURN, ASYNC_IN_TURN):
            assert median(runs, slow) >= 3 * median(runs, fast), (slow, fast)


def test_only_the_sync_client_calling_in_turn_does_no_work_while_it_waits(
    runs: dict[str, list[cp.Run]],
) -> None:
    assert [run.work for run in runs[SYNC_IN_TURN]] == [0] * cp.TRIALS  # measured, every trial
    for name in (SYNC_THREADS, ASYNC_IN_TURN, ASYNC_AT_ONCE):
        assert all(run.work > 0 for run in runs[name]), name


def test_the_work_counter_counts_only_units_done_while_the_server_is_busy() -> None:
    done: list[str] = []

    def works_then_calls(url: str, calls: int, work: cp.Work) -> list[int]:
        work()  # a unit of work, while the server is idle
        done.append("work")
        return cp.sync_in_turn(url, calls)

    with cp.SlowServer() as server:
        assert cp.run(works_then_calls, server).work == 0
    assert done == ["work"]


def test_the_server_sees_connections_and_headers_not_the_api(
    runs: dict[str, list[cp.Run]],
) -> None:
    for run in runs[SYNC_IN_TURN]:  # urllib: a new connection per call, one at a time
        assert (run.connections, run.at_once, run.headers) == (cp.CALLS, 1, {("close", URLLIB)})
    for run in runs[ASYNC_IN_TURN]:  # httpx: one kept-alive connection, one call at a time
        assert (run.connections, run.at_once, run.headers) == (1, 1, {("keep-alive", HTTPX)})
    for name, headers in (
        (SYNC_THREADS, ("close", URLLIB)),
        (ASYNC_AT_ONCE, ("keep-alive", HTTPX)),
    ):
        # HTTP/1.1: one connection per call in flight, sync API or async alike
        assert [run.connections for run in runs[name]] == [cp.CALLS] * cp.TRIALS, name
        assert all(run.headers == {headers} for run in runs[name]), name
        assert statistics.median(run.at_once for run in runs[name]) >= cp.CALLS // 2, name
