"""Helpers for the upload tests: a tus server in a subprocess, requests by hand, and a log of
the calls that make an upload durable."""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import os
import re
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support import ROOT

TIMEOUT = 5.0
TUS = {"Tus-Resumable": "1.0.0"}
PATCH = {**TUS, "Content-Type": "application/offset+octet-stream"}


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def call(url: str, method: str, headers: dict[str, str] | None = None, body: bytes = b"") -> Reply:
    """One request on a new connection."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT)
    try:
        conn.request(method, parts.path or "/", body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def create(files_url: str, length: int, metadata: str | None = None) -> str:
    headers = {**TUS, "Upload-Length": str(length)}
    if metadata is not None:
        headers["Upload-Metadata"] = metadata
    reply = call(files_url, "POST", headers)
    assert reply.status == 201, reply
    return str(reply.headers["Location"])


def offset(url: str) -> int:
    reply = call(url, "HEAD", TUS)
    assert reply.status == 200, reply
    return int(reply.headers["Upload-Offset"])


def raw(url: str, data: bytes) -> bytes:
    """Send bytes as they are, read the answer until the server closes or goes quiet."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := sock.recv(65536):
                answer += chunk
    return answer


@dataclass
class ServerProcess:
    process: subprocess.Popen[str]
    files_url: str
    stderr: str = ""


@contextlib.contextmanager
def tus_process(directory: Path) -> Iterator[ServerProcess]:
    """The server as a reader starts it: ``python -m ... --port 0 --dir DIR``."""
    command = [sys.executable, "-m", "examples.request_response.resumable_upload"]
    process = subprocess.Popen(
        [*command, "--port", "0", "--dir", str(directory)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.fullmatch(r"tus server listening on (\S+) \(storing in .+\)\n", line)
    server = ServerProcess(process, match.group(1) if match else "")
    try:
        assert match, f"unexpected first line {line!r}"
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
        _, server.stderr = process.communicate(timeout=30)


def watch_durability(
    monkeypatch: pytest.MonkeyPatch, handler: type[BaseHTTPRequestHandler], directory: Path
) -> list[str]:
    """Log, in the order they happen: every ``os.fsync``, ``os.replace`` and status sent.

    An fsync is "fsync directory" when its descriptor is ``directory`` itself, opened
    O_RDONLY | O_DIRECTORY as fsync(2) asks; any other fsync is "fsync file" (or says what
    it was, so that a wrong descriptor fails the comparison). ``os.replace(a, b)`` is
    "replace <name of b>", a status sent by ``handler`` is "respond <code>".
    """
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    real_send = handler.send_response
    home = directory.stat()

    def fsync(fd: int) -> None:
        info, flags = os.fstat(fd), fcntl.fcntl(fd, fcntl.F_GETFL)
        if (info.st_dev, info.st_ino) == (home.st_dev, home.st_ino):
            wanted = os.O_RDONLY | os.O_DIRECTORY
            got = flags & (os.O_ACCMODE | os.O_DIRECTORY)
            events.append("fsync directory" if got == wanted else f"fsync directory {got:#o}")
        else:
            events.append("fsync file" if stat.S_ISREG(info.st_mode) else f"fsync {info}")
        real_fsync(fd)

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        real_replace(source, target)
        events.append(f"replace {Path(target).name}")

    def send_response(self: BaseHTTPRequestHandler, code: int, message: str | None = None) -> None:
        events.append(f"respond {code}")
        real_send(self, code, message)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(handler, "send_response", send_response)
    return events
