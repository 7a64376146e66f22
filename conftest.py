"""Sybil runs what the site shows (the parsers live in tests/support/):

- doctests in the docstrings of the examples;
- ``pycon`` and ``python`` blocks of the pages (tests/support/blocks.py);
- ``console`` sessions of the pages, and the servers they talk to
  (tests/support/console.py).

Sybil's ``**`` spans exactly one folder, so each depth of the patterns is spelled out
(tests/site/test_console_sessions.py checks that every page is collected).
"""

from sybil import Sybil
from sybil.parsers.rest import DocTestParser

from tests.support.blocks import FLAGS, parse_python_blocks
from tests.support.console import parse_background, parse_console, stop_page

# Browser tests last, nothing left running: for every run, examples and pages included.
pytest_plugins = ["tests.support.session"]

pytest_collect_file = (
    Sybil(
        parsers=[DocTestParser(optionflags=FLAGS)],
        patterns=["examples/*/*.py", "examples/*/*/*.py"],
        name="examples",
    )
    + Sybil(
        parsers=[parse_python_blocks, parse_background, parse_console],
        patterns=["docs/*.md", "docs/*/*.md", "docs/*/*/*.md", "docs/*/*/*/*.md"],
        teardown=stop_page,
        name="pages",
    )
).pytest()
