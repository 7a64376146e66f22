"""DNS over UDP by hand: a query, an authoritative responder, and a wary client.

The client takes only the datagram that matches its query (RFC 5452 §9.1). The package:
``wire.py`` (the message: a query built, names and records read), ``responder.py`` (the
authority for one zone), ``client.py`` (the query sent, and the one datagram that is its
answer) and ``__main__.py`` (the demo, a forger included). Run it: ``python -m dns_query``
from the folder that holds the package; its page shows what it prints.
"""

from .client import mismatch, resolve
from .responder import SOA, SOA_TTL, TABLE, ZONE, answer, serve
from .wire import CLASS_IN, TYPE_A, TYPE_SOA, build_query, decode_name, encode_name, read_record

__all__ = [
    "CLASS_IN",
    "SOA",
    "SOA_TTL",
    "TABLE",
    "TYPE_A",
    "TYPE_SOA",
    "ZONE",
    "answer",
    "build_query",
    "decode_name",
    "encode_name",
    "mismatch",
    "read_record",
    "resolve",
    "serve",
]
