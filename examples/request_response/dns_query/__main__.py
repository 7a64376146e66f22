"""The responder on a free loopback port; a known name, an unknown one, a forged answer.

``python -m examples.request_response.dns_query`` (or ``python -m dns_query`` from the
folder that holds the package) prints what its page shows.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

from .client import TIMEOUT, resolve
from .responder import answer, serve
from .wire import build_query

# A real resolver picks a random ID per query (RFC 5452 §9.2); fixed here for the output.
QUERIES = ((0x2B1D, "example.test."), (0x2B1E, "nope.example.test."), (0x2B1F, "api.example.test."))


def forge(client: tuple[str, int], query_id: int, name: str, say: Callable[[str], None]) -> None:
    """A forger who knows the ID and the client's port, but sends from a port of its own."""
    forged = answer(build_query(query_id, name))[:-4] + socket.inet_aton("203.0.113.66")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as forger:  # on a port of its own
        forger.sendto(forged, client)
    say(f"forger: an answer to id={query_id:#06x}, {name} A 203.0.113.66, sent to the client")


def demo(say: Callable[[str], None] = print) -> None:
    """The responder on a free loopback port; a known name, an unknown one, a forged answer."""
    stop = threading.Event()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.05)  # so the serving loop sees `stop` soon
        server = threading.Thread(target=serve, args=(sock, stop))
        server.start()
        try:
            for query_id, name in QUERIES:  # a new socket, so a new port, for each query
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
                    client.bind(("127.0.0.1", 0))
                    if name == "api.example.test.":  # queued before the server's answer
                        forge(client.getsockname(), query_id, name, say)
                    resolve(client, sock.getsockname(), query_id, name, say, query_id == 0x2B1D)
        finally:
            stop.set()
            server.join(TIMEOUT)


if __name__ == "__main__":
    demo()
