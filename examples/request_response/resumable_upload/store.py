"""The uploads on disk: ``<id>.bin`` holds the bytes received, ``<id>.json`` the rest.

The offset of an upload is the size of its data file, so it is never stored twice and
cannot disagree with the bytes kept, even after the server is killed mid-chunk.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

UPLOAD_ID = re.compile(r"[0-9a-f]{32}")  # secrets.token_hex(16), nothing else
BLOCK = 256 * 1024  # bytes read from the socket and written to disk at a time
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}


@dataclass(frozen=True)
class Upload:
    length: int  # Upload-Length announced by POST
    metadata: str  # Upload-Metadata as received, echoed by HEAD
    offset: int  # bytes kept so far: the size of the data file


# --8<-- [start:store]
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
        self,
        upload_id: str,
        body: io.BufferedIOBase,
        count: int,
        checksum: tuple[str, bytes] | None,
    ) -> tuple[int, str]:
        """Copy ``count`` body bytes to the end of the upload; call it holding the lock.

        Returns the new offset and "ok", "mismatch" or "cut" (the client went away).
        Without a checksum the bytes that arrived are kept even if the client went away
        (tus asks the server to keep all it can); with one, the chunk is written aside,
        checked, then appended whole or discarded.
        """
        received, outcome = 0, "ok"
        if checksum is None:  # straight into the data file, fsynced before we answer
            with self.path(upload_id, ".bin").open("ab", buffering=0) as data:
                received = copy(body.read1, data, count, sync=True)
        else:  # aside first: a chunk that fails its checksum never touches the data
            part, digest = self.path(upload_id, ".part"), CHECKSUMS[checksum[0]]()
            with part.open("w+b") as file:
                received = copy(body.read1, file, count, digest, sync=False)
                if received == count and digest.digest() != checksum[1]:
                    outcome = "mismatch"
                elif received == count:
                    file.seek(0)
                    with self.path(upload_id, ".bin").open("ab", buffering=0) as data:
                        copy(file.read, data, count, sync=True)
            part.unlink()
        if received < count:
            outcome = "cut"
        upload = self.get(upload_id)
        return (upload.offset if upload else 0), outcome
        # --8<-- [end:store]


def copy(
    read: Callable[[int], bytes],
    file: BinaryIO,
    count: int,
    digest: Hash | None = None,
    sync: bool = True,
) -> int:
    """Copy up to ``count`` bytes, a block at a time; return how many arrived.

    With ``sync``, the disk catches up in a background ``fdatasync`` while the next
    blocks arrive, and a last ``fsync`` makes every byte durable before we return.
    """
    received, syncing = 0, None
    while received < count:
        try:
            block = read(min(BLOCK, count - received))
        except OSError:  # reset by the peer, or timed out
            break
        if not block:  # the client closed the connection mid-chunk
            break
        written = 0
        while written < len(block):  # unbuffered: each byte we count is in the file
            written += file.write(block[written:]) or 0
        received += len(block)
        if digest:
            digest.update(block)
        if sync and (syncing is None or not syncing.is_alive()):
            syncing = threading.Thread(target=os.fdatasync, args=(file.fileno(),))
            syncing.start()
    if syncing:
        syncing.join()
    if sync:
        os.fsync(file.fileno())
    return received
