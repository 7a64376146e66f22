"""Asynchronous I/O by completion: the receiver calls back when it is done (io_uring's model).

The caller submits three reads, hangs a callback on the future each submission
returns, and goes back to work. It never asks whether a read is ready and never waits
for one: the receiver does the reads and completes the futures, and the event loop
runs each callback on the caller's own thread, in the order the reads finished.

Python's standard library has no io_uring binding. Here the receiver, one thread with
its own selector, stands in for the kernel, which with io_uring performs the reads
itself and posts each completion on a ring the program reads (see io_uring(7)).

>>> demo()
submitted: A (300 ms), B (100 ms), C (200 ms); the caller went back to work
callback: B completed with b'B' (ran on the caller's thread: True)
callback: C completed with b'C' (ran on the caller's thread: True)
callback: A completed with b'A' (ran on the caller's thread: True)
work done while the reads were in flight: more than 0 units: True
"""

from __future__ import annotations

import asyncio
import queue
import selectors
import socket
import threading
import time
from asyncio import Future
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

DELAYS = {"A": 0.30, "B": 0.10, "C": 0.20}  # seconds each peer takes to answer
TIMEOUT = 5.0  # seconds; nothing here waits longer
T = TypeVar("T")


# --8<-- [start:receiver]
class Receiver:
    """Does reads for a caller and completes the caller's futures: a stand-in for the kernel."""

    def __init__(self) -> None:
        self._submissions: queue.SimpleQueue[tuple[socket.socket, Future[bytes], Future[None]]]
        self._submissions = queue.SimpleQueue()
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()  # to interrupt select()
        self._selector.register(self._wake_r, selectors.EVENT_READ, data=None)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="receiver")

    async def submit(self, sock: socket.socket) -> Future[bytes]:
        """Hand a read of `sock` to the receiver. Returns once the receiver has taken it
        (as io_uring_enter(2) returns once the kernel has consumed the submission), with a
        future that completes when the data is there."""
        loop = asyncio.get_running_loop()
        taken: Future[None] = loop.create_future()
        result: Future[bytes] = loop.create_future()
        self._submissions.put((sock, result, taken))
        self._wake_w.send(b"!")
        await taken
        return result

    def _run(self) -> None:
        while not self._stopping:
            for key, _events in self._selector.select(timeout=TIMEOUT):
                if key.data is None:  # new submissions (or stop): register them
                    self._wake_r.recv(4096)
                    while not self._submissions.empty():
                        sock, result, taken = self._submissions.get()
                        self._selector.register(sock, selectors.EVENT_READ, data=result)
                        taken.get_loop().call_soon_threadsafe(complete, taken, None)
                    continue
                ready, result = key.fileobj, key.data
                assert isinstance(ready, socket.socket)
                self._selector.unregister(ready)
                data = ready.recv(64)  # ready, so this does not block
                # the completion: hand the result to the caller's event loop
                result.get_loop().call_soon_threadsafe(complete, result, data)
                # --8<-- [end:receiver]

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stopping = True
        self._wake_w.send(b"!")
        self._thread.join(TIMEOUT)
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()


def complete(future: Future[T], value: T) -> None:
    if not future.done():  # a caller that gave up may have cancelled it
        future.set_result(value)


def some_work(units: int = 1000) -> int:
    done = 0
    for _ in range(units):
        done += 1
    return done


def answer_in_turn(
    delays: dict[str, float], ends: dict[str, socket.socket], handled: dict[str, threading.Event]
) -> threading.Thread:
    """One thread plays every server: each answers `delays[name]` seconds from now, and
    never before the previous answer's callback has run (`handled`), so the order of the
    callbacks is the order of the delays on any machine, however busy."""
    start = time.monotonic()

    def run() -> None:
        previous: threading.Event | None = None
        for name in sorted(delays, key=delays.__getitem__):
            time.sleep(max(0.0, start + delays[name] - time.monotonic()))
            if previous is not None and not previous.wait(TIMEOUT):
                return  # the caller stopped listening: answer no more
            ends[name].sendall(name.encode())
            previous = handled[name]

    return threading.Thread(target=run)


# --8<-- [start:caller]
async def submit_and_work(delays: dict[str, float]) -> tuple[list[tuple[str, bytes, bool]], int]:
    """Submit one read per peer with a callback each, then work until all have called back."""
    caller = threading.get_ident()
    called_back: list[tuple[str, bytes, bool]] = []
    handled = {name: threading.Event() for name in delays}  # set once its callback has run

    def callback(name: str) -> Callable[[Future[bytes]], None]:
        def on_done(future: Future[bytes]) -> None:
            called_back.append((name, future.result(), threading.get_ident() == caller))
            handled[name].set()  # lets the next peer answer: see answer_in_turn

        return on_done

    pairs = {name: socket.socketpair() for name in delays}
    peers: threading.Thread | None = None
    work = 0
    try:
        with Receiver() as receiver:
            for name, (mine, _) in pairs.items():
                future = await receiver.submit(mine)  # taken: no answer can get there first
                future.add_done_callback(callback(name))
            peers = answer_in_turn(delays, {name: pair[1] for name, pair in pairs.items()}, handled)
            peers.start()
            deadline = time.monotonic() + TIMEOUT
            while len(called_back) < len(delays) and time.monotonic() < deadline:
                work += some_work()  # the caller's own work ...
                await asyncio.sleep(0)  # ... and a moment for the loop to run callbacks
    finally:
        if peers is not None:
            peers.join(TIMEOUT)
        for mine, theirs in pairs.values():
            mine.close()
            theirs.close()
    return called_back, work
    # --8<-- [end:caller]


def demo(say: Callable[[str], None] = print) -> None:
    """Submit three reads and print the callbacks as they arrive."""
    called_back, work = asyncio.run(submit_and_work(DELAYS))
    sent = ", ".join(f"{name} ({delay * 1000:.0f} ms)" for name, delay in DELAYS.items())
    say(f"submitted: {sent}; the caller went back to work")
    for name, data, on_caller in called_back:
        say(f"callback: {name} completed with {data!r} (ran on the caller's thread: {on_caller})")
    say(f"work done while the reads were in flight: more than 0 units: {work > 0}")


if __name__ == "__main__":
    demo()
