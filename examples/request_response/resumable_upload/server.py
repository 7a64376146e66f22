"""A tus 1.0.0 server: core, creation, checksum and termination, on the standard library."""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from .store import CHECKSUMS, UPLOAD_ID, Store

TIMEOUT = 10.0  # seconds a connection may stay silent, and a PATCH may wait for a lock
MAX_SIZE = 1 << 30  # Tus-Max-Size: the largest upload, 1 GiB
MAX_CHUNK = 64 << 20  # the largest PATCH body, 64 MiB
MAX_HEADERS = 16 * 1024  # bytes of request headers, all together
DIGITS = re.compile(r"[0-9]{1,18}")  # a non-negative integer, and nothing else
METADATA_PAIR = re.compile(r"[^\s,]+( [A-Za-z0-9+/]*={0,2})?")
OPTIONS = {
    "Tus-Version": "1.0.0",
    "Tus-Extension": "creation,checksum,termination",
    "Tus-Checksum-Algorithm": ",".join(CHECKSUMS),
}


class TusHTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every connection's thread
    store: Store
    max_size: int
    url: str  # where the uploads live: http://127.0.0.1:<port>/files/
    timeout_seconds: float
    connections: set[socket.socket]

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away
            super().handle_error(request, client_address)  # type: ignore[arg-type]


