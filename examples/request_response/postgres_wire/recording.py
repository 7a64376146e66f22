"""Bytes a PostgreSQL 15 server sent, and a pretend socket that plays them back.

>>> Replay(CAPTURED_STARTUP_REPLY).recv(9)  # the first message: R, length 8, AuthenticationOk
b'R\\x00\\x00\\x00\\x08\\x00\\x00\\x00\\x00'
"""

from __future__ import annotations

import io
from collections.abc import Callable

from .protocol import converse


class Replay(io.BytesIO):
    """A pretend socket that sends nowhere and receives bytes recorded from a server."""

    def sendall(self, data: bytes, /) -> None:
        pass

    def recv(self, size: int, /) -> bytes:
        return self.read(size)


def replay(say: Callable[[str], None] = print) -> None:
    """The same conversation, on the bytes a PostgreSQL 15 server once sent."""
    converse(Replay(CAPTURED_STARTUP_REPLY + CAPTURED_QUERY_REPLY), "postgres", "postgres", say)


# Recorded from PostgreSQL 15.18 on 127.0.0.1 (see tests/request_response/test_postgres_wire.py)
CAPTURED_STARTUP_REPLY = (  # R, 13 x S, K, Z
    b"R\x00\x00\x00\x08\x00\x00\x00\x00"
    b"S\x00\x00\x00\x16application_name\x00\x00"
    b"S\x00\x00\x00\x19client_encoding\x00UTF8\x00"
    b"S\x00\x00\x00\x17DateStyle\x00ISO, MDY\x00"
    b"S\x00\x00\x00\x26default_transaction_read_only\x00off\x00"
    b"S\x00\x00\x00\x17in_hot_standby\x00off\x00"
    b"S\x00\x00\x00\x19integer_datetimes\x00on\x00"
    b"S\x00\x00\x00\x1bIntervalStyle\x00postgres\x00"
    b"S\x00\x00\x00\x14is_superuser\x00on\x00"
    b"S\x00\x00\x00\x19server_encoding\x00UTF8\x00"
    b"S\x00\x00\x00\x32server_version\x0015.18 (Debian 15.18-0+deb12u1)\x00"
    b"S\x00\x00\x00\x23session_authorization\x00postgres\x00"
    b"S\x00\x00\x00\x23standard_conforming_strings\x00on\x00"
    b"S\x00\x00\x00\x15TimeZone\x00Etc/UTC\x00"
    b"K\x00\x00\x00\x0c\x00\x00\x24\x20\x26\xd0\x30\xe4"
    b"Z\x00\x00\x00\x05I"
)
CAPTURED_QUERY_REPLY = (  # T, D, C, Z
    b"T\x00\x00\x00\x21\x00\x01?column?\x00"
    b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x17\x00\x04\xff\xff\xff\xff\x00\x00"
    b"D\x00\x00\x00\x0b\x00\x01\x00\x00\x00\x01"
    b"1"
    b"C\x00\x00\x00\x0dSELECT 1\x00"
    b"Z\x00\x00\x00\x05I"
)
