"""Futures: created, awaited, resolved, in the order asyncio's default task factory fixes."""

from __future__ import annotations

import asyncio

from examples.sync_vs_async import futures_order


def test_a_future_resolves_only_after_the_caller_awaits_it() -> None:
    lines: list[str] = []
    assert asyncio.run(futures_order.create_await_resolve(lines.append)) == 42
    assert [line[0] for line in lines] == ["1", "2", "3", "4", "5", "6"]
    assert lines[1].endswith("started yet: False")
