"""The five steps of request-response, on a real socket, with the bytes on the wire.

A tiny HTTP/1.1 server and a raw-socket client, both written against plain sockets
so that nothing hides the framing: the request line, the headers, the blank line
that ends them, and a body whose length the ``Content-Length`` header announces.

Run it: ``python anatomy.py``. Its page shows what it prints.

>>> build_message("GET / HTTP/1.1", {"Host": "example.test"}, b"")
b'GET / HTTP/1.1\\r\\nHost: example.test\\r\\n\\r\\n'
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable

TIMEOUT = 5.0  # seconds; every socket operation here gives up after this


# --8<-- [start:framing]
def read_message(sock: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """Read one HTTP/1.1 message: start line, headers up to the blank line, then the body."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:  # the blank line ends the head
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("peer closed the connection before the blank line")
        buffer += chunk
        if len(buffer) > 64 * 1024:
            raise ValueError("header section larger than 64 KiB")
    head, _, body = buffer.partition(b"\r\n\r\n")
    start_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))  # Content-Length frames the body
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise ConnectionError("peer closed the connection inside the body")
        body += chunk
    return start_line, headers, body


def build_message(start_line: str, headers: dict[str, str], body: bytes) -> bytes:
    head = [start_line, *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    # --8<-- [end:framing]


def on_the_wire(direction: str, message: bytes) -> str:
    """Show a message as it travels: one line per CRLF, the body last."""
    head, _, body = message.partition(b"\r\n\r\n")
    lines = [*head.decode("latin-1").split("\r\n"), "", body.decode()]
    return "\n".join(f"   {direction} {line}".rstrip() for line in lines)


# --8<-- [start:server]
def serve_one(listener: socket.socket, say: Callable[[str], None]) -> None:
    """Accept one connection and answer one request: steps 2, 3 and 4."""
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(TIMEOUT)
        request_line, headers, body = read_message(conn)
        method, path, _version = request_line.split(" ")
        say(
            f"2. server parses the request: method={method!r} path={path!r} "
            f"Content-Length={headers['content-length']}"
        )
        name = json.loads(body)["name"]  # deserialization is part of processing
        reply = json.dumps({"greeting": f"Hello, {name}"}).encode()
        say(f"3. server processes the request: deserializes {body.decode()} and builds a reply")
        response_headers = {
            "Content-Type": "application/json",
            "Content-Length": str(len(reply)),
            "Connection": "close",
        }
        say(
            f"4. server sends a response: 'HTTP/1.1 200 OK' + {len(response_headers)} headers "
            f"+ blank line + {len(reply)}-byte body"
        )
        response = build_message("HTTP/1.1 200 OK", response_headers, reply)
        say(on_the_wire("<", response))
        conn.sendall(response)
        # --8<-- [end:server]


# --8<-- [start:client]
def demo(say: Callable[[str], None] = print) -> None:
    """Run one request-response exchange and narrate each step."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(TIMEOUT)
        host, port = listener.getsockname()
        server = threading.Thread(target=serve_one, args=(listener, say))
        server.start()
        try:
            body = json.dumps({"name": "Ada"}).encode()
            headers = {
                "Host": f"{host}:{port}",
                "Content-Type": "application/json",
                "Content-Length": str(len(body)),
                "Connection": "close",
            }
            request = build_message("POST /greet HTTP/1.1", headers, body)
            with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
                say(
                    f"1. client sends a request: 'POST /greet HTTP/1.1' + {len(headers)} headers "
                    f"+ blank line + {len(body)}-byte body"
                )
                say(on_the_wire(">", request))
                sock.sendall(request)
                status_line, _headers, reply = read_message(sock)  # blocks until the answer
            status = int(status_line.split(" ")[1])
            say(
                f"5. client parses the response and consumes it: status={status} "
                f"body={json.loads(reply)}"
            )
        finally:
            server.join(TIMEOUT)
            # --8<-- [end:client]


if __name__ == "__main__":
    demo()
