"""The hand-built DNS query and its responder: layout, names, negative answers, and a
client that takes only the datagram that matches its query (RFC 5452 §9.1)."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from examples.request_response import dns_query as dns
from examples.request_response.dns_query import client as dns_client
from examples.request_response.dns_query.__main__ import demo

Address = tuple[str, int]


def header(reply: bytes) -> tuple[int, ...]:
    """(id, flags, qdcount, ancount, nscount, arcount)"""
    return struct.unpack_from("!HHHHHH", reply)


def test_query_layout_follows_rfc_1035() -> None:
    query = dns.build_query(0xBEEF, "api.example.test")
    assert header(query) == (0xBEEF, 0x0100, 1, 0, 0, 0)
    assert query[12:] == b"\x03api\x07example\x04test\x00" + b"\x00\x01\x00\x01"


def test_answer_points_back_at_the_question_name() -> None:
    reply = dns.answer(dns.build_query(7, "api.example.test."))
    _id, flags, qd, an, ns, _ar = header(reply)
    assert (flags & 0x8000, flags & 0xF, qd, an, ns) == (0x8000, 0, 1, 1, 0)
    _name, end = dns.decode_name(reply, 12)
    record = end + 4
    assert reply[record : record + 2] == b"\xc0\x0c"  # compression pointer to offset 12
    assert dns.decode_name(reply, record) == ("api.example.test.", record + 2)
    assert reply[-4:] == socket.inet_aton("192.0.2.20")


def soa_of(reply: bytes) -> tuple[str, int, tuple[int, ...]]:
    """The owner, TTL and five numbers of the one SOA record in the authority section."""
    _name, end = dns.decode_name(reply, 12)
    owner, at = dns.decode_name(reply, end + 4)
    rtype, rclass, ttl, _length = struct.unpack_from("!HHIH", reply, at)
    assert (rtype, rclass) == (dns.TYPE_SOA, dns.CLASS_IN)
    _primary, at = dns.decode_name(reply, at + 10)
    _mailbox, at = dns.decode_name(reply, at)
    return owner, ttl, struct.unpack_from("!5I", reply, at)


def test_nxdomain_carries_the_zone_soa_in_its_authority_section() -> None:
    """RFC 2308 §3: the SOA of the zone, its TTL the smaller of its TTL and its minimum."""
    reply = dns.answer(dns.build_query(8, "missing.example.test."))
    _id, flags, _qd, an, ns, _ar = header(reply)
    assert (flags & 0xF, flags & 0x0400, an, ns) == (3, 0x0400, 0, 1)
    owner, ttl, numbers = soa_of(reply)
    assert owner == dns.ZONE
    assert numbers == dns.SOA[2:]
    assert ttl == min(dns.SOA_TTL, dns.SOA[6]) < dns.SOA_TTL


def test_a_name_without_records_of_the_type_asked_is_nodata_with_the_soa() -> None:
    query = bytearray(dns.build_query(9, "api.example.test."))
    query[-4:-2] = b"\x00\x1c"  # QTYPE AAAA: the name exists, with an A record only
    reply = dns.answer(bytes(query))
    _id, flags, _qd, an, ns, _ar = header(reply)
    assert (flags & 0xF, an, ns) == (0, 0, 1)
    assert soa_of(reply)[0] == dns.ZONE


def test_a_name_outside_the_zone_is_refused_not_denied() -> None:
    reply = dns.answer(dns.build_query(10, "example.org."))
    _id, flags, _qd, an, ns, _ar = header(reply)
    assert (flags & 0xF, flags & 0x0400, an, ns) == (5, 0, 0, 0)  # REFUSED, not authoritative


def test_pointer_loop_is_refused() -> None:
    message = b"\0" * 12 + b"\xc0\x0c"  # a name that points at itself
    with pytest.raises(ValueError, match="pointers"):
        dns.decode_name(message, 12)


@contextmanager
def scripted_server(script: Callable[[socket.socket, bytes, Address], None]) -> Iterator[Address]:
    """A server socket that runs `script` on the one query it receives."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(2)

        def run() -> None:
            query, client = server.recvfrom(512)
            script(server, query, client)

        thread = threading.Thread(target=run)
        thread.start()
        try:
            yield server.getsockname()
        finally:
            thread.join(2)


