"""fsync and the page cache: write() alone returns before the disk has the bytes, and
sooner than write() + fsync(); a killed writer's bytes are the kernel's."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from examples.sync_vs_async import fsync_cost


@pytest.fixture
def disk() -> Path:
    folder = fsync_cost.disk_folder()
    if fsync_cost.file_system(folder) in fsync_cost.IN_MEMORY:
        pytest.skip("no disk-backed folder to write in")
    return folder


def test_fsync_costs_more_than_write_on_a_disk(disk: Path) -> None:
    cached, _ = fsync_cost.trial(disk, sync=False)
    synced, _ = fsync_cost.trial(disk, sync=True)
    assert len(cached) == len(synced) == fsync_cost.ROUNDS
    ratio = statistics.median(synced) / statistics.median(cached)
    assert ratio >= 3, (cached, synced)  # 15-30x on this project's ext4 machines


def test_write_alone_leaves_the_bytes_in_memory_and_fsync_does_not(disk: Path) -> None:
    if fsync_cost.cancelled_write_bytes() is None:
        pytest.skip("no /proc/self/io: no per-process count of dropped writes")
    written = fsync_cost.ROUNDS * len(fsync_cost.CHUNK)
    _, cached_dropped = fsync_cost.trial(disk, sync=False)
    _, synced_dropped = fsync_cost.trial(disk, sync=True)
    assert synced_dropped == 0  # every byte was on the disk: truncating dropped none
    # All of them, unless the kernel's writeback happened to run in the millisecond between
    # the appends and the truncation; some, in any case.
    assert cached_dropped is not None and 0 < cached_dropped <= written


def test_a_killed_writer_bytes_are_in_its_file(disk: Path) -> None:
    assert fsync_cost.after_a_kill(disk) == len(fsync_cost.CHUNK)


def test_the_file_system_of_a_folder_comes_from_proc_mounts() -> None:
    if not Path("/proc/mounts").exists():
        pytest.skip("no /proc/mounts")
    assert fsync_cost.file_system(Path("/proc")) == "proc"
