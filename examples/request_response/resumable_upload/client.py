"""A tus client on http.client: one keep-alive connection, chunks, and resume with HEAD."""

from __future__ import annotations

import base64
import hashlib
import http.client
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

TIMEOUT = 10.0  # seconds; every socket operation gives up after this
BLOCK = 256 * 1024  # bytes read from the file and sent at a time: a chunk is never in memory
MiB = 1 << 20


class Dropped(ConnectionError):
    """The connection was cut on purpose, to show what a resume costs."""


# --8<-- [start:client]
class TusClient:
    def __init__(self, files_url: str, chunk_size: int = 4 * MiB, checksum: bool = True) -> None:
        url = urlsplit(files_url)
        self.files_path, self.chunk_size, self.checksum = url.path, chunk_size, checksum
        self.conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=TIMEOUT)
        self.sent = 0  # body bytes handed to the kernel to send, retries included
        self.drop_at: int | None = None  # cut the connection once, when sent reaches this
        self.say: Callable[[str], None] = lambda line: None

    def request(
        self, method: str, path: str, headers: dict[str, str], file: BinaryIO | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        count = int(headers.get("Content-Length", "0"))
        self.conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in {"Tus-Resumable": "1.0.0", "Content-Length": "0", **headers}.items():
            self.conn.putheader(name, value)
        self.conn.endheaders()
        while file and count:  # stream the body from the file, a block at a time
            block = file.read(min(BLOCK, count))
            if self.drop_at is not None and self.sent + len(block) > self.drop_at:
                block, self.drop_at = block[: self.drop_at - self.sent], None
                self.conn.send(block)
                self.sent += len(block)
                self.conn.close()  # a clean close (FIN) mid-request: see the page
                raise Dropped(f"connection dropped after {self.sent:,} bytes sent")
            self.conn.send(block)
            self.sent, count = self.sent + len(block), count - len(block)
        response = self.conn.getresponse()
        body = response.read()  # all of it, so the connection can carry the next request
        return response.status, response.headers, body

    def create(self, size: int, metadata: str = "") -> str:
        headers = {"Upload-Length": str(size), "Upload-Metadata": metadata}
        status, reply, _ = self.request("POST", self.files_path, headers)
        if status != 201:
            raise http.client.HTTPException(f"POST answered {status}")
        self.say(f"POST {self.files_path} -> 201 Created, Location: {reply['Location']}")
        return str(reply["Location"])

    def offset(self, url: str) -> int:
        status, reply, _ = self.request("HEAD", urlsplit(url).path, {})
        self.say(f"HEAD -> {status}, Upload-Offset: {reply['Upload-Offset']}")
        return int(reply["Upload-Offset"])

    def patch(self, url: str, file: BinaryIO, offset: int, count: int) -> int:
        headers = {
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(count),
            "Upload-Offset": str(offset),
        }
        if self.checksum:  # a first pass over the chunk, for its sha1
            digest, left = hashlib.sha1(), count
            file.seek(offset)
            while left and (block := file.read(min(BLOCK, left))):
                digest.update(block)
                left -= len(block)
            headers["Upload-Checksum"] = f"sha1 {base64.b64encode(digest.digest()).decode()}"
        file.seek(offset)
        status, reply, _ = self.request("PATCH", urlsplit(url).path, headers, file)
        if status == 409:  # someone else moved the offset: ask where we are
            return self.offset(url)
        if status != 204:
            raise http.client.HTTPException(f"PATCH answered {status}")
        new_offset = int(reply["Upload-Offset"])
        self.say(f"PATCH Upload-Offset: {offset} -> 204, Upload-Offset: {new_offset}")
        return new_offset

    def upload(self, path: Path, metadata: str = "", url: str | None = None) -> str:
        """Upload a file, or resume it when ``url`` is known; return the upload's URL."""
        size = path.stat().st_size
        offset = self.offset(url) if url else 0
        url = url or self.create(size, metadata)
        with path.open("rb") as file:
            for _attempt in range(size // self.chunk_size + 10):
                if offset >= size:
                    return url
                try:
                    offset = self.patch(url, file, offset, min(self.chunk_size, size - offset))
                except (ConnectionError, TimeoutError, http.client.HTTPException) as error:
                    self.say(f"PATCH Upload-Offset: {offset} -> {error}")
                    self.conn.close()  # a new connection, then ask the server what it kept
                    offset = self.offset(url)
        raise ConnectionError(f"gave up at {offset} of {size} bytes")
        # --8<-- [end:client]

    def close(self) -> None:
        self.conn.close()
