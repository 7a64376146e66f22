"""The tus 1.0.0 requests on one upload: POST creates, HEAD, PATCH, DELETE and GET.

``server.py`` routes a request here once its common headers are checked; every
handler answers with ``reply`` (or streams the upload back, for GET). A header that must
hold a number is taken only if it is digits and nothing else:

>>> [bool(DIGITS.fullmatch(value)) for value in ("1024", "-1", "1e3", " 7")]
[True, False, False, False]
"""

from __future__ import annotations

import base64
import binascii
import re
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from .store import CHECKSUMS

if TYPE_CHECKING:
    from .server import TusHTTPServer

MAX_CHUNK = 64 << 20  # the largest PATCH body, 64 MiB
DIGITS = re.compile(r"[0-9]{1,18}")  # a non-negative integer, and nothing else
NUMBER = re.compile(r"[0-9]+")  # the same, of any size: Upload-Length is compared, not parsed
METADATA_PAIR = re.compile(r"[^\s,]+( [A-Za-z0-9+/]*={0,2})?")


class TusHandlers(BaseHTTPRequestHandler):
    server: TusHTTPServer
    unread: int  # body bytes not read yet: Content-Length, until a handler reads them

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

    # --8<-- [start:create]
    def create(self) -> None:
        length = self.headers.get("Upload-Length", "")
        metadata = self.headers.get("Upload-Metadata", "").strip()
        if not NUMBER.fullmatch(length):
            return self.reply(400, text="Upload-Length must be a non-negative integer\n")
        digits = length.lstrip("0") or "0"
        # more digits than the limit is too large, not malformed: 413, and no int() of it
        if len(digits) > len(str(self.server.max_size)) or int(digits) > self.server.max_size:
            return self.reply(413, text=f"uploads are limited to {self.server.max_size} bytes\n")
        pairs = metadata.split(",") if metadata else []
        if not all(METADATA_PAIR.fullmatch(pair.strip()) for pair in pairs) or self.unread:
            return self.reply(400, text="bad Upload-Metadata, or a body on POST\n")
        upload_id = self.server.store.create(int(digits), metadata)
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
