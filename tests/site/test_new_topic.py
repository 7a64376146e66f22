"""`make new-topic` scaffolds a topic that builds and passes its tests at once, and
refuses names it must not use without writing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.scaffolding import assert_ready, make, snapshot

WROTE = [
    "docs/communication-patterns/long-polling/index.md",
    "examples/long_polling/__init__.py",
    "docs/communication-patterns/long-polling/first-example.md",
    "examples/long_polling/first_example.py",
    "tests/long_polling/test_first_example.py",
    "mkdocs.yml",
    "docs/communication-patterns/index.md",
]
NAV = """\
      - Long Polling:
          - communication-patterns/long-polling/index.md
          - First example: communication-patterns/long-polling/first-example.md
  - Labs:
"""


def test_a_new_topic_builds_and_its_tests_pass(project_copy: Path, tmp_path: Path) -> None:
    result = make(project_copy, "new-topic", NAME="Long Polling")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote {path}" for path in WROTE]
    assert NAV in (project_copy / "mkdocs.yml").read_text()  # after the existing topics
    section = (project_copy / "docs" / "communication-patterns" / "index.md").read_text()
    assert "\n[Long Polling](long-polling/index.md)\n" in section
    topic = (project_copy / WROTE[0]).read_text()
    assert topic.startswith("# Long Polling\n")
    assert "[First example](first-example.md)" in topic

    # two tests, the doctest, the page's console session
    assert_ready(project_copy, tmp_path / "site", "long_polling", ["first_example"], tests=4)


@pytest.mark.parametrize(
    ("name", "problem", "fix"),
    [
        ("Request-Response", "request-response exists already", "choose another NAME"),
        ("", "no topic name given", 'add NAME="Push"'),
        ("../../etc", "is not a usable topic name", 'e.g. NAME="Push"'),
        ("push/../../x", "is not a usable topic name", 'e.g. NAME="Push"'),
        (".hidden", "is not a usable topic name", 'e.g. NAME="Push"'),
        ("Push-", "is not a usable topic name", 'e.g. NAME="Push"'),
        ("Asyncio", "shadows Python's own 'asyncio'", "choose another NAME"),
        ("Class", "'class', a Python keyword", "choose another NAME"),
    ],
    ids=[
        "taken",
        "empty",
        "dot-dot",
        "slash",
        "leading-dot",
        "trailing-hyphen",
        "stdlib",
        "keyword",
    ],
)
def test_a_refused_name_writes_nothing(
    project_copy: Path, name: str, problem: str, fix: str
) -> None:
    before = snapshot(project_copy)
    result = make(project_copy, "new-topic", NAME=name)
    assert result.returncode != 0
    assert problem in result.stderr
    assert fix in result.stderr
    assert "Nothing was written." in result.stderr
    assert snapshot(project_copy) == before
