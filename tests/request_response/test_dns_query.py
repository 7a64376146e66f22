"""The hand-built DNS query and its responder: layout, names, mismatched IDs."""

from __future__ import annotations

import socket
import struct
import threading

import pytest

from examples.request_response import dns_query as dns


def test_query_layout_follows_rfc_1035() -> None:
    query = dns.build_query(0xBEEF, "api.example.test")
    assert struct.unpack_from("!HHHHHH", query) == (0xBEEF, 0x0100, 1, 0, 0, 0)
    assert query[12:] == b"\x03api\x07example\x04test\x00" + b"\x00\x01\x00\x01"


def test_answer_points_back_at_the_question_name() -> None:
    reply = dns.answer(dns.build_query(7, "api.example.test."))
    _id, flags, qd, an, _ns, _ar = struct.unpack_from("!HHHHHH", reply)
    assert (flags & 0x8000, flags & 0xF, qd, an) == (0x8000, 0, 1, 1)
    _name, end = dns.decode_name(reply, 12)
    record = end + 4
    assert reply[record : record + 2] == b"\xc0\x0c"  # compression pointer to offset 12
    assert dns.decode_name(reply, record) == ("api.example.test.", record + 2)
    assert reply[-4:] == socket.inet_aton("192.0.2.20")


def test_unknown_name_is_nxdomain_without_answers() -> None:
    reply = dns.answer(dns.build_query(8, "missing.test."))
    _id, flags, _qd, an, _ns, _ar = struct.unpack_from("!HHHHHH", reply)
    assert (flags & 0xF, an) == (3, 0)


def test_pointer_loop_is_refused() -> None:
    message = b"\0" * 12 + b"\xc0\x0c"  # a name that points at itself
    with pytest.raises(ValueError, match="pointers"):
        dns.decode_name(message, 12)


def test_client_rejects_an_answer_with_another_id() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(2)

        def lie() -> None:
            query, client = server.recvfrom(512)
            reply = bytearray(dns.answer(query))
            reply[0:2] = b"\x00\x01"  # someone else's ID
            server.sendto(bytes(reply), client)

        thread = threading.Thread(target=lie)
        thread.start()
        try:
            with pytest.raises(ValueError, match="does not match"):
                dns.resolve(server.getsockname(), 0x2B1D, "example.test.", lambda line: None)
        finally:
            thread.join(2)


def test_the_responder_answers_each_name_of_its_table_over_udp() -> None:
    stop = threading.Event()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.05)
        server = threading.Thread(target=dns.serve, args=(sock, stop))
        server.start()
        try:
            for query_id, (name, address) in enumerate(dns.TABLE.items(), start=1):
                lines: list[str] = []
                dns.resolve(sock.getsockname(), query_id, name, lines.append)
                assert lines[-1] == f"  {name} 300 IN A {address}"
        finally:
            stop.set()
            server.join(2)
