"""Asynchronous fsync: write() returns once the data is in the page cache, fsync() waits.

``write()`` copies the data into the kernel's page cache and returns: the disk gets it
later, when the kernel writes the dirty pages back. ``fsync()`` is the synchronous call:
it returns only when the device has the data. The program times appends made each way,
then asks the kernel how many of its own bytes had never reached the disk, and kills a
writer right after its ``write()`` to see who holds the bytes. The files are made in the
current folder, or in the first folder that is not in memory (tmpfs, ramfs), since
there fsync has no disk to wait for.

Run it: ``python fsync_cost.py``. Its page shows what it prints. The file system
of a folder, as /proc/mounts names it:

>>> file_system(Path("/proc"))
'proc'
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROUNDS = 20
CHUNK = b"x" * 64 * 1024
KIB = 1024
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


# --8<-- [start:fsync]
def append_times(fd: int, sync: bool) -> list[float]:
    """Seconds of each of ROUNDS appends of CHUNK: write() alone, or write() + fsync()."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        os.write(fd, CHUNK)  # into the page cache: returns at once
        if sync:
            os.fsync(fd)  # blocks until the device says the data is stored
        times.append(time.perf_counter() - start)
    return times
    # --8<-- [end:fsync]


# --8<-- [start:dirty]
def cancelled_write_bytes() -> int | None:
    """Bytes this process wrote and then threw away before writeback (proc_pid_io(5))."""
    try:
        fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    except OSError:  # not Linux, or no I/O accounting in this kernel
        return None
    return int(fields["cancelled_write_bytes"])


def trial(folder: Path, sync: bool) -> tuple[list[float], int | None]:
    """Append times, then how many of the bytes were still only in memory: truncate the
    file, and the kernel counts the dirty bytes it drops unwritten."""
    with tempfile.TemporaryFile(dir=folder) as file:  # removed when closed
        times = append_times(file.fileno(), sync)
        before = cancelled_write_bytes()
        os.ftruncate(file.fileno(), 0)
        after = cancelled_write_bytes()
    return times, None if before is None or after is None else after - before
    # --8<-- [end:dirty]


# --8<-- [start:kill]
WRITER = """
import os, signal, sys
os.write(int(sys.argv[1]), b"x" * int(sys.argv[2]))  # handed to the kernel
os.kill(os.getpid(), signal.SIGKILL)  # dies at once: no close(), no fsync(), no exit handler
"""


def after_a_kill(folder: Path) -> int:
    """Bytes in the file of a writer killed (SIGKILL) right after write(): no close, no fsync."""
    with tempfile.TemporaryFile(dir=folder) as file:
        command = [sys.executable, "-c", WRITER, str(file.fileno()), str(len(CHUNK))]
        done = subprocess.run(command, pass_fds=[file.fileno()], timeout=30, check=False)
        if done.returncode != -signal.SIGKILL:
            raise RuntimeError(f"the writer was not killed: exit status {done.returncode}")
        return os.pread(file.fileno(), 2 * len(CHUNK), 0).count(b"x")  # what a reader sees
    # --8<-- [end:kill]


def milliseconds(times: list[float]) -> str:
    low, median, high = (1000 * t for t in statistics.quantiles(times, n=4))
    return f"{median:.3f} ms ({low:.3f} to {high:.3f} ms)"


def demo(say: Callable[[str], None] = print) -> None:
    """Time the two kinds of append, count the bytes never written back, kill a writer."""
    folder = disk_folder()
    kind = file_system(folder)
    say(f"{os.cpu_count()} CPUs; files on {kind} (not in memory: {kind not in IN_MEMORY})")
    cached, cached_dropped = trial(folder, sync=False)
    synced, synced_dropped = trial(folder, sync=True)
    say(f"{ROUNDS} appends of {len(CHUNK) // KIB} KiB each way; one append, median (quartiles):")
    say(f"write() alone    : {milliseconds(cached)}")
    say(f"write() + fsync(): {milliseconds(synced)}")
    ratio = statistics.median(synced) / statistics.median(cached)
    say(f"fsync made the median append {ratio:.0f}x slower")
    total = f"of {ROUNDS * len(CHUNK) // KIB} KiB"
    if cached_dropped is None or synced_dropped is None:
        say("never written to the disk: not counted (no /proc/self/io on this system)")
    else:
        say("never written to the disk, dropped when the file was truncated (/proc/self/io):")
        say(f"    write() alone    : {cached_dropped // KIB} KiB {total}")
        say(f"    write() + fsync(): {synced_dropped // KIB} KiB {total}")
    found = after_a_kill(folder) // KIB
    say(f"a writer killed right after write(): {found} KiB of {len(CHUNK) // KIB} KiB in its file")


if __name__ == "__main__":
    demo()
