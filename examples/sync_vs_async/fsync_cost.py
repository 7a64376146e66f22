"""Asynchronous fsync: write() returns once the data is in the page cache, fsync() waits.

``write()`` copies the data into the kernel's page cache and returns: the disk gets it
later, when the kernel writes the dirty pages back (``Dirty:`` in /proc/meminfo counts
them). ``fsync()`` is the synchronous call: it returns only when the device has the
data. The file is created in the current folder, or in the first folder that is not
in memory (tmpfs, ramfs), since there fsync has no disk to wait for.

Run it: ``python fsync_cost.py``. Its page shows what it prints. The file system
of a folder, as /proc/mounts names it:

>>> file_system(Path("/proc"))
'proc'
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROUNDS = 20
CHUNK = b"x" * 64 * 1024
IN_MEMORY = {"tmpfs", "ramfs", "devtmpfs"}  # file systems with no disk behind them


def file_system(folder: Path) -> str:
    """The type of the file system holding `folder`, from /proc/mounts (Linux)."""
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return "unknown"
    best, kind = "", "unknown"
    for line in mounts.read_text().splitlines():
        _device, point, fstype, *_ = line.split()
        point = point.replace("\\040", " ")
        inside = str(folder) == point or str(folder).startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fstype
    return kind


def disk_folder() -> Path:
    """The current folder, unless it lives in memory; then the home folder or /var/tmp."""
    for folder in (Path.cwd(), Path.home(), Path("/var/tmp")):
        writable = folder.is_dir() and os.access(folder, os.W_OK)
        if writable and file_system(folder.resolve()) not in IN_MEMORY:
            return folder.resolve()
    return Path.cwd().resolve()


def dirty_line() -> str:
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("Dirty:"):
                return " ".join(line.split())
    return "Dirty: (no /proc/meminfo on this system)"


# --8<-- [start:fsync]
def append_times(folder: Path) -> tuple[float, float]:
    """Median seconds of one append with write() alone, and with write() + fsync()."""
    cached, synced = [], []
    with tempfile.TemporaryFile(dir=folder) as file:  # removed when closed
        fd = file.fileno()
        for _ in range(ROUNDS):
            start = time.perf_counter()
            os.write(fd, CHUNK)  # into the page cache: returns at once
            cached.append(time.perf_counter() - start)
        for _ in range(ROUNDS):
            start = time.perf_counter()
            os.write(fd, CHUNK)
            os.fsync(fd)  # blocks until the device says the data is stored
            synced.append(time.perf_counter() - start)
    return statistics.median(cached), statistics.median(synced)
    # --8<-- [end:fsync]


def demo(say: Callable[[str], None] = print) -> None:
    """Time the two kinds of append and show the kernel's count of dirty memory."""
    folder = disk_folder()
    kind = file_system(folder)
    say(f"file system: {kind} (not in memory: {kind not in IN_MEMORY})")
    cached, synced = append_times(folder)
    say(f"{ROUNDS} appends of 64 KiB with write() alone, then {ROUNDS} with write() + fsync()")
    say(f"fsync made an append at least 3x slower (medians): {synced >= 3 * cached}")
    say(f"{dirty_line()} in /proc/meminfo (written, not yet on disk)")


if __name__ == "__main__":
    demo()
