"""The model: a primary, a standby, and the link between them (threads stand in for both).

The link has ``LATENCY`` seconds of latency each way. As PostgreSQL's standby does, this
one first *flushes* what it receives to its own log, then *applies* (replays) it to its
data, where a read on the standby can see it, and acknowledges each step. The primary
commits locally first, then waits as its mode says: ``local``, for nothing more; ``on``,
for the standby's flush; ``remote_apply``, for the standby's apply.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

# --8<-- [start:timing]
LATENCY = 0.03  # seconds one way between primary and standby
CANCEL_AFTER = 0.3  # seconds a client waits for a synchronous commit, then cancels it
# --8<-- [end:timing]
TIMEOUT = 5.0  # seconds; no wait here lasts longer
Mode = Literal["local", "on", "remote_apply"]


# --8<-- [start:standby]
class Ack(threading.Event):
    """Set by the standby when it sends the ack; the primary hears it LATENCY later."""

    def heard_within(self, timeout: float) -> bool:
        if not self.wait(timeout):
            return False
        time.sleep(LATENCY)  # the ack travels back
        return True


@dataclass
class Record:  # a commit record of the write-ahead log
    key: str
    value: int
    sent_at: float = field(default_factory=time.monotonic)
    flushed: Ack = field(default_factory=Ack)
    applied: Ack = field(default_factory=Ack)


class Standby:
    """Receives records, flushes them to its log, then applies them to its data."""

    def __init__(self) -> None:
        self.log: list[Record] = []  # flushed: survives a crash of the standby
        self.data: dict[str, int] = {}  # applied: what a read on the standby sees
        self.link, self.lost = threading.Event(), False  # link clear: records wait on the wire
        self.replaying = threading.Event()  # clear: replay paused, as pg_wal_replay_pause()
        self.link.set()
        self.replaying.set()
        self.inbox: queue.Queue[Record | None] = queue.Queue()
        self.to_apply: queue.Queue[Record | None] = queue.Queue()
        self.threads = [threading.Thread(target=self.receive), threading.Thread(target=self.apply)]

    def receive(self) -> None:
        while (record := self.inbox.get()) is not None:
            time.sleep(max(0.0, record.sent_at + LATENCY - time.monotonic()))  # on the wire
            self.link.wait(TIMEOUT)  # held up on the way while the link is cleared
            if not self.lost:  # lost: the primary died, or the standby is unreachable
                self.log.append(record)
                record.flushed.set()
                self.to_apply.put(record)
        self.to_apply.put(None)

    def apply(self) -> None:
        while (record := self.to_apply.get()) is not None:
            self.replaying.wait(TIMEOUT)  # replay can lag behind the flush: here, paused
            self.data[record.key] = record.value
            record.applied.set()
            # --8<-- [end:standby]

    def __enter__(self) -> Standby:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.link.set()
        self.replaying.set()
        self.inbox.put(None)
        for thread in self.threads:
            thread.join(TIMEOUT)


# --8<-- [start:primary]
class Primary:
    def __init__(self, standby: Standby) -> None:
        self.log: list[Record] = []  # its own write-ahead log, flushed
        self.data: dict[str, int] = {}  # what a read on the primary sees
        self.standby = standby

    def commit(self, key: str, value: int, mode: Mode, cancel_after: float = TIMEOUT) -> str | None:
        """Commit locally, ship the record, wait as `mode` says; None, or the warning."""
        record = Record(key, value)
        self.log.append(record)  # committed: a restart of the primary keeps it
        self.standby.inbox.put(record)
        ack = {"local": None, "on": record.flushed, "remote_apply": record.applied}[mode]
        warning = None
        if ack is not None and not ack.heard_within(cancel_after):  # the client cancels
            warning = "canceling wait for synchronous replication due to user request"
        self.data[key] = value  # visible on the primary once the wait ends, either way
        return warning
        # --8<-- [end:primary]


@contextmanager
def replicated(balance: int = 100) -> Iterator[tuple[Primary, Standby]]:
    """A primary and its standby, both with the same balance."""
    with Standby() as standby:
        primary = Primary(standby)
        primary.commit("balance", balance, "remote_apply")
        yield primary, standby
