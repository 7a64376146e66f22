"""Scaffold a new topic: the notes' TEMP block, made real.

Usage:  make new-topic NAME="Push"   (or: python scripts/new_topic.py "Push")

Creates, for NAME "Push":
  docs/communication-patterns/push.md   the page: title, a notes skeleton, a Run-it block
  examples/push/__init__.py             the topic's example package
  examples/push/first_example.py        one doctested example module
  tests/push/test_first_example.py      a test of it
and adds the page to mkdocs.yml's nav and to the section's index page. It refuses a
name that exists already or that would make an unsafe path, and then writes nothing.
"""

from __future__ import annotations

import keyword
import re
import sys
from pathlib import Path

NAME = re.compile(r"[A-Za-z][A-Za-z0-9 -]{0,39}")
SECTION = "  - 002 - Backend Communication Design Patterns:"

PAGE = """\
# {title}

Notes of the topic, kept line for line. Under each note that code can show, a Run-it
block shows it.

- Content

??? example "Run it: the first example of {title}"

    ```python title="examples/{package}/first_example.py"
    --8<-- "examples/{package}/first_example.py:demo"
    ```

    ```console
    $ python -m examples.{package}.first_example
    {title}: one request, one response
    ```
"""

EXAMPLE = '''\
"""{title}: the first example of the topic. Replace it with the first claim it shows.

>>> demo()
{title}: one request, one response
"""

from __future__ import annotations


# --8<-- [start:demo]
def demo() -> None:
    print("{title}: one request, one response")
    # --8<-- [end:demo]


if __name__ == "__main__":
    demo()
'''

TEST = '''\
"""Tests of the {title} examples: bad input, faults and load go here."""

from __future__ import annotations

import pytest

from examples.{package}.first_example import demo


def test_demo_prints_one_exchange(capsys: pytest.CaptureFixture[str]) -> None:
    demo()
    assert capsys.readouterr().out == "{title}: one request, one response\\n"
'''

INDEX_ENTRY = """
[{title}]({slug}.md)
:   One short paragraph: what the topic is and what its examples show.
"""


class Refused(Exception):
    """The name cannot be used; nothing has been written."""


def plan(root: Path, title: str) -> dict[Path, str]:
    """Every file to write or rewrite, with its new content; raises Refused."""
    if not NAME.fullmatch(title) or title.strip() != title or "  " in title:
        raise Refused(
            f"{title!r} is not a usable topic name: use 1-40 letters, digits, single spaces "
            'or hyphens, starting with a letter, e.g. NAME="Push" or NAME="Long Polling"'
        )
    slug = re.sub(r"[ -]+", "-", title.lower())
    package = slug.replace("-", "_")
    if keyword.iskeyword(package) or package in sys.stdlib_module_names:
        raise Refused(f"{title!r} would make a package named {package!r}: choose another name")
    page = root / "docs" / "communication-patterns" / f"{slug}.md"
    created = {
        page: PAGE,
        root / "examples" / package / "__init__.py": '"""Examples of the {title} topic."""\n',
        root / "examples" / package / "first_example.py": EXAMPLE,
        root / "tests" / package / f"test_{package}_first_example.py": TEST,
    }
    for path in (page, root / "examples" / package, root / "tests" / package):
        if path.exists():
            raise Refused(f"{path.relative_to(root)} exists already: topic {title!r} is taken")
    mkdocs = root / "mkdocs.yml"
    nav = mkdocs.read_text(encoding="utf-8").splitlines(keepends=True)
    if SECTION + "\n" not in nav:
        raise Refused(f"mkdocs.yml: no nav section {SECTION.strip()!r} to add the page to")
    end = nav.index(SECTION + "\n") + 1
    while end < len(nav) and nav[end].startswith("      "):
        end += 1
    nav.insert(end, f"      - {title}: communication-patterns/{slug}.md\n")
    index = root / "docs" / "communication-patterns" / "index.md"
    fields = {"title": title, "slug": slug, "package": package}
    files = {path: text.format(**fields) for path, text in created.items()}
    files[mkdocs] = "".join(nav)
    files[index] = index.read_text(encoding="utf-8") + INDEX_ENTRY.format(**fields)
    return files


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[1]
    if len(argv) != 1 or not argv[0]:
        print('usage: make new-topic NAME="Push"', file=sys.stderr)
        return 2
    try:
        files = plan(root, argv[0])
    except Refused as refusal:
        print(f"new-topic: {refusal}; nothing was written", file=sys.stderr)
        return 1
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
