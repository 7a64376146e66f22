"""Pages and examples stay tied: nothing untested is shown, nothing tested is hidden."""

from __future__ import annotations

from pathlib import Path

from scripts.check_ties import problems

ROOT = Path(__file__).resolve().parents[2]


def new_problems(project: Path) -> list[str]:
    """What breaking the scratch copy added, whatever state the real tree is in."""
    return sorted(set(problems(project)) - set(problems(ROOT)))


def test_every_example_is_included_and_tested() -> None:
    assert problems(ROOT) == []


def test_an_example_no_page_includes_is_reported(project_copy: Path) -> None:
    orphan = project_copy / "examples" / "request_response" / "orphan.py"
    orphan.write_text('"""Shown nowhere.\n\n>>> 1 + 1\n2\n"""\n')
    assert new_problems(project_copy) == [
        "examples/request_response/orphan.py: no page includes it (add a Run-it block under "
        "its bullet)"
    ]


def test_an_included_example_with_no_doctest_and_no_test_is_reported(project_copy: Path) -> None:
    (project_copy / "examples" / "request_response" / "untested.py").write_text("X = 1\n")
    page = project_copy / "docs" / "communication-patterns" / "request-response.md"
    page.write_text(
        page.read_text() + '\n```python\n--8<-- "examples/request_response/untested.py"\n```\n'
    )
    assert new_problems(project_copy) == [
        "examples/request_response/untested.py: no doctest, and no test under tests/ imports "
        "examples.request_response.untested"
    ]


def test_an_include_of_a_missing_section_is_reported(project_copy: Path) -> None:
    page = project_copy / "docs" / "communication-patterns" / "request-response.md"
    page.write_text(page.read_text().replace("anatomy.py:framing", "anatomy.py:no_such_part"))
    assert new_problems(project_copy) == [
        "docs/communication-patterns/request-response.md: --8<-- "
        "'examples/request_response/anatomy.py:no_such_part': no section markers "
        "[start:no_such_part]/[end:no_such_part]"
    ]
