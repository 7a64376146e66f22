"""Upload as one large request: simple, and not resumable.

The client sends the whole image as the body of one ``PUT``. The server streams the body
to a temporary file and keeps it only when all ``Content-Length`` bytes arrived. When
the connection drops at 60 %, the server throws the partial file away, and the retry
has to send 100 % again.

Run it: ``python upload_single.py``. Its page shows what it prints.

>>> with tempfile.TemporaryDirectory() as folder, UploadServer(Path(folder)) as server:
...     head(server.address, "photo.jpg")  # nothing uploaded yet
404
"""

from __future__ import annotations

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
NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # file names the server accepts


# --8<-- [start:server]
class UploadHandler(BaseHTTPRequestHandler):
    timeout = TIMEOUT
    directory: Path  # set by UploadServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def target(self) -> Path | None:
        name = self.path.removeprefix("/upload/")
        ok = self.path.startswith("/upload/") and NAME.fullmatch(name) and name[0] != "."
        return self.directory / name if ok else None

    def do_PUT(self) -> None:
        target, length = self.target(), self.headers.get("Content-Length", "")
        if target is None or not length.isdigit():
            return self.send_error(400)
        partial, received, syncing = target.with_name(target.name + ".partial"), 0, None
        with partial.open("wb") as file:
            while received < int(length):
                try:
                    block = self.rfile.read(min(BLOCK, int(length) - received))
                except OSError:
                    break
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
            os.fsync(file.fileno())  # stored means on disk
        if received < int(length):
            partial.unlink()  # a partial upload is worth nothing: keep nothing
            return
        os.replace(partial, target)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        target = self.target()
        found = target is not None and target.exists()
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", str(target.stat().st_size if found and target else 0))
        self.end_headers()
        # --8<-- [end:server]


class UploadServer:
    """One request at a time, in a thread: ``with UploadServer(folder) as server: ...``."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = type("Handler", (UploadHandler,), {"directory": Path(directory)})
        self.httpd = HTTPServer((host, port), handler)
        self.address = (host, self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,))

    def __enter__(self) -> UploadServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self._thread.join()
        self.httpd.server_close()


# --8<-- [start:client]
def put(address: tuple[str, int], path: Path, drop_at: int | None = None) -> tuple[int, int]:
    """PUT the whole file in one request; return (status or 0 if dropped, bytes sent)."""
    size, sent = path.stat().st_size, 0
    conn = http.client.HTTPConnection(*address, timeout=TIMEOUT)
    try:
        conn.putrequest("PUT", f"/upload/{path.name}", skip_accept_encoding=True)
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        with path.open("rb") as file:
            while block := file.read(BLOCK):
                if drop_at is not None and sent + len(block) > drop_at:
                    conn.send(block[: drop_at - sent])
                    return 0, drop_at  # the network goes away; the finally closes
                conn.send(block)
                sent += len(block)
        return conn.getresponse().status, sent
    finally:
        conn.close()
        # --8<-- [end:client]


def head(address: tuple[str, int], name: str) -> int:
    conn = http.client.HTTPConnection(*address, timeout=TIMEOUT)
    try:
        conn.request("HEAD", f"/upload/{name}")
        return conn.getresponse().status
    finally:
        conn.close()


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
            kept_after_drop = head(server.address, image.name)
            say(f"HEAD /upload/photo.jpg -> {kept_after_drop}: the server kept nothing")
            status, second = put(server.address, image)
            kept = Path(stored, image.name).stat().st_size
            say(f"attempt 2: PUT /upload/photo.jpg -> {status} Created, {kept:,} bytes stored")
        total = first + second
        say(f"bytes sent in total: {total:,} ({total - size:,} re-sent = "
            f"{(total - size) / size:.0%} of the file)")  # fmt: skip
        # --8<-- [end:demo]


if __name__ == "__main__":
    demo()
