"""The tus store answers only what is on disk: the names it creates, then every chunk.

``os.replace`` is atomic but not durable: fsync(2) says a file's fsync does not cover its
entry in the directory. So creation fsyncs the directory (once per upload: the ``.bin``
and the ``.json`` are new names), and each PATCH fsyncs the data file, which only grows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from examples.request_response.resumable_upload import TusClient, TusServer
from examples.request_response.resumable_upload.server import Handler
from tests.request_response.upload_helpers import call, create, watch_durability

DATA = hashlib.shake_256(b"durable").digest(100_000)


def test_creation_is_on_disk_names_included_before_the_201(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploads = tmp_path / "uploads"
    with TusServer(uploads) as server:
        events = watch_durability(monkeypatch, Handler, uploads)
        upload_id = create(server.url, len(DATA)).rsplit("/", 1)[1]
    assert events == ["fsync file", f"replace {upload_id}.json", "fsync directory", "respond 201"]


@pytest.mark.parametrize("checksum", [False, True], ids=["plain", "sha1"])
def test_each_chunk_is_fsynced_before_its_204_and_the_directory_only_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checksum: bool
) -> None:
    uploads, source = tmp_path / "uploads", tmp_path / "photo.jpg"
    source.write_bytes(DATA)
    with TusServer(uploads) as server:
        events = watch_durability(monkeypatch, Handler, uploads)
        client = TusClient(server.url, chunk_size=40_000, checksum=checksum)
        try:
            url = client.upload(source)
        finally:
            client.close()
        assert call(url, "GET").body == DATA
    creation = ["fsync file", f"replace {url.rsplit('/', 1)[1]}.json", "fsync directory"]
    chunks = ["fsync file", "respond 204"] * 3  # 40,000 + 40,000 + 20,000 bytes
    assert events == [*creation, "respond 201", *chunks, "respond 200"]
