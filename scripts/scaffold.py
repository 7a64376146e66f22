"""What `make new-topic` and `make new-example` share: names, templates, the nav, writing.

A topic is a folder of pages, `docs/communication-patterns/<topic>/`, beside its package
`examples/<package>/` and its tests `tests/<package>/` (hyphens in the folder, underscores
in Python). An example is one page, one module and one test with one name. Every function
here only plans: it reads the tree and returns the files to write, or raises Refused, so
that a refused name writes nothing.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATTERNS = Path("docs") / "communication-patterns"
SECTION = "  - 002 - Backend Communication Design Patterns:\n"  # the topics' nav section
NAME = re.compile(r"[A-Za-z](?:[A-Za-z0-9 -]{0,38}[A-Za-z0-9])?")
SAMPLES = {
    ("topic", "NAME"): '"Push"',
    ("topic", "TOPIC"): "push",
    ("example", "NAME"): '"Heartbeat"',
}
YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}  # not strings unquoted


class Refused(Exception):
    """The name cannot be used; nothing has been written."""


@dataclass(frozen=True)
class Name:
    """One name in its three spellings: "Long Polling", long-polling, long_polling."""

    title: str
    slug: str
    python: str

    @classmethod
    def parse(cls, text: str, what: str, option: str) -> Name:
        """Check that `text` makes safe paths and a usable Python name; raise Refused."""
        sample = SAMPLES[what, option]
        if not text:
            raise Refused(f"no {what} name given: add {option}={sample}")
        if not NAME.fullmatch(text) or "  " in text:
            raise Refused(
                f"{text!r} is not a usable {what} name: use 1-40 letters, digits, single "
                "spaces or hyphens, starting with a letter and ending with a letter or a "
                f"digit, e.g. {option}={sample}"
            )
        slug = re.sub(r"[ -]+", "-", text.lower())
        python = slug.replace("-", "_")
        if keyword.iskeyword(python):
            raise Refused(
                f"{what} {text!r} would make a Python module named {python!r}, a Python "
                f"keyword, which no import can name: choose another {option}"
            )
        if python in sys.stdlib_module_names:
            raise Refused(
                f"{what} {text!r} would make a Python module named {python!r}, which "
                f"shadows Python's own {python!r}: choose another {option}"
            )
        return cls(text, slug, python)

    @property
    def nav_title(self) -> str:
        return f'"{self.title}"' if self.title.lower() in YAML_WORDS else self.title


TOPIC_PAGE = """\
# {topic.title}

Replace this with the notes of the topic, line for line and in their order, the notes'
headings as headings. Under each note that code can show: a sentence or two on what its
proof shows, and a link to its example page.

- The first note of the topic

    [{example.title}]({example.slug}.md): what its proof shows, in a sentence or two.
"""

LINK_LINE = (
    "\n[{example.title}]({example.slug}.md): what its proof shows, in a sentence or two;\n"
    "move these lines under the note it proves.\n"
)

SECTION_ENTRY = """
[{topic.title}]({topic.slug}/index.md)
:   One short paragraph: what the topic is and what its examples show.
"""

EXAMPLE_PAGE = """\
# {example.title}

