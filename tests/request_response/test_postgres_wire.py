"""The hand-written PostgreSQL v3 client against a real server, its failure modes, and the
messages a server sends that no request asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest

from examples.request_response.postgres_wire import (
    CAPTURED_QUERY_REPLY,
    CAPTURED_STARTUP_REPLY,
    PROTOCOL_3_0,
    Replay,
    WireError,
    converse,
    listen_and_notify,
    query_message,
    replay,
    split_messages,
    startup_message,
)
from tests.pg_server import PostgresServer
from tests.support import free_port

MODULE = "examples.request_response.postgres_wire"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", MODULE, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def kinds(lines: list[str]) -> list[str]:
    """'> Q Query ...' -> '>Q', with a run of ParameterStatus folded into one 'S+'."""
    out: list[str] = []
    for line in lines:
        direction, kind = line.split()[:2]
        kind = "startup" if kind == "StartupMessage" else kind
        if not (kind == "S" and out[-1] == "<S+"):
            out.append(direction + (kind + "+" if kind == "S" else kind))
    return out


def test_live_server_sends_what_the_page_replays(postgres: PostgresServer) -> None:
    result = run("--host", postgres.host, "--port", str(postgres.port), "--user", "postgres")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    live = result.stdout.splitlines()
    recorded: list[str] = []
    replay(recorded.append)
    assert kinds(live) == kinds(recorded)
    assert kinds(live) == [">startup", "<R", "<S+", "<K", "<Z", ">Q", "<T", "<D", "<C", "<Z", ">X"]
    # Everything but the session's parameters and its process id and key is byte-for-byte
    # what the page shows; newer servers may report more parameters, never fewer.
    assert live[:2] == recorded[:2]
    assert live[-7:] == recorded[-7:]
    assert "< D DataRow: 1 column: '1'" in live
    names = {line.split(": ")[1].split(" = ")[0] for line in live if line.startswith("< S ")}
    recorded_names = {line.split(": ")[1].split(" = ")[0] for line in recorded if " S " in line}
    assert recorded_names <= names
    assert "< S ParameterStatus: client_encoding = 'UTF8'" in live


def test_replay_runs_the_same_conversation_without_a_server() -> None:
    result = run("--replay", "--port", "1")  # nothing listens on port 1: not asked
    assert result.returncode == 0 and result.stderr == ""
    recorded: list[str] = []
    replay(recorded.append)
    assert result.stdout.splitlines() == recorded


def test_server_error_is_reported_without_traceback(postgres: PostgresServer) -> None:
    result = run("--port", str(postgres.port), "--user", "nobody", "--dbname", "postgres")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"PostgreSQL at 127.0.0.1:{postgres.port} refused: E ErrorResponse:" in result.stderr
    assert 'role "nobody" does not exist' in result.stderr


def test_no_server_says_so_and_exits_non_zero() -> None:
    port = free_port()  # nothing listens there any more
    result = run("--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"no PostgreSQL server at 127.0.0.1:{port}: ")
    assert "Traceback" not in result.stderr


def test_other_auth_methods_are_refused_clearly() -> None:
    sasl = b"R\x00\x00\x00\x17\x00\x00\x00\x0aSCRAM-SHA-256\x00\x00"  # AuthenticationSASL
    with pytest.raises(WireError, match=r"SASL \(SCRAM\): this example implements trust only"):
        converse(Replay(sasl), "postgres", "postgres", say=lambda line: None)
    md5 = b"R\x00\x00\x00\x0c\x00\x00\x00\x05salt"  # AuthenticationMD5Password
    with pytest.raises(WireError, match="MD5Password: this example implements trust only"):
        converse(Replay(md5), "postgres", "postgres", say=lambda line: None)


def test_a_cut_stream_is_an_error_not_a_hang() -> None:
    with pytest.raises(WireError, match="closed the connection"):
        converse(Replay(CAPTURED_STARTUP_REPLY[:-3]), "u", "d", say=lambda line: None)


def test_framing_of_requests_and_responses() -> None:
    startup = startup_message("ada", "shop")
    assert int.from_bytes(startup[:4], "big") == len(startup)
    assert int.from_bytes(startup[4:8], "big") == PROTOCOL_3_0 == 3 << 16
    assert startup[8:] == b"user\0ada\0database\0shop\0\0"
    messages = split_messages(CAPTURED_STARTUP_REPLY + CAPTURED_QUERY_REPLY)
    assert "".join(kind for kind, _ in messages) == "R" + "S" * 13 + "KZ" + "TDCZ"


def message(kind: bytes, body: bytes) -> bytes:
    return kind + (4 + len(body)).to_bytes(4, "big") + body


def test_unasked_messages_between_others_are_decoded_and_skipped_over() -> None:
    """A notice, a parameter report and a notification may come in the middle of a response
    (the manual: "be able to accept NotificationResponse at any point in the protocol")."""
    notice = message(b"N", b"SNOTICE\0C00000\0Mjust so you know\0\0")
    status = message(b"S", b"application_name\0psql\0")
    notification = message(b"A", (4242).to_bytes(4, "big") + b"news\0hello\0")
    t, d, c, z = (
        message(kind.encode(), body) for kind, body in split_messages(CAPTURED_QUERY_REPLY)
    )
    stream = CAPTURED_STARTUP_REPLY + t + notice + d + status + c + notification + z
    lines: list[str] = []
    converse(Replay(stream), "postgres", "postgres", say=lines.append)
    query = lines.index("> Q Query (14 bytes): 'SELECT 1'")
    assert lines[query + 1 :] == [
        "< T RowDescription: 1 field: '?column?' int4 (type oid 23, 4 bytes), text format",
        "< N NoticeResponse: S='NOTICE' C='00000' M='just so you know'",
        "< D DataRow: 1 column: '1'",
        "< S ParameterStatus: application_name = 'psql'",
        "< C CommandComplete: 'SELECT 1'",
        "< A NotificationResponse: process id 4242, channel 'news', payload 'hello'",
        "< Z ReadyForQuery: 'I' (idle)",
        "> X Terminate (5 bytes)",
    ]


def test_a_notification_reaches_a_session_that_sent_nothing(postgres: PostgresServer) -> None:
    lines: list[str] = []
    listen_and_notify(postgres.host, postgres.port, "postgres", "postgres", say=lines.append)
    waiting = lines.index("listener   sends nothing, and reads:")
    # After its LISTEN the listener sent nothing, and the server sent it the notification,
    # whose process id is the notifier's, from the notifier's BackendKeyData.
    assert not any(line.startswith("listener >") for line in lines[waiting:])
    notifier_pid = lines[0].split("process id ")[1].split(",")[0]
    assert lines[0].startswith("notifier < K BackendKeyData: ")
    assert lines[waiting + 1 :] == [
        f"listener < A NotificationResponse: process id {notifier_pid}, "
        "channel 'news', payload 'hello'"
    ]
    # Inside responses, too: a parameter report after a SET, a notice before a CommandComplete.
    assert "listener < S ParameterStatus: application_name = 'listener'" in lines
    assert any(line.startswith("notifier < N NoticeResponse: S='NOTICE'") for line in lines)


def test_the_startup_message_has_no_type_byte_a_query_has_one() -> None:
    startup, query = startup_message("ada", "shop"), query_message("SELECT 1")
    assert int.from_bytes(startup[:4], "big") == len(startup)  # a length first, no type
    assert query[:1] == b"Q" and int.from_bytes(query[1:5], "big") == len(query) - 1
