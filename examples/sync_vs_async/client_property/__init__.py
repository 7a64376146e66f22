"""Needs httpx: synchronicity is a property of the client, not of the server.

One slow server (the standard library's ThreadingHTTPServer, answering each request after
``DELAY`` seconds) and four clients making the same ``CALLS`` calls: a synchronous API
(``urllib.request``) and an asynchronous one (``httpx``), each one call after another,
and all at once. Whenever a caller has its thread, it does a unit of its own work; a unit
counts as done *while waiting* if the server was busy with one of its calls just then.

The package: ``server.py`` (the slow server and what it sees), ``clients.py`` (the four
clients), ``report.py`` (the measurement and the report) and ``__main__.py``. Run it:
``pip install httpx``, then ``python -m client_property`` from the folder that holds the
package. Its page shows what it prints. The server answers any client the same:

>>> with SlowServer() as server:
...     sync_in_turn(server.url, calls=2)
[200, 200]
"""

from .clients import (
    CALLS,
    Work,
    async_at_once,
    async_in_turn,
    sync_in_turn,
    sync_on_threads,
    work_until_done,
)
from .report import CLIENTS, TRIALS, Client, Run, demo, measure, run
from .server import DELAY, TIMEOUT, SlowHandler, SlowServer

__all__ = [
    "CALLS",
    "CLIENTS",
    "DELAY",
    "TIMEOUT",
    "TRIALS",
    "Client",
    "Run",
    "SlowHandler",
    "SlowServer",
    "Work",
    "async_at_once",
    "async_in_turn",
    "demo",
    "measure",
    "run",
    "sync_in_turn",
    "sync_on_threads",
    "work_until_done",
]