A short paragraph: what the example shows, and which note of
[{topic.title}](index.md) it proves (link the note's heading).

## Run it

```console
$ python -m examples.{topic.python}.{example.python}
{example.title}: 'ping' gets 'response to ping'
```

The file needs the standard library alone: copy [the whole file](#the-whole-file) into
`{example.python}.py` and run `python {example.python}.py` to see the same.

## The idea

What the region below does, and the primary source it follows, with its section
(RFC 9110 §9.3.1, not "the HTTP spec").

```python title="{example.python}.py: idea"
--8<-- "examples/{topic.python}/{example.python}.py:idea"
```

## What it does not show

What the demo leaves out, so that nobody reads more into it.

## The whole file

```python title="{example.python}.py"
--8<-- "examples/{topic.python}/{example.python}.py"
```

[Download {example.python}.py](../../examples/{topic.python}/{example.python}.py){download}
"""

MODULE = '''\
"""{example.title}: replace this line with the claim of {topic.title} that it proves.

>>> respond("ping")
'response to ping'
"""

from __future__ import annotations


# --8<-- [start:idea]
def respond(request: str) -> str:
    """The idea the page discusses: here, the response one request gets."""
    return f"response to {{request}}"
    # --8<-- [end:idea]


def demo() -> None:
    request = "ping"
    print(f"{example.title}: {{request!r}} gets {{respond(request)!r}}")


if __name__ == "__main__":
    demo()
'''

TEST = '''\
"""Tests of the {example.title} example: bad input, faults and load go here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from examples.{topic.python} import {example.python}


def test_each_request_gets_its_own_response() -> None:
    assert [{example.python}.respond(r) for r in ("a", "b")] == ["response to a", "response to b"]


def test_it_runs_alone_copied_into_an_empty_folder(tmp_path: Path) -> None:
    shutil.copy({example.python}.__file__, tmp_path / "{example.python}.py")
    result = subprocess.run(
        [sys.executable, "-E", "{example.python}.py"],  # -E: the project is not on its path
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
'''


def topic_dir(root: Path, topic: Name) -> Path:
    return root / PATTERNS / topic.slug


def topics(root: Path) -> list[str]:
    return sorted(p.parent.name for p in (root / PATTERNS).glob("*/index.md"))


def example_files(root: Path, topic: Name, example: Name) -> dict[Path, str]:
    """The page, module and test of one example; Refused if any of them exists."""
    page = topic_dir(root, topic) / f"{example.slug}.md"
    package = root / "examples" / topic.python
    test = root / "tests" / topic.python / f"test_{example.python}.py"
    for taken in (page, package / f"{example.python}.py", package / example.python, test):
        if taken.exists():
            raise Refused(
                f"{taken.relative_to(root)} exists already: example {example.title!r} is "
                f"taken in {topic.slug}; choose another NAME"
            )
    download = f'{{ download="{example.python}.py" }}'
    fields = {"topic": topic, "example": example, "download": download}
    return {
        page: EXAMPLE_PAGE.format(**fields),
        package / f"{example.python}.py": MODULE.format(**fields),
        test: TEST.format(**fields),
    }


def nav_lines(root: Path) -> list[str]:
    return (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines(keepends=True)


def block_end(lines: list[str], start: int, indent: str) -> int:
    """The index after the nav block that starts at `start`, whose items are `indent` deep."""
    end = start + 1
    while end < len(lines) and lines[end].startswith(indent):
        end += 1
    return end


def add_topic_to_nav(root: Path, topic: Name, example: Name) -> str:
    """mkdocs.yml with the topic as a nav section after the existing topics."""
    lines = nav_lines(root)
    if SECTION not in lines:
        raise Refused(f"mkdocs.yml has no nav section {SECTION.strip()!r}: restore it first")
    end = block_end(lines, lines.index(SECTION), "      ")
    lines[end:end] = [
        f"      - {topic.nav_title}:\n",
        f"          - communication-patterns/{topic.slug}/index.md\n",
        f"          - {example.nav_title}: communication-patterns/{topic.slug}/{example.slug}.md\n",
    ]
    return "".join(lines)


def add_example_to_nav(root: Path, topic: Name, example: Name) -> str:
    """mkdocs.yml with the example's page after the last page of its topic."""
    lines = nav_lines(root)
    index = f"          - communication-patterns/{topic.slug}/index.md\n"
    if index not in lines:
        raise Refused(
            f"mkdocs.yml's nav has no line {index.strip()!r}: add topic {topic.slug!r} "
            "to the nav as make new-topic does, then try again"
        )
    start = lines.index(index) - 1  # the topic's own line, "      - Push:"
    end = block_end(lines, start, "          ")
    page = f"communication-patterns/{topic.slug}/{example.slug}.md"
    lines.insert(end, f"          - {example.nav_title}: {page}\n")
    return "".join(lines)


def run(command: str, plan: Callable[[Path, list[str]], dict[Path, str]]) -> int:
    """Plan with the command line's arguments, then write; on Refused, write nothing."""
    try:
        files = plan(ROOT, sys.argv[1:])
    except Refused as refusal:
        print(f"{command}: {refusal}. Nothing was written.", file=sys.stderr)
        return 1
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


# What `make new-topic` writes for a topic beyond its pages, and the paths its name takes,
# for `make import-notes` (scripts/import_notes.py), which writes the same for each topic
# of the notes that the site does not have yet.
PACKAGE_INIT = '"""Examples of {topic.title}."""\n'


def topic_taken(root: Path, topic: Name) -> Path | None:
    """The first path that topic's name would take and that exists already, if any."""
    folder = topic_dir(root, topic)
    for taken in (
        folder,
        folder.with_suffix(".md"),
        root / "examples" / topic.python,
        root / "tests" / topic.python,
    ):
        if taken.exists():
            return taken
    return None


def topic_nav(topic: Name, example: Name) -> list[str]:
    """The nav lines of a topic and its first example, inside a section of the nav."""
    return [
        f"      - {topic.nav_title}:\n",
        f"          - communication-patterns/{topic.slug}/index.md\n",
        f"          - {example.nav_title}: communication-patterns/{topic.slug}/{example.slug}.md\n",
    ]
