"""Asynchronous vs synchronous replication: when may the primary say "committed"?

A primary keeps the data and ships every write to a replica over a link with
``LATENCY`` seconds of latency each way (a thread stands in for the network and the
replica).

With an asynchronous ack the primary answers once its own copy has the write. A read
on the replica right after is stale, and if the primary dies before the write crosses
the link, a write the client was told had succeeded is gone: the replica promoted in
its place never got it. With a synchronous ack the primary answers only after the
replica confirms: the write survives the primary, and every write pays the round trip.

Run it: ``python replication.py``. Its page shows what it prints. Once a synchronous
write returns, the replica has it:

>>> replica = Replica()
>>> Primary(replica).write("balance", 150, synchronous=True).is_set(), replica.data
(True, {'balance': 150})
>>> replica.close()
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

# --8<-- [start:latency]
LATENCY = 0.03  # seconds one way between primary and replica
# --8<-- [end:latency]
TIMEOUT = 5.0  # seconds; no wait here lasts longer

Message = tuple[str, int, float, threading.Event]  # key, value, sent at, ack


# --8<-- [start:replica]
class Replica:
    """Applies the writes it receives, each LATENCY after it was sent, then acks."""

    def __init__(self) -> None:
        self.data: dict[str, int] = {}
        self.link_up = True
        self.inbox: queue.Queue[Message | None] = queue.Queue()
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self) -> None:
        while (message := self.inbox.get()) is not None:
            key, value, sent_at, ack = message
            time.sleep(max(0.0, sent_at + LATENCY - time.monotonic()))  # on the wire
            if not self.link_up:  # the primary died: what was on the wire is lost
                continue
            self.data[key] = value
            time.sleep(LATENCY)  # the ack travels back
            ack.set()

    def close(self) -> None:
        self.inbox.put(None)
        self.thread.join(TIMEOUT)


class Primary:
    def __init__(self, replica: Replica) -> None:
        self.data: dict[str, int] = {}
        self.replica = replica

    def write(self, key: str, value: int, synchronous: bool) -> threading.Event:
        """Apply locally, ship to the replica; with `synchronous`, wait for its ack."""
        self.data[key] = value
        ack = threading.Event()
        self.replica.inbox.put((key, value, time.monotonic(), ack))
        if synchronous and not ack.wait(TIMEOUT):
            raise TimeoutError("the replica did not confirm")
        return ack  # "committed", as far as the client is told

    def die(self) -> None:
        self.replica.link_up = False
        # --8<-- [end:replica]


def timed_write(primary: Primary, value: int, synchronous: bool) -> tuple[float, threading.Event]:
    start = time.perf_counter()
    ack = primary.write("balance", value, synchronous)
    return time.perf_counter() - start, ack


# --8<-- [start:scenario]
def scenario(say: Callable[[str], None]) -> tuple[float, float]:
    """Run the three stories; return the time of one async and one sync ack."""
    replica = Replica()
    try:
        primary = Primary(replica)
        primary.write("balance", 100, synchronous=True)
        say(f"start: primary and replica both have balance = {replica.data['balance']}")
        async_time, ack = timed_write(primary, 150, synchronous=False)
        seen = replica.data["balance"]  # read the replica right after the ack
        say(f"async ack: committed; replica reads balance = {seen} (stale: {seen != 150})")
        ack.wait(TIMEOUT)  # let it catch up, then go back to 100 for the crash story
        primary.write("balance", 100, synchronous=True)
        primary.write("balance", 150, synchronous=False)
        primary.die()  # before the write crossed the link
        kept = replica.data["balance"]
        say(
            f"async ack, then the primary dies: promoted replica has balance = {kept} "
            f"(acknowledged write lost: {kept != 150})"
        )
    finally:
        replica.close()
    replica = Replica()
    try:
        primary = Primary(replica)
        primary.write("balance", 100, synchronous=True)
        sync_time, _ = timed_write(primary, 150, synchronous=True)
        seen = replica.data["balance"]
        say(f"sync ack: committed; replica reads balance = {seen} (stale: {seen != 150})")
    finally:
        replica.close()
    return async_time, sync_time
    # --8<-- [end:scenario]


def demo(say: Callable[[str], None] = print) -> None:
    """Tell the three stories and compare the cost of the two acks."""
    async_time, sync_time = scenario(say)
    say(
        "sync ack took at least 10x longer than async ack (the replica's round trip): "
        f"{sync_time >= 10 * async_time}"
    )


if __name__ == "__main__":
    demo()
