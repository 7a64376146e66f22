"""What the tests, the benchmarks and the root conftest share, in plain modules.

- ``ROOT``: the project's root folder, defined here once, and ``free_port()``;
- ``tests.support.blocks``: the Sybil parser of a page's ``python`` and ``pycon`` blocks;
- ``tests.support.console``: the Sybil parsers that run a page's ``console`` sessions and
  the servers they talk to;
- ``tests.support.session``: the test session's rules (browser tests last, nothing left
  running), loaded by the root conftest;
- ``tests.support.site``: the site's config and nav, a strict ``mkdocs build``, a static
  server of the built site, and what a scratch copy skips;
- ``tests.support.browser``: which Chromium and how it is launched, the page budget, and
  a Watch of what a page did (the browser tests' fixtures: tests/site/browser.py).
"""

import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server the tests start."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
