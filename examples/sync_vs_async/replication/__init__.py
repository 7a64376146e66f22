"""Asynchronous vs synchronous replication: when may the primary say "committed"?

A primary ships every commit to a standby over a link with ``LATENCY`` seconds of latency
each way (threads stand in for the network and the standby). As PostgreSQL's standby
does, this one first *flushes* what it receives to its own log, then *applies* (replays)
it to its data, where a read on the standby can see it, and acknowledges each step.

What the primary waits for before it answers, by the names of PostgreSQL's
``synchronous_commit``: ``local``, only its own log (asynchronous replication); ``on``,
the standby's flush; ``remote_apply``, the standby's apply. Whichever it waits for, it
has committed locally first: a wait cut short leaves a commit that is not replicated.

The package: ``model.py`` (the primary, the standby and the link), ``scenarios.py`` (the
stories and the timings) and ``__main__.py``. Run it: ``python -m replication`` from the
folder that holds the package. Its page shows what it prints. Once a commit with
``remote_apply`` returns, a read on the standby sees it:

>>> with Standby() as standby:
...     Primary(standby).commit("balance", 150, "remote_apply"), standby.data
(None, {'balance': 150})
"""

from .model import (
    CANCEL_AFTER,
    LATENCY,
    TIMEOUT,
    Ack,
    Mode,
    Primary,
    Record,
    Standby,
    replicated,
)
from .scenarios import COMMITS, commit_times, demo, stories

__all__ = [
    "CANCEL_AFTER",
    "COMMITS",
    "LATENCY",
    "TIMEOUT",
    "Ack",
    "Mode",
    "Primary",
    "Record",
    "Standby",
    "commit_times",
    "demo",
    "replicated",
    "stories",
]
