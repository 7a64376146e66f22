"""Scaffold a new topic: the notes' TEMP block, made real.

Usage:  make new-topic NAME="Push"   (or: python -m scripts.new_topic "Push")

Writes, for NAME "Push":
  docs/communication-patterns/push/index.md           the topic page: its notes, linking
  docs/communication-patterns/push/first-example.md   the first example's page
  examples/push/__init__.py                           the topic's package
  examples/push/first_example.py                      the first example
  tests/push/test_first_example.py                    its test
and adds the topic to mkdocs.yml's nav (a section after the existing topics) and to the
section's index page. It refuses a name that is taken or that would make an unsafe path
or shadow a Python module, and then writes nothing. Add examples with `make new-example`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scripts.scaffold import (
    PATTERNS,
    SECTION_ENTRY,
    TOPIC_PAGE,
    Name,
    Refused,
    add_topic_to_nav,
    example_files,
    run,
    topic_dir,
)

FIRST = Name("First example", "first-example", "first_example")


def plan(root: Path, args: list[str]) -> dict[Path, str]:
    """Every file to write or rewrite, with its new content; raises Refused."""
    if len(args) != 1:
        raise Refused('give one topic name: make new-topic NAME="Push"')
    topic = Name.parse(args[0], "topic", "NAME")
    folder = topic_dir(root, topic)
    for taken in (folder, folder.with_suffix(".md"), root / "examples" / topic.python):
        if taken.exists():
            raise Refused(
                f"{taken.relative_to(root)} exists already: topic {topic.title!r} is taken; "
                f"choose another NAME, or add an example to it: make new-example "
                f'TOPIC={topic.slug} NAME="Heartbeat"'
            )
    if (root / "tests" / topic.python).exists():
        raise Refused(
            f"tests/{topic.python} exists already, with no topic beside it: move it away "
            "or choose another NAME"
        )
    fields = {"topic": topic, "example": FIRST}
    index = root / PATTERNS / "index.md"
    files = {
        folder / "index.md": TOPIC_PAGE.format(**fields),
        root / "examples" / topic.python / "__init__.py": f'"""Examples of {topic.title}."""\n',
        **example_files(root, topic, FIRST),
        root / "mkdocs.yml": add_topic_to_nav(root, topic, FIRST),
        index: index.read_text(encoding="utf-8") + SECTION_ENTRY.format(**fields),
    }
    return files


if __name__ == "__main__":
    sys.exit(run("new-topic", plan))
