"""The safety nets catch what they are for: each test breaks a scratch copy of the
project on purpose and checks that the build or the test suite fails, naming the culprit."""

from __future__ import annotations

from pathlib import Path

from tests.support.site import mkdocs_build, pytest_in

PAGE = Path("docs/communication-patterns/request-response/anatomy.md")
EXAMPLE = Path("examples/request_response/anatomy.py")


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {file}: update this test"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_site_builds_strictly(built_site: Path) -> None:
    page = built_site / "communication-patterns" / "request-response" / "anatomy" / "index.html"
    assert "read_message" in page.read_text()  # the included example is on the page


def test_a_wrong_snippet_path_fails_the_build(project_copy: Path, tmp_path: Path) -> None:
    edit(project_copy / PAGE, "anatomy.py:framing", "anatomy_renamed.py:framing")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "anatomy_renamed.py" in result.stderr


def test_a_link_to_a_missing_anchor_fails_the_build(project_copy: Path, tmp_path: Path) -> None:
    edit(
        project_copy / PAGE,
        "(../sync-vs-async/index.md)",
        "(../sync-vs-async/index.md#no-such-heading)",
    )
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-heading" in result.stderr


def test_a_link_to_a_missing_page_fails_the_build(project_copy: Path, tmp_path: Path) -> None:
    edit(project_copy / PAGE, "(../sync-vs-async/index.md)", "(no-such-page.md)")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr


def test_a_changed_doctest_output_fails_the_tests(project_copy: Path) -> None:
    edit(project_copy / EXAMPLE, "Host: example.test\\\\r\\\\n\\\\r\\\\n'", "Host: example.test'")
    result = pytest_in(project_copy, EXAMPLE)
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout


def test_changed_console_output_on_a_page_fails_the_tests(project_copy: Path) -> None:
    edit(project_copy / PAGE, "2. server parses the request:", "2. server reads the request:")
    result = pytest_in(project_copy, PAGE)
    assert result.returncode == 1, result.stdout
    assert "2. server reads the request:" in result.stdout  # the report shows what was expected
