"""The four clients: a synchronous API (urllib) and an asynchronous one (httpx), two each.

Of each API, one client makes its calls one after another, the other all at once. Each
takes the server's URL, how many calls to make, and ``work``: one unit of the caller's
own work, which it runs on the caller's thread whenever that thread is free.
"""

from __future__ import annotations

import asyncio
import ssl
import urllib.request
from collections.abc import Callable
from concurrent import futures
from typing import TypeVar

import httpx

from .server import TIMEOUT

CALLS = 10
TICK = 0.005  # seconds a free caller lets its I/O progress between two units of work
SSL = ssl.create_default_context()  # made once: httpx makes one per client otherwise (slow)
Work = Callable[[], None]  # one unit of the caller's own work, run on the caller's thread
T = TypeVar("T")


# --8<-- [start:clients]
def sync_in_turn(url: str, calls: int = CALLS, work: Work = lambda: None) -> list[int]:
    """A synchronous API, one call after another: each call blocks this thread."""
    statuses = []
    for _ in range(calls):
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # blocks
            statuses.append(response.status)
        work()  # the thread is the caller's again, between two calls
    return statuses


def sync_on_threads(url: str, calls: int = CALLS, work: Work = lambda: None) -> list[int]:
    """The same blocking calls, a thread each: they block, the caller's thread works."""
    with futures.ThreadPoolExecutor(max_workers=calls) as threads:
        answers = [threads.submit(sync_in_turn, url, 1) for _ in range(calls)]
        while futures.wait(answers, timeout=TICK).not_done:  # each call has its TIMEOUT
            work()
        return [status for answer in answers for status in answer.result()]


async def async_in_turn(url: str, calls: int = CALLS, work: Work = lambda: None) -> list[int]:
    """An asynchronous API, each call awaited before the next one is sent."""
    async with httpx.AsyncClient(timeout=TIMEOUT, verify=SSL) as http:

        async def one_by_one() -> list[int]:
            return [(await http.get(url)).status_code for _ in range(calls)]

        return await work_until_done(asyncio.ensure_future(one_by_one()), work)


async def async_at_once(url: str, calls: int = CALLS, work: Work = lambda: None) -> list[int]:
    """An asynchronous API, all the calls sent at once."""
    async with httpx.AsyncClient(timeout=TIMEOUT, verify=SSL) as http:
        answers = asyncio.gather(*(http.get(url) for _ in range(calls)))
        return [response.status_code for response in await work_until_done(answers, work)]


async def work_until_done(in_flight: asyncio.Future[T], work: Work) -> T:
    while not in_flight.done():  # each call has its TIMEOUT
        work()  # the caller's own work ...
        await asyncio.sleep(TICK)  # ... and a chance for the I/O to progress
    return await in_flight
    # --8<-- [end:clients]
