"""`make import-notes` turns the notes' new topics into topics that build and pass their
tests at once, writes nothing to the topics the site has (it lists their missing lines),
skips the template, refuses a file it cannot read safely, and writes nothing twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.check_ties import problems as tie_problems
from tests.site.scaffolding import assert_ready, make, snapshot
from tests.site.test_notes import problems as notes_problems
from tests.support import ROOT
from tests.support.site import mkdocs_build

PUSH = """\
<!-- ##### START OF TOPIC ##### -->
<details>
<summary>Push</summary>

# Push model
- Client connects to a server
- Server sends data to the client
- - Without the client asking for it
- - As soon as it has it
- Client must be online
# Pros and cons
- Real time
- Clients can be overloaded
- - Needs a bidirectional protocol

</details>
<!-- ##### END OF TOPIC ##### -->

"""
PUSH_PAGE = """\
# Push

<!-- Under each note that code can show: a sentence or two on what its proof shows,
and a link to its example page. -->

## Push model

- Client connects to a server
- Server sends data to the client
    - Without the client asking for it
    - As soon as it has it
- Client must be online

## Pros and cons

- Real time
- Clients can be overloaded
    - Needs a bidirectional protocol

[First example](first-example.md): what its proof shows, in a sentence or two;
move these lines under the note it proves.
"""
PUSH_WROTE = [
    "docs/communication-patterns/push/index.md",
    "examples/push/__init__.py",
    "docs/communication-patterns/push/first-example.md",
    "examples/push/first_example.py",
    "tests/push/test_first_example.py",
    "mkdocs.yml",
    "docs/communication-patterns/index.md",
]
PUSH_NAV = """\
          - fsync and the page cache: communication-patterns/sync-vs-async/fsync-cost.md
      - Push:
          - communication-patterns/push/index.md
          - First example: communication-patterns/push/first-example.md
  - Labs:
"""
PROTOCOLS = """
<details> <!-- 003 -->
<summary>003 - Protocols</summary>

<!-- ##### START OF TOPIC ##### -->
<details>
<summary>Protocol Properties</summary>

## What to take into account
- Data format
- - Text based (JSON, XML)
- - Binary (protobuf)
- Transfer mode

</details>
<!-- ##### END OF TOPIC ##### -->

</details>
"""
PROTOCOLS_NAV = """\
      - Push:
          - communication-patterns/push/index.md
          - First example: communication-patterns/push/first-example.md
  - 003 - Protocols:
      - protocols/index.md
      - Protocol Properties:
          - communication-patterns/protocol-properties/index.md
          - First example: communication-patterns/protocol-properties/first-example.md
  - Labs:
