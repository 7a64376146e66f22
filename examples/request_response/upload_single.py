"""Upload as one large request: simple, not resumable. Run it: ``python upload_single.py``.

The server keeps a ``PUT`` only when every ``Content-Length`` byte arrived and is on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

TIMEOUT = 10.0  # seconds; every socket operation gives up after this
BLOCK = 256 * 1024  # bytes moved at a time: the image is never held in memory
PATH = re.compile(r"/upload/([A-Za-z0-9_-][A-Za-z0-9_.-]{0,63})")  # no "..", no "/"


# --8<-- [start:server]
class UploadHandler(BaseHTTPRequestHandler):
    timeout = TIMEOUT
    server: UploadServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def target(self) -> Path | None:
        match = PATH.fullmatch(self.path)
        return self.server.directory / match[1] if match else None

    def do_PUT(self) -> None:
        if "Transfer-Encoding" in self.headers:  # http.server cannot decode it: RFC 9112 §6.1
            return self.send_error(400, "Transfer-Encoding not supported")
        if self.headers.defects or len(set(self.headers.get_all("Content-Length", []))) > 1:
            return self.send_error(400, "malformed header section")  # RFC 9112 §5.1, §6.3
        target, length = self.target(), self.headers.get("Content-Length", "")
        if target is None or not (length.isascii() and length.isdigit()):
            return self.send_error(400)
        if "Content-Range" in self.headers:  # no partial PUT here: RFC 9110 §14.5
            return self.send_error(400, "Content-Range: partial PUT is not supported")
        partial, received, syncing = target.with_name(target.name + ".partial"), 0, None
        with partial.open("wb") as file:
            while received < int(length):
                block = b""
                with contextlib.suppress(OSError):  # reset, or silent for TIMEOUT seconds
                    block = self.rfile.read(min(BLOCK, int(length) - received))
                if not block:
                    break  # the client is gone
                file.write(block)
                received += len(block)
                if syncing is None or not syncing.is_alive():  # the disk keeps up meanwhile
                    file.flush()
                    syncing = threading.Thread(target=os.fdatasync, args=(file.fileno(),))
                    syncing.start()
            if syncing:
                syncing.join()
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk
        if received < int(length):
            partial.unlink()  # this server's choice: it keeps no part of a PUT
            return
        os.replace(partial, target)  # atomic: the old file or the new one, never half
        directory = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:  # the rename is on disk only once its directory is: fsync(2)
            os.fsync(directory)
        finally:
            os.close(directory)
        self.send_response(201)  # stored means on disk: the bytes and the name
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        size = target.stat().st_size if (target := self.target()) and target.exists() else None
        self.send_response(404 if size is None else 200)
        self.send_header("Content-Length", str(size or 0))
        self.end_headers()
        # --8<-- [end:server]


class UploadServer(HTTPServer):
    """One request at a time, in a thread: ``with UploadServer(folder) as server: ...``."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), UploadHandler)
        self.directory, self.address = Path(directory), (host, self.server_address[1])
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,))

    def __enter__(self) -> UploadServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()
        self._thread.join()
        self.server_close()


# --8<-- [start:client]
def put(address: tuple[str, int], path: Path, drop_at: int | None = None) -> tuple[int, int]:
    """PUT the whole file in one request; return (status or 0 if dropped, bytes sent)."""
    sent = 0
    with contextlib.closing(http.client.HTTPConnection(*address, timeout=TIMEOUT)) as conn:
        conn.putrequest("PUT", f"/upload/{path.name}", skip_accept_encoding=True)
        conn.putheader("Content-Length", str(path.stat().st_size))
        conn.endheaders()
        with path.open("rb") as file:
            while block := file.read(BLOCK):
                if drop_at is not None and sent + len(block) > drop_at:
                    conn.send(block[: drop_at - sent])
                    return 0, drop_at  # the with closes the socket: a clean close (FIN)
                conn.send(block)
                sent += len(block)
        return conn.getresponse().status, sent
        # --8<-- [end:client]


def head(address: tuple[str, int], name: str) -> int:
    with contextlib.closing(http.client.HTTPConnection(*address, timeout=TIMEOUT)) as conn:
        conn.request("HEAD", f"/upload/{name}")
        return conn.getresponse().status


# --8<-- [start:demo]
def demo(say: Callable[[str], None] = print) -> None:
    size, drop_at = 10_000_000, 6_000_000
    with tempfile.TemporaryDirectory() as folder:
        image, stored = Path(folder, "photo.jpg"), Path(folder, "server")
        image.write_bytes(hashlib.shake_256(b"photo").digest(size))
        stored.mkdir()
        say(f"single-request upload of a {size:,}-byte image")
        with UploadServer(stored) as server:
            _, first = put(server.address, image, drop_at=drop_at)
            say(f"attempt 1: PUT /upload/photo.jpg -> connection dropped after {first:,} bytes "
                f"({first / size:.0%})")  # fmt: skip
            found = head(server.address, image.name)
            say(f"HEAD /upload/photo.jpg -> {found}: the server kept nothing")
            status, second = put(server.address, image)
            kept = Path(stored, image.name).stat().st_size
            say(f"attempt 2: PUT /upload/photo.jpg -> {status} Created, {kept:,} bytes stored")
        total = first + second
        say(f"bytes sent in total: {total:,} ({total - size:,} re-sent = "
            f"{(total - size) / size:.0%} of the file)")  # fmt: skip
        # --8<-- [end:demo]


if __name__ == "__main__":
    demo()
