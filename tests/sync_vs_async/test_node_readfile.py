"""The Node.js script of the thread-pool page (thread-pool.md): its claims, and its cleanup.

What it prints is on the page, as two shell sessions that the page's tests run and
compare (``UV_THREADPOOL_SIZE=4`` and ``=1``); this file checks the claims themselves.
Skips where no `node` is installed, unless REQUIRE_NODE=1 (CI sets it): then it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT

SCRIPT = "examples/sync_vs_async/node/readfile.js"


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail("REQUIRE_NODE=1 but no `node` on PATH")
        pytest.skip("no `node` on PATH")
    return found


def run(pool_size: int, **env_vars: str) -> str:
    env = {**os.environ, "UV_THREADPOOL_SIZE": str(pool_size), **env_vars}
    result = subprocess.run(
        [node(), SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_main_loop_runs_while_the_pool_reads_and_one_thread_serializes() -> None:
    four, one = run(4), run(1)
    assert "libuv thread pool size: 4" in four
    assert "the quick reads waited behind the blocked one: false" in four
    assert "libuv thread pool size: 1" in one
    assert "the quick reads waited behind the blocked one: true" in one
    for output in (four, one):
        assert "main loop kept running meanwhile (at least 5 ticks): true" in output


def test_the_pool_is_shared_with_crypto() -> None:
    """pbkdf2 is no file read, yet with one pool thread it waits behind the blocked read."""
    assert "crypto.pbkdf2() waited behind it too: false" in run(4)
    assert "crypto.pbkdf2() waited behind it too: true" in run(1)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
@pytest.mark.parametrize("pool_size", [1, 3])
def test_the_pool_is_started_once_at_first_use_then_reused(pool_size: int) -> None:
    output = run(pool_size)
    assert f"threads started at the pool's first use: {pool_size}, by 3 more reads: 0" in output
    # libuv >= 1.45 may hand file operations to io_uring instead of the pool: then no pool
    # thread blocks on the FIFO and the page's claims do not hold for this Node.
    assert "io_uring threads: 0" in output, output


def test_no_fifo_folder_is_left_in_the_temp_dir(tmp_path: Path) -> None:
    # A temp dir of its own (os.tmpdir() reads TMPDIR): in the shared one, the script run
    # at the same moment by another worker's test left a folder that looked like a leak.
    run(4, TMPDIR=str(tmp_path))
    assert list(tmp_path.iterdir()) == []
