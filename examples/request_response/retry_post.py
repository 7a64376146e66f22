"""A retried POST: without an idempotency key it is applied twice; with one, once.

A client POSTs a charge. The server makes it, but the answer never reaches the client,
which cannot tell whether the charge was made, and sends the same request again. POST
is not idempotent (RFC 9110 §9.2.2), so the blind retry charges twice. With an
``Idempotency-Key`` header (an IETF draft), the server knows the retry and replays its
first answer instead of charging again.

Run it: ``python retry_post.py``. Its page shows what it prints.

>>> ledger = Ledger()
>>> ledger.post(b'{"amount": 30}', key='"k1"')
(201, b'{"charge": 1, "amount": 30}')
>>> ledger.post(b'{"amount": 30}', key='"k1"')  # the same key: the first answer again
(201, b'{"charge": 1, "amount": 30}')
>>> ledger.charges
[30]
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TIMEOUT = 5.0  # seconds, for every request
AMOUNT, OTHER_AMOUNT = 30, 50
ATTEMPTS = 2  # the client sends a request at most this many times


# --8<-- [start:server]
class Ledger:
    """The server's state: the charges made, and each idempotency key's first answer."""

    def __init__(self) -> None:
        self.charges: list[int] = []
        self.answers: dict[str, tuple[bytes, int, bytes]] = {}  # key: request, status, body
        self.lock = threading.Lock()

    def post(self, request: bytes, key: str | None) -> tuple[int, bytes]:
        """POST /charges: make the charge, unless this key has been answered before."""
        with self.lock:  # one at a time: look the key up, charge, record the answer
            if key is not None and key in self.answers:
                first_request, status, body = self.answers[key]
                if request != first_request:  # the same key for another request
                    return 422, b'{"error": "Idempotency-Key used for another request"}'
                return status, body  # a retry: the first answer again, and no charge
            self.charges.append(json.loads(request)["amount"])
            answer = {"charge": len(self.charges), "amount": self.charges[-1]}
            created = 201, json.dumps(answer).encode()
            if key is not None:
                self.answers[key] = (request, *created)
            return created
            # --8<-- [end:server]


# --8<-- [start:lost]
def handler_for(ledger: Ledger, lose: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = self.headers.get("Content-Length", "")
            if not (length.isascii() and length.isdigit()):  # unframed: charge nothing
                return self.send_error(400, "send a Content-Length")
            request = self.rfile.read(int(length))
            status, body = ledger.post(request, self.headers.get("Idempotency-Key"))
            if lose:  # the demo's fault: charged, then the connection closes, no answer
                lose.pop()
                return
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
    # --8<-- [end:lost]


@contextmanager
def charge_server(ledger: Ledger, lose_first: bool) -> Iterator[tuple[str, int]]:
    """A server for `ledger` on 127.0.0.1; it loses its first answer if `lose_first`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(ledger, ["lost"] * lose_first))
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
def post_with_retry(
    address: tuple[str, int], amount: int, key: str | None
) -> tuple[list[str], bytes]:
    """POST a charge; if no answer comes, send the same request again, up to ATTEMPTS
    times. Return what each attempt got, and the body of the answer."""
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = f'"{key}"'  # a Structured Field string (draft §2.1)
    request, got = json.dumps({"amount": amount}).encode(), []
    for _attempt in range(ATTEMPTS):
        connection = http.client.HTTPConnection(*address, timeout=TIMEOUT)
        try:
            connection.request("POST", "/charges", request, headers)
            response = connection.getresponse()
            got.append(str(response.status))
            return got, response.read()
        except (ConnectionError, TimeoutError):  # no answer: charged or not? no way to know
            got.append("no answer")
        finally:
            connection.close()
    raise TimeoutError(f"no answer after {ATTEMPTS} attempts")
    # --8<-- [end:client]


def demo(say: Callable[[str], None] = print) -> None:
    say(f"a client POSTs a charge of {AMOUNT}; the server's first answer is lost, so the "
        "client sends the request again")  # fmt: skip
    for label, key in (("without a key:", None), ("with a key:", str(uuid.uuid4()))):
        ledger = Ledger()
        with charge_server(ledger, lose_first=True) as address:
            requests = [(label, AMOUNT)]
            if key is not None:  # then the same key for another charge: refused
                requests.append((f"same key, {OTHER_AMOUNT}:", OTHER_AMOUNT))
            for line, amount in requests:
                got, body = post_with_retry(address, amount, key)
                answers = ", then ".join(got)
                say(f"{line:<15} {answers} {body.decode()}; charges made: {ledger.charges}")


if __name__ == "__main__":
    demo()
