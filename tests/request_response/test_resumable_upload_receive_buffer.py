"""A chunk's bytes wait in the server's kernel while the server is busy, not in the client's.

The client sends a PATCH while the upload's lock is held, so the server reads nothing of
its body; the test counts the bytes the client's kernel takes before it stops, and compares
them with a listener left at the system's defaults, measured the same way.
"""

from __future__ import annotations

import errno
import select
import socket
import time
from pathlib import Path

import pytest

from examples.request_response.resumable_upload import TusServer
from examples.request_response.resumable_upload.server import (
    RECEIVE_BUFFER,
    receive_buffer_granted_whole,
)

BODY = 32 << 20  # more than both kernels' buffers together can hold
MiB = 1 << 20


def bytes_taken(port: int, head: bytes = b"") -> int:
    """Send ``head``, then body bytes until the kernel takes no more for 0.3 s (5 s at most)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(head)
        client.setblocking(False)
        block, taken = bytes(MiB), 0
        deadline = time.monotonic() + 5
        while taken < BODY and time.monotonic() < deadline:
            if not select.select([], [client], [], 0.3)[1]:
                break  # nobody reads: the buffers on both sides are full
            try:
                taken += client.send(block[: BODY - taken])
            except BlockingIOError:
                continue
        return taken


def test_a_client_can_hand_a_busy_server_a_whole_receive_buffer_more(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as default:  # never accepts: reads nothing
        by_default = bytes_taken(default.getsockname()[1])
    with TusServer(tmp_path, timeout=10) as server:
        store = server.httpd.store
        upload_id = store.create(BODY, "")
        head = (
            f"PATCH /files/{upload_id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
            "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
            f"Content-Length: {BODY}\r\n\r\n"
        ).encode()
        with store.lock(upload_id):  # the handler waits for it before reading the body
            by_tus = bytes_taken(server.httpd.server_address[1], head)
    extra = RECEIVE_BUFFER if receive_buffer_granted_whole() else 0
    # taken beyond the default: at least RECEIVE_BUFFER, or nothing lost where it is not granted
    assert by_tus >= by_default + extra - MiB, (by_tus / MiB, by_default / MiB)


def test_a_system_that_refuses_the_size_gets_a_server_all_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As macOS does above kern.ipc.maxsockbuf: the server starts, its buffer left to the kernel."""
    setsockopt = socket.socket.setsockopt

    def refuse_a_receive_buffer(self: socket.socket, level: int, option: int, value: int) -> None:
        if option == socket.SO_RCVBUF:
            raise OSError(errno.ENOBUFS, "No buffer space available")
        setsockopt(self, level, option, value)

    monkeypatch.setattr(socket.socket, "setsockopt", refuse_a_receive_buffer)
    assert not receive_buffer_granted_whole()
    with TusServer(tmp_path) as server:
        listening = server.httpd.socket
        assert listening.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) < RECEIVE_BUFFER
