"""Asynchronous programming with promises/futures: create, await, resolve, in that order.

A future (JavaScript's promise) is a placeholder for a result that does not exist
yet. Creating it does not wait; awaiting it suspends only the coroutine that awaits,
and lets the event loop run other tasks; whoever resolves it wakes the awaiter up.
The steps print in the order they happen, which asyncio's default makes deterministic:
``create_task`` only schedules its task. (Python 3.12's ``asyncio.eager_task_factory``
starts a task at once, and a JavaScript Promise runs its executor at once: see the page.)

Run it: ``python futures_order.py``. Its page shows what it prints. The awaiting
coroutine gets what the task put in the future:

>>> asyncio.run(create_await_resolve(say=lambda line: None))
42
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


# --8<-- [start:order]
async def create_await_resolve(say: Callable[[str], None]) -> int:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[int] = loop.create_future()
    say(f"1. caller creates a future: {'done' if future.done() else 'pending'}")

    started: list[bool] = []

    async def resolver() -> None:
        started.append(True)
        say("4. task runs while the caller waits, and resolves the future with 42")
        future.set_result(42)

    task = asyncio.create_task(resolver())  # scheduled: runs when the caller next yields
    say(f"2. caller creates a task that will resolve it: task started yet: {bool(started)}")
    say("3. caller awaits the future: the caller is suspended")
    result = await future  # suspends here; the loop runs the task meanwhile
    say(f"5. caller resumes with {result}")
    await task
    say(f"6. the future is now: {'done' if future.done() else 'pending'}")
    return result
    # --8<-- [end:order]


def demo(say: Callable[[str], None] = print) -> None:
    """Print the life of one future."""
    asyncio.run(create_await_resolve(say))


if __name__ == "__main__":
    demo()
