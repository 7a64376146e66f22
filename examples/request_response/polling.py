"""Notifications and chat over request-response: the client must poll.

A request-response server can only answer; it cannot tell a client "a message just
arrived". So a chat client asks "anything new?" every interval. Here a message reaches
the server 360 ms after the client starts asking every 80 ms: each earlier request is
answered with an empty list (wasted), and the message waits on the server until the
next poll.
The client polls on a fixed schedule and the message arrives half an interval away from
any poll, so a poll would have to be 40 ms late to change the count.

Run it: ``python polling.py``. Its page shows what it prints.

>>> Inbox("hi", arrives_at=time.monotonic() + 60).after(seen=0)  # not arrived yet
[]
>>> Inbox("hi", arrives_at=time.monotonic()).after(seen=0)
['hi']
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TIMEOUT = 5.0  # seconds, for every request
ARRIVES_AFTER, INTERVAL = 0.360, 0.080  # seconds: when the message comes, how often to ask


# --8<-- [start:server]
class Inbox:
    """One message, which reaches the server at `arrives_at` (time.monotonic()): until
    then the server has nothing to give. Its own clock decides, so no thread is needed."""

    def __init__(self, text: str, arrives_at: float) -> None:
        self.text, self.arrives_at = text, arrives_at

    def after(self, seen: int) -> list[str]:
        arrived = [self.text] if time.monotonic() >= self.arrives_at else []
        return arrived[seen:]


def handler_for(inbox: Inbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # GET /messages?after=N: the messages after the N seen
            seen = int(self.path.partition("after=")[2] or 0)
            body = json.dumps(inbox.after(seen)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)  # usually "[]": nothing new

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
    # --8<-- [end:server]


@contextmanager
def chat_server(inbox: Inbox) -> Iterator[tuple[str, int]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(inbox))
    server.daemon_threads = False  # so server_close() waits for every connection's thread
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield str(host), int(port)
    finally:
        server.shutdown()
        thread.join(TIMEOUT)
        server.server_close()


# --8<-- [start:client]
def poll_until_message(host: str, port: int, interval: float) -> tuple[list[int], float]:
    """Ask every `interval` seconds; return the count of new messages per answer, and when
    the first message was learned of."""
    answers: list[int] = []
    start = time.monotonic()
    while len(answers) < 100:  # bounded: give up rather than poll forever
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        try:
            connection.request("GET", "/messages?after=0")
            new = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        answers.append(len(new))
        if new:
            return answers, time.monotonic()
        # Poll on a fixed schedule (start + k * interval), so delays do not add up.
        time.sleep(max(0.0, start + len(answers) * interval - time.monotonic()))
    raise TimeoutError("no message after 100 polls")
    # --8<-- [end:client]


def run(arrives_after: float, interval: float) -> tuple[list[int], float]:
    """Poll a server that receives one message `arrives_after` seconds from now; return
    the answers and the latency (seconds from the message's arrival to the client's
    learning of it)."""
    inbox = Inbox("hi, are you there?", time.monotonic() + arrives_after)
    with chat_server(inbox) as (host, port):
        answers, learned_at = poll_until_message(host, port, interval)
    return answers, learned_at - inbox.arrives_at


def demo(say: Callable[[str], None] = print) -> None:
    answers, latency = run(ARRIVES_AFTER, INTERVAL)
    say(f"a message reaches the server at t={ARRIVES_AFTER * 1000:.0f} ms; "
        f"the client polls every {INTERVAL * 1000:.0f} ms")  # fmt: skip
    say(f"polls: {' '.join(map(str, answers))}   (0 = empty answer, 1 = one new message)")
    say(f"{len(answers)} requests, {answers.count(0)} of them answered with nothing")
    say(f"the client learned of the message {latency * 1000:.0f} ms after it arrived "
        "(up to one interval)")  # fmt: skip


if __name__ == "__main__":
    demo()
