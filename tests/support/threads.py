"""Threads a function leaves running, found even where they would end a moment later."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest


def threads_left_after(
    monkeypatch: pytest.MonkeyPatch, function: Callable[[], None]
) -> set[threading.Thread]:
    """Run a function while every http.server connection is slow to end (50 ms); return the
    threads it started that are still alive when it returns: none, if its server waits for
    them. Without the delay such a thread usually ends in time, and a test would pass by luck."""
    finish = BaseHTTPRequestHandler.finish

    def slow_finish(self: BaseHTTPRequestHandler) -> None:
        time.sleep(0.05)
        finish(self)

    monkeypatch.setattr(BaseHTTPRequestHandler, "finish", slow_finish)
    before = set(threading.enumerate())
    function()
    return set(threading.enumerate()) - before
