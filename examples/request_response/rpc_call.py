"""An XML-RPC call is request-response: one HTTP POST, and its result is the response.

The standard library's XML-RPC server publishes a function; the client calls it
twice. First by hand, with ``http.client``, to see the XML bodies on the wire;
then through ``xmlrpc.client.ServerProxy``, where the same exchange looks like a
local function call.

Run it: ``python rpc_call.py``. Its page shows what it prints.

>>> with rpc_server() as (host, port):
...     call_by_hand(host, port, say=lambda line: None)
5
"""

from __future__ import annotations

import http.client
import threading
import xmlrpc.client
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from xmlrpc.server import SimpleXMLRPCServer

TIMEOUT = 5.0  # seconds, for every request


def add(a: Any, b: Any) -> Any:  # XML-RPC values carry their own types, checked at run time
    return a + b


# --8<-- [start:server]
@contextmanager
def rpc_server() -> Iterator[tuple[str, int]]:
    """An XML-RPC server on a free loopback port, publishing add(); yields its address."""
    server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False)
    server.register_function(add)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield str(host), int(port)
    finally:
        server.shutdown()
        thread.join(TIMEOUT)
        server.server_close()
        # --8<-- [end:server]


def show(direction: str, text: str) -> str:
    return "\n".join(f"{direction} {line}" for line in text.splitlines())


# --8<-- [start:by_hand]
def call_by_hand(host: str, port: int, say: Callable[[str], None]) -> int:
    """The call as a request: method name and arguments serialized into an XML body."""
    body = xmlrpc.client.dumps((2, 3), methodname="add")
    say("> POST /RPC2 HTTP/1.1  (Content-Type: text/xml)")
    say(show(">", body))
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        connection.request("POST", "/RPC2", body, {"Content-Type": "text/xml"})
        response = connection.getresponse()  # the caller blocks here, as for a local call
        reply = response.read().decode()
    finally:
        connection.close()
    version = "HTTP/1.1" if response.version == 11 else "HTTP/1.0"
    say(
        f"< {version} {response.status} {response.reason}  "
        f"(Content-Type: {response.getheader('Content-Type')})"
    )
    say(show("<", reply))
    (result,), _method = xmlrpc.client.loads(reply)  # deserialize the response body
    assert isinstance(result, int)
    return result
    # --8<-- [end:by_hand]


class Transport(xmlrpc.client.Transport):
    """ServerProxy's HTTP transport, with a timeout on its connection."""

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = TIMEOUT
        return connection


# --8<-- [start:proxy]
def demo(say: Callable[[str], None] = print) -> None:
    with rpc_server() as (host, port):
        say(f"by hand: add(2, 3) = {call_by_hand(host, port, say)}")
        with xmlrpc.client.ServerProxy(f"http://{host}:{port}/RPC2", Transport()) as proxy:
            say(f"through a proxy: proxy.add(2, 3) = {proxy.add(2, 3)!r}")  # the same POST
            try:
                proxy.add(2, "three")
            except xmlrpc.client.Fault as fault:
                say(
                    f"a remote error comes back as a response too: "
                    f"Fault {fault.faultCode}: {fault.faultString!r}"
                )
                # --8<-- [end:proxy]


if __name__ == "__main__":
    demo()
