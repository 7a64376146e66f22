"""What each page test costs, by where its page is opened: a new context and tab per page,
or one tab that goes from page to page.

    python benchmarks/browser_tab.py site/      # a built site (make build)
    python benchmarks/browser_tab.py site/ --pages 45 --rounds 2

For the first ``--pages`` pages of the nav, each does what
tests/site/test_browser_pages.py does to a page: open it, check its diagrams and its
accessibility, then search from it for the next page. Two ways, in turns:

- ``new tab``: a new browser context and tab for each page (pytest-playwright's ``page``);
- ``one tab``: one context and tab for them all (``reading_tab``).

Prints, for each way, the seconds per page (median of the rounds) and the total.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script, this file sees only benchmarks/: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.site.browser import (
    diagrams_shown,
    for_tests,
    open_page,
    search_finds,
    search_word,
    severe_violations,
)
from tests.support.browser import CHROMIUM_ARGS, chromium_executable
from tests.support.site import SiteServer, nav_pages, site_prefix


def new_tab(browser: Any, base_url: str) -> Any:
    return for_tests(browser.new_context(base_url=base_url)).new_page()


def check_page(page: Any, site: Path, pages: list[str], path: str, base_url: str) -> None:
    open_page(page, path)
    diagrams_shown(page)
    severe_violations(page)
    following = pages[(pages.index(path) + 1) % len(pages)]
    search_finds(page, search_word(site, following + "index.html"), base_url + following)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site")
    parser.add_argument("--pages", type=int, default=20, help="the first n pages of the nav")
    parser.add_argument("--rounds", type=int, default=2, help="times each way goes through them")
    args = parser.parse_args()
    pages = nav_pages()[: args.pages]
    seconds: dict[str, list[float]] = {"new tab": [], "one tab": []}
    with SiteServer(args.site, site_prefix()) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        for _ in range(args.rounds):
            start = time.perf_counter()
            for path in pages:
                page = new_tab(browser, server.url)
                check_page(page, args.site, pages, path, server.url)
                page.context.close()
            seconds["new tab"].append(time.perf_counter() - start)

            start = time.perf_counter()
            page = new_tab(browser, server.url)
            for path in pages:
                check_page(page, args.site, pages, path, server.url)
            page.context.close()
            seconds["one tab"].append(time.perf_counter() - start)
        browser.close()
    print(f"{len(pages)} pages x {args.rounds} rounds, each way")
    print(f"{'way':<8} {'s per page (median)':>20} {'total s':>8}")
    for way, totals in seconds.items():
        print(f"{way:<8} {statistics.median(totals) / len(pages):>20.2f} {sum(totals):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
