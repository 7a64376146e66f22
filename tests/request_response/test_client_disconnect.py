"""The noticing server stops at the first check after the client left; the naive one does not."""

from __future__ import annotations

import socket
import threading

from examples.request_response import client_disconnect as cd


def test_client_is_gone_only_after_close() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname(), timeout=2)
        conn, _ = listener.accept()
        with conn:
            client.sendall(b"x")
            assert conn.recv(1) == b"x"
            assert not cd.client_is_gone(conn)  # connected, nothing to read
            client.sendall(b"y")
            assert not cd.client_is_gone(conn)  # readable, but data, not end-of-stream
            assert conn.recv(1) == b"y"  # the peek left the byte in place
            client.close()
            conn.settimeout(2)
            assert conn.recv(1) == b""  # wait for the end of the stream to arrive
            assert cd.client_is_gone(conn)


def test_noticing_server_does_far_less_work() -> None:
    before = threading.active_count()
    naive, noticing = cd.run(notice=False), cd.run(notice=True)
    naive_steps, noticing_steps = int(naive.split()[0]), int(noticing.split()[0])
    assert naive_steps == cd.STEPS
    assert noticing_steps <= cd.LEAVE_DURING + 1
    assert naive_steps >= 2 * noticing_steps
    assert noticing.endswith("disconnect seen, stopped")
    assert threading.active_count() == before
