"""The single-request upload: a drop at 60 % leaves nothing, the retry re-sends 100 %."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from examples.request_response.upload_single import UploadServer, head, put
from tests.request_response.upload_helpers import raw

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
