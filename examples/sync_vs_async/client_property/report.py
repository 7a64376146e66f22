"""The measurement and the report: every client, several times, against one slow server.

Whenever a caller has its thread, it does a unit of its own work; a unit counts as done
*while waiting* if the server was busy with one of its calls just then. The report gives
each client's wall time, its units of work, and what the server saw of it.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable, Coroutine
from typing import Any, NamedTuple

from .clients import CALLS, Work, async_at_once, async_in_turn, sync_in_turn, sync_on_threads
from .server import DELAY, SlowServer

TRIALS = 5  # each time shown: the median and the range of this many runs


# --8<-- [start:measure]
Client = Callable[[str, int, Work], list[int] | Coroutine[Any, Any, list[int]]]
CLIENTS: dict[str, Client] = {
    "sync API, calls in turn (urllib)": sync_in_turn,
    "sync API, a thread per call (urllib)": sync_on_threads,
    "async API, calls in turn (httpx)": async_in_turn,
    "async API, all calls at once (httpx)": async_at_once,
}


class Run(NamedTuple):
    seconds: float
    work: int  # units of the caller's work done while the server was busy with its calls
    connections: int  # that the server saw, and then the most requests it had at once
    at_once: int
    headers: set[tuple[str | None, str | None]]


def run(client: Client, server: SlowServer) -> Run:
    units = 0

    def work() -> None:
        nonlocal units
        units += server.busy > 0  # the server is busy with one of this client's calls

    server.forget()
    start = time.perf_counter()
    statuses = client(server.url, CALLS, work)
    if not isinstance(statuses, list):  # a coroutine: run it on an event loop
        statuses = asyncio.run(statuses)
    seconds = time.perf_counter() - start
    assert statuses == [200] * CALLS, statuses
    ports, headers = {port for port, *_ in server.requests}, {(c, u) for _, c, u in server.requests}
    return Run(seconds, units, len(ports), server.at_once, headers)


def measure(trials: int = TRIALS) -> dict[str, list[Run]]:
    """Every client `trials` times, in turn, so that a busy moment hits all four."""
    runs: dict[str, list[Run]] = {name: [] for name in CLIENTS}
    with SlowServer() as server:
        sync_in_turn(server.url, 1)  # warm up: imports, the first connection
        asyncio.run(async_at_once(server.url, 1))
        for _ in range(trials):
            for name, client in CLIENTS.items():
                runs[name].append(run(client, server))
    return runs
    # --8<-- [end:measure]


def demo(say: Callable[[str], None] = print) -> None:
    """Run the four clients; print their times, their work, and what the server saw."""
    runs = measure()
    say(f"{os.cpu_count()} cores; each answer takes {DELAY * 1000:.0f} ms; {CALLS} calls each")
    say(f"wall time, median (range) of {TRIALS} trials; units of work done while waiting:")
    median = {}
    for name, trials in runs.items():
        ms = sorted(trial.seconds * 1000 for trial in trials)
        median[name], work = statistics.median(ms), statistics.median(t.work for t in trials)
        say(f"  {name:37} {median[name]:5.0f} ms ({ms[0]:.0f} to {ms[-1]:.0f}), {work:.0f} units")
    slowest = max(ms for name, ms in median.items() if "turn" not in name)
    ratio = min(ms for name, ms in median.items() if "turn" in name) / slowest
    say(f"each concurrent client at least 3x sooner than each sequential one: {ratio >= 3}")
    say("what the server saw of each client, in the last trial:")
    for name, trials in runs.items():
        last = trials[-1]
        seen = [f"Connection: {c}, User-Agent: {u}" for c, u in sorted(last.headers, key=str)]
        say(
            f"  {name:37} connections: {last.connections}, at once: {last.at_once}, "
            + ", ".join(seen)
        )
