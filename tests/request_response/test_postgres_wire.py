"""The hand-written PostgreSQL v3 client against a real server, and its failure modes."""

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
    replay,
    split_messages,
    startup_message,
)
from tests.pg_server import PostgresServer, free_port

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
