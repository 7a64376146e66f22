"""The tus 1.0.0 server, status by status: every refusal leaves the bytes and the offset alone."""

from __future__ import annotations

import base64
import hashlib
import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from examples.request_response.resumable_upload import TusClient, TusServer
from tests.request_response.upload_helpers import PATCH, TUS, call, create, offset, raw

DATA = hashlib.shake_256(b"upload").digest(100_000)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[TusServer]:
    with TusServer(tmp_path / "uploads", max_size=1_000_000, timeout=2.0) as server:
        yield server


def sha1(data: bytes) -> str:
    return "sha1 " + base64.b64encode(hashlib.sha1(data).digest()).decode()


def stored(server: TusServer, url: str) -> tuple[int, bytes]:
    """What the server kept: the offset HEAD reports and the bytes on disk."""
    upload_id = url.rsplit("/", 1)[1]
    return offset(url), (server.httpd.store.directory / f"{upload_id}.bin").read_bytes()


@pytest.fixture
def half(server: TusServer) -> str:
    """An upload of DATA with its first half already sent."""
    url = create(server.url, len(DATA))
    reply = call(url, "PATCH", {**PATCH, "Upload-Offset": "0"}, DATA[:50_000])
    assert reply.status == 204 and reply.headers["Upload-Offset"] == "50000"
    return url


def test_options_advertises_version_extensions_and_limits(server: TusServer) -> None:
    reply = call(server.url, "OPTIONS")
    assert reply.status == 204
    assert reply.headers["Tus-Resumable"] == "1.0.0"
    assert reply.headers["Tus-Version"] == "1.0.0"
    assert set(reply.headers["Tus-Extension"].split(",")) == {
        "creation",
        "checksum",
        "termination",
    }
    assert "sha1" in reply.headers["Tus-Checksum-Algorithm"].split(",")
    assert reply.headers["Tus-Max-Size"] == "1000000"


def test_upload_in_chunks_then_download(server: TusServer) -> None:
    url = create(server.url, len(DATA), "filename cGhvdG8uanBn,private")
    assert urlsplit(url).path.startswith("/files/") and offset(url) == 0
    for start in range(0, len(DATA), 30_000):
        chunk = DATA[start : start + 30_000]
        headers = {**PATCH, "Upload-Offset": str(start), "Upload-Checksum": sha1(chunk)}
        reply = call(url, "PATCH", headers, chunk)
        assert reply.status == 204 and int(reply.headers["Upload-Offset"]) == start + len(chunk)
    head = call(url, "HEAD", TUS)
    assert head.headers["Upload-Length"] == str(len(DATA))
    assert head.headers["Upload-Metadata"] == "filename cGhvdG8uanBn,private"
    assert head.headers["Cache-Control"] == "no-store"
    assert call(url, "GET").body == DATA


def test_empty_metadata_is_accepted(server: TusServer) -> None:
    url = create(server.url, 10, "")
    head = call(url, "HEAD", TUS)
    assert head.status == 200 and "Upload-Metadata" not in head.headers


def test_every_response_says_tus_resumable(server: TusServer, half: str) -> None:
    for method, url, headers in [
        ("HEAD", half, TUS),
        ("PATCH", half, {**PATCH, "Upload-Offset": "1"}),
        ("GET", half, {}),
        ("HEAD", server.url + "0" * 32, TUS),
        ("POST", server.url, {"Tus-Resumable": "0.2.2"}),
        ("BREW", server.url, TUS),
    ]:
        assert call(url, method, headers).headers["Tus-Resumable"] == "1.0.0", method


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({**PATCH, "Tus-Resumable": "0.2.2", "Upload-Offset": "50000"}, b"x", 412),
        ({"Content-Type": PATCH["Content-Type"], "Upload-Offset": "50000"}, b"x", 412),
        ({**TUS, "Upload-Offset": "50000"}, b"x", 415),
        ({**TUS, "Content-Type": "application/octet-stream", "Upload-Offset": "50000"}, b"x", 415),
        ({**PATCH, "Upload-Offset": "0"}, b"x", 409),
        ({**PATCH, "Upload-Offset": "50001"}, b"x", 409),
        ({**PATCH, "Upload-Offset": "-1"}, b"x", 400),
        ({**PATCH, "Upload-Offset": "lots"}, b"x", 400),
        ({**PATCH}, b"x", 400),
        ({**PATCH, "Upload-Offset": "50000"}, b"x" * 50_001, 413),
        ({**PATCH, "Upload-Offset": "50000", "Upload-Checksum": sha1(b"y")}, b"x", 460),
        ({**PATCH, "Upload-Offset": "50000", "Upload-Checksum": "crc99 AAAA"}, b"x", 400),
        ({**PATCH, "Upload-Offset": "50000", "Upload-Checksum": "sha1 not base64!"}, b"x", 400),
    ],
)
def test_a_refused_patch_changes_nothing(
    server: TusServer, half: str, headers: dict[str, str], body: bytes, status: int
) -> None:
    before = stored(server, half)
    reply = call(half, "PATCH", headers, body)
    assert reply.status == status
    if status == 412:
        assert reply.headers["Tus-Version"] == "1.0.0"
    if status == 409:
        assert reply.headers["Upload-Offset"] == "50000"
    assert stored(server, half) == before
    assert not list(server.httpd.store.directory.glob("*.part"))


