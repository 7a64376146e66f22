"""Every example of this topic cleans up: no thread, fd, child process or temp file left."""

from __future__ import annotations

import importlib
import os
import tempfile
import threading
from pathlib import Path

import psutil
import pytest

DEMOS = [
    "blocking_read",
    "readiness",
    "completion",
    "new_thread",
    "thread_pool",
    "client_property",
    "futures_order",
    "backend_jobs",
    "replication",
    "fsync_cost",
]


def open_fds() -> set[str]:
    return {name for name in os.listdir("/proc/self/fd")}


def snapshot() -> tuple[int, set[str], int, set[str]]:
    temp = {f"tmp/{name}" for name in os.listdir(tempfile.gettempdir())}
    here = {f"cwd/{path.name}" for path in Path.cwd().iterdir()}
    return threading.active_count(), open_fds(), len(psutil.Process().children()), temp | here


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("name", DEMOS)
def test_demo_leaves_nothing_behind(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a private temp dir and working dir: other programs share /tmp
    (tmp_path / "tmp").mkdir()
    (tmp_path / "cwd").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.chdir(tmp_path / "cwd")
    module = importlib.import_module(f"examples.sync_vs_async.{name}")
    lines: list[str] = []
    before = snapshot()  # its first run too: a reader runs a demo once
    module.demo(say=lines.append)
    assert lines, "the demo printed nothing"
    threads, fds, children, files = snapshot()  # at once: what a demo joined is gone already
    assert threads == before[0], f"{name} left threads: {threading.enumerate()}"
    assert fds <= before[1], f"{name} left file descriptors open: {fds - before[1]}"
    assert children == before[2], f"{name} left child processes"
    assert files <= before[3], f"{name} left files: {files - before[3]}"
