"""The slow server: every request answered after ``DELAY`` seconds, and what it sees.

The standard library's ThreadingHTTPServer, on 127.0.0.1 and a free port, served from a
thread of its own. Of each client it notes what a server can see: the client's port, the
``Connection`` and ``User-Agent`` headers, and how many of its requests it holds at once.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

DELAY = 0.1  # seconds the server takes to answer
TIMEOUT = 5.0  # seconds; every request and wait gives up after this


# --8<-- [start:server]
class SlowHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps a connection open, unless the client says close
    timeout = TIMEOUT  # closes a kept-alive connection idle this long
    wbufsize = -1  # each answer leaves in one write (two would stall on a delayed ACK)
    server: SlowServer

    def do_GET(self) -> None:
        seen = self.server
        with seen.lock:  # the client's port tells one of its connections from another
            headers = self.headers["Connection"], self.headers["User-Agent"]
            seen.requests.append((self.client_address[1], *headers))
            seen.busy += 1
            seen.at_once = max(seen.at_once, seen.busy)
        time.sleep(DELAY)  # the server's work: the same for every client
        with seen.lock:
            seen.busy -= 1  # before the answer, so a client's next call finds it done
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"done\n")

    def log_message(self, format: str, *args: object) -> None:  # keep the output quiet
        pass


class SlowServer(ThreadingHTTPServer):
    """On 127.0.0.1, a free port, served from a thread; it notes what it sees."""

    request_queue_size = 64  # listen() backlog: the default 5 drops a burst of 10 connects
    daemon_threads = False  # server_close() joins the handler threads

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), SlowHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        self.lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        """A fresh record: (client port, headers) per request, most requests at once."""
        self.requests: list[tuple[int, str | None, str | None]] = []
        self.busy = self.at_once = 0
        # --8<-- [end:server]

    def __enter__(self) -> SlowServer:
        self.thread = threading.Thread(target=self.serve_forever, args=(0.05,))
        self.thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.shutdown()
        self.thread.join(TIMEOUT)
        self.server_close()
