"""`make new-topic` scaffolds a topic that builds and passes its tests at once, and
refuses names it must not use without writing anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.conftest import mkdocs_build


def new_topic(project: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "make",
            "-s",
            "new-topic",
            f"NAME={name}",
            f"BIN={Path(sys.executable).parent}",
            "STAMP=requirements.txt",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*") if p.is_file()}


def test_a_new_topic_builds_and_its_tests_pass(project_copy: Path, tmp_path: Path) -> None:
    result = new_topic(project_copy, "Long Polling")
    assert result.returncode == 0, result.stderr
    assert "wrote docs/communication-patterns/long-polling.md" in result.stdout
    nav = (project_copy / "mkdocs.yml").read_text()
    assert "      - Long Polling: communication-patterns/long-polling.md\n" in nav

    build = mkdocs_build(project_copy, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "communication-patterns" / "long-polling" / "index.html").is_file()

    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "tests/long_polling",
            "examples/long_polling",
            "docs/communication-patterns/long-polling.md",
        ],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tests.returncode == 0, tests.stdout
    assert "3 passed" in tests.stdout  # the test, the doctest, the page's shell session


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Request-Response", "exists already"),
        ("../../etc", "not a usable topic name"),
        ("push/../../x", "not a usable topic name"),
        ("", "usage"),
        (".hidden", "not a usable topic name"),
        ("Asyncio", "would make a package named 'asyncio'"),
    ],
)
def test_a_refused_name_writes_nothing(project_copy: Path, name: str, reason: str) -> None:
    before = snapshot(project_copy)
    result = new_topic(project_copy, name)
    assert result.returncode != 0
    assert reason in result.stderr
    assert snapshot(project_copy) == before
