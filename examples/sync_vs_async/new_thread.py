"""Asynchronous by delegation: the caller spins up a new thread that blocks for it.

The read itself stays synchronous, but it happens on a second thread: the OS blocks
that thread, not the caller. The caller keeps counting work and learns the answer
when the thread hands it over (here through a queue it checks between slices of work).
This is what Node.js's libuv thread pool and Python's ``asyncio.to_thread`` do.

Run it: ``python new_thread.py``. Its page shows what it prints. The answer, and
whether a thread other than the caller's blocked for it:

>>> answer, _work, elsewhere = read_on_a_thread(delay=0.01)
>>> answer, elsewhere
(b'answer', True)
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Callable

DELAY = 0.15  # seconds the receiver takes to answer
TIMEOUT = 5.0  # seconds; nothing here waits longer


def some_work(units: int = 1000) -> int:
    done = 0
    for _ in range(units):
        done += 1
    return done


# --8<-- [start:thread]
def read_on_a_thread(delay: float = DELAY) -> tuple[bytes, int, bool]:
    """Delegate a blocking recv() to a new thread; work until it hands the answer back."""
    answers: queue.SimpleQueue[tuple[bytes, int]] = queue.SimpleQueue()

    def blocking_read(sock: socket.socket) -> None:  # runs on the new thread
        answers.put((sock.recv(64), threading.get_ident()))  # the OS blocks *this* thread

    mine, theirs = socket.socketpair()
    with mine, theirs:
        mine.settimeout(TIMEOUT)
        reader = threading.Thread(target=blocking_read, args=(mine,))
        receiver = threading.Timer(delay, theirs.sendall, args=(b"answer",))
        reader.start()
        receiver.start()
        work = 0
        deadline = time.monotonic() + TIMEOUT
        while answers.empty() and time.monotonic() < deadline:
            work += some_work()  # the caller is never blocked
        answer, reader_id = answers.get(timeout=TIMEOUT)
        reader.join(TIMEOUT)
        receiver.join(TIMEOUT)
    return answer, work, reader_id != threading.get_ident()
    # --8<-- [end:thread]


def demo(say: Callable[[str], None] = print) -> None:
    """Delegate one blocking read and print what the caller did meanwhile."""
    say(f"caller starts a thread to do the blocking read ({DELAY * 1000:.0f} ms)")
    answer, work, elsewhere = read_on_a_thread()
    say(f"the thread blocked in recv(), the caller did not: {elsewhere}")
    say(f"answer handed back to the caller: {answer!r}")
    say(f"work done while waiting: more than 0 units: {work > 0}")


if __name__ == "__main__":
    demo()
