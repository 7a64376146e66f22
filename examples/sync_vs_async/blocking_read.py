"""Synchronous I/O: a read that must wait blocks the caller; a read from the cache does not.

The caller reads from a socket whose other end answers after ``DELAY`` seconds. No line
of the caller runs until recv() returns, by construction; the evidence is the OS's own
accounting: the thread's CPU time stands still while the wall clock moves, ``/proc``
shows it sleeping, and the kernel counts the voluntary context switch that gave the CPU away.

A read of a regular file whose data is in the page cache is a copy from kernel memory:
no sleep, no voluntary context switch. One that must go to the device blocks, and
readiness cannot warn of it: select() reports a regular file always readable, epoll
refuses it (EPERM, epoll_ctl(2)), O_NONBLOCK has no effect on it (open(2)).

Run it: ``python blocking_read.py``. Its page shows what it prints. A thread that
looks at itself finds itself running:

>>> thread_state(threading.get_native_id())
'R (running)'
"""

from __future__ import annotations

import errno
import os
import resource
import select
import selectors
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DELAY = 0.15  # seconds the receiver takes to answer
TIMEOUT = 5.0  # seconds; no read here waits longer
SIZE = 1 << 20  # bytes in the file read from the page cache
TRIALS = 5  # reads of the cached file; the fewest context switches counts


def voluntary_switches() -> int:
    """Times this thread gave up the CPU by itself (waiting), from the kernel's rusage."""
    who = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)  # per thread on Linux
    return resource.getrusage(who).ru_nvcsw


def thread_state(native_id: int) -> str:
    """The scheduler state of a thread, as Linux shows it in /proc (R running, S sleeping)."""
    status = Path(f"/proc/self/task/{native_id}/status")
    lines = status.read_text().splitlines() if status.exists() else ["State: (no /proc here)"]
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith("State:"))


@dataclass
class Measured:
    wall: float  # seconds on the wall clock during the read
    cpu: float  # seconds of this thread's CPU time during the read
    switches: int  # voluntary context switches during the read


def clocks() -> Measured:  # the wall clock, this thread's CPU time and switches, now
    return Measured(time.perf_counter(), time.thread_time(), voluntary_switches())


def ten_x_less(measured: Measured) -> bool:  # CPU time at most a tenth of the wall clock
    return measured.wall >= 10 * measured.cpu


def since(before: Measured) -> Measured:
    now = clocks()
    return Measured(now.wall - before.wall, now.cpu - before.cpu, now.switches - before.switches)


# --8<-- [start:blocking]
def blocking_read(delay: float = DELAY) -> tuple[bytes, Measured, str]:
    """Block in recv() until the receiver answers `delay` seconds later; what the OS saw."""
    caller_id = threading.get_native_id()
    seen: list[str] = []

    def receiver(sock: socket.socket) -> None:  # the other end: answers after `delay`
        time.sleep(delay)
        seen.append(thread_state(caller_id))  # look at the caller while it waits
        sock.sendall(b"answer")

    mine, theirs = socket.socketpair()
    with mine, theirs:
        # A kernel timeout (SO_RCVTIMEO, socket(7)) keeps recv(2) itself blocking, and
        # bounded; settimeout() would make Python wait in poll() and call recv() once ready.
        mine.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", int(TIMEOUT), 0))
        peer = threading.Thread(target=receiver, args=(theirs,))
        peer.start()
        before = clocks()
        answer = mine.recv(64)  # blocks: no line of the caller runs until it returns
        took = since(before)
        peer.join(TIMEOUT)
    return answer, took, seen[0] if seen else "(not seen)"
    # --8<-- [end:blocking]


# --8<-- [start:files]
def cached_read(path: Path, trials: int = TRIALS) -> Measured:
    """Read a file whose data is in the page cache: the trial with the fewest switches."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.pread(fd, SIZE, 0)  # the data is in the page cache from now on, if not before
        tries = []
        for _ in range(trials):
            before = clocks()
            os.pread(fd, SIZE, 0)  # a copy from kernel memory: nothing to wait for
            tries.append(since(before))
    finally:
        os.close(fd)
    return min(tries, key=lambda measured: (measured.switches, measured.wall))


def select_says_readable(path: Path) -> bool:
    """A regular file is always "ready": select() never waits for one."""
    with open(path, "rb") as file:
        readable, _, _ = select.select([file], [], [], 0)
    return readable == [file]


def epoll_verdict(path: Path) -> str:
    """What epoll says to a regular file: Linux refuses it (EPERM, epoll_ctl(2))."""
    if not hasattr(selectors, "EpollSelector"):
        return "(no epoll on this system)"
    with selectors.EpollSelector() as selector, open(path, "rb") as file:
        try:
            selector.register(file, selectors.EVENT_READ)
        except PermissionError as refused:
            return f"refused: PermissionError ({errno.errorcode.get(refused.errno or 0, '?')})"
    return "accepted"
    # --8<-- [end:files]


def demo(say: Callable[[str], None] = print) -> None:
    """Make one blocking read and one cached read; print what the OS says about each."""
    say(f"the receiver answers after {DELAY * 1000:.0f} ms; the caller blocks in recv()")
    answer, took, state = blocking_read()
    say(f"recv() returned {answer!r} after {took.wall * 1000:.0f} ms on the wall clock")
    say(f"the caller's CPU time meanwhile: {took.cpu * 1000:.2f} ms (10x less: {ten_x_less(took)})")
    say(f"the caller's state in /proc while blocked: {state}")
    say(f"voluntary context switches: {took.switches} (at least 1: {took.switches >= 1})")
    with tempfile.TemporaryDirectory(prefix="blocking-read-") as folder:
        path = Path(folder) / "cached.bin"
        path.write_bytes(b"x" * SIZE)
        cached = cached_read(path)
        say(f"a read of {SIZE >> 20} MiB from the page cache: {cached.wall * 1000:.2f} ms")
        say(f"its CPU time: {cached.cpu * 1000:.2f} ms (10x less: {ten_x_less(cached)})")
        say(f"voluntary context switches (fewest of {TRIALS} reads): {cached.switches}")
        say(f"select() says the file is readable: {select_says_readable(path)}")
        say(f"epoll and the file: {epoll_verdict(path)}")


if __name__ == "__main__":
    demo()
