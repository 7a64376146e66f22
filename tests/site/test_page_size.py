"""Every page stays small enough to read and to render: fewer than 3,000 elements.

The old single-page topics had 12,360 and 5,462 elements once opened; a page per example
keeps each one short. The print page holds all the notes on purpose and is left out. The
count is of the built HTML, diagrams' inline SVG included, before any script runs.
"""

from __future__ import annotations

import html.parser
from pathlib import Path

MAX_ELEMENTS = 3000


class ElementCount(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1


def elements_per_page(site: Path) -> dict[str, int]:
    counts = {}
    for page in sorted(site.rglob("index.html")):
        name = page.parent.relative_to(site).as_posix() or "/"
        if name.startswith("print_page"):
            continue
        counter = ElementCount()
        counter.feed(page.read_text(encoding="utf-8"))
        counts[name] = counter.elements
    return counts


def test_every_page_has_fewer_than_3000_elements(built_site: Path) -> None:
    counts = elements_per_page(built_site)
    assert len(counts) > 20, counts  # the example pages are there to be counted
    largest = sorted(counts.items(), key=lambda item: -item[1])[:5]
    print("largest pages (elements):", ", ".join(f"{name} {n}" for name, n in largest))
    too_big = {name: n for name, n in counts.items() if n >= MAX_ELEMENTS}
    assert not too_big, too_big
