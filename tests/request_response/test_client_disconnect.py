"""The noticing server stops at the first check after the client left; the naive one does not."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

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


def wait_for_fin(conn: socket.socket) -> None:
    """Until the kernel has the peer's FIN: the socket's TCP state is CLOSE_WAIT (Linux)."""
    close_wait = 8  # TCP_CLOSE_WAIT in linux/tcp_states.h; the first byte of struct tcp_info
    deadline = time.monotonic() + 5
    while conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] != close_wait:
        assert time.monotonic() < deadline, "the FIN never arrived"
        time.sleep(0.001)


@pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="TCP_INFO is Linux's")
def test_a_peek_cannot_see_a_fin_queued_behind_unread_bytes() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname(), timeout=2)
        conn, _ = listener.accept()
        with conn:
            client.sendall(b"x")
            client.close()
            wait_for_fin(conn)  # the client is gone and the kernel knows it...
            assert not cd.client_is_gone(conn)  # ...but the peek sees the byte before the FIN
            assert conn.recv(1) == b"x"
            assert cd.client_is_gone(conn)  # the same FIN, once the byte is read


def test_a_fin_is_a_half_close_the_client_still_reads() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname(), timeout=2)
        conn, _ = listener.accept()
        with client, conn:
            client.shutdown(socket.SHUT_WR)  # a FIN: "I will send no more"
            conn.settimeout(2)
            assert conn.recv(1) == b""  # end-of-stream for the server...
            assert cd.client_is_gone(conn)  # ...which the check calls "gone"
            conn.sendall(b"still here?")
            assert client.recv(1024) == b"still here?"  # yet the client reads on


def waited_ms(said: str) -> float:
    found = re.search(r"after (\d+) ms", said)
    assert found, said
    return float(found[1])


def test_a_vanished_client_is_noticed_only_when_the_read_times_out() -> None:
    said = cd.half_a_request("vanish")
    assert "gone=False" in said and "timed out" in said
    assert waited_ms(said) >= cd.READ_TIMEOUT * 1000 - 1  # not before the server's timeout
    assert waited_ms(said) < cd.READ_TIMEOUT * 1000 * 10  # bounded by it, with room for load


def test_a_closing_client_is_noticed_far_sooner_than_a_vanished_one() -> None:
    for leave in ("close", "half-close"):
        said = cd.half_a_request(leave)
        assert "gone=False" in said  # the peek saw a body byte, not the FIN behind it
        assert "end-of-stream" in said
        assert waited_ms(said) < cd.READ_TIMEOUT * 1000 / 3, said
    assert cd.half_a_request("half-close").endswith("'HTTP/1.1 400 Bad Request'")
