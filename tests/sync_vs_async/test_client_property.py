"""A client property: the same server, a synchronous and an asynchronous client."""

from __future__ import annotations

import asyncio

from examples.sync_vs_async import client_property


def test_the_async_client_finishes_ten_50_ms_calls_at_least_3x_sooner() -> None:
    sync_time, async_time, work = client_property.compare()
    assert sync_time >= 3 * async_time, (sync_time, async_time)  # ideally 10x
    assert work > 0


def test_the_slow_server_answers_any_client_the_same() -> None:
    with client_property.SlowServer() as server:
        assert client_property.sync_client(server.url, calls=2) == [200, 200]
        statuses, _, _ = asyncio.run(client_property.async_client(server.url, calls=2))
        assert statuses == [200, 200]
