"""The five steps of request-response, on a real socket, with the bytes on the wire.

A tiny HTTP/1.1 server and a raw-socket client, both written against plain sockets
so that nothing hides the framing: the request line, the headers, the blank line
that ends them, and a body whose end RFC 9112 §6.3 decides (here: Content-Length).

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
Message = tuple[str, dict[str, str], bytes]  # start line, headers (lower-case names), body


# --8<-- [start:framing]
class FramingError(ValueError):
    """A body whose end this reader cannot know, or must not guess (RFC 9112 §6.3)."""


def body_length(start_line: str, headers: dict[str, str], method: str | None) -> int | None:
    """RFC 9112 §6.3 in its order, chunked aside; None: until the peer closes.

    ``method`` is None for a request, else the method of the request a response answers."""
    status = int([*start_line.split(" "), ""][1]) if method else 0
    if method == "HEAD" or status // 100 == 1 or status in (204, 304):
        return 0  # rule 1: no body, whatever the headers say
    if method == "CONNECT" and status // 100 == 2:
        raise FramingError("RFC 9112 §6.3 rule 2: a 2xx to CONNECT starts a tunnel")
    if "transfer-encoding" in headers:  # rules 3 and 4: see message_length.py
        raise FramingError("RFC 9112 §6.3 rules 3-4: Transfer-Encoding is not read here")
    if "content-length" in headers:  # "5" or "5, 5" (a repeated field) are valid
        values = {value.strip() for value in headers["content-length"].split(",")}
        if len(values) != 1 or not ((value := values.pop()).isascii() and value.isdigit()):
            raise FramingError("RFC 9112 §6.3 rule 5: invalid Content-Length")
        return int(value)  # rule 6
    return 0 if method is None else None  # rule 7 (a request), rule 8 (a response)


def read_message(sock: socket.socket, method: str | None = None) -> Message:
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
    headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        if not name or name != name.strip():  # "Content-Length : 5" is a 400: RFC 9112 §5.1
            raise FramingError(f"RFC 9112 §5.1: no field name before the colon in {line!r}")
        name, value = name.lower(), value.strip()  # lower: field names are case-insensitive
        # a repeated field is combined, as a list (RFC 9110 §5.3)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    length = body_length(start_line, headers, method)
    while (length is None or len(body) < length) and (chunk := sock.recv(65536)):
        body += chunk  # with no length (rule 8), only the peer's close ends the body
    if length is not None and len(body) < length:
        raise ConnectionError("peer closed the connection inside the body")
    return start_line, headers, body[:length]  # any bytes after it: a next message, dropped


def build_message(start_line: str, headers: dict[str, str], body: bytes) -> bytes:
    head = [start_line, *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    # --8<-- [end:framing]


def on_the_wire(direction: str, message: bytes) -> str:
    """Show a message as it travels: one line per CRLF of the head, then the body."""
    head, _, body = message.partition(b"\r\n\r\n")
    lines = [*head.decode("latin-1").split("\r\n"), "", body.decode()]
    return "\n".join(f"   {direction} {line}".rstrip() for line in lines)


# --8<-- [start:server]
def serve_one(listener: socket.socket, say: Callable[[str], None]) -> None:
    """Accept one connection and answer one request: steps 2, 3 and 4."""
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(TIMEOUT)
        try:
            request_line, headers, body = read_message(conn)
        except FramingError as error:  # Content-Length with Transfer-Encoding: §6.1, §11.2
            refusal = {"Content-Length": "0", "Connection": "close"}
            conn.sendall(build_message("HTTP/1.1 400 Bad Request", refusal, b""))
            return say(f"2. server refuses the request: 400 ({error})")
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
                status_line, _headers, reply = read_message(sock, "POST")  # waits for it
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
