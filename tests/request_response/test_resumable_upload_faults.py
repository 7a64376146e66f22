"""The tus server as a process: killed mid-chunk it resumes; bad input gets a 4xx, not a trace."""

from __future__ import annotations

import base64
import hashlib
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from examples.request_response.resumable_upload import TusClient
from tests.request_response.upload_helpers import (
    PATCH,
    TUS,
    call,
    create,
    offset,
    raw,
    tus_process,
)

DATA = hashlib.shake_256(b"crash").digest(3 * 1024 * 1024)
CHUNK = 1024 * 1024


def wait_for_offset(url: str, at_least: int) -> int:
    deadline = time.monotonic() + 10
    while (now := offset(url)) < at_least and time.monotonic() < deadline:
        time.sleep(0.01)
    return now


def send_half_a_chunk(url: str, checksum: bool) -> socket.socket:
    """PATCH the second chunk but send only half of it; leave the connection open."""
    chunk = DATA[CHUNK : 2 * CHUNK]
    headers = {**PATCH, "Upload-Offset": str(CHUNK), "Content-Length": str(CHUNK)}
    if checksum:
        digest = base64.b64encode(hashlib.sha1(chunk).digest()).decode()
        headers["Upload-Checksum"] = f"sha1 {digest}"
    head = f"PATCH {urlsplit(url).path} HTTP/1.1\r\nHost: x\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    sock = socket.create_connection((urlsplit(url).hostname, urlsplit(url).port), timeout=5)
    sock.sendall(head.encode() + chunk[: CHUNK // 2])
    return sock


@pytest.mark.parametrize("checksum", [False, True], ids=["plain", "sha1"])
def test_sigkill_mid_patch_then_restart_and_resume(tmp_path: Path, checksum: bool) -> None:
    source, uploads = tmp_path / "photo.jpg", tmp_path / "uploads"
    source.write_bytes(DATA)
    with tus_process(uploads) as first:
        url = create(first.files_url, len(DATA))
        assert call(url, "PATCH", {**PATCH, "Upload-Offset": "0"}, DATA[:CHUNK]).status == 204
        sock = send_half_a_chunk(url, checksum)
        if not checksum:  # the plain bytes land in the data file as they arrive
            assert wait_for_offset(url, CHUNK + CHUNK // 2) == CHUNK + CHUNK // 2
        else:
            deadline = time.monotonic() + 10
            while not list(uploads.glob("*.part")) and time.monotonic() < deadline:
                time.sleep(0.01)
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        sock.close()
    with tus_process(uploads) as second:
        url = second.files_url + url.rsplit("/", 1)[1]
        kept = offset(url)
        # plain: all bytes that reached the disk count; sha1: the half chunk is discarded
        assert kept == (CHUNK if checksum else CHUNK + CHUNK // 2)
        assert not list(uploads.glob("*.part"))
        client = TusClient(second.files_url, chunk_size=CHUNK, checksum=checksum)
        try:
            client.upload(source, url=url)
        finally:
            client.close()
        assert client.sent == len(DATA) - kept
        stored = call(url, "GET").body
        assert hashlib.sha256(stored).digest() == hashlib.sha256(DATA).digest()
    assert "Traceback" not in second.stderr


def request(method: str, path: str, *headers: str) -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: x\r\n{''.join(headers)}\r\n".encode()


BAD = [
    (
        request("POST", "/files/", "Tus-Resumable: 1.0.0\r\n", "X-Big: " + "a" * 100_000 + "\r\n"),
        431,
    ),
    (
        request(
            "POST",
            "/files/",
            "Tus-Resumable: 1.0.0\r\n",
            *[f"X-{i}: {'b' * 900}\r\n" for i in range(40)],
        ),
        431,
    ),
    (
        request(
            "POST", "/files/", "Tus-Resumable: 1.0.0\r\n", *[f"X-{i}: 1\r\n" for i in range(150)]
        ),
        431,
    ),
    (request("GET", "/" + "a" * 70_000), 414),
    (request("POST", "/files/", "Tus-Resumable: 1.0.0\r\n", "Upload-Length: ten\r\n"), 400),
    (request("POST", "/files/", "Tus-Resumable: 1.0.0\r\n", "Upload-Length: -1\r\n"), 400),
    (
        request(
            "POST",
            "/files/",
            "Tus-Resumable: 1.0.0\r\n",
            "Upload-Length: 99999999999999999999999\r\n",
        ),
        413,  # too large, however many digits: the tus creation extension
    ),
    (
        request(
            "POST",
            "/files/",
            "Tus-Resumable: 1.0.0\r\n",
            "Upload-Length: 10\r\n",
            "Content-Length: x\r\n",
        ),
        400,
    ),
    (
        request(
            "POST",
            "/files/",
            "Tus-Resumable: 1.0.0\r\n",
            "Upload-Length: 10\r\n",
            "Transfer-Encoding: chunked\r\n",
        ),
        411,
    ),
    (request("HEAD", "/files/../../etc/passwd", "Tus-Resumable: 1.0.0\r\n"), 404),
    (request("HEAD", "/files/%2e%2e", "Tus-Resumable: 1.0.0\r\n"), 404),
    (request("PATCH", "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "Tus-Resumable: 1.0.0\r\n"), 404),
    (b"\x00\x01\x02 garbage \xff\r\n\r\n", 400),
    (b"GET\r\n\r\n", 400),
    (request("BREW", "/files/"), 501),
]


def test_bad_input_gets_a_4xx_and_never_a_traceback(tmp_path: Path) -> None:
    with tus_process(tmp_path / "uploads") as server:
        for data, status in BAD:
            start = time.monotonic()
            answer = raw(server.files_url, data)
            assert answer.startswith(f"HTTP/1.1 {status} ".encode()) or answer.startswith(
                f"HTTP/1.0 {status} ".encode()
            ), (data[:60], answer[:80])
            assert time.monotonic() - start < 4, data[:60]  # answered, not left hanging
        url = create(server.files_url, 10)  # and the server still serves
        assert call(url, "PATCH", {**PATCH, "Upload-Offset": "0"}, b"0123456789").status == 204
        assert call(url, "GET").body == b"0123456789"
        assert call(url, "HEAD", TUS).status == 200
    assert "Traceback" not in server.stderr
    assert sorted(p.suffix for p in (tmp_path / "uploads").iterdir()) == [".bin", ".json"]
