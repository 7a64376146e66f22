"""DNS is request-response over UDP: one datagram asks, one datagram answers.

A query built by hand as RFC 1035 section 4 lays it out (a 12-byte header, the
name as length-prefixed labels, QTYPE A, QCLASS IN), sent to a tiny responder on
loopback that answers from a small table. The client matches the answer's ID to
its query's and reads the answer, whose name is a compression pointer.

Run it: ``python dns_query.py``. Its page shows what it prints.

>>> encode_name("example.test.")
b'\\x07example\\x04test\\x00'
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable

TIMEOUT = 2.0  # seconds; the client gives up on an answer after this
TYPE_A, CLASS_IN = 1, 1
TABLE = {"example.test.": "192.0.2.10", "api.example.test.": "192.0.2.20"}


# --8<-- [start:query]
def encode_name(name: str) -> bytes:
    """QNAME: each label as one length byte then its bytes, ended by a zero byte."""
    labels = [label.encode("ascii") for label in name.rstrip(".").split(".")]
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\0"


def build_query(query_id: int, name: str) -> bytes:
    # Header: ID, flags (only RD, "recursion desired"), QDCOUNT=1, AN/NS/ARCOUNT=0.
    header = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0)
    return header + encode_name(name) + struct.pack("!HH", TYPE_A, CLASS_IN)
    # --8<-- [end:query]


# --8<-- [start:parse]
def decode_name(message: bytes, offset: int) -> tuple[str, int]:
    """Read a name at offset; return it and the offset just after it in the message."""
    labels: list[str] = []
    end = jumps = 0
    while True:
        length = message[offset]
        if length & 0xC0 == 0xC0:  # two top bits set: a pointer to an earlier name
            end, jumps = end or offset + 2, jumps + 1
            if jumps > 16:
                raise ValueError("too many compression pointers (a loop?)")
            offset = struct.unpack_from("!H", message, offset)[0] & 0x3FFF
            continue
        if length == 0:
            return ".".join(labels) + ".", end or offset + 1
        labels.append(message[offset + 1 : offset + 1 + length].decode("ascii"))
        offset += 1 + length
        # --8<-- [end:parse]


# --8<-- [start:responder]
def answer(query: bytes) -> bytes:
    """Answer from TABLE: same ID, QR and AA set, the question echoed, one A record."""
    query_id, flags = struct.unpack_from("!HH", query)
    name, end = decode_name(query, 12)
    question = query[12 : end + 4]  # QNAME + QTYPE + QCLASS, copied as they came
    address = TABLE.get(name)
    rcode = 0 if address else 3  # 3 = NXDOMAIN, "name error"
    reply_flags = 0x8000 | 0x0400 | (flags & 0x0100) | rcode  # QR, AA, RD copied
    header = struct.pack("!HHHHHH", query_id, reply_flags, 1, 1 if address else 0, 0, 0)
    if address is None:
        return header + question
    record = struct.pack("!HHHIH", 0xC00C, TYPE_A, CLASS_IN, 300, 4)  # name: pointer to 12
    return header + question + record + socket.inet_aton(address)


def serve(sock: socket.socket, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            query, client = sock.recvfrom(512)  # RFC 1035: UDP messages up to 512 bytes
        except TimeoutError:
            continue
        sock.sendto(answer(query), client)
        # --8<-- [end:responder]


# --8<-- [start:client]
def resolve(server: tuple[str, int], query_id: int, name: str, say: Callable[[str], None]) -> None:
    query = build_query(query_id, name)
    say(
        f"query  {len(query)} bytes: id={query_id:#06x} flags=0x0100 (RD) qd=1 an=0; "
        f"question {name} A IN"
    )
    if name in TABLE:
        say("  " + query.hex(" "))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(TIMEOUT)
        sock.sendto(query, server)
        reply, _ = sock.recvfrom(512)
    reply_id, flags, _qd, ancount, _ns, _ar = struct.unpack_from("!HHHHHH", reply)
    if reply_id != query_id:  # an answer to someone else's question: not ours
        raise ValueError(f"answer id {reply_id:#06x} does not match query id {query_id:#06x}")
    bits = " ".join(
        bit for bit, mask in (("QR", 0x8000), ("AA", 0x0400), ("RD", 0x0100)) if flags & mask
    )
    say(
        f"answer {len(reply)} bytes: id={reply_id:#06x} (matches the query) "
        f"flags={flags:#06x} ({bits}) rcode={flags & 0xF} an={ancount}"
    )
    if flags & 0xF == 3:
        say("  NXDOMAIN: no such name")
    _, offset = decode_name(reply, 12)
    offset += 4  # skip QTYPE and QCLASS of the echoed question
    for _ in range(ancount):
        pointer = reply[offset : offset + 2]
        owner, offset = decode_name(reply, offset)
        say(
            f"  name {pointer.hex(' ')} = pointer to offset {int.from_bytes(pointer) & 0x3FFF}"
            f" = {owner}"
        )
        rtype, rclass, ttl, length = struct.unpack_from("!HHIH", reply, offset)
        offset += 10
        data = reply[offset : offset + length]
        offset += length
        kind = "A" if (rtype, rclass) == (TYPE_A, CLASS_IN) else f"type {rtype}"
        say(f"  {owner} {ttl} IN {kind} {socket.inet_ntoa(data)}")
        # --8<-- [end:client]


def demo(say: Callable[[str], None] = print) -> None:
    """Start the responder on a free loopback port, ask for one known and one unknown name."""
    stop = threading.Event()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.05)  # so the serving loop sees `stop` soon
        server = threading.Thread(target=serve, args=(sock, stop))
        server.start()
        try:
            # A real resolver picks a random ID per query (RFC 5452); fixed here for the output.
            resolve(sock.getsockname(), 0x2B1D, "example.test.", say)
            resolve(sock.getsockname(), 0x2B1E, "nope.test.", say)
        finally:
            stop.set()
            server.join(TIMEOUT)


if __name__ == "__main__":
    demo()
