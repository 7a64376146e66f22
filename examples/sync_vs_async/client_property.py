"""Needs httpx: synchronicity is a property of the client, not of the server.

One slow server (the standard library's ThreadingHTTPServer, answering every request
after ``DELAY`` seconds) and two clients that make the same ``CALLS`` calls. The
synchronous client (``urllib.request``) blocks on each call in turn. The asynchronous
one (``httpx.AsyncClient``) sends them all, works while they are in flight, and
collects the answers. The server cannot tell the two apart. (How the two are timed
fairly on a busy machine: see ``compare``.)

Run it: ``pip install httpx``, then ``python client_property.py``. Its page shows
what it prints. The server answers any client the same:

>>> with SlowServer() as server:
...     sync_client(server.url, calls=2)
[200, 200]
"""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

DELAY = 0.05  # seconds the server takes to answer
CALLS = 10
TIMEOUT = 5.0  # seconds; every request gives up after this


# --8<-- [start:server]
class SlowHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(DELAY)  # the server's work: the same for every client
        body = b"done\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep the output quiet
        pass


class Server(ThreadingHTTPServer):
    request_queue_size = 64  # listen() backlog: the default 5 drops a burst of 10 connects


class SlowServer:
    """ThreadingHTTPServer on 127.0.0.1, a free port, served from a thread."""

    def __init__(self, port: int = 0) -> None:
        self.httpd = Server(("127.0.0.1", port), SlowHandler)
        self.httpd.daemon_threads = False  # server_close() joins the handler threads
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,))
        # --8<-- [end:server]

    def __enter__(self) -> SlowServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self._thread.join(TIMEOUT)
        self.httpd.server_close()


# --8<-- [start:clients]
def sync_client(url: str, calls: int = CALLS) -> list[int]:
    """Call the server `calls` times, one after another: each call blocks."""
    statuses = []
    for _ in range(calls):
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # blocks ~50 ms
            statuses.append(response.status)
    return statuses


async def async_client(url: str, calls: int = CALLS) -> tuple[list[int], int, float]:
    """Send all calls at once, work while they are in flight, then collect the answers."""
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        start = time.perf_counter()
        in_flight = asyncio.gather(*(client.get(url) for _ in range(calls)))
        work = 0
        while not in_flight.done():
            work += 1  # the client's own work ...
            await asyncio.sleep(0.005)  # ... and a chance for the I/O to progress
        statuses = [response.status_code for response in await in_flight]
        return statuses, work, time.perf_counter() - start
        # --8<-- [end:clients]


def compare(calls: int = CALLS, async_rounds: int = 3) -> tuple[float, float, int]:
    """Time both clients against one server: (sync seconds, async seconds, async work).

    Each client makes one untimed call first (imports, first connection). The sync
    client then runs once: its time is the sum of its waits, and noise can only add to
    it. The async client's best of `async_rounds` counts, as with `timeit`: on a busy
    machine one late scheduling slice would otherwise decide a 50 ms race.
    """
    with SlowServer() as server:
        sync_client(server.url, 1)
        start = time.perf_counter()
        assert sync_client(server.url, calls) == [200] * calls
        sync_time = time.perf_counter() - start
        asyncio.run(async_client(server.url, 1))
        runs = [asyncio.run(async_client(server.url, calls)) for _ in range(async_rounds)]
    assert all(statuses == [200] * calls for statuses, _, _ in runs)
    return sync_time, min(elapsed for _, _, elapsed in runs), min(work for _, work, _ in runs)


def demo(say: Callable[[str], None] = print) -> None:
    """Run both clients and print who finished sooner."""
    sync_time, async_time, work = compare()
    say(f"server: every answer takes {DELAY * 1000:.0f} ms; each client makes {CALLS} calls")
    say(f"sync client (urllib): {CALLS} answers, work done while waiting: 0 units")
    say(
        f"async client (httpx): {CALLS} answers, work done while waiting: "
        f"more than 0 units: {work > 0}"
    )
    say(f"async finished at least 3x sooner: {sync_time >= 3 * async_time}")


if __name__ == "__main__":
    demo()
