"""The test session's rules, for every run (examples and pages included): browser tests
last, a page's examples on one worker, and nothing left running at the end. The root
conftest loads this plugin."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

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


# Modules whose tests share one slow measurement: the labs' runs (30 s) and the client
# property's (12 s). On one worker, it is made once while the other worker goes on; spread
# over both, the second worker waited for the first's (or measured again).
TOGETHER = {"tests/labs/test_labs.py", "tests/sync_vs_async/test_client_property.py"}


@pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown without xdist
def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """xdist's `load` scheduling, but the examples of one Sybil document, which share its
    namespace in order, go to one worker together, and so do the tests of a TOGETHER module.
    (xdist's own `loadgroup` would do it, but it loses its groups under pytest 9.2:
    pytest-dev/pytest-xdist#1386.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerPerDocument(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            document, sybil, _ = nodeid.partition("::sybil:")
            if sybil:
                return document
            module = nodeid.partition("::")[0]
            return module if module in TOGETHER else nodeid  # else: a unit of its own

    return OneWorkerPerDocument(config, log)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """After the suite, nothing the examples or tests started may still be running. An
    xdist worker hands what it found to the controller (pytest_testnodedown), which fails
    the run; without xdist, this process is both."""
    deadline = time.monotonic() + 5  # give threads that are shutting down a moment
    while (found := leftovers(THREADS_AT_START)) and time.monotonic() < deadline:
        time.sleep(0.1)
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker
        config.workeroutput["left_behind"] = found
        return
    found += LEFT_BY_WORKERS
    if found:
        config.get_terminal_writer().line(
            "LEFT BEHIND after the test suite:\n  " + "\n  ".join(found), red=True
        )
        session.exitstatus = 1


LEFT_BY_WORKERS: list[str] = []


@pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown without xdist
def pytest_testnodedown(node: Any, error: object) -> None:
    """An xdist worker has finished: what it left behind, named by the worker."""
    output = getattr(node, "workeroutput", {})
    LEFT_BY_WORKERS.extend(
        f"{output.get('workerid', '?')}: {x}" for x in output.get("left_behind", [])
    )