"""
NOTES = (ROOT / "notes.md").read_text(encoding="utf-8")
TEMP = "<!-- ##### START OF TOPIC ##### -->\n<details>\n<summary>TEMP</summary>\n"


def before_temp(notes: str, topic: str) -> str:
    """The notes with `topic` written where the author writes the next one: before TEMP."""
    assert notes.count(TEMP) == 1
    return notes.replace(TEMP, topic + TEMP)


def line_of(text: str, wanted: str, nth: int = 1) -> int:
    """The number of the line that is `wanted` (its nth occurrence)."""
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if line == wanted]
    return numbers[nth - 1]


def import_notes(project: Path, notes: str | None = None, **variables: str) -> tuple[str, str]:
    if notes is not None:
        (project / "notes.md").write_text(notes, encoding="utf-8")
    result = make(project, "import-notes", **variables)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout, result.stderr


def test_a_new_topic_is_made_with_its_notes_and_its_tests_pass(
    project_copy: Path, tmp_path: Path
) -> None:
    notes = before_temp(NOTES, PUSH)
    out, _ = import_notes(project_copy, notes)
    lines = out.splitlines()
    assert (
        f"Push (notes.md line {line_of(notes, '<summary>Push</summary>')}): a new topic." in lines
    )
    temp = line_of(notes, "<summary>TEMP</summary>")
    assert (
        f"TEMP (notes.md line {temp}): skipped, the template for the next topic "
        "(it holds only '- Content')."
    ) in lines
    assert (
        "Request-Response: every line is on docs/communication-patterns/request-response/"
        "index.md." in lines
    )
    assert [line for line in lines if line.startswith("wrote ")] == [
        f"wrote {path}" for path in PUSH_WROTE
    ]
    assert (project_copy / PUSH_WROTE[0]).read_text() == PUSH_PAGE
    assert PUSH_NAV in (project_copy / "mkdocs.yml").read_text()
    section = (project_copy / "docs" / "communication-patterns" / "index.md").read_text()
    assert section.endswith(
        "\n[Push](push/index.md)\n:   One short paragraph: what the topic is "
        "and what its examples show.\n"
    )

    assert notes_problems(project_copy) == []  # every line of the notes on the site, in order
    # two tests, the doctest, the page's console session
    assert_ready(project_copy, tmp_path / "site", "push", ["first_example"], tests=4)


def test_a_new_section_becomes_a_nav_section_with_its_page(
    project_copy: Path, tmp_path: Path
) -> None:
    notes = before_temp(NOTES, PUSH).rstrip() + "\n" + PROTOCOLS
    file = tmp_path / "my-notes.md"  # FILE= names another notes file
    file.write_text(notes, encoding="utf-8")
    out, _ = import_notes(project_copy, FILE=str(file))
    number = line_of(notes, "<summary>003 - Protocols</summary>")
    assert f"003 - Protocols ({file} line {number}): a new section." in out.splitlines()
    assert PROTOCOLS_NAV in (project_copy / "mkdocs.yml").read_text()
    section = (project_copy / "docs" / "protocols" / "index.md").read_text()
    assert section.startswith("# 003 - Protocols\n")
    assert (
        "[Protocol Properties](../communication-patterns/protocol-properties/index.md)" in section
    )
    page = project_copy / "docs" / "communication-patterns" / "protocol-properties" / "index.md"
    assert "## What to take into account\n\n- Data format\n    - Text based (JSON, XML)\n" in (
        page.read_text()
    )

    build = mkdocs_build(project_copy, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "protocols" / "index.html").is_file()
    assert sorted(set(tie_problems(project_copy)) - set(tie_problems(ROOT))) == []
    (project_copy / "notes.md").write_text(notes, encoding="utf-8")
    assert notes_problems(project_copy) == []


def test_a_second_run_writes_nothing(project_copy: Path) -> None:
    notes = before_temp(NOTES, PUSH).rstrip() + "\n" + PROTOCOLS
    first, _ = import_notes(project_copy, notes)
    assert "wrote mkdocs.yml" in first.splitlines()
    before = snapshot(project_copy)
    second, _ = import_notes(project_copy)
    assert snapshot(project_copy) == before
    assert not [line for line in second.splitlines() if line.startswith("wrote ")]
    assert second.splitlines()[-1] == "Nothing to write: every topic of the notes is on the site."
    assert "Push: every line is on docs/communication-patterns/push/index.md." in second


def test_the_site_as_it_is_needs_nothing(project_copy: Path) -> None:
    before = snapshot(project_copy)
    out, _ = import_notes(project_copy)
    assert snapshot(project_copy) == before
    assert out.splitlines()[-1] == "Nothing to write: every topic of the notes is on the site."


def test_a_topic_the_site_has_gets_nothing_and_its_missing_lines_are_listed(
    project_copy: Path,
) -> None:
    notes = NOTES.replace(
        "- Very long requests\n", "- Very long requests\n- Long polling instead\n", 1
    ).replace("- email\n", "- email\n- - a letter\n", 1)
    before = snapshot(project_copy)
    out, _ = import_notes(project_copy, notes)
    before["notes.md"] = notes.encode()
    assert snapshot(project_copy) == before  # nothing written but the notes themselves
    lines = out.splitlines()
    rr = lines.index(
        "Request-Response: 1 line(s) of the notes are not in place on "
        "docs/communication-patterns/request-response/index.md; place each by hand:"
    )
    assert lines[rr + 1] == (
        f"  notes.md line {line_of(notes, '- Long polling instead')} (missing): "
        '"- Long polling instead", after "- Very long requests"'
    )
    sva = lines.index(
        "Synchronous vs Asynchronous: 1 line(s) of the notes are not in place on "
        "docs/communication-patterns/sync-vs-async/index.md; place each by hand:"
    )
    assert lines[sva + 1] == (
        f"  notes.md line {line_of(notes, '- - a letter')} (missing): "
        '"    - a letter", after "    - email"'
    )
    assert lines[-1] == "Nothing to write: every topic of the notes is on the site."


def unclosed(notes: str) -> tuple[str, int]:
    """The section's own </details> left out: its <details> is never closed."""
    cut = notes.rstrip().removesuffix("</details>")
    return cut, line_of(notes, "<details> <!-- 002 -->")


