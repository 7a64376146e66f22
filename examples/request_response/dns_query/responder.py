"""The responder: the authority for one zone, answering each query from a small table."""

from __future__ import annotations

import socket
import struct
import threading

from .wire import CLASS_IN, TYPE_A, TYPE_SOA, decode_name, encode_name

ZONE = "example.test."  # the zone the responder is the authority for
TABLE = {"example.test.": "192.0.2.10", "api.example.test.": "192.0.2.20"}
# The zone's SOA (RFC 1035 §3.3.13): its TTL, then primary server, mailbox, serial,
# refresh, retry, expire, and the minimum, which bounds how long a "no" is cached
# (RFC 2308 §4 redefined it so).
SOA_TTL, SOA = 3600, ("ns.example.test.", "hostmaster.example.test.", 1, 7200, 900, 86400, 60)


# --8<-- [start:responder]
def answer(query: bytes) -> bytes:
    """Same ID, QR set, the question echoed; an A record, or the zone's SOA when there is none."""
    query_id, flags = struct.unpack_from("!HH", query)
    name, end = decode_name(query, 12)
    question, qtype = query[12 : end + 4], struct.unpack_from("!H", query, end)[0]
    ours = name == ZONE or name.endswith("." + ZONE)
    rcode = 0 if name in TABLE else 3 if ours else 5  # NOERROR, NXDOMAIN, REFUSED
    address = TABLE.get(name) if qtype == TYPE_A else None
    reply_flags = 0x8000 | 0x0400 * ours | (flags & 0x0100) | rcode  # QR, AA, RD copied
    counts = (1, 1, 0) if address else (1, 0, 1) if ours else (1, 0, 0)
    reply = struct.pack("!HHHHHH", query_id, reply_flags, *counts, 0) + question
    if address:
        record = struct.pack("!HHHIH", 0xC00C, TYPE_A, CLASS_IN, 300, 4)  # name: pointer to 12
        return reply + record + socket.inet_aton(address)
    if ours:  # RFC 2308 §3: a "no" from the authority carries its SOA, TTL min(TTL, minimum)
        rdata = encode_name(SOA[0]) + encode_name(SOA[1]) + struct.pack("!5I", *SOA[2:])
        soa_head = struct.pack("!HHIH", TYPE_SOA, CLASS_IN, min(SOA_TTL, SOA[6]), len(rdata))
        reply += encode_name(ZONE) + soa_head + rdata
    return reply
    # --8<-- [end:responder]


def serve(sock: socket.socket, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            query, client = sock.recvfrom(512)  # RFC 1035 §2.3.4: at most 512 bytes over UDP
        except TimeoutError:
            continue
        sock.sendto(answer(query), client)
