"""A small page to fetch with ``curl --trace``, and the same trace made in Python.

``--port PORT`` serves the page on 127.0.0.1 until stopped (0 picks a free port; the
first line printed names the URL). ``--fetch URL`` gets a URL with ``http.client`` over
a socket that dumps every byte it sends and receives the way ``curl --trace`` does: a
header line with the size, then offset, 16 bytes in hex, and the same bytes as ASCII
(``.`` for the others, such as CR and LF). With no option it does both, on a free port.
Its page shows a session with curl and one with ``--fetch``.

>>> print(dump("=> Send", b"GET / HTTP/1.1\\r\\nHost: example\\r\\n\\r\\n"))
=> Send, 33 bytes (0x21)
0000: 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a GET / HTTP/1.1..
0010: 48 6f 73 74 3a 20 65 78 61 6d 70 6c 65 0d 0a 0d Host: example...
0020: 0a                                              .
>>> with page_server(port=0) as url:
...     fetch(url, say=lambda line: None)
200
"""

from __future__ import annotations

import argparse
import http.client
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

TIMEOUT = 5.0  # seconds, for every socket here
PAGE = b"<!doctype html>\n<title>Hello, curl</title>\n<p>A small page on 127.0.0.1.</p>\n"


# --8<-- [start:server]
class PageHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, framed by Content-Length
    wbufsize = -1  # buffer the response and send it in one write
    timeout = TIMEOUT  # an idle keep-alive connection is closed after this

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def version_string(self) -> str:  # the Server header, the same on every machine
        return "curl-trace-example"

    def log_message(self, format: str, *args: object) -> None:
        pass
        # --8<-- [end:server]


class PageServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins the connection threads


@contextmanager
def page_server(port: int = 0) -> Iterator[str]:
    """Serve PAGE on 127.0.0.1:port (0: a free one); yield its URL."""
    server = PageServer(("127.0.0.1", port), PageHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join(TIMEOUT)
        server.server_close()


# --8<-- [start:trace]
def dump(title: str, data: bytes) -> str:
    """Format bytes as curl's --trace does: offset, 16 bytes in hex, the same as ASCII."""
    lines = [f"{title}, {len(data)} bytes ({len(data):#x})"]
    for offset in range(0, len(data), 16):
        row = data[offset : offset + 16]
        hex_part = "".join(f"{byte:02x} " for byte in row).ljust(48)
        text = "".join(chr(byte) if 0x20 <= byte < 0x7F else "." for byte in row)
        lines.append(f"{offset:04x}: {hex_part}{text}")
    return "\n".join(lines)


class TracingSocket(socket.socket):
    """A socket that prints what goes through it; http.client never knows."""

    say: Callable[[str], None] = print

    def sendall(self, data: ReadableBuffer, flags: int = 0, /) -> None:
        self.say(dump("=> Send", bytes(data)))
        super().sendall(data, flags)

    def recv_into(self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0) -> int:
        count = super().recv_into(buffer, nbytes, flags)
        self.say(dump("<= Recv", bytes(memoryview(buffer)[:count])))
        return count


def fetch(url: str, say: Callable[[str], None] = print) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT)
    connection.connect()
    plain = connection.sock
    say(f"== Info: connected to {parts.hostname} port {parts.port}")
    traced = TracingSocket(plain.family, plain.type, plain.proto, fileno=plain.detach())
    traced.settimeout(TIMEOUT)
    traced.say = say
    connection.sock = traced  # from here on, every byte is printed
    try:
        connection.putrequest("GET", parts.path or "/", skip_accept_encoding=True)
        connection.putheader("User-Agent", "python-http.client")  # the headers curl sends
        connection.putheader("Accept", "*/*")
        connection.endheaders()
        response = connection.getresponse()
        response.read()  # the body, framed by Content-Length
    finally:
        connection.close()
    say("== Info: connection closed")
    return response.status
    # --8<-- [end:trace]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, help="serve the page on this port until stopped")
    parser.add_argument("--fetch", metavar="URL", help="GET this URL and print a trace")
    args = parser.parse_args()
    if args.fetch:
        fetch(args.fetch)
    elif args.port is not None:

        def stop(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt  # SIGTERM stops the server as Ctrl+C does

        signal.signal(signal.SIGTERM, stop)
        with page_server(args.port) as url:
            print(f"serving {url} (Ctrl+C to stop)", flush=True)
            with suppress(KeyboardInterrupt):
                threading.Event().wait()
    else:
        with page_server() as url:
            fetch(url)


if __name__ == "__main__":
    main()
