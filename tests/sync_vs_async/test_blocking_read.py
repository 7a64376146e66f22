"""A blocking read: what the OS shows of a caller that waits, and of one that does not.

The caller's own work counter cannot move while recv() has not returned (one thread runs
one line at a time), so these tests look at the kernel's accounting instead: CPU time,
scheduler state and voluntary context switches. A read from the page cache is the
control: the same accounting shows no wait at all.
"""

from __future__ import annotations

import errno
import selectors
import socket
import sys
from pathlib import Path

import pytest

from examples.sync_vs_async import blocking_read

linux = pytest.mark.skipif(sys.platform != "linux", reason="/proc, RUSAGE_THREAD and epoll")


def test_a_blocking_read_moves_the_wall_clock_not_the_cpu_time() -> None:
    answer, took, _state = blocking_read.blocking_read(delay=0.1)
    assert answer == b"answer"
    assert took.wall >= 0.1 * 0.8  # measured, not the constant: the read really waited
    assert took.wall >= 10 * took.cpu
    assert took.switches >= 1


@linux
def test_proc_shows_the_blocked_caller_sleeping() -> None:
    _answer, _took, state = blocking_read.blocking_read(delay=0.1)
    assert state.startswith("S")


@linux
def test_a_read_from_the_page_cache_does_not_sleep(tmp_path: Path) -> None:
    path = tmp_path / "cached.bin"
    path.write_bytes(b"x" * blocking_read.SIZE)
    cached = blocking_read.cached_read(path)
    assert cached.switches == 0  # never gave the CPU away: nothing to wait for
    assert cached.cpu >= 0.5 * cached.wall  # the time it took was CPU time: a copy


def test_select_reports_a_regular_file_readable_at_once(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")  # even with nothing to read
    assert blocking_read.select_says_readable(path)


@linux
def test_epoll_refuses_a_regular_file_and_accepts_a_socket(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_text("data\n")
    assert blocking_read.epoll_verdict(path) == "refused: PermissionError (EPERM)"
    with selectors.EpollSelector() as selector, open(path, "rb") as file:
        with pytest.raises(PermissionError) as refused:
            selector.register(file, selectors.EVENT_READ)
        assert refused.value.errno == errno.EPERM
        mine, theirs = socket.socketpair()  # the control: a socket can be waited on
        with mine, theirs:
            selector.register(mine, selectors.EVENT_READ)
            assert selector.select(timeout=0) == []
