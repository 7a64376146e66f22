"""The rules of RFC 9112 §6.3, in order, and a reader of messages that follows them.

>>> body_rule("HTTP/1.1 304 Not Modified", {"content-length": ["120"]}, "GET")
(1, 0)
>>> body_rule("POST /upload HTTP/1.1", {"transfer-encoding": ["chunked"]}, None)
(4, 'chunked')
"""

from __future__ import annotations

import re
import socket

TIMEOUT = 5.0  # seconds; every socket operation here gives up after this
LIMIT = 64 * 1024  # the longest line (start line, header, chunk size) read
HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")  # a chunk size: hex digits, at most 16 of them
Headers = dict[str, list[str]]  # lower-case name -> the values of its field lines


class FramingError(ValueError):
    """The body's end cannot be known: answer 400 (a server) and close the connection."""


class Incomplete(ConnectionError):
    """The peer closed before the message's end: an incomplete message (RFC 9112 §8)."""


class Reader:
    """A socket's bytes, taken as lines or counts; what is left is the next message's."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer = sock, b""

    def more(self) -> bool:
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer[: LIMIT + 2]:  # a line of LIMIT bytes, its CRLF
            if len(self.buffer) >= LIMIT + 2:
                raise FramingError(f"a line longer than {LIMIT} bytes")
            if not self.more():
                raise Incomplete(f"closed inside a line, after {self.buffer!r}")
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self.more():
                raise Incomplete(f"closed after {len(self.buffer)} of {size} bytes")
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def until_close(self) -> bytes:
        while self.more():
            pass
        data, self.buffer = self.buffer, b""
        return data


# --8<-- [start:rules]
def body_rule(start_line: str, headers: Headers, method: str | None) -> tuple[int, int | str]:
    """The first rule of RFC 9112 §6.3 that applies, and the length it gives: a byte
    count, "chunked" or "close". ``method``: None for a request, else the request's."""
    status = int([*start_line.split(" "), ""][1]) if method else 0
    if method == "HEAD" or status // 100 == 1 or status in (204, 304):
        return 1, 0  # whatever the header fields say
    if method == "CONNECT" and status // 100 == 2:
        return 2, 0  # no body: the bytes after the head are the tunnel's
    codings = [
        c.strip().lower() for v in headers.get("transfer-encoding", []) for c in v.split(",")
    ]
    if codings and "content-length" in headers:
        raise FramingError("rule 3: Content-Length with Transfer-Encoding (smuggling, §11.2)")
    if codings and start_line.split(" ")[0 if method else -1] == "HTTP/1.0":
        raise FramingError("§6.1: Transfer-Encoding in an HTTP/1.0 message")
    if codings:
        if codings[-1] == "chunked":
            return 4, "chunked"
        if method is None:
            raise FramingError("rule 4: a request whose last transfer coding is not chunked")
        return 4, "close"
    lengths = {n.strip() for v in headers.get("content-length", []) for n in v.split(",")}
    if len(lengths) > 1 or not all(n.isascii() and n.isdigit() for n in lengths):
        raise FramingError(f"rule 5: invalid Content-Length {sorted(lengths)}")
    if lengths:
        return 6, int(lengths.pop())
    return (7, 0) if method is None else (8, "close")
    # --8<-- [end:rules]


# --8<-- [start:read]
def read_chunked(reader: Reader) -> bytes:
    """RFC 9112 §7.1: chunks of hex size [;extensions] CRLF data CRLF, a 0 chunk, trailers."""
    body = b""
    while True:
        size, semicolon, _ = reader.line().partition(b";")  # extensions skipped (§7.1.1)
        size = size.rstrip(b" \t") if semicolon else size  # white space only before ";"
        if not HEX.fullmatch(size):
            raise FramingError(f"§7.1: bad chunk size {size!r}")
        if int(size, 16) == 0:
            break
        body += reader.exactly(int(size, 16))
        if reader.exactly(2) != b"\r\n":
            raise FramingError("§7.1: chunk data not followed by CRLF")
    while reader.line():  # the trailer section (§7.1.2), skipped up to its blank line
        pass
    return body


def read_head(reader: Reader) -> tuple[str, Headers]:
    """The start line, then field lines up to the blank line that ends the head."""
    start_line, headers = reader.line().decode("latin-1"), Headers()
    while line := reader.line().decode("latin-1"):
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():  # "Name : x" is refused (§5.1)
            raise FramingError(f"bad field line {line!r}")
        headers.setdefault(name.lower(), []).append(value.strip())
    return start_line, headers


def read_body(reader: Reader, length: int | str) -> bytes:
    if length == "chunked":
        return read_chunked(reader)
    return reader.until_close() if length == "close" else reader.exactly(int(length))


def read_message(reader: Reader, method: str | None = None) -> tuple[str, Headers, int, bytes]:
    """One message: its head, then its body as the first rule that applies frames it;
    returns the start line, the headers, the rule's number and the body."""
    start_line, headers = read_head(reader)
    rule, length = body_rule(start_line, headers, method)
    return start_line, headers, rule, read_body(reader, length)
    # --8<-- [end:read]
