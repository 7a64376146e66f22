"""The framing of the five-step example: a message is whole only when its head has ended
and its body has come, its length decided by RFC 9112 §6.3 (chunked aside, refused),
however the stream splits it."""

from __future__ import annotations

import socket
from itertools import pairwise
from typing import cast

import pytest

from examples.request_response.anatomy import FramingError, build_message, demo, read_message


class Stream:
    """A socket's receiving side as TCP may deliver it: each recv() gets at most the next
    of `pieces` (and at most what was asked for), then b"" once the peer has closed."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces, self.calls = list(pieces), 0

    def recv(self, size: int) -> bytes:
        self.calls += 1
        if not self.pieces:
            return b""
        piece = self.pieces.pop(0)
        if len(piece) > size:
            self.pieces.insert(0, piece[size:])
        return piece[:size]


def read(
    pieces: list[bytes], method: str | None = None
) -> tuple[tuple[str, dict[str, str], bytes], int]:
    stream = Stream(pieces)
    return read_message(cast(socket.socket, stream), method), stream.calls


def test_a_message_split_over_many_recv_calls_is_read_whole() -> None:
    body = b'{"name": "Ada Lovelace"}'
    message = build_message(
        "POST /greet HTTP/1.1", {"Host": "example.test", "Content-Length": str(len(body))}, body
    )
    # Cut inside the request line, inside the CRLF CRLF that ends the head, and in the body.
    cuts = [0, 5, 30, message.index(b"\r\n\r\n") + 2, len(message) - 7, len(message)]
    (start_line, headers, got), calls = read([message[a:b] for a, b in pairwise(cuts)])
    assert start_line == "POST /greet HTTP/1.1"
    assert headers == {"host": "example.test", "content-length": str(len(body))}
    assert got == body
    assert calls == len(cuts) - 1  # one recv() per piece, none after the body was whole


def test_one_byte_at_a_time_is_the_same_message() -> None:
    message = build_message("HTTP/1.1 200 OK", {"Content-Length": "5"}, b"hello")
    (_, _, body), calls = read([message[i : i + 1] for i in range(len(message))])
    assert body == b"hello" and calls == len(message)


def test_bytes_after_the_announced_length_are_not_read_as_body() -> None:
    message = build_message("HTTP/1.1 200 OK", {"Content-Length": "2"}, b"ok")
    (_, _, body), _ = read([message, b"HTTP/1.1 200 OK\r\n"])
    assert body == b"ok"


def test_a_body_shorter_than_its_content_length_is_an_error() -> None:
    message = build_message("HTTP/1.1 200 OK", {"Content-Length": "26"}, b'{"greeting": ')
    with pytest.raises(ConnectionError, match="inside the body"):
        read([message])


def test_a_head_without_its_blank_line_is_an_error() -> None:
    with pytest.raises(ConnectionError, match="before the blank line"):
        read([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"])


def test_an_endless_head_is_refused() -> None:
    with pytest.raises(ValueError, match="larger than 64 KiB"):
        read([b"X-Filler: " + b"a" * 4096] * 20)


def test_bytes_after_the_body_in_the_same_recv_are_not_body() -> None:
    message = build_message("HTTP/1.1 200 OK", {"Content-Length": "2"}, b"ok")
    (_, _, body), _ = read([message + b"HTTP/1.1 200 OK\r\n"], "GET")
    assert body == b"ok"


def test_a_response_without_content_length_is_read_until_the_close() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"  # rule 8
    (_, _, body), calls = read([head + b"hello, ", b"wor", b"ld"], "GET")
    assert body == b"hello, world" and calls == 4  # the 4th recv() saw the close


def test_a_request_without_content_length_has_no_body() -> None:
    (_, _, body), calls = read([b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", b"GET /next"])
    assert body == b"" and calls == 1  # rule 7: nothing read past the head


@pytest.mark.parametrize(
    ("status", "method"), [("200 OK", "HEAD"), ("204 No Content", "PUT"), ("304 X", "GET")]
)
def test_no_body_responses_end_at_the_blank_line(status: str, method: str) -> None:
    head = f"HTTP/1.1 {status}\r\nContent-Length: 12\r\n\r\n".encode()
    (_, _, body), calls = read([head], method)  # waiting for 12 bytes would see the close
    assert body == b"" and calls == 1


@pytest.mark.parametrize("value", ["5", "5, 5"])
def test_a_repeated_content_length_of_one_value_is_valid(value: str) -> None:
    head = f"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: {value}\r\n\r\n"
    (_, _, body), _ = read([head.encode() + b"hello"], "GET")
    assert body == b"hello"


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ("Transfer-Encoding: chunked", "rules 3-4"),
        ("Content-Length: 5\r\nTransfer-Encoding: chunked", "rules 3-4"),
        ("Content-Length: 5\r\nContent-Length: 6", "rule 5"),
        ("Content-Length: 5, 6", "rule 5"),
        ("Content-Length: -5", "rule 5"),
        ("Content-Length: five", "rule 5"),
        ("Content-Length : 5", "§5.1"),  # whitespace before the colon: a 400
    ],
)
def test_what_this_reader_cannot_frame_is_refused_by_rule(fields: str, rule: str) -> None:
    with pytest.raises(FramingError, match=rule):
        read([f"POST / HTTP/1.1\r\n{fields}\r\n\r\n5\r\nhello\r\n0\r\n\r\n".encode()])


def test_a_2xx_to_connect_is_refused_not_read_as_a_body() -> None:
    with pytest.raises(FramingError, match="rule 2"):
        read([b"HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes"], "CONNECT")


def test_the_five_steps_come_in_order_on_a_real_socket() -> None:
    lines: list[str] = []
    demo(lines.append)
    assert [line[:2] for line in lines if line[:1].isdigit()] == ["1.", "2.", "3.", "4.", "5."]
