"""Replication: an async ack can be stale or lost, a sync ack pays the round trip."""

from __future__ import annotations

from examples.sync_vs_async import replication


def test_a_sync_ack_pays_the_replicas_round_trip_and_an_async_ack_can_lose_writes() -> None:
    lines: list[str] = []
    async_time, sync_time = replication.scenario(lines.append)
    assert sync_time >= 10 * async_time
    assert "(stale: True)" in lines[1]
    assert "(acknowledged write lost: True)" in lines[2]
    assert "(stale: False)" in lines[3]
