"""What the tests, the benchmarks and the root conftest share, in plain modules.

- ``ROOT``: the project's root folder, defined here once;
- ``tests.support.blocks``: the Sybil parser of a page's ``python`` and ``pycon`` blocks;
- ``tests.support.console``: the Sybil parsers that run a page's ``console`` sessions and
  the servers they talk to;
- ``tests.support.session``: the test session's rules (browser tests last, nothing left
  running), loaded by the root conftest;
- ``tests.support.site``: a strict ``mkdocs build`` and what a scratch copy skips.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
