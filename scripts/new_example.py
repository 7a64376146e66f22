"""Scaffold a new example in an existing topic: its page, its module and its test.

Usage:  make new-example TOPIC=push NAME="Heartbeat"
        (or: python -m scripts.new_example push "Heartbeat")

Writes, for TOPIC push and NAME "Heartbeat":
  docs/communication-patterns/push/heartbeat.md   the page, in the example page's shape
  examples/push/heartbeat.py                      the example, runnable alone
  tests/push/test_heartbeat.py                    its test
adds the page to mkdocs.yml's nav after the topic's last page, and a link line at the end
of the topic page (move it under the note the example proves). It refuses a topic that
does not exist, an example name that is taken or that would make an unsafe path or shadow
a Python module, and then writes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from scripts.scaffold import (
    LINK_LINE,
    Name,
    Refused,
    add_example_to_nav,
    example_files,
    run,
    topic_dir,
    topics,
)


def plan(root: Path, args: list[str]) -> dict[Path, str]:
    """Every file to write or rewrite, with its new content; raises Refused."""
    if len(args) != 2:
        raise Refused('give a topic and a name: make new-example TOPIC=push NAME="Heartbeat"')
    topic = Name.parse(args[0], "topic", "TOPIC")
    page = topic_dir(root, topic) / "index.md"
    package = root / "examples" / topic.python
    if not page.is_file() or not (package / "__init__.py").is_file():
        raise Refused(
            f"there is no topic {topic.slug!r} (no {page.relative_to(root)} beside "
            f"{package.relative_to(root)}/__init__.py): use one of {', '.join(topics(root))}, "
            f'or make it first: make new-topic NAME="{topic.title}"'
        )
    heading = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    topic = Name(heading[1].strip() if heading else topic.slug, topic.slug, topic.python)
    example = Name.parse(args[1], "example", "NAME")
    fields = {"topic": topic, "example": example}
    return {
        **example_files(root, topic, example),
        root / "mkdocs.yml": add_example_to_nav(root, topic, example),
        page: page.read_text(encoding="utf-8") + LINK_LINE.format(**fields),
    }


if __name__ == "__main__":
    sys.exit(run("new-example", plan))
