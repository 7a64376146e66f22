"""Every page of the nav, in a real browser: clean, self-contained, accessible, searchable.

Pages come from the nav of mkdocs.yml (checked against the built sitemap), and each
page's search word from its own H1 at test time, so that new pages are tested as
they are added.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import pytest

from tests.site.browser import (
    BUDGET_TYPES,
    MERMAID_MARK,
    MERMAID_SCRIPT,
    PAGE_BUDGET,
    OpenPage,
    SiteServer,
    config,
    nav_pages,
    search_word,
)

pytest_plugins = ["tests.site.browser"]

PAGES = nav_pages()
SEVERE = ("serious", "critical")
# axe rules left out, each for a violation in Material itself that config cannot fix.
AXE_RULES_OFF: dict[str, bool] = {}


def page_id(path: str) -> str:
    return path.rstrip("/") or "home"


def built_html(site_dir: Path, path: str) -> str:
    return (site_dir / path / "index.html").read_text(encoding="utf-8")


DIAGRAMS = """() => {
  const drawn = [...document.querySelectorAll("div.mermaid")]
    .filter(h => h.shadowRoot && h.shadowRoot.querySelector("svg g")).length;
  return [drawn, drawn + document.querySelectorAll("pre.mermaid").length];
}"""


def diagrams_drawn(page: Any, timeout: float = 10_000) -> tuple[int, int]:
    """Wait until Material has replaced each ```mermaid block by an SVG in a shadow root."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # On a time-out the caller reports how many were drawn, and the page's errors.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"(([d, t]) => d === t)(({DIAGRAMS})())", timeout=timeout)
    drawn, total = page.evaluate(DIAGRAMS)
    return int(drawn), int(total)


def test_the_nav_is_every_page_of_the_site(site_dir: Path) -> None:
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    base = str(config()["site_url"])
    built = {loc.removeprefix(base) for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)}
    assert set(PAGES) == built
    assert "" in PAGES and len(PAGES) >= 4


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_loads_clean_self_contained_and_accessible(
    open_page: OpenPage, site_dir: Path, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, watch = open_page(path)
    has_diagram = MERMAID_MARK in built_html(site_dir, path)
    if has_diagram:
        drawn, total = diagrams_drawn(page)
        assert drawn == total > 0, f"{drawn} of {total} diagrams drawn; {watch.problems()}"
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.is_visible()

    assert watch.problems() == []
    # Mermaid (3.5 MB) is downloaded by the pages that draw a diagram, and by no other.
    assert watch.loaded(MERMAID_SCRIPT) == has_diagram

    rules = {rule: {"enabled": on} for rule, on in AXE_RULES_OFF.items()}
    results = Axe().run(page, options={"rules": rules})
    severe = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SEVERE
    ]
    assert severe == []


def test_mermaid_is_loaded_only_where_a_diagram_is(site_dir: Path) -> None:
    """Both ways, in the built HTML: a topic page asks for Mermaid; home and contributing don't."""
    with_diagram = [p for p in PAGES if MERMAID_MARK in built_html(site_dir, p)]
    assert "communication-patterns/request-response/" in with_diagram
    for path in PAGES:
        asks = MERMAID_SCRIPT in built_html(site_dir, path)
        assert asks == (path in with_diagram), path
    assert "" not in with_diagram and "contributing/" not in with_diagram


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_search_finds_the_page_and_opens_it(
    open_page: OpenPage, site: SiteServer, site_dir: Path, path: str
) -> None:
    word = search_word(site_dir, path + "index.html")
    page, watch = open_page(PAGES[1] if path == "" else "")  # start from another page
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word, delay=10)  # the search box reacts to typed keys only
    target = site.url + path
    found = page.wait_for_function(
        """target => 1 + [...document.querySelectorAll("a.md-search-result__link")]
          .findIndex(a => new URL(a.href).origin + new URL(a.href).pathname === target)""",
        arg=target,
    )
    page.locator("a.md-search-result__link").nth(found.json_value() - 1).click()
    page.wait_for_url(
        re.compile(re.escape(target) + r"(\?[^#]*)?(#.*)?$"), wait_until="domcontentloaded"
    )
    assert word.lower() in page.locator("h1").first.inner_text().lower()
    assert watch.foreign == []


def test_a_page_without_diagrams_stays_within_the_byte_budget(open_page: OpenPage) -> None:
    """Home: HTML + CSS + JS + fonts, uncompressed, at most PAGE_BUDGET (bytes do not vary)."""
    page, watch = open_page("")
    page.wait_for_load_state("networkidle")
    counted = [(kind, url, size) for kind, url, size in watch.transferred() if kind in BUDGET_TYPES]
    total = sum(size for _, _, size in counted)
    assert 0 < total <= PAGE_BUDGET, sorted(counted, key=lambda c: -c[2])
    assert not any(MERMAID_SCRIPT in url for _, url, _ in counted)
