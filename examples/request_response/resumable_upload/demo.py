"""The demo: a 10 MB image in 1 MiB chunks, a connection that drops at 60 %, a resume.

Each chunk carries its sha1 (``Upload-Checksum``), so the server keeps a chunk whole or
not at all: after the drop, ``HEAD`` answers the offset of the last whole chunk, and
the client re-sends only the part of one chunk that was in flight.

Run it: ``python -m resumable_upload.demo`` from the folder that holds the package.
Its page shows what it prints.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from .client import MiB, TusClient
from .server import TusServer


# --8<-- [start:demo]
def demo(say: Callable[[str], None] = print) -> None:
    """Upload a 10 MB image in 1 MiB chunks; the connection drops at 60 %; resume."""
    size, chunk, drop_at = 10_000_000, MiB, 6_000_000
    with tempfile.TemporaryDirectory() as folder, TusServer(Path(folder, "uploads")) as server:
        image = Path(folder, "photo.jpg")
        image.write_bytes(hashlib.shake_256(b"photo").digest(size))
        say(f"tus upload of a {size:,}-byte image in {chunk:,}-byte chunks, sha1 on each")
        client = TusClient(server.url, chunk_size=chunk)
        client.say, client.drop_at = say, drop_at
        try:
            url = client.upload(image)
            status, _, stored = client.request("GET", urlsplit(url).path, {})
        finally:
            client.close()
        same = hashlib.sha256(stored).digest() == hashlib.sha256(image.read_bytes()).digest()
        say(f"GET the upload back -> {status}, sha256 identical: {same}")
        resent = client.sent - size
        share = f"{resent:,} re-sent = {resent / chunk:.2f} chunk"
        say(f"bytes sent in total: {client.sent:,} ({share})")
        say(f"one request dropped at the same point: {drop_at + size:,} ({drop_at:,} re-sent)")
        # --8<-- [end:demo]


if __name__ == "__main__":
    demo()