def ask(server: Address, name: str = "example.test.") -> list[str]:
    lines: list[str] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.bind(("127.0.0.1", 0))
        dns.resolve(client, server, 0x2B1D, name, lines.append)
    return lines


def with_id(reply: bytes, query_id: int) -> bytes:
    return struct.pack("!H", query_id) + reply[2:]


def test_an_answer_with_another_id_is_ignored_and_the_real_one_taken() -> None:
    def lie_then_answer(server: socket.socket, query: bytes, client: Address) -> None:
        server.sendto(with_id(dns.answer(query), 0x0001), client)  # someone else's ID
        server.sendto(dns.answer(query), client)

    with scripted_server(lie_then_answer) as server:
        lines = ask(server)
    assert "  ignored a datagram from 127.0.0.1:" in lines[1]
    assert lines[1].endswith(": id 0x0001 is not the query's")
    assert lines[-1] == "  answer: example.test. 300 IN A 192.0.2.10"


def test_an_answer_with_the_right_id_but_another_question_is_ignored() -> None:
    def lie_then_answer(server: socket.socket, query: bytes, client: Address) -> None:
        query_id = struct.unpack_from("!H", query)[0]
        # The same ID, from the server's own address and port: only the question differs.
        other = dns.answer(dns.build_query(query_id, "api.example.test."))
        server.sendto(other, client)
        server.sendto(dns.answer(query), client)

    with scripted_server(lie_then_answer) as server:
        lines = ask(server)
    assert lines[1].endswith(": its question is not the one asked")
    assert lines[-1] == "  answer: example.test. 300 IN A 192.0.2.10"
    assert not any("192.0.2.20" in line for line in lines)


def test_an_answer_from_another_port_is_ignored() -> None:
    """Right ID, right question, right answer even: from the wrong port it is not the answer."""

    def forge_then_answer(server: socket.socket, query: bytes, client: Address) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as other:
            other.bind(("127.0.0.1", 0))
            other.sendto(dns.answer(query), client)
            forger_port = other.getsockname()[1]
        server.sendto(dns.answer(query), client)
        ports.append(forger_port)

    ports: list[int] = []
    with scripted_server(forge_then_answer) as server:
        lines = ask(server)
    assert lines[1] == (
        f"  ignored a datagram from 127.0.0.1:{ports[0]}: not the server's address and port"
    )
    assert lines[-1] == "  answer: example.test. 300 IN A 192.0.2.10"


def test_only_forgeries_end_in_a_timeout_not_in_a_forged_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dns_client, "TIMEOUT", 0.3)

    def only_lie(server: socket.socket, query: bytes, client: Address) -> None:
        server.sendto(with_id(dns.answer(query), 0x0001), client)

    with scripted_server(only_lie) as server, pytest.raises(TimeoutError):
        ask(server)


@contextmanager
def responder() -> Iterator[Address]:
    """The example's responder (dns.serve) on a free UDP port, in a thread; its address."""
    stop = threading.Event()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.05)
        server = threading.Thread(target=dns.serve, args=(sock, stop))
        server.start()
        try:
            yield sock.getsockname()
        finally:
            stop.set()
            server.join(2)


def test_the_client_prints_the_soa_of_a_negative_answer() -> None:
    with responder() as address:
        lines = ask(address, "nope.example.test.")
    ttl = min(dns.SOA_TTL, dns.SOA[6])
    assert " rcode=3 NXDOMAIN an=0 ns=1" in lines[-2]
    assert lines[-1].startswith(f"  authority: {dns.ZONE} {ttl} IN SOA {dns.SOA[0]} {dns.SOA[1]} ")


def test_the_demo_takes_the_real_answer_not_the_forged_one() -> None:
    lines: list[str] = []
    demo(lines.append)
    forged = lines.index(next(line for line in lines if line.startswith("forger:")))
    after = lines[forged:]
    assert after[2].startswith("  ignored a datagram from 127.0.0.1:")
    assert after[-1] == "  answer: api.example.test. 300 IN A 192.0.2.20"
    assert not any(line.startswith("  answer:") and "203.0.113.66" in line for line in lines)


def test_the_responder_answers_each_name_of_its_table_over_udp() -> None:
    with responder() as server:
        for name, address in dns.TABLE.items():
            assert ask(server, name)[-1] == f"  answer: {name} 300 IN A {address}"
