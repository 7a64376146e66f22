"""The DNS message on the wire (RFC 1035 §4.1): a query built by hand, and the names and
records of an answer read back, compression pointers included.

>>> encode_name("example.test.")
b'\\x07example\\x04test\\x00'
"""

from __future__ import annotations

import socket
import struct

TYPE_A, TYPE_SOA, CLASS_IN = 1, 6, 1


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


def read_record(reply: bytes, offset: int) -> tuple[str, int]:
    """One resource record as zone-file text, and the offset after it."""
    owner, offset = decode_name(reply, offset)
    rtype, _rclass, ttl, length = struct.unpack_from("!HHIH", reply, offset)
    data, offset = reply[offset + 10 : offset + 10 + length], offset + 10 + length
    if rtype == TYPE_A:
        return f"{owner} {ttl} IN A {socket.inet_ntoa(data)}", offset
    primary, at = decode_name(reply, offset - length)
    mailbox, at = decode_name(reply, at)
    numbers = " ".join(str(n) for n in struct.unpack_from("!5I", reply, at))
    return f"{owner} {ttl} IN SOA {primary} {mailbox} {numbers}", offset
