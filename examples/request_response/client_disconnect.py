"""What if the client disconnects? A server that checks stops; one that does not, works on.

Two servers do the same job, 10 steps of 20 ms, for a client that leaves while
step 4 runs. The naive server never looks at the connection again and does every
step. The noticing server checks the socket between steps (is it readable, and
does a peek read the end of the stream?) and stops at the first check after the
client has gone. Then a client leaves half-way through its request: it closes (FIN),
half-closes (FIN, and still reads) or vanishes (no FIN, no RST); what does the server learn?

Run it: ``python client_disconnect.py``. Its page shows what it prints.

>>> server_end, client_end = socket.socketpair()
>>> client_is_gone(server_end)
False
>>> client_end.close()
>>> client_is_gone(server_end)
True
>>> server_end.close()
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable

TIMEOUT = 5.0  # seconds; the bound on every wait
STEPS, STEP_SECONDS = 10, 0.020
LEAVE_DURING = 4  # the client disconnects while this step runs
READ_TIMEOUT = 0.300  # seconds: the server's own read timeout, the end of a silent wait
SETTLE = 0.050  # seconds for what the client did to cross loopback (it takes microseconds)
HALF_A_REQUEST = b"POST /report HTTP/1.1\r\nContent-Length: 10\r\n\r\nhalf"  # 4 of 10 bytes
# Nothing else ends that wait soon. Linux's TCP keepalive, on a socket that asks for it
# (SO_KEEPALIVE), first probes an idle connection after tcp_keepalive_time = 7200 s, then
# every tcp_keepalive_intvl = 75 s, 9 probes (tcp(7)).


# --8<-- [start:check]
def client_is_gone(conn: socket.socket) -> bool:
    """True if the peer closed: the socket is readable, and a peek reads end-of-stream."""
    readable, _, _ = select.select([conn], [], [], 0)  # 0: look, do not wait
    if not readable:
        return False  # nothing to read: the client is still there, waiting
    try:
        return conn.recv(1, socket.MSG_PEEK) == b""  # b"" is end-of-stream; peek keeps data
    except ConnectionError:  # e.g. reset by peer
        return True
        # --8<-- [end:check]


# --8<-- [start:server]
def serve_one(
    listener: socket.socket, notice: bool, started: Callable[[int], None], starts: list[float]
) -> str:
    """Do the STEPS of work for one request; record when each step started."""
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(TIMEOUT)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(1024)
            if not chunk:
                return "client left before asking"
            request += chunk
        for step in range(1, STEPS + 1):
            if notice and client_is_gone(conn):  # the check between two steps
                return "disconnect seen, stopped"
            starts.append(time.monotonic())
            started(step)
            time.sleep(STEP_SECONDS)  # one step of the work: a query, a render...
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        return "answer written to nobody"
        # --8<-- [end:server]


# --8<-- [start:client]
def run(notice: bool) -> str:
    """One server (naive or noticing) and one client who leaves while step 4 runs."""
    starts: list[float] = []
    outcome: list[str] = []
    leave = threading.Event()

    def started(step: int) -> None:
        if step == LEAVE_DURING:
            leave.set()  # the demo's cue to the client: leave now

    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(TIMEOUT)
        server = threading.Thread(
            target=lambda: outcome.append(serve_one(listener, notice, started, starts))
        )
        server.start()
        try:
            with socket.create_connection(listener.getsockname(), TIMEOUT) as client:
                client.sendall(b"GET /report HTTP/1.1\r\nHost: example\r\n\r\n")
                leave.wait(TIMEOUT)
            left_at = time.monotonic()  # closed, with a FIN: the user shut the tab...
        finally:
            server.join(TIMEOUT)
    after = sum(1 for at in starts if at > left_at)
    done = f"{len(starts):2} of {STEPS} steps done, {after} started after the client left"
    return f"{done}; {''.join(outcome)}"
    # --8<-- [end:client]


# --8<-- [start:drop]
def server_reads(conn: socket.socket) -> str:
    """The server's check, then its reads, until end-of-stream or its own timeout."""
    gone = client_is_gone(conn)  # a peek sees the first unread byte, never a FIN behind it
    conn.settimeout(READ_TIMEOUT)
    got, start = b"", time.monotonic()
    try:
        while chunk := conn.recv(1024):
            got += chunk
        end = "end-of-stream"
    except TimeoutError:  # no byte, no FIN, no RST: only the server's own timeout ends this
        end = "nothing: timed out"
    waited = (time.monotonic() - start) * 1000
    return f"check: gone={gone}; read {len(got)} bytes, then {end} after {waited:.0f} ms"


def half_a_request(leave: str) -> str:
    """A client sends HALF_A_REQUEST, then leaves: "close" (FIN), "half-close" (FIN, and it
    still reads) or "vanish" (no FIN, no RST: it stops). What does the server learn?"""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname(), TIMEOUT)
        conn, _ = listener.accept()
        with client, conn:
            client.sendall(HALF_A_REQUEST)
            if leave == "close":
                client.close()
            elif leave == "half-close":
                client.shutdown(socket.SHUT_WR)  # "I will send no more": it may still read
            time.sleep(SETTLE)  # "vanish": silent and open, as a frozen or lost peer looks
            said = server_reads(conn)
            if leave == "half-close":  # the request was cut short: the server says so
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                client.settimeout(TIMEOUT)
                status_line = client.recv(1024).split(b"\r\n")[0].decode()
                said += f"; the client still reads {status_line!r}"
    return said
    # --8<-- [end:drop]


def demo(say: Callable[[str], None] = print) -> None:
    say(f"each server does {STEPS} steps of {STEP_SECONDS * 1000:.0f} ms; "
        f"the client leaves while step {LEAVE_DURING} runs")  # fmt: skip
    say(f"naive server:    {run(notice=False)}")
    say(f"noticing server: {run(notice=True)}")
    say(f"a client sends a request head and 4 of its 10 body bytes, then leaves; "
        f"the server's read timeout is {READ_TIMEOUT * 1000:.0f} ms")  # fmt: skip
    for leave in ("close", "half-close", "vanish"):
        say(f"{leave + ':':<12} {half_a_request(leave)}")


if __name__ == "__main__":
    demo()
