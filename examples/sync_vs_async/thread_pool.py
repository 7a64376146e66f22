"""Node.js's model in Python: blocking reads run on a thread pool, the event loop runs on.

Four reads start together on an executor, as ``fs.readFile`` starts four reads on
libuv's pool. The first opens a FIFO whose writer shows up only after ``SLOW``
seconds, so the pool thread running it is blocked by the OS in open(2); the other
three read small files that are ready at once. With 4 workers the quick reads finish
at once; with 1 they queue behind the blocked read. Meanwhile the event loop keeps
ticking.

Run it: ``python thread_pool.py`` (4 workers, then 1). Its page shows what it prints.
With 4 workers the quick reads are done long before the FIFO's writer shows up:

>>> with tempfile.TemporaryDirectory() as folder:
...     quick_done, ticks = asyncio.run(read_all(4, Path(folder)))
>>> quick_done < SLOW / 2
True
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SLOW = 0.2  # seconds the FIFO's writer keeps the reader waiting
TIMEOUT = 5.0  # seconds; nothing here waits longer


def late_writer(fifo: Path, after: float) -> None:
    """Open the FIFO for writing `after` seconds from now, write a line, close it."""
    time.sleep(after)
    deadline = time.monotonic() + TIMEOUT
    while True:  # O_NONBLOCK: fail fast (ENXIO) rather than hang if no reader ever comes
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
    os.write(fd, b"slow\n")
    os.close(fd)


# --8<-- [start:reads]
async def read_all(workers: int, folder: Path) -> tuple[float, int]:
    """Read a slow FIFO and three quick files on a pool of `workers` threads."""
    fifo = folder / "slow.fifo"
    os.mkfifo(fifo)
    files = [folder / name for name in ("a.txt", "b.txt", "c.txt")]
    for file in files:
        file.write_text("quick\n")
    loop = asyncio.get_running_loop()
    ticks = 0
    start = time.monotonic()  # before the writer's clock starts, so no wait goes unseen
    writer = threading.Thread(target=late_writer, args=(fifo, SLOW))
    writer.start()
    with ThreadPoolExecutor(max_workers=workers) as pool:  # libuv: UV_THREADPOOL_SIZE
        reads = [loop.run_in_executor(pool, path.read_text) for path in [fifo, *files]]

        async def quick_reads() -> float:  # when the three quick reads are all done
            await asyncio.gather(*reads[1:])
            return time.monotonic() - start

        quick = asyncio.ensure_future(quick_reads())
        everything = asyncio.gather(*reads)
        while not everything.done() and time.monotonic() - start < TIMEOUT:
            await asyncio.sleep(0.01)  # the event loop's own work: a tick every 10 ms
            ticks += 1
        await everything
        quick_done = await quick
    writer.join(TIMEOUT)
    return quick_done, ticks
    # --8<-- [end:reads]


def demo(workers: int = 4, say: Callable[[str], None] = print) -> None:
    """Run the four reads on `workers` threads and print what waited for what."""
    with tempfile.TemporaryDirectory(prefix="thread-pool-") as folder:
        quick_done, ticks = asyncio.run(read_all(workers, Path(folder)))
    say(f"thread pool size: {workers}")
    say(f"started 4 reads: slow.fifo (blocks {SLOW * 1000:.0f} ms), a.txt, b.txt, c.txt")
    say(f"the quick reads waited behind the blocked one: {quick_done >= SLOW * 0.8}")
    say(f"event loop kept running meanwhile (at least 5 ticks): {ticks >= 5}")


if __name__ == "__main__":
    for size in (4, 1):
        demo(workers=size)
