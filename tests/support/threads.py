"""The type of the ``threads_left_after`` fixture (tests/request_response/conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable

# run a function; return the threads it started that are still alive when it returns
ThreadsLeftAfter = Callable[[Callable[[], None]], set[threading.Thread]]
