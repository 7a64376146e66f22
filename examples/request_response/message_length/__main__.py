"""Each rule of RFC 9112 §6.3 at work on a socket pair, then the same bytes framed two ways.

``python -m examples.request_response.message_length`` (or ``python -m message_length``
from the folder that holds the package) prints what its page shows.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from .framing import TIMEOUT, FramingError, Reader, body_rule, read_body, read_head, read_message

# --8<-- [start:cases]
BODY = b"0\r\n\r\nGET /admin HTTP/1.1\r\nHost: shop.test\r\n\r\n"  # a 0 chunk, then a request
SMUGGLE = b"POST /search HTTP/1.1\r\nHost: shop.test\r\nContent-Length: %d\r\n" % len(BODY)
SMUGGLE += b"Transfer-Encoding: chunked\r\n\r\n" + BODY
CHUNKED = b"5;note=x\r\nhello\r\n7\r\n, world\r\n0\r\nDigest: x\r\n\r\n"  # 2 chunks, 1 trailer
OK = b"HTTP/1.1 200 OK\r\n"
NEXT = b"NEXT / HTTP/1.1\r\n"  # the start of the next message on the same connection
CASES = [  # what, the request's method (None: this is a request), the bytes, then a close?
    ("response to HEAD", "HEAD", OK + b"Content-Length: 12\r\n\r\n", False),
    ("100 Continue", "PUT", b"HTTP/1.1 100 Continue\r\n\r\n", False),
    ("204 No Content", "DELETE", b"HTTP/1.1 204 No Content\r\n\r\n", False),
    ("304 Not Modified", "GET", b"HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n", False),
    ("200 to CONNECT", "CONNECT", OK + b"Content-Length: 12\r\n\r\n", False),
    ("chunked", "GET", OK + b"Transfer-Encoding: chunked\r\n\r\n" + CHUNKED, False),
    ("Content-Length", "GET", OK + b"Content-Length: 12\r\n\r\nhello, world", False),
    ("request, neither", None, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", False),
    ("response, neither", "GET", OK + b"\r\nhello, world", True),
    ("both headers", None, SMUGGLE, False),
    ("two lengths", "GET", OK + b"Content-Length: 5, 6\r\n\r\nhello!", False),
    ("bad chunk size", "GET", OK + b"Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n", False),
]  # fmt: skip
# --8<-- [end:cases]


def pair(data: bytes, close: bool) -> tuple[socket.socket, socket.socket]:
    """A connected pair: `data` already sent on the first, which then closes or stays open."""
    sender, receiver = socket.socketpair()
    receiver.settimeout(TIMEOUT)
    sender.sendall(data)
    if close:
        sender.shutdown(socket.SHUT_WR)
    return sender, receiver


# --8<-- [start:smuggling]
def requests_seen(data: bytes, ignored: str) -> list[str]:
    """The requests in `data` for a server that ignores one of the two headers."""
    sender, receiver = pair(data, close=True)
    with sender, receiver:
        reader, seen = Reader(receiver), []
        while reader.buffer or reader.more():
            start_line, headers = read_head(reader)
            headers.pop(ignored, None)
            read_body(reader, body_rule(start_line, headers, None)[1])
            seen.append(start_line)
        return seen
        # --8<-- [end:smuggling]


# --8<-- [start:demo]
def demo(say: Callable[[str], None] = print) -> None:
    for what, method, data, close in CASES:
        sender, receiver = pair(data + (b"" if close else NEXT), close)
        with sender, receiver:
            reader = Reader(receiver)
            try:
                _, _, rule, body = read_message(reader, method)
            except FramingError as error:
                say(f"{what:<18} refused: {error}")
                continue
            after = "the close" if close else repr(reader.line().decode())
            say(f"{what:<18} rule {rule}: body {body!r}, then {after}")
    say(f"smuggling, by Content-Length: {requests_seen(SMUGGLE, 'transfer-encoding')}")
    say(f"smuggling, by chunked:        {requests_seen(SMUGGLE, 'content-length')}")
    # --8<-- [end:demo]


if __name__ == "__main__":
    demo()