def test_checksum_mismatch_keeps_the_connection_for_the_retry(server: TusServer, half: str) -> None:
    client = TusClient(server.url)
    try:
        path = urlsplit(half).path
        bad = {**PATCH, "Upload-Offset": "50000", "Content-Length": "50000"}
        status, reply, _ = client.request(
            "PATCH", path, {**bad, "Upload-Checksum": sha1(b"other")}, io.BytesIO(DATA[50_000:])
        )
        assert status == 460 and "Connection" not in reply
        status, reply, _ = client.request(
            "PATCH",
            path,
            {**bad, "Upload-Checksum": sha1(DATA[50_000:])},
            io.BytesIO(DATA[50_000:]),
        )
        assert status == 204 and reply["Upload-Offset"] == str(len(DATA))
    finally:
        client.close()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Upload-Length": "1000001"}, 413),
        ({"Upload-Length": "9" * 19}, 413),  # one digit more than fits in 64 bits
        ({"Upload-Length": "1" + "0" * 29}, 413),
        ({"Upload-Length": "9" * 100}, 413),
        ({"Upload-Length": "9" * 5000}, 413),  # more than int() takes from a string
        ({"Upload-Length": "ten"}, 400),
        ({"Upload-Length": "1e3"}, 400),
        ({"Upload-Length": "+5"}, 400),
        ({"Upload-Length": "-5"}, 400),
        ({"Upload-Length": ""}, 400),
        ({}, 400),
        ({"Upload-Length": "10", "Upload-Metadata": "key with space"}, 400),
        ({"Upload-Length": "10", "Upload-Metadata": "name !!!"}, 400),
        ({"Upload-Length": "10", "Tus-Resumable": "2.0.0"}, 412),
    ],
)
def test_a_refused_post_creates_nothing(
    server: TusServer, headers: dict[str, str], status: int
) -> None:
    assert call(server.url, "POST", {**TUS, **headers}).status == status
    assert list(server.httpd.store.directory.iterdir()) == []


def test_an_upload_length_with_leading_zeros_is_its_value(server: TusServer) -> None:
    reply = call(server.url, "POST", {**TUS, "Upload-Length": "0" * 30 + "10"})
    assert reply.status == 201
    assert call(reply.headers["Location"], "HEAD", TUS).headers["Upload-Length"] == "10"


def test_delete_then_404(server: TusServer, half: str) -> None:
    assert call(half, "DELETE", TUS).status == 204
    assert call(half, "HEAD", TUS).status == 404
    assert call(half, "PATCH", {**PATCH, "Upload-Offset": "50000"}, b"x").status == 404
    assert call(half, "DELETE", TUS).status == 404
    assert list(server.httpd.store.directory.iterdir()) == []


def test_method_override(server: TusServer, half: str) -> None:
    override = {**PATCH, "Upload-Offset": "50000", "X-HTTP-Method-Override": "PATCH"}
    reply = call(half, "POST", override, DATA[50_000:])
    assert reply.status == 204 and reply.headers["Upload-Offset"] == str(len(DATA))
    assert call(half, "POST", {**TUS, "X-HTTP-Method-Override": "DELETE"}).status == 204
    assert call(half, "HEAD", TUS).status == 404


def test_get_an_incomplete_upload_is_refused(half: str) -> None:
    assert call(half, "GET").status == 409


@pytest.mark.parametrize(
    "path",
    [
        "/files/../../etc/passwd",
        "/files/%2e%2e",
        "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/files/..%2f..%2fuploads",
        "/files/" + "A" * 32,
        "/files/" + "0" * 31,
        "/files/" + "0" * 33,
        "/etc/passwd",
    ],
)
def test_bad_upload_ids_are_404(server: TusServer, path: str) -> None:
    for method, headers in [("HEAD", TUS), ("PATCH", {**PATCH, "Upload-Offset": "0"})]:
        url = server.url.removesuffix("/files/") + path
        reply = raw(url, f"{method} {path} HTTP/1.1\r\nHost: x\r\n".encode() + _lines(headers))
        assert reply.startswith(b"HTTP/1.1 404 "), reply[:80]


def address(url: str) -> tuple[str, int]:
    return urlsplit(url).hostname or "", urlsplit(url).port or 80


def _lines(headers: dict[str, str]) -> bytes:
    return "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode() + b"\r\n"


