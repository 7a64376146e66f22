"""The client: it sends a query, takes only the datagram that matches it (RFC 5452 §9.1),
and prints the answer's records, section by section."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Callable

from .wire import build_query, read_record

TIMEOUT = 2.0  # seconds; the client gives up on an answer after this
FLAGS = (("QR", 0x8000), ("AA", 0x0400), ("RD", 0x0100))  # response, authoritative, recursion
RCODES = {0: "NOERROR", 3: "NXDOMAIN", 5: "REFUSED"}  # no error, no such name, will not say


# --8<-- [start:match]
def mismatch(reply: bytes, source: tuple[str, int], server: tuple[str, int], query: bytes) -> str:
    """Why a datagram is not the answer to this query (RFC 5452 §9.1); "" if it is."""
    if source != server:
        return "not the server's address and port"
    if len(reply) < 12 or not reply[2] & 0x80:
        return "not a response"
    if reply[:2] != query[:2]:
        return f"id {int.from_bytes(reply[:2]):#06x} is not the query's"
    if reply[4:6] != b"\0\1" or not reply[12:].startswith(query[12:]):
        return "its question is not the one asked"  # query[12:] is its question, as sent
    return ""
    # --8<-- [end:match]


def resolve(sock: socket.socket, server: tuple[str, int], query_id: int, name: str,
            say: Callable[[str], None], dump: bool = False) -> None:  # fmt: skip
    query = build_query(query_id, name)
    say(f"query  {len(query)} bytes: id={query_id:#06x} flags=0x0100 (RD); question {name} A IN")
    if dump:
        say("  " + query.hex(" "))
    # --8<-- [start:client]
    sock.sendto(query, server)
    deadline = time.monotonic() + TIMEOUT
    while True:  # a datagram that is not the answer is dropped, and the wait goes on
        if (left := deadline - time.monotonic()) <= 0:
            raise TimeoutError(f"no answer to query {query_id:#06x} within {TIMEOUT} s")
        sock.settimeout(left)
        reply, source = sock.recvfrom(512)  # TimeoutError if nothing comes in time
        if not (why := mismatch(reply, source, server, query)):
            break
        say(f"  ignored a datagram from {source[0]}:{source[1]}: {why}")
    # --8<-- [end:client]
    flags, _qd, ancount, nscount, _ar = struct.unpack_from("!HHHHH", reply, 2)
    bits = " ".join(bit for bit, mask in FLAGS if flags & mask)
    say(
        f"answer {len(reply)} bytes from the server, same id and question: "
        f"flags={flags:#06x} ({bits}) rcode={flags & 0xF} {RCODES.get(flags & 0xF, '')} "
        f"an={ancount} ns={nscount}"
    )
    offset = len(query)  # the reply starts as the query: a header, then the same question
    for section, count in (("answer", ancount), ("authority", nscount)):
        for _ in range(count):
            if reply[offset] >> 6 == 3:  # two top bits set: a pointer (RFC 1035 §4.1.4)
                pointer = int.from_bytes(reply[offset : offset + 2]) & 0x3FFF
                say(f"  name {reply[offset : offset + 2].hex(' ')} = pointer to offset {pointer}")
            record, offset = read_record(reply, offset)
            say(f"  {section}: {record}")
