"""The uploads on disk: ``<id>.bin`` holds the bytes received, ``<id>.json`` the rest.

The offset of an upload is the size of its data file, so it is never stored twice and
cannot disagree with the bytes kept, even after the server is killed mid-chunk.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

UPLOAD_ID = re.compile(r"[0-9a-f]{32}")  # secrets.token_hex(16), nothing else
BLOCK = 1 << 20  # bytes read from the socket and written to disk at a time, 1 MiB
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}


@dataclass(frozen=True)
class Upload:
    length: int  # Upload-Length announced by POST
    metadata: str  # Upload-Metadata as received, echoed by HEAD
    offset: int  # bytes kept so far: the size of the data file


# --8<-- [start:store]
def sync_directory(directory: Path) -> None:
    """fsync a directory: a name created or renamed in it survives a crash only then."""
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)  # fsync(2): fsync on a file does not cover its directory entry
    finally:
        os.close(descriptor)


class Store:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        for leftover in [*directory.glob("*.part"), *directory.glob("*.tmp")]:
            leftover.unlink()  # a chunk or an info file cut short by a crash
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, upload_id: str, suffix: str) -> Path:
        if not UPLOAD_ID.fullmatch(upload_id):  # no path is ever built from an unchecked name
            raise ValueError(f"not an upload id: {upload_id!r}")
        return self.directory / f"{upload_id}{suffix}"

    def create(self, length: int, metadata: str) -> str:
        upload_id = secrets.token_hex(16)
        self.path(upload_id, ".bin").touch(exist_ok=False)
        info, temporary = self.path(upload_id, ".json"), self.path(upload_id, ".tmp")
        with temporary.open("w") as file:
            file.write(json.dumps({"length": length, "metadata": metadata}) + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, info)  # atomic: the info file is whole or absent
        sync_directory(self.directory)  # durable: both new names are on disk before the 201
        return upload_id

    def get(self, upload_id: str) -> Upload | None:
        try:
            info = json.loads(self.path(upload_id, ".json").read_text())
            offset = self.path(upload_id, ".bin").stat().st_size
        except FileNotFoundError:
            return None
        return Upload(info["length"], info["metadata"], offset)

    def lock(self, upload_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(upload_id, threading.Lock())

    def delete(self, upload_id: str) -> None:
        self.path(upload_id, ".json").unlink()  # first: the upload no longer exists
        self.path(upload_id, ".bin").unlink()
        with self._guard:
            self._locks.pop(upload_id, None)

    def append(
        self, upload_id: str, body: BufferedIOBase, count: int, checksum: tuple[str, bytes] | None
    ) -> tuple[int, str]:
        """Copy ``count`` body bytes to the end of the upload; call it holding the lock.

        Returns the new offset and "ok", "mismatch" or "cut" (the client went away). Without
        a checksum the bytes that arrived are kept (tus asks the server to keep all it can);
        with one, the chunk is written aside, checked, then appended whole or discarded.
        """
        received, outcome = 0, "ok"
        with self.path(upload_id, ".bin").open("ab", buffering=0) as data:
            if checksum is None:  # straight into the data file
                received = copy(body.readinto1, data.fileno(), count, write_now=True)
            else:  # aside first: a chunk that fails its checksum never touches the data
                part, digest = self.path(upload_id, ".part"), CHECKSUMS[checksum[0]]()
                with part.open("w+b", buffering=0) as file:
                    received = copy(body.readinto1, file.fileno(), count, digest)
                    if received == count and digest.digest() != checksum[1]:
                        outcome = "mismatch"
                    elif received == count:
                        file.seek(0)
                        copy(file.readinto, data.fileno(), count, write_now=True)
                part.unlink()
            os.fsync(data.fileno())  # durable before we answer: the 204 promises these bytes
            offset = os.fstat(data.fileno()).st_size
        return offset, ("cut" if received < count else outcome)
        # --8<-- [end:store]


def copy(
    readinto: Callable[[memoryview], int | None],
    fd: int,
    count: int,
    digest: Hash | None = None,
    write_now: bool = False,
) -> int:
    """Copy up to ``count`` bytes into the file ``fd`` through one buffer, used again for each
    block; return how many arrived. ``readinto`` returns as soon as some bytes are there
    (``readinto1`` on a socket), so what arrived is on its way to disk even if the rest never
    comes. With ``write_now``, the disk writes each block while the next one arrives, so the
    fsync that follows has less left to wait for: Linux starts writing a file's dirty pages
    back when it is told it will not need them (``POSIX_FADV_DONTNEED``, mm/fadvise.c).
    """
    buffer, received = memoryview(bytearray(min(BLOCK, count))), 0
    while received < count:
        try:
            size = readinto(buffer[: count - received])
        except OSError:  # reset by the peer, or timed out
            break
        if not size:  # the client closed the connection mid-chunk
            break
        block = buffer[:size]
        while block:  # os.write may take less than it is given
            block = block[os.write(fd, block) :]
        if write_now and hasattr(os, "posix_fadvise"):  # not on macOS: there, fsync does all
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        if digest:
            digest.update(buffer[:size])
        received += size
    return received