def test_partial_bytes_of_a_dropped_patch_are_kept(server: TusServer, half: str) -> None:
    """Without a checksum, what arrived before the drop is kept (tus: SHOULD)."""
    head = f"PATCH {urlsplit(half).path} HTTP/1.1\r\nHost: x\r\nContent-Length: 50000\r\n"
    headers = _lines({**PATCH, "Upload-Offset": "50000"})
    with socket.create_connection(address(half), timeout=5) as sock:
        sock.sendall(head.encode() + headers + DATA[50_000:70_000])
    deadline = time.monotonic() + 5
    while offset(half) < 70_000 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stored(server, half) == (70_000, DATA[:70_000])


def test_two_racing_patches_cannot_corrupt_an_upload(server: TusServer, half: str) -> None:
    """A holds the lock mid-body; B, at the same offset, waits, then gets 409."""
    path = urlsplit(half).path
    head = f"PATCH {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 50000\r\n".encode()
    headers = _lines({**PATCH, "Upload-Offset": "50000"})
    with socket.create_connection(address(half), timeout=5) as a:
        a.sendall(head + headers + DATA[50_000:60_000])
        deadline = time.monotonic() + 5
        while offset(half) < 60_000 and time.monotonic() < deadline:
            time.sleep(0.01)
        answers: list[int] = []
        racer = threading.Thread(
            target=lambda: answers.append(
                call(half, "PATCH", {**PATCH, "Upload-Offset": "50000"}, b"B" * 50_000).status
            )
        )
        racer.start()
        time.sleep(0.2)  # B is now waiting for the lock that A holds
        a.sendall(DATA[60_000:])
        assert a.recv(1024).startswith(b"HTTP/1.1 204")
        racer.join(10)
    assert answers == [409]
    assert stored(server, half) == (len(DATA), DATA)


def test_sixteen_uploads_at_once_are_all_intact(server: TusServer, tmp_path: Path) -> None:
    files = []
    for i in range(16):
        files.append(tmp_path / f"file{i}.bin")
        files[-1].write_bytes(hashlib.shake_256(bytes([i])).digest(60_000 + i))
    urls: dict[int, str] = {}

    def upload(i: int) -> None:
        client = TusClient(server.url, chunk_size=16_384, checksum=i % 2 == 0)
        try:
            urls[i] = client.upload(files[i])
        finally:
            client.close()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(urls) == 16 and len(set(urls.values())) == 16
    for i, url in urls.items():
        assert call(url, "GET").body == files[i].read_bytes()


def test_a_silent_connection_is_let_go(server: TusServer) -> None:
    with socket.create_connection(address(server.url), timeout=10) as sock:
        sock.sendall(b"PATCH /files/" + b"0" * 32 + b" HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        assert sock.recv(1024) == b""  # the server closed it after its 2 s timeout
        assert time.monotonic() - start < 8


def test_the_client_resumes_without_checksums(server: TusServer, tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(DATA)
    client = TusClient(server.url, chunk_size=30_000, checksum=False)
    client.drop_at = 45_000
    try:
        url = client.upload(source)
    finally:
        client.close()
    assert call(url, "GET").body == DATA
    assert client.sent <= len(DATA) + 30_000  # at most one chunk re-sent


def test_after_a_silent_drop_the_resume_waits_for_the_server_timeout(
    server: TusServer, half: str, tmp_path: Path
) -> None:
    """No FIN, no reset: the server's PATCH waits in recv() holding the upload's lock, and
    the client's resume waits with it, until the server's timeout (2 s here) lets it go."""
    source, timeout = tmp_path / "photo.jpg", server.httpd.timeout_seconds
    source.write_bytes(DATA)
    upload_id, rest = half.rsplit("/", 1)[1], DATA[50_000:]
    head = f"PATCH {urlsplit(half).path} HTTP/1.1\r\nHost: x\r\nContent-Length: 50000\r\n"
    headers = _lines({**PATCH, "Upload-Offset": "50000", "Upload-Checksum": sha1(rest)})

    def upload(url: str | None) -> float:
        began, client = time.monotonic(), TusClient(server.url, chunk_size=50_000)
        try:
            assert call(client.upload(source, url=url), "GET").body == DATA
        finally:
            client.close()
        return time.monotonic() - began

    with socket.create_connection(address(half), timeout=10) as silent:
        silent.sendall(head.encode() + headers + rest[:20_000])  # then nothing at all
        lock, deadline = server.httpd.store.lock(upload_id), time.monotonic() + 5
        while not lock.locked() and time.monotonic() < deadline:
            time.sleep(0.005)  # the server's PATCH is reading, and holds the lock
        resumed = upload(half)
    fresh = upload(None)  # the same upload, with nobody in the way
    assert resumed >= timeout / 2 > fresh, (resumed, fresh)
