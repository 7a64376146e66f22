"""A very long request: the client times out, the server keeps working for nobody.

The server needs 5 steps of 40 ms to build a report; the client waits at most
100 ms for an answer, then gives up and closes the connection. Its FIN reaches the
server's socket, but this server does not look while it works: it finishes every step
and writes its answer to a closed connection.

Run it: ``python long_request.py``. Its page shows what it prints.

>>> said = []
>>> with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
...     _ = ask_with_timeout(silent.getsockname(), said.append)
>>> said[-1]
'client: timed out, closed the connection, no answer'
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TIMEOUT = 5.0  # seconds; the bound on every wait that is not the point of the example
STEPS, STEP_SECONDS = 5, 0.040
CLIENT_WAITS = 0.100  # the client's timeout: shorter than the work


@dataclass
class ServerLog:
    finished: list[float] = field(default_factory=list)  # when each step ended
    fin_waiting: bool = False  # after the work: had the client's FIN arrived, unread?
    send: str = ""  # what happened to the answer


# --8<-- [start:server]
def serve_one(listener: socket.socket, log: ServerLog) -> None:
    """Read one request, do the long work, send the answer: whoever is still there."""
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(TIMEOUT)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(1024)
            if not chunk:
                return  # the client left before it finished asking
            request += chunk
        for _step in range(STEPS):
            time.sleep(STEP_SECONDS)  # stands for a query, a render, a computation...
            log.finished.append(time.monotonic())
        conn.setblocking(False)  # a look, not a wait: a peek reads b"" if the FIN is there
        try:
            log.fin_waiting = conn.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            log.fin_waiting = False  # nothing has arrived
        conn.settimeout(TIMEOUT)
        answer = b"HTTP/1.1 200 OK\r\n\r\n"
        try:
            conn.sendall(answer)  # the client left long ago
            log.send = f"wrote its {len(answer)}-byte answer to the closed connection: no error"
        except OSError as error:
            log.send = f"failed to send its answer: {type(error).__name__}"
            # --8<-- [end:server]


# --8<-- [start:client]
def ask_with_timeout(address: tuple[str, int], say: Callable[[str], None]) -> float:
    """Send the request; wait CLIENT_WAITS for the answer; return when the client gave up."""
    with socket.create_connection(address, timeout=TIMEOUT) as sock:
        sock.sendall(b"GET /report HTTP/1.1\r\nHost: example\r\n\r\n")
        say(f"client: asks for a report and waits at most {CLIENT_WAITS * 1000:.0f} ms")
        sock.settimeout(CLIENT_WAITS)
        try:
            sock.recv(1024)
            say("client: got an answer in time")
        except TimeoutError:
            say("client: timed out, closed the connection, no answer")
    return time.monotonic()  # the connection is closed here: the client is gone
    # --8<-- [end:client]


def demo(say: Callable[[str], None] = print) -> None:
    log = ServerLog()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(TIMEOUT)
        server = threading.Thread(target=serve_one, args=(listener, log))
        server.start()
        try:
            gone_at = ask_with_timeout(listener.getsockname(), say)
        finally:
            server.join(TIMEOUT)
    finished = log.finished
    after = sum(1 for at in finished if at > gone_at)
    say(f"server: did all {len(finished)} of {STEPS} steps ({STEP_SECONDS * 1000:.0f} ms each); "
        f"{after} of them finished after the client had left")  # fmt: skip
    say(f"server: the client's FIN was waiting, unread, in its socket: {log.fin_waiting}")
    say(f"server: {log.send}")


if __name__ == "__main__":
    demo()
