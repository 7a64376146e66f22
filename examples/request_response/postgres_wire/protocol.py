"""The PostgreSQL wire protocol (v3): the requests, the decoder, and one conversation.

Every backend message is a type byte, a 4-byte big-endian length that counts itself,
and a body, so ``split_messages`` and ``describe`` are pure functions of the bytes.
Formats: https://www.postgresql.org/docs/15/protocol-message-formats.html
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Protocol

TIMEOUT = 5.0  # seconds; every socket operation here gives up after this
PROTOCOL_3_0 = 196608  # 3 << 16 | 0: major version 3, minor 0
AUTH_METHODS = {0: "Ok", 2: "KerberosV5", 3: "CleartextPassword", 5: "MD5Password"}
AUTH_METHODS |= {7: "GSS", 9: "SSPI", 10: "SASL (SCRAM)"}
NAMES = {"R": "Authentication", "S": "ParameterStatus", "K": "BackendKeyData", "Z": "ReadyForQuery"}
NAMES |= {"T": "RowDescription", "D": "DataRow", "C": "CommandComplete", "E": "ErrorResponse"}
NAMES |= {"N": "NoticeResponse", "A": "NotificationResponse"}
STATUS = {"I": "idle", "T": "in a transaction", "E": "in a failed transaction"}
TYPES = {16: "bool", 20: "int8", 23: "int4", 25: "text"}


class WireError(Exception):
    """The server said no (ErrorResponse) or asked for something this example lacks."""


# --8<-- [start:requests]
def startup_message(user: str, database: str) -> bytes:
    """No type byte, unlike every later message: length, protocol version, then name/value
    C strings, ended by an empty one."""
    pairs = f"user\0{user}\0database\0{database}\0\0".encode()
    return struct.pack("!ii", 8 + len(pairs), PROTOCOL_3_0) + pairs


def query_message(sql: str) -> bytes:
    """'Q', then the length of what follows (itself included), then the SQL as a C string."""
    text = sql.encode() + b"\0"
    return b"Q" + struct.pack("!i", 4 + len(text)) + text


TERMINATE = b"X\x00\x00\x00\x04"
# --8<-- [end:requests]


# --8<-- [start:decode]
def split_messages(data: bytes) -> list[tuple[str, bytes]]:
    """Cut a stream of backend messages into (type, body): 1 type byte, 4 length bytes."""
    messages, at = [], 0
    while at < len(data):
        (length,) = struct.unpack_from("!i", data, at + 1)
        messages.append((chr(data[at]), data[at + 5 : at + 1 + length]))
        at += 1 + length
    return messages


def describe(kind: str, body: bytes) -> str:
    """One line per backend message: its type byte, its name, what its body says."""
    strings = body.split(b"\0")
    if kind == "R":
        (code,) = struct.unpack_from("!i", body)
        content = AUTH_METHODS.get(code, f"method {code}")
        return f"R Authentication{content}" if code == 0 else f"R Authentication: {content}"
    if kind == "S":
        content = f"{strings[0].decode()} = {strings[1].decode()!r}"
    elif kind == "K":
        content = "process id {}, secret key {}".format(*struct.unpack("!ii", body))
    elif kind == "Z":
        content = f"{body.decode()!r} ({STATUS[body.decode()]})"
    elif kind == "T":
        (count,), fields, at = struct.unpack_from("!h", body), [], 2
        for _ in range(count):
            name, _, rest = body[at:].partition(b"\0")
            _table, _column, oid, size, _mod, fmt = struct.unpack_from("!ihihih", rest)
            kind_name = TYPES.get(oid, "type")
            fields.append(f"{name.decode()!r} {kind_name} (type oid {oid}, {size} bytes), ")
            fields[-1] += "binary format" if fmt else "text format"
            at += len(name) + 1 + 18
        content = f"{count} field{'s' * (count != 1)}: " + "; ".join(fields)
    elif kind == "D":
        (count,), values, at = struct.unpack_from("!h", body), [], 2
        for _ in range(count):
            (size,) = struct.unpack_from("!i", body, at)
            values.append("NULL" if size < 0 else repr(body[at + 4 : at + 4 + size].decode()))
            at += 4 + max(size, 0)
        content = f"{count} column{'s' * (count != 1)}: " + ", ".join(values)
    elif kind == "C":
        content = repr(strings[0].decode())
    elif kind in "EN":  # fields: one code byte (S severity, C SQLSTATE, M message...), a string
        content = " ".join(f"{s[:1].decode()}={s[1:].decode()!r}" for s in strings if s)
    elif kind == "A":  # a NOTIFY on a channel this session LISTENs to, whoever sent it
        (pid,) = struct.unpack_from("!i", body)
        channel, payload = (text.decode() for text in body[4:].split(b"\0")[:2])
        content = f"process id {pid}, channel {channel!r}, payload {payload!r}"
    else:
        content = f"{len(body)} bytes"
    return f"{kind} {NAMES.get(kind, 'message')}: {content}"
    # --8<-- [end:decode]


class Stream(Protocol):
    def sendall(self, data: bytes, /) -> None: ...
    def recv(self, size: int, /) -> bytes: ...


# --8<-- [start:converse]
def read_until_ready(sock: Stream, say: Callable[[str], None]) -> None:
    """Read and show backend messages up to ReadyForQuery ('Z'), the end of a response;
    any message on the way (a notice, a notification, a new parameter) is shown too."""
    kind = ""
    while kind != "Z":
        kind, body = read_message(sock)
        say("< " + describe(kind, body))
        if kind == "E":
            raise WireError(describe(kind, body))
        if kind == "R" and body != b"\0\0\0\0":
            raise WireError(f"{describe(kind, body)}: this example implements trust only")


def start(sock: Stream, user: str, database: str, say: Callable[[str], None]) -> None:
    startup = startup_message(user, database)
    say(f"> StartupMessage ({len(startup)} bytes): protocol 3.0, {user=}, {database=}")
    sock.sendall(startup)
    read_until_ready(sock, say)


def simple_query(sock: Stream, sql: str, say: Callable[[str], None]) -> None:
    query = query_message(sql)
    say(f"> Q Query ({len(query)} bytes): {sql!r}")
    sock.sendall(query)
    read_until_ready(sock, say)


def converse(sock: Stream, user: str, database: str, say: Callable[[str], None] = print) -> None:
    """Start a session, run SELECT 1, say goodbye: two request-response rounds."""
    start(sock, user, database, say)
    simple_query(sock, "SELECT 1", say)
    say("> X Terminate (5 bytes)")
    sock.sendall(TERMINATE)  # no reply: the server closes the connection
    # --8<-- [end:converse]


def read_message(sock: Stream) -> tuple[str, bytes]:
    """One backend message: its type byte, then as many bytes as its length says."""
    head = receive_exactly(sock, 5)
    return chr(head[0]), receive_exactly(sock, struct.unpack("!i", head[1:])[0] - 4)


def receive_exactly(sock: Stream, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise WireError("the server closed the connection")
        data += chunk
    return data
