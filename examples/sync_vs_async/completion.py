"""Asynchronous I/O by completion: the receiver calls back when it is done (io_uring's model).

The caller submits three reads, hangs a callback on each submission's future and goes
back to work: it never asks whether a read is ready, never waits for one. The receiver
does the reads and completes the futures; the event loop runs each callback on the
caller's own thread, in the order the reads finished. Python's standard library has no
io_uring binding: one thread with its own selector stands in for the kernel, which with
io_uring does the reads itself and posts each completion on a ring (see io_uring(7)).

Run it: ``python completion.py``. Its page shows what it prints. Submitted first,
called back last, on the caller's thread:

>>> asyncio.run(submit_and_work({"X": 0.02, "Y": 0.01}))[0]
[('Y', b'Y', True), ('X', b'X', True)]
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
from functools import partial
from typing import Any

DELAYS = {"A": 0.30, "B": 0.10, "C": 0.20}  # seconds each peer takes to answer
TIMEOUT = 5.0  # seconds; nothing here waits longer
Submission = tuple[socket.socket, Future[bytes], Future[None]]  # what to read, and two futures


# --8<-- [start:receiver]
class Receiver:
    """Does reads for a caller and completes the caller's futures: a stand-in for the kernel."""

    def __init__(self) -> None:
        self._submissions: queue.SimpleQueue[Submission] = queue.SimpleQueue()
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()  # to interrupt select()
        self._selector.register(self._wake_r, selectors.EVENT_READ, data=None)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="receiver")

    async def submit(self, sock: socket.socket) -> Future[bytes]:
        """Hand a read of `sock` to the receiver; once it is taken (as io_uring_enter(2)
        returns once the kernel consumed the submission), return the future of its data."""
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

    def __exit__(self, *exc_info: object) -> None:
        self._stopping = True
        self._wake_w.send(b"!")
        self._thread.join(TIMEOUT)
        for closable in (self._selector, self._wake_r, self._wake_w):
            closable.close()


def complete(future: Future[Any], value: object) -> None:
    if not future.done():  # a caller that gave up may have cancelled it
        future.set_result(value)


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

    def on_done(name: str, future: Future[bytes]) -> None:  # the callback
        called_back.append((name, future.result(), threading.get_ident() == caller))
        handled[name].set()  # lets the next peer answer: see answer_in_turn

    pairs = {name: socket.socketpair() for name in delays}
    peers: threading.Thread | None = None
    work = 0
    try:
        with Receiver() as receiver:
            for name, (mine, _) in pairs.items():
                future = await receiver.submit(mine)  # taken: no answer can get there first
                future.add_done_callback(partial(on_done, name))
            peers = answer_in_turn(delays, {name: pair[1] for name, pair in pairs.items()}, handled)
            peers.start()
            deadline = time.monotonic() + TIMEOUT
            while len(called_back) < len(delays) and time.monotonic() < deadline:
                for _ in range(1000):  # the caller's own work ...
                    work += 1
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
