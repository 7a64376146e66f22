"""The test session's rules, for every run (examples and pages included): browser tests
last, and nothing left running at the end. The root conftest loads this plugin."""

from __future__ import annotations

import threading
import time
from typing import Any

THREADS_AT_START = {t.ident for t in threading.enumerate() if t.ident is not None}


def leftovers(threads_before: set[int]) -> list[str]:
    """Threads and child processes the run started and did not stop."""
    import psutil

    found = [
        f"thread {t.name!r} still running"
        for t in threading.enumerate()
        if t.ident not in threads_before and t is not threading.main_thread()
    ]
    found += [
        f"child process {child.pid} still running: {' '.join(child.cmdline())[:120]}"
        for child in psutil.Process().children(recursive=True)
        if child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    ]
    return found


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread for as long as its (session-wide) browser lives, and asyncio.run() refuses to
    start beside it."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """After the suite, nothing the examples or tests started may still be running."""
    deadline = time.monotonic() + 5  # give threads that are shutting down a moment
    while (found := leftovers(THREADS_AT_START)) and time.monotonic() < deadline:
        time.sleep(0.1)
    if found:
        session.config.get_terminal_writer().line(
            "LEFT BEHIND after the test suite:\n  " + "\n  ".join(found), red=True
        )
        session.exitstatus = 1
