"""Asynchronous I/O by completion: the program reaps what was done for it (io_uring's model).

The caller submits three reads, each into a buffer of its own, and goes back to work. It
never asks whether a socket is ready and never calls recv(): the receiver does each read
into the caller's buffer, then posts a completion entry (which read, how many bytes) on a
completion queue. Between slices of work the caller reaps the entries posted so far and
finds the data already in its buffers. Nothing calls the caller back. This is io_uring's
model (see io_uring(7)): submission queue entries (SQEs) on one ring, completion queue
entries (CQEs) on another. Python's standard library has no io_uring binding: one thread
with its own selector stands in for the kernel.

Run it: ``python completion.py``. Its page shows what it prints. Submitted first,
completed last:

>>> submit_and_work({"X": 0.02, "Y": 0.01})[0]
[('Y', b'Y'), ('X', b'X')]
"""

from __future__ import annotations

import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

DELAYS = {"A": 0.30, "B": 0.10, "C": 0.20}  # seconds each peer takes to answer
TIMEOUT = 5.0  # seconds; nothing here waits longer


class Completion(NamedTuple):  # a CQE: io_uring's has user_data and res, too
    user_data: str  # which read: the tag the caller put on its submission
    res: int  # how many bytes the read put in the caller's buffer


Submission = tuple[socket.socket, bytearray, str, threading.Event]


# --8<-- [start:receiver]
class Receiver:
    """Does reads into the caller's buffers and posts completions: a stand-in for the kernel."""

    def __init__(self) -> None:
        self.completions: queue.SimpleQueue[Completion] = queue.SimpleQueue()  # the CQ ring
        self._submissions: queue.SimpleQueue[Submission] = queue.SimpleQueue()  # the SQ ring
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()  # to interrupt select()
        self._selector.register(self._wake_r, selectors.EVENT_READ, data=None)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="receiver")

    def submit(self, sock: socket.socket, buffer: bytearray, user_data: str) -> None:
        """Hand a read of `sock` into `buffer` to the receiver; return once it is taken (as
        io_uring_enter(2) returns once the kernel consumed the submission)."""
        taken = threading.Event()
        self._submissions.put((sock, buffer, user_data, taken))
        self._wake_w.send(b"!")
        if not taken.wait(TIMEOUT):
            raise TimeoutError("the receiver did not take the submission")

    def _run(self) -> None:
        while not self._stopping:
            for key, _events in self._selector.select(timeout=TIMEOUT):
                if key.data is None:  # new submissions (or stop): register them
                    self._wake_r.recv(4096)
                    while not self._submissions.empty():
                        sock, buffer, user_data, taken = self._submissions.get()
                        self._selector.register(sock, selectors.EVENT_READ, (buffer, user_data))
                        taken.set()
                    continue
                ready, (buffer, user_data) = key.fileobj, key.data
                assert isinstance(ready, socket.socket)
                self._selector.unregister(ready)
                res = ready.recv_into(buffer)  # the read itself, into the caller's buffer
                self.completions.put(Completion(user_data, res))  # post the completion
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


def answer_in_turn(
    delays: dict[str, float], ends: dict[str, socket.socket], handled: dict[str, threading.Event]
) -> threading.Thread:
    """One thread plays every server: each answers `delays[name]` seconds from now, and
    never before the previous answer's completion was reaped (`handled`), so the order of
    the completions is the order of the delays on any machine, however busy."""
    start = time.monotonic()

    def run() -> None:
        previous: threading.Event | None = None
        for name in sorted(delays, key=delays.__getitem__):
            time.sleep(max(0.0, start + delays[name] - time.monotonic()))
            if previous is not None and not previous.wait(TIMEOUT):
                return  # the caller stopped reaping: answer no more
            ends[name].sendall(name.encode())
            previous = handled[name]

    return threading.Thread(target=run)


# --8<-- [start:caller]
def submit_and_work(delays: dict[str, float]) -> tuple[list[tuple[str, bytes]], int]:
    """Submit one read per peer, each into its own buffer; work and reap until all are done."""
    buffers = {name: bytearray(64) for name in delays}
    reaped: list[tuple[str, bytes]] = []
    handled = {name: threading.Event() for name in delays}  # set once its completion is reaped
    pairs = {name: socket.socketpair() for name in delays}
    peers: threading.Thread | None = None
    work = 0
    try:
        with Receiver() as receiver:
            for name, (mine, _) in pairs.items():
                receiver.submit(mine, buffers[name], name)  # taken: no answer can get there first
            peers = answer_in_turn(delays, {name: pair[1] for name, pair in pairs.items()}, handled)
            peers.start()
            deadline = time.monotonic() + TIMEOUT
            while len(reaped) < len(delays) and time.monotonic() < deadline:
                for _ in range(1000):  # the caller's own work ...
                    work += 1
                while not receiver.completions.empty():  # ... then reap; this never waits
                    done = receiver.completions.get_nowait()
                    reaped.append((done.user_data, bytes(buffers[done.user_data][: done.res])))
                    handled[done.user_data].set()  # lets the next peer answer: see answer_in_turn
    finally:
        if peers is not None:
            peers.join(TIMEOUT)
        for mine, theirs in pairs.values():
            mine.close()
            theirs.close()
    return reaped, work
    # --8<-- [end:caller]


def demo(say: Callable[[str], None] = print) -> None:
    """Submit three reads and print the completions in the order they were reaped."""
    reaped, work = submit_and_work(DELAYS)
    sent = ", ".join(f"{name} ({delay * 1000:.0f} ms)" for name, delay in DELAYS.items())
    say(f"submitted: {sent}, each into its own buffer; the caller went back to work")
    for name, data in reaped:
        say(f"reaped a completion: {name}, its buffer already holds {data!r}")
    say(f"work done while the reads were in flight: more than 0 units: {work > 0}")


if __name__ == "__main__":
    demo()
