"""Synchronous I/O: the caller blocks in a read and the OS takes it off the CPU.

The caller owns a work counter. It counts some work, then reads from a socket whose
other end answers after ``DELAY`` seconds. While the read blocks the counter cannot move: the
caller executes no code. The operating system's own accounting shows why: the wall
clock moves, the thread's CPU time (``time.thread_time``) hardly does, the kernel
reports the thread as sleeping (``State: S`` in ``/proc``), and it counts voluntary
context switches: the thread gave the CPU away until the answer came.

Run it: ``python blocking_read.py``. Its page shows what it prints. A thread that
looks at itself finds itself running:

>>> thread_state(threading.get_native_id())
'R (running)'
"""

from __future__ import annotations

import resource
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DELAY = 0.15  # seconds the receiver takes to answer
TIMEOUT = 5.0  # seconds; no read here waits longer


def voluntary_switches() -> int:
    """Times this thread gave up the CPU by itself (waiting), from the kernel's rusage."""
    who = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)  # per thread on Linux
    return resource.getrusage(who).ru_nvcsw


def thread_state(native_id: int) -> str:
    """The scheduler state of a thread, as Linux shows it in /proc (R running, S sleeping)."""
    status = Path(f"/proc/self/task/{native_id}/status")
    if not status.exists():
        return "(no /proc on this system)"
    for line in status.read_text().splitlines():
        if line.startswith("State:"):
            return line.split(":", 1)[1].strip()
    return "(unknown)"


@dataclass
class Blocked:
    answer: bytes
    work_during: int  # units of work the caller did while its read was pending
    wall: float  # seconds on the wall clock during the read
    cpu: float  # seconds of this thread's CPU time during the read
    switches: int  # voluntary context switches during the read
    state: str  # what /proc said about the caller while it was blocked


# --8<-- [start:blocking]
def blocking_read(delay: float = DELAY) -> Blocked:
    """Count work, then block in recv() until the receiver answers `delay` seconds later."""
    caller_id = threading.get_native_id()
    seen: list[str] = []

    def receiver(sock: socket.socket) -> None:  # the other end: answers after `delay`
        time.sleep(delay)
        seen.append(thread_state(caller_id))  # look at the caller while it waits
        sock.sendall(b"answer")

    work = 0
    mine, theirs = socket.socketpair()
    with mine, theirs:
        mine.settimeout(TIMEOUT)
        peer = threading.Thread(target=receiver, args=(theirs,))
        for _ in range(100_000):  # the caller's own work, before the call
            work += 1
        before = (work, time.perf_counter(), time.thread_time(), voluntary_switches())
        peer.start()
        answer = mine.recv(64)  # blocks: no line of the caller runs until it returns
        after = (work, time.perf_counter(), time.thread_time(), voluntary_switches())
        peer.join(TIMEOUT)
    return Blocked(
        answer=answer,
        work_during=after[0] - before[0],
        wall=after[1] - before[1],
        cpu=after[2] - before[2],
        switches=after[3] - before[3],
        state=seen[0] if seen else "(not seen)",
    )
    # --8<-- [end:blocking]


def demo(say: Callable[[str], None] = print) -> None:
    """Make one blocking read and print what the OS says about it."""
    result = blocking_read()
    say("caller counted work before the call: 100000 units")
    waited = f"{DELAY * 1000:.0f} ms"
    say(f"caller blocks in recv() for {waited}, then gets the answer: {result.answer!r}")
    say(f"work done while blocked: {result.work_during} units")
    say(f"caller's state in /proc while blocked: {result.state}")
    say(
        "wall clock moved at least 10x more than the thread's CPU time: "
        f"{result.wall >= 10 * result.cpu}"
    )
    say(f"voluntary context switches during the read: at least 1: {result.switches >= 1}")


if __name__ == "__main__":
    demo()