# --8<-- [start:handler]
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection carries every chunk
    default_request_version = "HTTP/1.0"  # no HTTP/0.9: even garbage gets a status line
    server: TusHTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.timeout_seconds)  # a silent client is let go
        self.server.connections.add(self.connection)

    def finish(self) -> None:
        self.server.connections.discard(self.connection)
        super().finish()

    def end_headers(self) -> None:
        self.send_header("Tus-Resumable", "1.0.0")  # on every response, errors included
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: a course example, not a production log

    def reply(self, status: int, headers: dict[str, str] | None = None, text: str = "") -> None:
        body = text.encode() if self.command != "HEAD" else b""
        self.send_response(status, "Checksum Mismatch" if status == 460 else None)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Length", str(len(body)))
        if self.unread:  # a body we did not read: the connection cannot be reused
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self) -> None:
        self.dispatch()

    do_HEAD = do_POST = do_PATCH = do_DELETE = do_GET = do_OPTIONS

    def dispatch(self) -> None:
        length = self.headers.get("Content-Length", "0")
        self.unread = int(length) if DIGITS.fullmatch(length) else 1
        if "Transfer-Encoding" in self.headers:
            return self.reply(411, text="send a Content-Length, not a chunked body\n")
        if not DIGITS.fullmatch(length):
            return self.reply(400, text="bad Content-Length\n")
        if sum(len(k) + len(v) + 4 for k, v in self.headers.items()) > MAX_HEADERS:
            return self.reply(431, text="headers too large\n")
        method = self.headers.get("X-HTTP-Method-Override", self.command).upper()
        path = urlsplit(self.path).path
        upload_id = path.removeprefix("/files/")
        if method == "OPTIONS":
            return self.reply(204, {**OPTIONS, "Tus-Max-Size": str(self.server.max_size)})
        if method != "GET" and self.headers.get("Tus-Resumable") != "1.0.0":
            return self.reply(412, {"Tus-Version": "1.0.0"}, "this server speaks tus 1.0.0\n")
        if path in ("/files", "/files/") and method == "POST":
            return self.create()
        if not path.startswith("/files/") or not UPLOAD_ID.fullmatch(upload_id):
            return self.reply(404, text="no such upload\n")
        actions = {"HEAD": self.head, "PATCH": self.patch, "DELETE": self.delete, "GET": self.get}
        if method not in actions:
            return self.reply(405, {"Allow": "HEAD, PATCH, DELETE, GET"})
        return actions[method](upload_id)
        # --8<-- [end:handler]

    # --8<-- [start:create]
    def create(self) -> None:
        length = self.headers.get("Upload-Length", "")
        metadata = self.headers.get("Upload-Metadata", "").strip()
        if not DIGITS.fullmatch(length):
            return self.reply(400, text="Upload-Length must be a non-negative integer\n")
        if int(length) > self.server.max_size:
            return self.reply(413, text=f"uploads are limited to {self.server.max_size} bytes\n")
        pairs = metadata.split(",") if metadata else []
        if not all(METADATA_PAIR.fullmatch(pair.strip()) for pair in pairs) or self.unread:
            return self.reply(400, text="bad Upload-Metadata, or a body on POST\n")
        upload_id = self.server.store.create(int(length), metadata)
        location = f"{self.server.url}{upload_id}"
        self.reply(201, {"Location": location, "Upload-Offset": "0"})
        # --8<-- [end:create]

    def head(self, upload_id: str) -> None:
        upload = self.server.store.get(upload_id)
        if upload is None:
            return self.reply(404)
        headers = {"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length)}
        if upload.metadata:
            headers["Upload-Metadata"] = upload.metadata
        self.reply(200, {**headers, "Cache-Control": "no-store"})

    # --8<-- [start:patch]
    def patch(self, upload_id: str) -> None:
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/offset+octet-stream":
            return self.reply(415, text="PATCH needs application/offset+octet-stream\n")
        offset, count = self.headers.get("Upload-Offset", ""), self.unread
        if not DIGITS.fullmatch(offset):
            return self.reply(400, text="Upload-Offset must be a non-negative integer\n")
        if count > MAX_CHUNK:
            return self.reply(413, text=f"chunks are limited to {MAX_CHUNK} bytes\n")
        checksum = None
        if header := self.headers.get("Upload-Checksum"):
            algorithm, _, encoded = header.strip().partition(" ")
            try:
                checksum = (algorithm, base64.b64decode(encoded, validate=True))
            except binascii.Error:
                return self.reply(400, text="Upload-Checksum: <algorithm> <base64>\n")
            if algorithm not in CHECKSUMS:
                return self.reply(400, text=f"checksum algorithms: {','.join(CHECKSUMS)}\n")
        if self.server.store.get(upload_id) is None:
            return self.reply(404)
        lock = self.server.store.lock(upload_id)
        if not lock.acquire(timeout=self.server.timeout_seconds):
            return self.reply(409, text="another PATCH is writing this upload\n")
        try:  # one writer per upload; the offset is checked under the lock
            upload = self.server.store.get(upload_id)
            if upload is None:
                return self.reply(404)
            if int(offset) != upload.offset:
                return self.reply(409, {"Upload-Offset": str(upload.offset)}, "wrong offset\n")
            if upload.offset + count > upload.length:
                return self.reply(413, text="the chunk goes past Upload-Length\n")
            new_offset, outcome = self.server.store.append(upload_id, self.rfile, count, checksum)
        finally:
            lock.release()
        self.unread = 0
        if outcome == "cut":
            self.close_connection = True  # nobody is left to answer
        elif outcome == "mismatch":
            self.reply(460, text="checksum mismatch: the chunk was discarded\n")
        else:
            self.reply(204, {"Upload-Offset": str(new_offset)})
        # --8<-- [end:patch]

    def delete(self, upload_id: str) -> None:
        if self.server.store.get(upload_id) is None:
            return self.reply(404)
        with self.server.store.lock(upload_id):
            if self.server.store.get(upload_id) is None:
                return self.reply(404)
            self.server.store.delete(upload_id)
        self.reply(204)

    def get(self, upload_id: str) -> None:
        upload = self.server.store.get(upload_id)
        if upload is None:
            return self.reply(404)
        if upload.offset < upload.length:
            return self.reply(409, text="the upload is not complete\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(upload.length))
        self.end_headers()
        with self.server.store.path(upload_id, ".bin").open("rb") as file:
            self.connection.sendfile(file, 0, upload.length)


class TusServer:
    """The server in a thread, as a context manager: ``with TusServer(dir) as s: s.url``."""

    def __init__(
        self,
        directory: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        max_size: int = MAX_SIZE,
        timeout: float = TIMEOUT,
    ) -> None:
        self.httpd = TusHTTPServer((host, port), Handler)
        self.httpd.store, self.httpd.max_size = Store(Path(directory)), max_size
        self.httpd.timeout_seconds = timeout
        self.httpd.connections = set()
        self.url = self.httpd.url = f"http://{host}:{self.httpd.server_address[1]}/files/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.1,))

    def __enter__(self) -> TusServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self._thread.join()
        for connection in list(self.httpd.connections):  # wake idle keep-alive connections
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.httpd.server_close()  # joins the connection threads
