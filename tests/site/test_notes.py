"""Every line of the course notes is on the site, in the notes' own order."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import ROOT

NOTES = Path(__file__).with_name("notes.txt")
PAGES = [  # the nav's order, where the notes' lines live
    "docs/index.md",
    "docs/communication-patterns/index.md",
    "docs/communication-patterns/request-response/index.md",
    "docs/communication-patterns/sync-vs-async/index.md",
]


def normalize(text: str) -> str:
    """Words only: no markup, links reduced to their text, case and punctuation folded."""
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"</?[A-Za-z][^<>\n]*>", " ", text)  # real HTML tags, not a `<` in output
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`\"'\u201c\u201d\u2018\u2019]", "", text.lower())
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def note_lines() -> list[str]:
    lines = NOTES.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def missing_or_out_of_order(pages: list[str]) -> list[str]:
    """Each notes line must be a whole line of a page (a heading, a bullet, a title),
    found after the previous one: words that merely recur in prose do not count."""
    site = [
        normalize(re.sub(r"^\s*(#+|[-*]|\d+\.)\s+", "", line))
        for page in pages
        for line in page.splitlines()
    ]
    problems, position = [], 0
    for line in note_lines():
        wanted = normalize(line)
        if wanted in site[position:]:
            position = site.index(wanted, position) + 1
        else:
            problems.append(f"{'out of order' if wanted in site else 'missing'}: {line}")
    return problems


def read_pages(root: Path) -> list[str]:
    return [(root / page).read_text(encoding="utf-8") for page in PAGES]


def test_every_notes_line_is_on_the_site_in_order() -> None:
    assert len(note_lines()) == 67
    assert missing_or_out_of_order(read_pages(ROOT)) == []


def test_a_dropped_line_is_reported(project_copy: Path) -> None:
    page = project_copy / "docs" / "communication-patterns" / "sync-vs-async" / "index.md"
    page.write_text(page.read_text().replace("- Asynchronous replication\n", ""))
    assert missing_or_out_of_order(read_pages(project_copy)) == [
        "missing: Asynchronous replication"
    ]


def test_a_line_moved_out_of_order_is_reported(project_copy: Path) -> None:
    page = project_copy / "docs" / "communication-patterns" / "request-response" / "index.md"
    page.write_text(
        page.read_text().replace(
            "- Notification service\n- Chatting application\n",
            "- Chatting application\n- Notification service\n",
        )
    )
    assert missing_or_out_of_order(read_pages(project_copy)) == [
        "out of order: Chatting application"
    ]
