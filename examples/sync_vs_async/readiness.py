"""Asynchronous I/O by readiness: one thread asks the OS which sockets are ready (epoll).

The caller sends three requests on three sockets and does not wait for any of them.
Between slices of its own work it asks the selector "is anything ready?"
(``select(timeout=0)``: epoll_wait with a zero timeout on Linux), and reads only the
sockets the OS says are readable. Answers come back in the order the receivers finish,
not the order they were asked, and the caller's work counter keeps counting meanwhile.
One thread stands in for the three servers, of different speeds.

Run it: ``python readiness.py``. Its page shows what it prints. Asked first, answered last:

>>> poll_until_done({"X": 0.02, "Y": 0.01}).order
['Y', 'X']
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

# --8<-- [start:delays]
DELAYS = {"A": 0.30, "B": 0.10, "C": 0.20}  # seconds each receiver takes to answer
# --8<-- [end:delays]
TIMEOUT = 5.0  # seconds; the caller gives up after this


def some_work(units: int = 1000) -> int:
    """A slice of the caller's own work: it counts."""
    done = 0
    for _ in range(units):
        done += 1
    return done


class Polled(NamedTuple):
    order: list[str]  # names of the receivers, in the order their answers were read
    work: int  # units of work the caller did while waiting
    threads: int  # how many threads read answers
    selector: str  # the selector class the platform chose


def answer_in_turn(
    delays: dict[str, float], ends: dict[str, socket.socket], read: dict[str, threading.Event]
) -> threading.Thread:
    """One thread plays every server: each answers `delays[name]` seconds from now, and
    never before the caller has read the previous answer (`read`), so the order the
    caller reads them in is the order of the delays on any machine, however busy."""
    start = time.monotonic()

    def run() -> None:
        previous: threading.Event | None = None
        for name in sorted(delays, key=delays.__getitem__):
            time.sleep(max(0.0, start + delays[name] - time.monotonic()))
            if previous is not None and not previous.wait(TIMEOUT):
                return  # the caller stopped reading: answer no more
            ends[name].sendall(name.encode())
            previous = read[name]

    return threading.Thread(target=run)


# --8<-- [start:readiness]
def poll_until_done(delays: dict[str, float] = DELAYS) -> Polled:
    """Send one request per receiver, then work and check readiness until all answered."""
    pairs = {name: socket.socketpair() for name in delays}
    order: list[str] = []
    read = {name: threading.Event() for name in delays}  # set once its answer is read
    readers: set[int] = set()  # which threads read an answer
    servers: threading.Thread | None = None
    work = 0
    try:
        with selectors.DefaultSelector() as selector:  # EpollSelector on Linux
            for name, (mine, _) in pairs.items():
                mine.setblocking(False)
                selector.register(mine, selectors.EVENT_READ, data=name)
            servers = answer_in_turn(delays, {name: pair[1] for name, pair in pairs.items()}, read)
            servers.start()  # the three requests are "sent": the answers come in time
            deadline = time.monotonic() + TIMEOUT
            while len(order) < len(pairs) and time.monotonic() < deadline:
                for key, _events in selector.select(timeout=0):  # ready? never waits
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    order.append(sock.recv(64).decode())
                    read[key.data].set()  # lets the next server answer: see answer_in_turn
                    readers.add(threading.get_ident())
                    selector.unregister(sock)
                work += some_work()  # the caller is free between checks
            kind = type(selector).__name__
    finally:
        if servers is not None:
            servers.join(TIMEOUT)
        for mine, theirs in pairs.values():
            mine.close()
            theirs.close()
    return Polled(order, work, len(readers), kind)
    # --8<-- [end:readiness]


def demo(say: Callable[[str], None] = print) -> None:
    """Run the three requests and print the order the answers arrived in."""
    order, work, threads, kind = poll_until_done()
    say(f"selector: {kind}")
    say("sent in order: " + ", ".join(f"{n} ({d * 1000:.0f} ms)" for n, d in DELAYS.items()))
    say(f"answers in completion order: {', '.join(order)}")
    say(f"threads the caller used: {threads}")
    say(f"work done while waiting: more than 0 units: {work > 0}")


if __name__ == "__main__":
    demo()
