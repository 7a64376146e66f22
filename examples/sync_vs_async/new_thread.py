"""Asynchronous by delegation: the caller spins up a new thread that blocks for it.

The read itself stays synchronous, but it happens on a second thread, the helper: the
OS blocks the helper, not the caller. The caller keeps counting work and learns the
answer when the helper hands it over (here through a queue it checks between slices of
work). Halfway through the wait the caller looks the helper up in ``/proc``: sleeping
(``State: S``), while the caller's own counter moves. The CPU times tell the same: the
helper's hardly moves during its recv(), the caller's moves all along. Python's
``asyncio.to_thread`` does the same with a pool of threads (the event loop's default
executor) rather than a new one per call, as Node.js's libuv does.

Run it: ``python new_thread.py``. Its page shows what it prints. The answer, handed back:

>>> read_on_a_thread(delay=0.01).answer
b'answer'
"""

from __future__ import annotations

import queue
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DELAY = 0.15  # seconds the receiver takes to answer
TIMEOUT = 5.0  # seconds; nothing here waits longer


def some_work(units: int = 1000) -> int:
    done = 0
    for _ in range(units):
        done += 1
    return done


def thread_state(native_id: int) -> str:
    """The scheduler state of a thread, as Linux shows it in /proc (R running, S sleeping)."""
    status = Path(f"/proc/self/task/{native_id}/status")
    lines = status.read_text().splitlines() if status.exists() else ["State: (no /proc here)"]
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith("State:"))


@dataclass
class Delegated:
    answer: bytes
    helper_state: str  # the helper's state in /proc, looked up by the caller halfway
    work_then: int  # the caller's work counter when it looked
    work: int  # the caller's work counter when the answer came
    helper_wall: float  # seconds the helper spent in recv(), on the wall clock
    helper_cpu: float  # seconds of CPU time the helper used in recv()
    caller_cpu: float  # seconds of CPU time the caller used meanwhile


# --8<-- [start:thread]
def read_on_a_thread(delay: float = DELAY) -> Delegated:
    """Delegate a blocking recv() to a new thread; work until it hands the answer back."""
    answers: queue.SimpleQueue[tuple[bytes, float, float]] = queue.SimpleQueue()
    in_recv = threading.Event()

    def blocking_read(sock: socket.socket) -> None:  # runs on the new thread, the helper
        wall, cpu = time.perf_counter(), time.thread_time()
        in_recv.set()
        data = sock.recv(64)  # the OS blocks *this* thread
        answers.put((data, time.perf_counter() - wall, time.thread_time() - cpu))

    mine, theirs = socket.socketpair()
    with mine, theirs:
        # A kernel timeout (SO_RCVTIMEO, socket(7)) keeps recv(2) itself blocking, and
        # bounded; settimeout() would make Python wait in poll() and call recv() once ready.
        mine.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", int(TIMEOUT), 0))
        helper = threading.Thread(target=blocking_read, args=(mine,))
        receiver = threading.Timer(delay, theirs.sendall, args=(b"answer",))
        start, cpu = time.monotonic(), time.thread_time()
        helper.start()
        receiver.start()
        work, looked = 0, ("(not looked up)", 0)
        while answers.empty() and time.monotonic() < start + TIMEOUT:
            work += some_work()  # the caller is never blocked
            halfway = time.monotonic() - start >= delay / 2
            if halfway and in_recv.is_set() and not looked[1] and helper.native_id:
                looked = (thread_state(helper.native_id), work)  # and the counter moves on
        answer, helper_wall, helper_cpu = answers.get(timeout=TIMEOUT)
        caller_cpu = time.thread_time() - cpu
        helper.join(TIMEOUT)
        receiver.join(TIMEOUT)
    return Delegated(answer, *looked, work, helper_wall, helper_cpu, caller_cpu)
    # --8<-- [end:thread]


def demo(say: Callable[[str], None] = print) -> None:
    """Delegate one blocking read and print what each thread did meanwhile."""
    say(f"the receiver answers after {DELAY * 1000:.0f} ms; a new thread blocks in recv()")
    got = read_on_a_thread()
    say(f"the helper thread's state in /proc, looked up by the caller halfway: {got.helper_state}")
    moved = got.work > got.work_then > 0
    say(f"the caller's work counter then: {got.work_then}, later: {got.work} (moved: {moved})")
    say(f"the helper in recv(): {got.helper_wall * 1000:.0f} ms on the wall clock")
    less = got.helper_wall >= 10 * got.helper_cpu
    say(f"the helper's CPU time meanwhile: {got.helper_cpu * 1000:.2f} ms (10x less: {less})")
    more = got.caller_cpu >= 10 * got.helper_cpu
    say(f"the caller's CPU time: {got.caller_cpu * 1000:.0f} ms (10x the helper's: {more})")
    say(f"answer handed back to the caller: {got.answer!r}")


if __name__ == "__main__":
    demo()
