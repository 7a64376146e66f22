"""A client that times out does not stop the server's work."""

from __future__ import annotations

import threading

from examples.request_response import long_request


def test_server_finishes_all_steps_after_the_client_left() -> None:
    before = threading.active_count()
    lines: list[str] = []
    long_request.demo(lines.append)
    assert "client: timed out, closed the connection, no answer" in lines
    assert any(line.startswith("server: did all 5 of 5 steps") for line in lines)
    after = int(lines[2].split("; ")[1].split()[0])
    assert after >= 1  # work done for nobody
    assert threading.active_count() == before
