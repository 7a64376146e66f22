"""SQL is request-response too: the PostgreSQL wire protocol (v3) by hand, on a raw socket.

A StartupMessage opens the session; the server answers AuthenticationOk (this example
speaks the ``trust`` method only), ParameterStatus and BackendKeyData messages, then
ReadyForQuery. A simple Query is one request; its response is a RowDescription, one
DataRow per row, CommandComplete and ReadyForQuery again. The server may also send
messages no request asked for (``unasked.py``). Every backend message is a type byte, a
4-byte big-endian length that counts itself, and a body (of the client's, the
StartupMessage lacks the type byte), so the decoder in ``protocol.py`` is a pure
function of the bytes:

>>> [kind for kind, _body in split_messages(CAPTURED_QUERY_REPLY)]
['T', 'D', 'C', 'Z']
>>> describe("Z", b"T")
"Z ReadyForQuery: 'T' (in a transaction)"

The package: ``protocol.py`` (the messages and the conversation), ``unasked.py`` (a
notification that reaches a session which sent nothing), ``recording.py`` (a session a
PostgreSQL 15 server once answered, replayed without a server) and ``__main__.py`` (the
command line). Run it: ``python -m postgres_wire --replay`` from the folder that holds
the package; its page shows what it prints.
Formats: https://www.postgresql.org/docs/15/protocol-message-formats.html
"""

from .protocol import (
    PROTOCOL_3_0,
    TERMINATE,
    WireError,
    converse,
    describe,
    query_message,
    read_message,
    split_messages,
    startup_message,
)
from .recording import CAPTURED_QUERY_REPLY, CAPTURED_STARTUP_REPLY, Replay, replay
from .unasked import listen_and_notify

__all__ = [
    "CAPTURED_QUERY_REPLY",
    "CAPTURED_STARTUP_REPLY",
    "PROTOCOL_3_0",
    "TERMINATE",
    "Replay",
    "WireError",
    "converse",
    "describe",
    "listen_and_notify",
    "query_message",
    "read_message",
    "replay",
    "split_messages",
    "startup_message",
]
