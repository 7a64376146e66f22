"""Every line of the author's notes (notes.md) is on the site, in the notes' own order.

notes.md is read as `make import-notes` reads it (scripts/import_notes.py): the
Objective belongs on the home page, a section's title on its page, a topic's title and
lines on its topic page; the template topic (TEMP, holding only `- Content`) is not on
the site. The pages are the nav's, in its order: the home page, each section's page and
each of its topics' pages.
"""

from __future__ import annotations

from pathlib import Path

from scripts.import_notes import CLOSE, COMMENT, DETAILS, NOTES, SUMMARY, nav_pages, read, unplaced
from tests.support import ROOT

FIX = "run `make import-notes`, which makes a new topic's page or lists where the line belongs"


def read_pages(root: Path) -> list[str]:
    return [(root / "docs" / page).read_text(encoding="utf-8") for page in nav_pages(root)]


def problems(root: Path) -> list[str]:
    """Each notes line that is not a whole line of the pages (a heading, a bullet, a title)
    after the one before it: words that merely recur in prose do not count."""
    lines = list(read(root / NOTES, NOTES).site_lines())
    where = {line: place for line, place in lines}
    return [
        f'{problem}: "{line}" ({NOTES} line {line.number}, {where[line]}): {FIX}'
        for line, _, problem in unplaced([line for line, _ in lines], read_pages(root))
    ]


def test_every_notes_line_is_on_the_site_in_order() -> None:
    assert problems(ROOT) == []


def test_every_line_of_the_notes_is_read() -> None:
    """A line the parser dropped would be checked by nobody: each non-blank line of
    notes.md is markup, the template's, or one of the lines the site must hold."""
    notes = read(ROOT / NOTES, NOTES)
    held = {line.number for line, _ in notes.site_lines()}
    template = {
        line.number
        for section in notes.sections
        for topic in section.topics
        if topic.is_template
        for line in [topic.title_line, *topic.lines]
    }
    markup = (DETAILS, CLOSE, SUMMARY, COMMENT)
    left = [
        f"line {number}: {text}"
        for number, text in enumerate((ROOT / NOTES).read_text(encoding="utf-8").splitlines(), 1)
        if text.strip()
        and number not in held | template
        and not any(pattern.fullmatch(text.strip()) for pattern in markup)
        and set(text.strip()) != {"#"}
    ]
    assert left == []
    assert len(held) > 60  # the Objective, section 002 and its two topics, at least


def test_a_dropped_line_is_reported(project_copy: Path) -> None:
    page = project_copy / "docs" / "communication-patterns" / "sync-vs-async" / "index.md"
    page.write_text(page.read_text().replace("- Asynchronous replication\n", ""))
    assert [problem.split(" (")[0] for problem in problems(project_copy)] == [
        'missing: "- Asynchronous replication"'
    ]


def test_a_line_moved_out_of_order_is_reported(project_copy: Path) -> None:
    page = project_copy / "docs" / "communication-patterns" / "request-response" / "index.md"
    page.write_text(
        page.read_text().replace(
            "- Notification service\n- Chatting application\n",
            "- Chatting application\n- Notification service\n",
        )
    )
    assert [problem.split(" (")[0] for problem in problems(project_copy)] == [
        'out of order: "- Chatting application"'
    ]


def test_a_line_added_to_the_notes_names_its_topic_and_the_fix(project_copy: Path) -> None:
    notes = project_copy / NOTES
    text = notes.read_text(encoding="utf-8")
    added = "- Very long requests\n- Polling instead of one long request\n"
    notes.write_text(text.replace("- Very long requests\n", added, 1), encoding="utf-8")
    number = text[: text.index("- Very long requests")].count("\n") + 2  # the line after
    assert problems(project_copy) == [
        f'missing: "- Polling instead of one long request" ({NOTES} line {number}, '
        f"topic 'Request-Response'): {FIX}"
    ]
