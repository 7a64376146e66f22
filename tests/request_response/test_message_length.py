"""RFC 9112 §6.3 rule by rule: each case frames its body and stops at its end, however the
stream splits it; each refusal names its rule; the two readings of a smuggled request."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from examples.request_response.message_length import FramingError, Reader, body_rule, read_message
from examples.request_response.message_length.__main__ import SMUGGLE, requests_seen
from examples.request_response.message_length.framing import Incomplete

TIMEOUT = 5.0
NEXT = b"NEXT / HTTP/1.1\r\n\r\n"


@contextmanager
def reader_of(pieces: list[bytes], close: bool = True) -> Iterator[Reader]:
    """A Reader on a real socket pair; the pieces arrive one send() at a time."""
    sender, receiver = socket.socketpair()
    with sender, receiver:
        receiver.settimeout(TIMEOUT)
        for piece in pieces:
            sender.sendall(piece)
        if close:
            sender.shutdown(socket.SHUT_WR)
        yield Reader(receiver)


def read(data: bytes, method: str | None, close: bool = True) -> tuple[int, bytes, bytes]:
    """Read one message from `data`; return its rule, its body and what is left after it."""
    with reader_of([data], close) as reader:
        _, _, rule, body = read_message(reader, method)
        return rule, body, reader.buffer + (reader.until_close() if close else b"")


# Each row: start line, headers, the request's method (None: a request) -> (rule, length).
RULES = [
    ("HTTP/1.1 200 OK", {"content-length": ["12"]}, "HEAD", (1, 0)),
    ("HTTP/1.1 101 Switching Protocols", {}, "GET", (1, 0)),
    ("HTTP/1.1 204 No Content", {"transfer-encoding": ["chunked"]}, "DELETE", (1, 0)),
    ("HTTP/1.1 304 Not Modified", {"content-length": ["99"]}, "GET", (1, 0)),
    ("HTTP/1.1 200 Connection established", {"content-length": ["5"]}, "CONNECT", (2, 0)),
    ("HTTP/1.1 407 Proxy Auth Required", {"content-length": ["5"]}, "CONNECT", (6, 5)),
    ("HTTP/1.1 200 OK", {"transfer-encoding": ["gzip, chunked"]}, "GET", (4, "chunked")),
    ("HTTP/1.1 200 OK", {"transfer-encoding": ["gzip", "Chunked"]}, "GET", (4, "chunked")),
    ("HTTP/1.1 200 OK", {"transfer-encoding": ["gzip"]}, "GET", (4, "close")),
    ("PUT /f HTTP/1.1", {"transfer-encoding": ["chunked"]}, None, (4, "chunked")),
    ("PUT /f HTTP/1.1", {"content-length": ["7"]}, None, (6, 7)),
    ("PUT /f HTTP/1.1", {"content-length": ["7, 7"]}, None, (6, 7)),
    ("PUT /f HTTP/1.1", {"content-length": ["7", "7"]}, None, (6, 7)),
    ("HTTP/1.1 200 OK", {"content-length": ["0"]}, "GET", (6, 0)),
    ("GET / HTTP/1.1", {}, None, (7, 0)),
    ("HTTP/1.1 200 OK", {}, "GET", (8, "close")),
    ("HTTP/1.0 200 OK", {}, "POST", (8, "close")),
]


@pytest.mark.parametrize(("start_line", "headers", "method", "expected"), RULES)
def test_the_first_rule_that_applies_gives_the_length(
    start_line: str, headers: dict[str, list[str]], method: str | None, expected: object
) -> None:
    assert body_rule(start_line, headers, method) == expected


BOTH = {"content-length": ["5"], "transfer-encoding": ["chunked"]}
REFUSED = [
    ("POST / HTTP/1.1", BOTH, None, "rule 3"),
    ("HTTP/1.1 200 OK", BOTH, "GET", "rule 3"),
    ("POST / HTTP/1.1", {"transfer-encoding": ["chunked, gzip"]}, None, "rule 4"),
    ("POST / HTTP/1.1", {"transfer-encoding": [""]}, None, "rule 4"),
    ("POST / HTTP/1.0", {"transfer-encoding": ["chunked"]}, None, "§6.1"),
    ("HTTP/1.0 200 OK", {"transfer-encoding": ["chunked"]}, "GET", "§6.1"),
    *[
        ("PUT / HTTP/1.1", {"content-length": values}, None, "rule 5")
        for values in (["5", "6"], ["5, 6"], ["abc"], ["-1"], ["+5"], ["0x5"], [""], ["5,"],
                       ["\uff15"])  # a fullwidth 5: a digit to str.isdigit(), not to HTTP
    ],
]  # fmt: skip


@pytest.mark.parametrize(("start_line", "headers", "method", "rule"), REFUSED)
def test_what_must_not_be_guessed_is_refused_by_rule(
    start_line: str, headers: dict[str, list[str]], method: str | None, rule: str
) -> None:
    with pytest.raises(FramingError, match=rule):
        body_rule(start_line, headers, method)


def test_a_no_body_response_is_not_waited_for_even_with_a_content_length() -> None:
    # The connection stays open: a reader that waited for the 12 bytes would time out.
    for start_line, method in [("200 OK", "HEAD"), ("204 No Content", "GET"), ("304 X", "GET")]:
        head = f"HTTP/1.1 {start_line}\r\nContent-Length: 12\r\n\r\n".encode()
        assert read(head + NEXT, method, close=False) == (1, b"", NEXT)


def test_a_chunked_body_is_decoded_its_extensions_and_trailers_skipped() -> None:
    chunks = b'5;a=1 ;b\r\nhello\r\n7 ;c="x"\r\n, world\r\n000\r\nDigest: x\r\nX: y\r\n\r\n'
    message = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
    assert read(message + NEXT, "GET", close=False) == (4, b"hello, world", NEXT)
    cut = [message[i : i + 1] for i in range(len(message))] + [NEXT]  # a byte per send()
    with reader_of(cut) as reader:
        assert read_message(reader, "GET")[3] == b"hello, world"
        assert reader.line() == b"NEXT / HTTP/1.1"


def test_a_chunked_request_is_read_and_the_next_request_starts_after_it() -> None:
    first = b"PUT /f HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    second = b"PUT /g HTTP/1.1\r\nContent-Length: 2\r\n\r\nde"
    with reader_of([first + second]) as reader:  # both in one send: one recv() gets both
        assert read_message(reader, None)[2:] == (4, b"abc")
        assert read_message(reader, None)[::2] == ("PUT /g HTTP/1.1", 6)
        assert reader.buffer == b"" and not reader.more()


def test_a_response_without_length_is_read_until_the_close() -> None:
    body = b"x" * 200_000  # more than one recv()
    assert read(b"HTTP/1.1 200 OK\r\n\r\n" + body, "GET") == (8, body, b"")
    coded = gzip.compress(b"hello", mtime=0)  # TE not ending in chunked: until the close too
    response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n" + coded
    assert read(response, "GET") == (4, coded, b"")


def test_a_request_without_length_has_no_body_and_leaves_the_rest() -> None:
    assert read(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n" + NEXT, None, close=False) == (7, b"", NEXT)


@pytest.mark.parametrize(
    "size", [b"-5", b"zz", b"", b" 5", b"5 ", b"0x5", b"+5", b"1" * 17, b"5\x00"]
)
def test_a_bad_chunk_size_is_refused(size: bytes) -> None:
    message = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + b"\r\nhello\r\n"
    with pytest.raises(FramingError, match="bad chunk size"):
        read(message + b"0\r\n\r\n", "GET")


def test_chunk_data_longer_than_its_size_is_refused() -> None:
    message = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n"
    with pytest.raises(FramingError, match="not followed by CRLF"):
        read(message, None)


@pytest.mark.parametrize(
    "line", [b"Transfer-Encoding : chunked", b" Transfer-Encoding: chunked", b"no colon", b": x"]
)
def test_a_field_line_that_could_be_read_two_ways_is_refused(line: bytes) -> None:
    with pytest.raises(FramingError, match="bad field line"):
        read(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n" + line + b"\r\n\r\nabc", None)


def test_an_endless_line_is_refused() -> None:
    with pytest.raises(FramingError, match="longer than"):
        read(b"HTTP/1.1 200 OK\r\nX: " + b"a" * 100_000 + b"\r\n\r\n", "GET")


@pytest.mark.parametrize(
    "message",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Le",
    ],
)
def test_a_close_before_the_end_is_an_incomplete_message(message: bytes) -> None:
    with pytest.raises(Incomplete):
        read(message, "GET")


def test_the_smuggled_request_is_one_request_by_length_and_two_by_chunks() -> None:
    assert requests_seen(SMUGGLE, "transfer-encoding") == ["POST /search HTTP/1.1"]
    assert requests_seen(SMUGGLE, "content-length") == [
        "POST /search HTTP/1.1",
        "GET /admin HTTP/1.1",
    ]
    with pytest.raises(FramingError, match="rule 3"):
        read(SMUGGLE, None)
