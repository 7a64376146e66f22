"""Every page of the nav, in a real browser: clean, self-contained, accessible, searchable.

Pages come from the nav of mkdocs.yml (checked against the built sitemap), and each
page's search word from its own H1 at test time, so that new pages are tested as
they are added.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.site.browser import (
    diagrams_shown,
    open_page,
    search_finds,
    search_word,
    severe_violations,
)
from tests.support.browser import BUDGET_TYPES, DIAGRAM_MARK, PAGE_BUDGET, Watch
from tests.support.site import config, nav_pages

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytest_plugins = ["tests.site.browser"]

PAGES = nav_pages()


def page_id(path: str) -> str:
    return path.rstrip("/") or "home"


def built_html(site_dir: Path, path: str) -> str:
    return (site_dir / path / "index.html").read_text(encoding="utf-8")


def test_the_nav_is_every_page_of_the_site(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    base = str(config()["site_url"])
    built = {loc.removeprefix(base) for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)}
    assert set(PAGES) == built
    assert "" in PAGES and len(PAGES) >= 4


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_loads_clean_self_contained_accessible_and_searchable(
    reading_tab: Page, tab_watch: Watch, base_url: str, built_site: Path, path: str
) -> None:
    """The page, then a search from it for the next page of the nav (the first, from the
    last): each page is found once, from another page. The result is not opened: its link
    is the page's own URL, checked here, and the page is opened by its own test (a search
    result opened is tested from the offline zip). The tests share one tab, as a reader
    reads one page after another."""
    page, watch = reading_tab, tab_watch
    open_page(page, path)
    assert page.locator("h1").first.is_visible()
    shown, total = diagrams_shown(page)  # their SVG is in the HTML (tests/site/test_diagrams.py)
    assert shown == total == built_html(built_site, path).count(DIAGRAM_MARK)
    assert watch.problems() == []
    assert severe_violations(page) == []

    following = PAGES[(PAGES.index(path) + 1) % len(PAGES)]
    search_finds(page, search_word(built_site, following + "index.html"), base_url + following)
    assert watch.problems() == []


def test_a_page_without_diagrams_stays_within_the_byte_budget(page: Page, watch: Watch) -> None:
    """Home: HTML + CSS + JS + fonts, uncompressed, at most PAGE_BUDGET (bytes do not vary)."""
    open_page(page, "")
    counted = [(kind, url, size) for kind, url, size in watch.transferred() if kind in BUDGET_TYPES]
    total = sum(size for _, _, size in counted)
    assert 0 < total <= PAGE_BUDGET, sorted(counted, key=lambda c: -c[2])


LAB_PAGES = [p for p in PAGES if p.startswith("labs/") and p != "labs/"]
INLINE_LIMIT = 8_000  # bytes: the largest block a lab keeps is its code's colours, ~5 kB


@pytest.mark.parametrize("lab", LAB_PAGES, ids=page_id)
def test_a_lab_page_loads_what_every_page_loads_and_inlines_no_stylesheet(
    page: Page, watch: Watch, lab: str
) -> None:
    """A lab loads the assets every page loads and nothing more, and its HTML holds no
    large <style> or <script>. mkdocs-jupyter writes JupyterLab's 584 kB stylesheet and a
    Mermaid loader into each, which made a lab page 725 kB; hooks/lab_styles.py takes them
    out."""
    open_page(page, "")
    shared = {url for kind, url, _ in watch.transferred() if kind != "document"}
    watch.responses.clear()
    open_page(page, lab)
    loaded = watch.transferred()
    assert {url for kind, url, _ in loaded if kind != "document"} <= shared
    inline = page.locator("style, script:not([src])").evaluate_all(
        "blocks => blocks.map(b => b.textContent.length)"
    )
    assert inline and max(inline) <= INLINE_LIMIT, sorted(inline)[-3:]
