"""Messages nobody asked for: the server speaks on a session that sent nothing.

Two sessions on one server. The listener sets its ``application_name`` and runs
``LISTEN news``; the notifier runs ``NOTIFY news, 'hello'``. Then the listener sends
nothing and reads: a NotificationResponse arrives all the same. On the way, the server
also sends a ParameterStatus no query asked for, and a NoticeResponse, inside responses.
Asynchronous operations: https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-ASYNC
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from .protocol import TERMINATE, TIMEOUT, WireError, describe, read_message, simple_query, start

CHANNEL = "news"


def listen_and_notify(
    host: str, port: int, user: str, database: str, say: Callable[[str], None] = print
) -> None:
    """A NotificationResponse reaches the listener while it sends nothing at all."""
    with (
        socket.create_connection((host, port), timeout=TIMEOUT) as listener,
        socket.create_connection((host, port), timeout=TIMEOUT) as notifier,
    ):
        start(listener, user, database, say=lambda line: None)
        startup: list[str] = []
        start(notifier, user, database, say=startup.append)
        say("notifier " + next(line for line in startup if line.startswith("< K")))

        def as_listener(line: str) -> None:
            say("listener " + line)

        def as_notifier(line: str) -> None:
            say("notifier " + line)

        simple_query(listener, f"SET application_name = 'listener'; LISTEN {CHANNEL}", as_listener)
        sql = f"DROP TABLE IF EXISTS no_such_table; NOTIFY {CHANNEL}, 'hello'"
        simple_query(notifier, sql, as_notifier)
        say("listener   sends nothing, and reads:")
        kind, body = read_message(listener)  # waits for the server, TIMEOUT at most
        as_listener("< " + describe(kind, body))
        if kind != "A":
            raise WireError(f"expected a NotificationResponse, got {describe(kind, body)}")
        for sock in (listener, notifier):
            sock.sendall(TERMINATE)
