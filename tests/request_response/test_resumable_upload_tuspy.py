"""A tus client nobody here wrote, tuspy, against the example server."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from tusclient import client as tus
from tusclient.storage.filestorage import FileStorage

from examples.request_response.resumable_upload import TusServer
from tests.request_response.upload_helpers import TUS, call, offset

DATA = hashlib.shake_256(b"tuspy").digest(200_000)
CHUNK = 64 * 1024


@pytest.fixture
def server(tmp_path: Path) -> Iterator[TusServer]:
    with TusServer(tmp_path / "uploads") as server:
        yield server


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(DATA)
    return path


def test_tuspy_uploads_in_chunks_with_metadata(server: TusServer, photo: Path) -> None:
    uploader = tus.TusClient(server.url).uploader(
        file_path=str(photo), chunk_size=CHUNK, metadata={"filename": "photo.jpg"}
    )
    offsets = []
    while uploader.offset < len(DATA):
        uploader.upload_chunk()  # one PATCH of at most chunk_size bytes
        offsets.append(uploader.offset)
    assert offsets == [65_536, 131_072, 196_608, 200_000]
    head = call(uploader.url, "HEAD", TUS)
    assert head.headers["Upload-Metadata"] == "filename cGhvdG8uanBn"
    assert call(uploader.url, "GET").body == DATA


def test_tuspy_with_checksums(server: TusServer, photo: Path) -> None:
    uploader = tus.TusClient(server.url).uploader(
        file_path=str(photo), chunk_size=CHUNK, upload_checksum=True
    )
    uploader.upload()
    assert call(uploader.url, "GET").body == DATA


def test_tuspy_stop_at_leaves_the_upload_where_it_stopped(server: TusServer, photo: Path) -> None:
    uploader = tus.TusClient(server.url).uploader(file_path=str(photo), chunk_size=CHUNK)
    uploader.upload(stop_at=100_000)
    assert uploader.offset == 100_000 == offset(uploader.url)
    assert call(uploader.url, "GET").status == 409  # not complete yet


def test_a_new_tuspy_uploader_resumes_from_the_stored_url(
    server: TusServer, photo: Path, tmp_path: Path
) -> None:
    storage = FileStorage(str(tmp_path / "urls.json"))
    try:
        first = tus.TusClient(server.url).uploader(
            file_path=str(photo), chunk_size=CHUNK, store_url=True, url_storage=storage
        )
        first.upload(stop_at=CHUNK)
        # a new process would start here: a new client, the same file, the same storage
        second = tus.TusClient(server.url).uploader(
            file_path=str(photo), chunk_size=CHUNK, store_url=True, url_storage=storage
        )
        assert second.url == first.url and second.offset == CHUNK  # asked with HEAD
        second.upload()
    finally:
        storage._db.close()
    stored = call(second.url, "GET").body
    assert hashlib.sha256(stored).digest() == hashlib.sha256(DATA).digest()


def test_tuspy_resumes_from_a_url_it_is_given(server: TusServer, photo: Path) -> None:
    first = tus.TusClient(server.url).uploader(file_path=str(photo), chunk_size=CHUNK)
    first.upload(stop_at=150_000)
    second = tus.TusClient(server.url).uploader(
        file_path=str(photo), chunk_size=CHUNK, url=first.url
    )
    assert second.offset == 150_000
    second.upload()
    assert call(first.url, "GET").body == DATA
