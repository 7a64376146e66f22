"""The upload server's receive buffer: room in the server's kernel for a chunk it is not
reading yet, where the system grants it, and a server all the same where it does not."""

from __future__ import annotations

import array
import errno
import fcntl
import select
import socket
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from examples.request_response.resumable_upload import TusServer, server
from tests.request_response.upload_helpers import call

BODY = 32 << 20  # more than the kernels' buffers on both sides can hold
MiB = 1 << 20


def send_until_stalled(connection: socket.socket) -> None:
    """Send body bytes until the kernel takes no more for 0.3 s (5 s at most)."""
    connection.setblocking(False)
    block, sent = bytes(MiB), 0
    deadline = time.monotonic() + 5
    while sent < BODY and time.monotonic() < deadline:
        if not select.select([], [connection], [], 0.3)[1]:
            return  # nobody reads: the buffers on both sides are full
        try:
            sent += connection.send(block[: BODY - sent])
        except BlockingIOError:
            continue


@contextmanager
def patch_not_read(tmp_path: Path) -> Iterator[tuple[TusServer, socket.socket]]:
    """A server, and a PATCH sent to it whose body it does not read: the upload's lock is
    held, and the handler waits for it before it reads the body."""
    with TusServer(tmp_path, timeout=10) as tus:
        upload_id = tus.httpd.store.create(BODY, "")
        head = (
            f"PATCH /files/{upload_id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
            "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
            f"Content-Length: {BODY}\r\n\r\n"
        ).encode()
        with (
            tus.httpd.store.lock(upload_id),
            socket.create_connection(("127.0.0.1", tus.httpd.server_address[1]), 5) as client,
        ):
            client.sendall(head)
            yield tus, client


def queued_unread(tus: TusServer) -> int:
    """Bytes waiting in the server's receive queue of its one connection (FIONREAD)."""
    (connection,) = tus.httpd.connections
    count = array.array("i", [0])
    fcntl.ioctl(connection, termios.FIONREAD, count)
    return count[0]


@pytest.mark.skipif(
    not server.receive_buffer_granted_whole(),
    reason="this system caps SO_RCVBUF below RECEIVE_BUFFER: the server leaves it alone",
)
def test_a_busy_server_has_room_in_its_kernel_for_a_whole_receive_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with patch_not_read(tmp_path / "with") as (tus, client):
        send_until_stalled(client)
        with_buffer = queued_unread(tus)
    monkeypatch.setattr(server, "receive_buffer_granted_whole", lambda: False)
    with patch_not_read(tmp_path / "without") as (tus, client):
        send_until_stalled(client)
        left_to_the_kernel = queued_unread(tus)
    assert with_buffer >= server.RECEIVE_BUFFER > left_to_the_kernel, (
        with_buffer / MiB,
        left_to_the_kernel / MiB,
    )


def receive_buffers_set(monkeypatch: pytest.MonkeyPatch, refuse: bool) -> list[int]:
    """From now on, the SO_RCVBUF sizes any socket is given (each refused with ENOBUFS, as
    macOS does above kern.ipc.maxsockbuf, if ``refuse``)."""
    sizes: list[int] = []
    setsockopt = socket.socket.setsockopt

    def watched(self: socket.socket, level: int, option: int, value: int) -> None:
        if option == socket.SO_RCVBUF:
            if refuse:
                raise OSError(errno.ENOBUFS, "No buffer space available")
            sizes.append(value)
        setsockopt(self, level, option, value)

    monkeypatch.setattr(socket.socket, "setsockopt", watched)
    return sizes


def test_where_linux_would_cut_the_size_the_buffer_is_left_to_the_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cap = tmp_path / "rmem_max"
    cap.write_text("212992\n")  # the default before Linux 6.18
    monkeypatch.setattr(server, "RMEM_MAX", cap)
    sizes = receive_buffers_set(monkeypatch, refuse=False)
    with TusServer(tmp_path / "uploads") as tus:
        assert call(tus.url, "OPTIONS").status == 204
    assert sizes == []  # autotuning left on


def test_where_the_system_refuses_the_size_the_server_starts_all_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "RMEM_MAX", tmp_path / "no-such-file")  # not Linux
    receive_buffers_set(monkeypatch, refuse=True)
    assert not server.receive_buffer_granted_whole()
    with TusServer(tmp_path / "uploads") as tus:
        assert call(tus.url, "OPTIONS").status == 204
