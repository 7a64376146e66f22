"""`make new-example` adds an example to a topic that builds and passes its tests at once,
and refuses names it must not use without writing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.scaffolding import assert_ready, make, snapshot

WROTE = [
    "docs/communication-patterns/request-response/heartbeat.md",
    "examples/request_response/heartbeat.py",
    "tests/request_response/test_heartbeat.py",
    "mkdocs.yml",
    "docs/communication-patterns/request-response/index.md",
]
ENTRY = "          - Heartbeat: communication-patterns/request-response/heartbeat.md\n"


def test_a_new_example_builds_and_its_tests_pass(project_copy: Path, tmp_path: Path) -> None:
    topic = project_copy / WROTE[-1]
    before = topic.read_text()
    result = make(project_copy, "new-example", TOPIC="request-response", NAME="Heartbeat")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote {path}" for path in WROTE]
    nav = (project_copy / "mkdocs.yml").read_text()
    assert ENTRY + "      - Synchronous vs Asynchronous:\n" in nav  # after the topic's last page
    assert topic.read_text().startswith(before)
    assert "[Heartbeat](heartbeat.md)" in topic.read_text().removeprefix(before)

    # two tests, the doctest, the page's console session
    assert_ready(project_copy, tmp_path / "site", "request_response", ["heartbeat"], tests=4)


def test_examples_of_a_new_topic_follow_its_first(project_copy: Path) -> None:
    assert make(project_copy, "new-topic", NAME="Push").returncode == 0
    result = make(project_copy, "new-example", TOPIC="push", NAME="Heartbeat")
    assert result.returncode == 0, result.stderr
    assert (
        "          - First example: communication-patterns/push/first-example.md\n"
        "          - Heartbeat: communication-patterns/push/heartbeat.md\n"
        "  - Labs:\n"
    ) in (project_copy / "mkdocs.yml").read_text()
    assert "heartbeat" in (project_copy / "examples/push/heartbeat.py").read_text().lower()
    page = (project_copy / "docs/communication-patterns/push/heartbeat.md").read_text()
    assert "which note of\n[Push](index.md)" in page  # the topic's title, read from its page


@pytest.mark.parametrize(
    ("topic", "name", "problem", "fix"),
    [
        ("", "Heartbeat", "no topic name given", "add TOPIC=push"),
        ("../docs", "Heartbeat", "is not a usable topic name", "e.g. TOPIC=push"),
        ("pull", "Heartbeat", "there is no topic 'pull'", "use one of request-response, sync"),
        ("request-response", "", "no example name given", 'add NAME="Heartbeat"'),
        ("request-response", "../../etc", "is not a usable example name", 'NAME="Heartbeat"'),
        ("request-response", "a/b", "is not a usable example name", 'NAME="Heartbeat"'),
        ("request-response", ".hidden", "is not a usable example name", 'NAME="Heartbeat"'),
        ("request-response", "Socket", "shadows Python's own 'socket'", "choose another NAME"),
        ("request-response", "Anatomy", "anatomy.md exists already", "choose another NAME"),
        ("request-response", "Index", "index.md exists already", "choose another NAME"),
        ("sync-vs-async", "Node", "examples/sync_vs_async/node exists", "choose another NAME"),
    ],
    ids=[
        "no-topic",
        "unsafe-topic",
        "missing-topic",
        "no-name",
        "dot-dot",
        "slash",
        "leading-dot",
        "stdlib",
        "taken",
        "topic-page",
        "script-folder",
    ],
)
def test_a_refused_name_writes_nothing(
    project_copy: Path, topic: str, name: str, problem: str, fix: str
) -> None:
    before = snapshot(project_copy)
    result = make(project_copy, "new-example", TOPIC=topic, NAME=name)
    assert result.returncode != 0
    assert problem in result.stderr
    assert fix in result.stderr
    assert "Nothing was written." in result.stderr
    assert snapshot(project_copy) == before
