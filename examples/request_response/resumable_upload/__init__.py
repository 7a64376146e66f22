"""Chunked, resumable upload with a unique identifier: a tus 1.0.0 server and client.

The server speaks the tus protocol (core, creation, checksum, termination), keeps each
upload on disk under a random id, and survives a crash: the offset is what is on disk.
The client sends a file in chunks on one keep-alive connection; when the connection
drops, it asks ``HEAD`` where to resume and re-sends less than one chunk.

Run the demo with ``python -m examples.request_response.resumable_upload.demo`` and
serve uploads with ``python -m examples.request_response.resumable_upload --port 8080``.
"""

from .client import TusClient
from .server import TusServer

__all__ = ["TusClient", "TusServer"]
