"""A tus 1.0.0 server on http.server: routing, the common headers, and the server's life.

A request is checked here (Content-Length, Tus-Resumable, the upload id) and routed by
method to its handler in ``handlers.py``; the uploads themselves live in ``store.py``.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from .handlers import DIGITS, TusHandlers
from .store import CHECKSUMS, UPLOAD_ID, Store

TIMEOUT = 10.0  # seconds a connection may stay silent, and a PATCH may wait for a lock
MAX_SIZE = 1 << 30  # Tus-Max-Size: the largest upload, 1 GiB
MAX_HEADERS = 16 * 1024  # bytes of request headers, all together
RECEIVE_BUFFER = 4 << 20  # bytes the kernel holds for a connection until we read them, 4 MiB
RMEM_MAX = Path("/proc/sys/net/core/rmem_max")  # Linux's cap on it
OPTIONS = {
    "Tus-Version": "1.0.0",
    "Tus-Extension": "creation,checksum,termination",
    "Tus-Checksum-Algorithm": ",".join(CHECKSUMS),
}


def receive_buffer_granted_whole() -> bool:
    """Would the system give a socket the whole RECEIVE_BUFFER? A request of any size turns
    the buffer's autotuning off, so a cut one would leave a connection a smaller buffer."""
    if RMEM_MAX.exists():  # Linux cuts a request down to net.core.rmem_max, silently
        return int(RMEM_MAX.read_text()) >= RECEIVE_BUFFER
    with socket.socket() as probe:  # macOS refuses one it cannot grant (ENOBUFS)
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        except OSError:
            return False
    return True


class TusHTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every connection's thread
    store: Store
    max_size: int
    url: str  # where the uploads live: http://127.0.0.1:<port>/files/
    timeout_seconds: float
    connections: set[socket.socket]

    def server_bind(self) -> None:
        # While we write one block to disk, the client's next blocks wait in this buffer,
        # already here when we read again. Set on the listening socket before listen(2), it
        # is inherited by every accepted connection, whose window scale is sized for it
        # (tcp(7)); otherwise a new connection's buffer starts small and grows as we read.
        if receive_buffer_granted_whole():
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        super().server_bind()

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away
            super().handle_error(request, client_address)  # type: ignore[arg-type]


# --8<-- [start:handler]
class Handler(TusHandlers):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection carries every chunk
    default_request_version = "HTTP/1.0"  # no HTTP/0.9: even garbage gets a status line
    server: TusHTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.timeout_seconds)  # a silent client is let go
        self.server.connections.add(self.connection)

    def finish(self) -> None:
        self.server.connections.discard(self.connection)
        super().finish()

    def end_headers(self) -> None:
        self.send_header("Tus-Resumable", "1.0.0")  # on every response, errors included
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: a course example, not a production log

    def do_OPTIONS(self) -> None:
        self.dispatch()

    do_HEAD = do_POST = do_PATCH = do_DELETE = do_GET = do_OPTIONS

    def dispatch(self) -> None:
        length = self.headers.get("Content-Length", "0")
        self.unread = int(length) if DIGITS.fullmatch(length) else 1
        if self.headers.defects or len(set(self.headers.get_all("Content-Length", []))) > 1:
            # A line the parser could not read (such as "Content-Length : 5", RFC 9112 §5.1)
            # or two lengths that disagree (§6.3 rule 5): where the body ends is in doubt.
            self.unread = 1  # so the reply closes
            return self.reply(400, text="malformed header section\n")
        if "Transfer-Encoding" in self.headers:  # a body we cannot frame: RFC 9112 §6.1
            self.unread = 1  # so the reply closes: its bytes must not pass for a next request
            if "Content-Length" in self.headers:  # CL+TE: the smuggling vector, §11.2
                return self.reply(400, text="Content-Length with Transfer-Encoding\n")
            return self.reply(411, text="send a Content-Length, not a chunked body\n")
        if not DIGITS.fullmatch(length):
            return self.reply(400, text="bad Content-Length\n")
        if sum(len(k) + len(v) + 4 for k, v in self.headers.items()) > MAX_HEADERS:
            return self.reply(431, text="headers too large\n")
        method = self.headers.get("X-HTTP-Method-Override", self.command).upper()
        path = urlsplit(self.path).path
        upload_id = path.removeprefix("/files/")
        if method == "OPTIONS":
            return self.reply(204, {**OPTIONS, "Tus-Max-Size": str(self.server.max_size)})
        if method != "GET" and self.headers.get("Tus-Resumable") != "1.0.0":
            return self.reply(412, {"Tus-Version": "1.0.0"}, "this server speaks tus 1.0.0\n")
        if path in ("/files", "/files/") and method == "POST":
            return self.create()
        if not path.startswith("/files/") or not UPLOAD_ID.fullmatch(upload_id):
            return self.reply(404, text="no such upload\n")
        actions = {"HEAD": self.head, "PATCH": self.patch, "DELETE": self.delete, "GET": self.get}
        if method not in actions:
            return self.reply(405, {"Allow": "HEAD, PATCH, DELETE, GET"})
        return actions[method](upload_id)
        # --8<-- [end:handler]


class TusServer:
    """The server in a thread, as a context manager: ``with TusServer(dir) as s: s.url``."""

    def __init__(
        self,
        directory: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        max_size: int = MAX_SIZE,
        timeout: float = TIMEOUT,
    ) -> None:
        self.httpd = TusHTTPServer((host, port), Handler)
        self.httpd.store, self.httpd.max_size = Store(Path(directory)), max_size
        self.httpd.timeout_seconds = timeout
        self.httpd.connections = set()
        self.url = self.httpd.url = f"http://{host}:{self.httpd.server_address[1]}/files/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.1,))

    def __enter__(self) -> TusServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self._thread.join()
        for connection in list(self.httpd.connections):  # wake idle keep-alive connections
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.httpd.server_close()  # joins the connection threads
