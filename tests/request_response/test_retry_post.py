"""A retried POST: charged twice without an idempotency key, once with one."""

from __future__ import annotations

import socket
import threading
import uuid

import pytest

from examples.request_response import retry_post as rp
from tests.support.threads import threads_left_after


def charge(
    lose_first: bool, *requests: tuple[int, str | None]
) -> tuple[list[list[str]], rp.Ledger]:
    """Send each (amount, key) with the example's client to one server; what each got."""
    ledger, answers = rp.Ledger(), []
    with rp.charge_server(ledger, lose_first) as address:
        for amount, key in requests:
            got, _body = rp.post_with_retry(address, amount, key)
            answers.append(got)
    return answers, ledger


def test_a_blind_retry_of_a_lost_post_charges_twice() -> None:
    answers, ledger = charge(True, (rp.AMOUNT, None))
    assert answers == [["no answer", "201"]]
    assert ledger.charges == [rp.AMOUNT, rp.AMOUNT]


def test_the_same_retry_with_a_key_charges_once_and_replays_the_first_answer() -> None:
    ledger = rp.Ledger()
    key = str(uuid.uuid4())
    with rp.charge_server(ledger, lose_first=True) as address:
        got, body = rp.post_with_retry(address, rp.AMOUNT, key)
    assert got == ["no answer", "201"]
    assert ledger.charges == [rp.AMOUNT]
    assert body == ledger.answers[f'"{key}"'][2]  # the answer the first attempt never got
    assert b'"charge": 1' in body


def test_without_a_lost_answer_nothing_is_retried() -> None:
    answers, ledger = charge(False, (rp.AMOUNT, None), (rp.AMOUNT, str(uuid.uuid4())))
    assert answers == [["201"], ["201"]]
    assert ledger.charges == [rp.AMOUNT, rp.AMOUNT]  # two operations, two charges


def test_a_new_key_is_a_new_charge() -> None:
    answers, ledger = charge(False, (rp.AMOUNT, str(uuid.uuid4())), (rp.AMOUNT, str(uuid.uuid4())))
    assert answers == [["201"], ["201"]]
    assert ledger.charges == [rp.AMOUNT, rp.AMOUNT]


def test_a_key_reused_for_another_request_is_refused() -> None:
    key = str(uuid.uuid4())
    answers, ledger = charge(False, (rp.AMOUNT, key), (rp.OTHER_AMOUNT, key))
    assert answers == [["201"], ["422"]]
    assert ledger.charges == [rp.AMOUNT]


def test_the_client_gives_up_after_its_attempts() -> None:
    class AlwaysLost(list[str]):  # every answer is lost
        def pop(self, index: int = -1) -> str:
            return "lost"

    ledger = rp.Ledger()
    server = rp.ThreadingHTTPServer(("127.0.0.1", 0), rp.handler_for(ledger, AlwaysLost(["x"])))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        with pytest.raises(TimeoutError):
            rp.post_with_retry(("127.0.0.1", server.server_address[1]), rp.AMOUNT, None)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
    assert ledger.charges == [rp.AMOUNT] * rp.ATTEMPTS  # each blind attempt charged


def test_concurrent_retries_under_one_key_charge_once() -> None:
    ledger, key, barrier = rp.Ledger(), '"k"', threading.Barrier(8)
    results: list[tuple[int, bytes]] = []

    def post() -> None:
        barrier.wait(5)
        results.append(ledger.post(b'{"amount": 30}', key))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert ledger.charges == [30]
    assert len(set(results)) == 1  # every caller got the one first answer


def test_the_demo_leaves_no_thread_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    assert threads_left_after(monkeypatch, lambda: rp.demo(lambda line: None)) == set()


@pytest.mark.parametrize("length", [None, "ten", "-1"])
def test_a_post_without_a_readable_length_is_refused_and_charges_nothing(
    length: str | None,
) -> None:
    ledger = rp.Ledger()
    with (
        rp.charge_server(ledger, lose_first=False) as address,
        socket.create_connection(address, 5) as sock,
    ):
        field = "" if length is None else f"Content-Length: {length}\r\n"
        sock.sendall(f"POST /charges HTTP/1.1\r\nHost: x\r\n{field}\r\n".encode())
        answer = sock.makefile("rb").readline()
    assert answer.startswith(b"HTTP/1.0 400 ")
    assert ledger.charges == []
