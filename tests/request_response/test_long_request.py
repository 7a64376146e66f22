"""A client that times out does not stop the server's work."""

from __future__ import annotations

import socket
import threading

import pytest

from examples.request_response import long_request


def test_server_finishes_all_steps_after_the_client_left() -> None:
    log = long_request.ServerLog()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(5)
        server = threading.Thread(target=long_request.serve_one, args=(listener, log))
        server.start()
        try:
            gone_at = long_request.ask_with_timeout(listener.getsockname(), lambda line: None)
        finally:
            server.join(5)
    assert not server.is_alive()
    assert len(log.finished) == long_request.STEPS  # every step, though nobody waits
    assert sum(at > gone_at for at in log.finished) >= 1  # work done for nobody
    assert log.fin_waiting  # TCP told: the FIN was there, for a server that looked
    assert log.send.endswith("no error")  # the first write to a closed peer succeeds


def test_the_client_gives_up_before_the_work_is_done() -> None:
    assert long_request.CLIENT_WAITS < long_request.STEPS * long_request.STEP_SECONDS


def test_a_client_that_still_waits_sends_no_fin_and_gets_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(long_request, "CLIENT_WAITS", 5.0)  # longer than the work
    log, said = long_request.ServerLog(), []
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(5)
        server = threading.Thread(target=long_request.serve_one, args=(listener, log))
        server.start()
        try:
            long_request.ask_with_timeout(listener.getsockname(), said.append)
        finally:
            server.join(5)
    assert not log.fin_waiting
    assert said[-1] == "client: got an answer in time"
