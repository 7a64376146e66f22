"""The single-request upload: a drop at 60 % leaves nothing, the retry re-sends 100 %.

What the server answers 201 is on disk, its name included; a partial PUT is refused; and
a client that falls silent (no FIN) holds the server until its timeout.
"""

from __future__ import annotations

import hashlib
import socket
import time
from pathlib import Path

import pytest

from examples.request_response.upload_single import UploadHandler, UploadServer, head, put
from tests.request_response.upload_helpers import raw, watch_durability

SIZE = 1_000_000


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(hashlib.shake_256(b"single").digest(SIZE))
    return path


def test_a_drop_keeps_nothing_and_the_retry_sends_everything(tmp_path: Path, photo: Path) -> None:
    stored = tmp_path / "server"
    stored.mkdir()
    with UploadServer(stored) as server:
        status, first = put(server.address, photo, drop_at=600_000)
        assert (status, first) == (0, 600_000)
        assert head(server.address, photo.name) == 404
        assert list(stored.iterdir()) == []  # no partial file either
        status, second = put(server.address, photo)
        assert (status, second) == (201, SIZE)
    assert first + second == 1.6 * SIZE
    assert (stored / photo.name).read_bytes() == photo.read_bytes()
    assert [p.name for p in stored.iterdir()] == [photo.name]


@pytest.mark.parametrize("name", ["../escape", ".hidden", "a/b", "%2e%2e", "x" * 65])
def test_names_that_could_escape_are_refused(tmp_path: Path, name: str) -> None:
    stored = tmp_path / "server"
    stored.mkdir()
    with UploadServer(stored) as server:
        url = f"http://127.0.0.1:{server.address[1]}/"
        answer = raw(url, f"PUT /upload/{name} HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc".encode())
    assert answer.startswith(b"HTTP/1.0 400 ")
    assert list(tmp_path.iterdir()) == [stored] and list(stored.iterdir()) == []


def test_the_201_comes_after_the_bytes_and_the_rename_are_on_disk(
    tmp_path: Path, photo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.replace is atomic, not durable: the directory holding the new name is fsynced."""
    stored = tmp_path / "server"
    stored.mkdir()
    events = watch_durability(monkeypatch, UploadHandler, stored)
    with UploadServer(stored) as server:
        assert put(server.address, photo) == (201, SIZE)
    assert events == ["fsync file", "replace photo.jpg", "fsync directory", "respond 201"]


@pytest.mark.parametrize(
    "headers",
    [
        b"Content-Length: 3\r\nContent-Range: bytes 0-2/10\r\n",  # a partial PUT (RFC 9110 14.5)
        b"Content-Length: \xb2\r\n",  # "2" in Latin-1: str.isdigit() says yes, int() says no
    ],
    ids=["content-range", "non-ascii-digit"],
)
def test_a_put_it_cannot_store_whole_is_refused(tmp_path: Path, headers: bytes) -> None:
    stored = tmp_path / "server"
    stored.mkdir()
    with UploadServer(stored) as server:
        url = f"http://127.0.0.1:{server.address[1]}/"
        answer = raw(url, b"PUT /upload/photo.jpg HTTP/1.1\r\n" + headers + b"\r\nabc")
    assert answer.startswith(b"HTTP/1.0 400 "), answer[:80]
    assert list(stored.iterdir()) == []


def test_a_silent_client_holds_the_upload_until_the_timeout_a_close_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's drop is a clean close: the server sees the FIN at once. A peer that just
    falls silent sends nothing, and the server learns of it only when its timeout expires."""
    timeout = 2.0
    monkeypatch.setattr(UploadHandler, "timeout", timeout)
    stored = tmp_path / "server"
    stored.mkdir()
    start = b"PUT /upload/photo.jpg HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + b"x" * 400

    def gone_after(close: bool) -> float:
        """Send 400 of 1000 bytes, then close or fall silent; seconds until nothing is kept."""
        with socket.create_connection(server.address, timeout=10) as sock:
            sock.sendall(start)
            deadline = time.monotonic() + 5
            while not list(stored.iterdir()) and time.monotonic() < deadline:
                time.sleep(0.005)  # the server has opened the .partial file
            began = time.monotonic()
            if close:
                sock.close()
            while list(stored.iterdir()) and time.monotonic() < began + 10:
                time.sleep(0.005)
            assert list(stored.iterdir()) == [], "the partial file is still there"
            return time.monotonic() - began

    with UploadServer(stored) as server:
        silent, closed = gone_after(close=False), gone_after(close=True)
    assert silent >= timeout / 2 > closed, (silent, closed)
