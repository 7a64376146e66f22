"""The upload benchmark, small: tus at 4 MiB chunks keeps at least half the single-request rate.

The servers store in memory (/dev/shm) here, so the ratio measures what chunking costs
in the protocol, not the latency of a disk that other jobs share; the full run on disk
is ``python benchmarks/upload_throughput.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

from benchmarks import upload_throughput


def test_tus_at_4_mib_chunks_keeps_half_the_single_request_rate() -> None:
    lines: list[str] = []
    memory = "/dev/shm" if Path("/dev/shm").is_dir() else None
    results = upload_throughput.measure(size_mib=32, repeat=3, say=lines.append, directory=memory)
    assert len(lines) == 5 and all(rate > 0 for rate in results.tus.values())
    assert results.ratio(4) >= 0.5, lines
    small, large = sorted(results.peak_rss_mib.items())
    assert not math.isnan(large[1])
    assert large[1] < small[1] + 16  # peak memory does not follow the file size
