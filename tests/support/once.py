"""What a test run makes once and every pytest-xdist worker shares: the executed labs, the
site built from them, and the offline zip.

Each worker is a process with its own session fixtures, so a session fixture alone would
build the site once per worker. Here the first worker to ask makes the thing in the run's
temporary folder, holding a lock (flock(2)) while it does, and the others wait for it and
read what it made. Without xdist there is one process and the lock is never contended.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DONE = ".made"  # written last: a folder without it was left by a maker that failed


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder `name`, shared by the run's workers; `make(folder)` fills it, once.

    If making it failed, the next worker to ask tries again and fails with its own error,
    so each test that needs it reports why.
    """
    base = tmp_path_factory.getbasetemp()
    run = base.parent if base.name.startswith("popen-gw") else base  # xdist: per-worker base
    folder = run / name
    with (run / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / DONE).exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed maker left
            folder.mkdir()
            make(folder)
            (folder / DONE).touch()
    return folder