def outside(notes: str) -> tuple[str, int]:
    """A topic written after the section has closed."""
    text = notes.rstrip() + "\n\n" + PUSH
    return text, line_of(text, "<!-- ##### START OF TOPIC ##### -->", nth=4)


def no_summary(notes: str) -> tuple[str, int]:
    text = before_temp(notes, PUSH.replace("<summary>Push</summary>\n", ""))
    return text, line_of(text, "<details>", nth=3)


def titled(title: str, nth: int = 1) -> object:
    def notes_with(notes: str) -> tuple[str, int]:
        text = before_temp(notes, PUSH.replace("Push", title) * nth)
        return text, line_of(text, f"<summary>{title}</summary>", nth=nth)

    return notes_with


def temp_with_content(notes: str) -> tuple[str, int]:
    text = notes.replace("- Content\n", "- Content\n- Server push\n")
    return text, line_of(text, "<summary>TEMP</summary>")


def section_named(title: str) -> object:
    def notes_with(notes: str) -> tuple[str, int]:
        text = notes.rstrip() + "\n" + PROTOCOLS.replace("003 - Protocols", title)
        return text, line_of(text, f"<summary>{title}</summary>")

    return notes_with


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (unclosed, "is never closed: add </details> after its last line"),
        (outside, "a topic outside a section"),
        (no_summary, "this <details> has no <summary> with its title"),
        (titled("Push/Pull"), "would make an unsafe file name"),
        (titled("Request Response"), "request-response, which exists already"),
        (titled("Asyncio"), "shadows Python's own 'asyncio': rename the topic in the notes"),
        (titled("Push", nth=2), "makes the name 'push' twice"),
        (temp_with_content, "holds more than the template's '- Content'"),
        (section_named("003 - Labs"), "would make docs/labs, which the site has already"),
        (section_named("003 - Protocols: TCP"), "would make an unsafe folder name"),
    ],
    ids=[
        "unclosed-details",
        "topic-outside-a-section",
        "summary-missing",
        "unsafe-title",
        "clashing-title",
        "title-shadowing-a-module",
        "title-twice",
        "template-with-content",
        "clashing-section",
        "unsafe-section",
    ],
)
def test_a_file_it_cannot_read_safely_is_refused_and_nothing_written(
    project_copy: Path, change: object, problem: str
) -> None:
    notes, number = change(NOTES)  # type: ignore[operator]
    (project_copy / "notes.md").write_text(notes, encoding="utf-8")
    before = snapshot(project_copy)
    result = make(project_copy, "import-notes")
    assert result.returncode != 0
    assert result.stdout == ""  # no report before a refusal
    assert f"import-notes: notes.md line {number}: " in result.stderr
    assert problem in result.stderr
    assert ". Nothing was written." in result.stderr
    assert snapshot(project_copy) == before


def test_a_file_that_is_not_there_is_refused(project_copy: Path) -> None:
    before = snapshot(project_copy)
    result = make(project_copy, "import-notes", FILE="no-such-notes.md")
    assert result.returncode != 0
    assert re.search(r"cannot read no-such-notes.md: .*No such file", result.stderr)
    assert snapshot(project_copy) == before
