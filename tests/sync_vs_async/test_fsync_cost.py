"""fsync and the page cache: write() alone returns sooner than write() + fsync()."""

from __future__ import annotations

from pathlib import Path

import pytest

from examples.sync_vs_async import fsync_cost


def test_fsync_costs_more_than_write_on_a_disk() -> None:
    folder = fsync_cost.disk_folder()
    if fsync_cost.file_system(folder) in fsync_cost.IN_MEMORY:
        pytest.skip("no disk-backed folder to write in")
    cached, synced = fsync_cost.append_times(folder)
    assert synced >= 3 * cached, (cached, synced)  # 20-30x on this project's ext4 machines


def test_the_file_system_of_a_folder_comes_from_proc_mounts() -> None:
    if not Path("/proc/mounts").exists():
        pytest.skip("no /proc/mounts")
    assert fsync_cost.file_system(Path("/proc")) == "proc"
