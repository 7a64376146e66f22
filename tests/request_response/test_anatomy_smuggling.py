"""A request with both Content-Length and Transfer-Encoding is the request-smuggling vector
(RFC 9112 §6.1, §11.2): each server of the project answers it 400, closes the connection
(§6.1: "the server MUST close the connection after responding to such a request") and
stores or changes nothing. So does a head whose length is in doubt: a field line with
whitespace before its colon (§5.1), two Content-Length fields that differ (§6.3 rule 5).
Each request here would be served if the check were missing."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

from examples.request_response.anatomy import serve_one
from examples.request_response.api_payloads import api_server
from examples.request_response.resumable_upload import TusServer
from examples.request_response.upload_single import UploadServer
from tests.request_response.upload_helpers import TUS, call, create, offset

TIMEOUT = 5.0  # seconds; the servers below that keep connections alive wait longer


def send(address: tuple[str, int], request: bytes) -> bytes:
    """Send `request` raw and read until the server closes; a server that keeps the
    connection open fails the test with TimeoutError."""
    with socket.create_connection(address, timeout=TIMEOUT) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def smuggling(method: str, path: str, body: bytes, *headers: str) -> bytes:
    """`body` announced by Content-Length, and `0 CRLF CRLF` first: chunked, it is empty."""
    data = b"0\r\n\r\n" + body
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers]
    head += [f"Content-Length: {len(data)}", "Transfer-Encoding: chunked"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + data


def responses(answer: bytes) -> list[bytes]:
    return [line for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.")]


def test_anatomy_refuses_it_before_processing_anything() -> None:
    said: list[str] = []
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(TIMEOUT)
        server = threading.Thread(target=serve_one, args=(listener, said.append))
        server.start()
        body = json.dumps({"name": "Ada"}).encode()
        answer = send(listener.getsockname(), smuggling("POST", "/greet", body))
        server.join(TIMEOUT)
    assert responses(answer) == [b"HTTP/1.1 400 Bad Request"]
    assert [line[:2] for line in said] == ["2."]  # refused at step 2: no step 3 ran
    assert "Transfer-Encoding" in said[0]


def test_the_single_upload_stores_nothing(tmp_path: Path) -> None:
    with UploadServer(tmp_path) as server:
        answer = send(server.address, smuggling("PUT", "/upload/photo.jpg", b"x" * 1000))
        assert call(f"http://127.0.0.1:{server.address[1]}/upload/photo.jpg", "HEAD").status == 404
    assert responses(answer) == [b"HTTP/1.0 400 Transfer-Encoding not supported"]
    assert list(tmp_path.iterdir()) == []  # neither the file nor a .partial


def test_the_resumable_upload_keeps_its_offset_and_closes(tmp_path: Path) -> None:
    with TusServer(tmp_path, timeout=60.0) as server:
        url = create(server.url, 10)
        patch = ["Tus-Resumable: 1.0.0", "Upload-Offset: 0"]
        patch.append("Content-Type: application/offset+octet-stream")
        request = smuggling("PATCH", urlsplit(url).path, b"0123456789", *patch)
        answer = send(("127.0.0.1", server.httpd.server_address[1]), request)
        assert responses(answer) == [b"HTTP/1.1 400 Bad Request"]
        assert offset(url) == 0


def test_the_resumable_upload_runs_no_request_hidden_in_a_chunked_body(tmp_path: Path) -> None:
    # Transfer-Encoding alone, no Content-Length: the body is a whole DELETE request. Were
    # the connection kept alive after the 411, the DELETE would run as the next request.
    with TusServer(tmp_path, timeout=60.0) as server:
        url = create(server.url, 10)
        hidden = f"DELETE {urlsplit(url).path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        hidden += "Tus-Resumable: 1.0.0\r\n\r\n"
        request = "POST /files/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
        request += "Upload-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n" + hidden
        answer = send(("127.0.0.1", server.httpd.server_address[1]), request.encode())
        assert responses(answer) == [b"HTTP/1.1 411 Length Required"]
        assert call(url, "HEAD", TUS).status == 200  # the upload is still there


def test_the_api_server_answers_400_not_the_book() -> None:
    with api_server() as address:
        answer = send(address, smuggling("GET", "/books/1", b""))
    assert responses(answer) == [b"HTTP/1.0 400 Transfer-Encoding not supported"]
    assert b"application/json" not in answer  # no book came back


def hidden_delete(url: str) -> str:
    path = urlsplit(url).path
    return f"DELETE {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n\r\n"


def test_the_resumable_upload_refuses_a_length_it_cannot_read(tmp_path: Path) -> None:
    """Whitespace before the colon (RFC 9112 §5.1: 400) makes Python's parser stop there,
    so the length would be lost, the body read as the next request, and its DELETE run."""
    with TusServer(tmp_path, timeout=60.0) as server:
        url = create(server.url, 10)
        body = hidden_delete(url)
        request = "POST /files/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
        request += f"Content-Length : {len(body)}\r\nUpload-Length: 10\r\n\r\n" + body
        answer = send(("127.0.0.1", server.httpd.server_address[1]), request.encode())
        assert responses(answer) == [b"HTTP/1.1 400 Bad Request"]
        assert call(url, "HEAD", TUS).status == 200  # the upload is still there


def test_the_resumable_upload_refuses_two_lengths_that_differ(tmp_path: Path) -> None:
    """§6.3 rule 5: a 400. Were the first length taken, the rest would be the next request."""
    with TusServer(tmp_path, timeout=60.0) as server:
        url = create(server.url, 10)
        body = "0123456789" + hidden_delete(url)
        request = f"PATCH {urlsplit(url).path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        request += "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
        request += "Content-Type: application/offset+octet-stream\r\n"
        request += f"Content-Length: 10\r\nContent-Length: {len(body)}\r\n\r\n" + body
        answer = send(("127.0.0.1", server.httpd.server_address[1]), request.encode())
        assert responses(answer) == [b"HTTP/1.1 400 Bad Request"]
        assert offset(url) == 0  # nothing stored, and the upload is still there


def test_the_single_upload_and_the_api_refuse_lengths_that_differ(tmp_path: Path) -> None:
    lengths = "Content-Length: 3\r\nContent-Length: 10\r\n\r\n0123456789"
    with UploadServer(tmp_path) as server:
        request = f"PUT /upload/photo.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\n{lengths}"
        answer = send(server.address, request.encode())
    assert responses(answer) == [b"HTTP/1.0 400 malformed header section"]
    assert list(tmp_path.iterdir()) == []
    with api_server() as address:
        for request in (
            f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n{lengths}",
            "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ten\r\n\r\n",
        ):
            assert responses(send(address, request.encode())) == [
                b"HTTP/1.0 400 malformed header section"
            ]
