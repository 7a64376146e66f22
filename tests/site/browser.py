"""The browser tests' fixtures, on pytest-playwright's: what is this site's own.

pytest-playwright gives ``browser`` (one Chromium for the session), ``context`` and
``page`` (new for each test), ``new_context`` and the ``browser_context_args`` marker.
This plugin sets:

- ``browser_type_launch_args``: Debian's Chromium (``/usr/lib/chromium/chromium``, or
  ``CHROMIUM=``), with the flags that keep it quiet; without it the browser tests skip,
  unless ``REQUIRE_BROWSER=1`` (CI), where they fail;
- ``base_url``: the session's strict build (``built_site``, tests/site/conftest.py),
  served on 127.0.0.1 under site_url's path (``/backend-engineering/``) as GitHub Pages
  serves it, so the 404 page, whose links are absolute, works as it does there;
  ``page.goto("contributing/")`` opens a page of the site;
- ``context``: waits at most 15 s for anything (Playwright's default is 30 s), and has
  axe-core in every page it opens, for ``axe_run()``;
- ``watch``: the page's console errors, uncaught exceptions and requests leaving the origin;
- ``reading_tab`` and ``tab_watch``: one tab that a module's tests share, and its ``watch``
  for one test.

Test modules load it with ``pytest_plugins = ["tests.site.browser"]``. The browser tests
run after every other test (tests/support/session.py): Playwright's sync API keeps an
event loop on the main thread from the first browser test to the end of the session.
(PYTEST_DONT_REWRITE: this module is imported before pytest registers it as a plugin.)
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_FILE_PATH as AXE_SCRIPT  # type: ignore[import-untyped]
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.support.browser import CHROMIUM_ARGS, DIAGRAM, Watch, chromium_executable
from tests.support.site import SiteServer, site_prefix
from tests.support.site import nav_pages as nav_pages  # test_labs_built.py imports it here

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

TIMEOUT = 15_000  # ms: the longest any step of a browser test may wait


def require_browser() -> str:
    executable = chromium_executable()
    if executable is None:
        message = "no Chromium at /usr/lib/chromium/chromium (set CHROMIUM=/path/to/binary)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + ", and REQUIRE_BROWSER=1")
        pytest.skip(message)
    return executable


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], built_site: Path
) -> dict[str, Any]:
    """pytest-playwright's (--headed, --slowmo), on Debian's Chromium. The site is built
    first: its labs run in a kernel that nbclient drives with asyncio, which must not start
    beside Playwright's running loop (it would leave a thread of its own behind)."""
    return {**browser_type_launch_args, "executable_path": require_browser(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    with SiteServer(built_site, site_prefix()) as server:
        yield server.url


def for_tests(context: BrowserContext) -> BrowserContext:
    """The context, waiting at most TIMEOUT for anything, with axe-core in its pages."""
    context.set_default_timeout(TIMEOUT)
    # axe-core (540 kB) in every page before the page's own scripts, for axe_run(): sent and
    # evaluated per check instead, it cost 0.3-0.4 s more per page (benchmarks/axe_injection.py).
    context.add_init_script(path=AXE_SCRIPT)
    return context


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return for_tests(new_context())


def origin_of(browser_context_args: dict[str, Any]) -> str:
    """The origin the pages come from: base_url's, or file:// without one."""
    base = browser_context_args.get("base_url")
    return "file://" if base is None else "{0.scheme}://{0.netloc}".format(urlsplit(base))


@pytest.fixture
def watch(page: Page, browser_context_args: dict[str, Any]) -> Watch:
    """What `page` does from now on."""
    watch = Watch(origin_of(browser_context_args))
    watch.attach(page)
    return watch


@pytest.fixture(scope="module")
def reading_tab(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """One tab that a module's tests share, going from page to page as a reader does, in
    one browser context (its cache included). A context and a tab for each page, as `page`
    gives, cost about 1 s more per page (2.8 s against 1.8 s, benchmarks/browser_tab.py)."""
    context = for_tests(browser.new_context(**browser_context_args))
    yield context.new_page()
    context.close()


@pytest.fixture
def tab_watch(reading_tab: Page, browser_context_args: dict[str, Any]) -> Iterator[Watch]:
    """What `reading_tab` does during one test."""
    watch = Watch(origin_of(browser_context_args))
    watch.attach(reading_tab)
    yield watch
    watch.detach(reading_tab)


SEARCH_INDEX = "/search/search_index.json"
SEARCH_WORKER = "/assets/javascripts/workers/search."


def open_page(page: Page, path: str) -> None:
    """Go to the page and wait for its last two requests, which Material's search makes
    once the page has loaded, in either order: its worker's script and the search index.
    (Playwright's "networkidle" waits for 500 ms of quiet after them instead, every page.)"""
    with (
        page.expect_response(lambda response: SEARCH_WORKER in response.url),
        page.expect_response(lambda response: response.url.endswith(SEARCH_INDEX)),
    ):
        page.goto(path)


def search_word(site_dir: Path, page_file: str) -> str:
    """The word of the page's H1 (4 letters or more) that the fewest other pages contain."""
    page_html = (site_dir / page_file).read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S)
    assert h1, f"{page_file} has no H1"
    title = html.unescape(re.sub(r"<[^>]+>", " ", h1.group(1)))
    words = list(re.findall(r"[A-Za-z]{4,}", title))
    assert words, f"no word to search for in the H1 of {page_file}: {title!r}"
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text: dict[str, str] = {}
    for doc in index["docs"]:
        location = doc["location"].split("#")[0]
        text[location] = text.get(location, "") + " " + (doc["title"] + " " + doc["text"]).lower()
    return str(min(words, key=lambda w: (sum(w.lower() in t for t in text.values()), -len(w))))


SEARCH_PLACEHOLDER = "Type to start searching"  # Material's search.result.placeholder, in English


def search_finds(page: Page, word: str, target: str) -> Locator:
    """Type word into Material's search box and wait for a visible result that links to
    target (a page's URL, without query or fragment); that result. Each step waits for
    what the next relies on, so that a failure says which one did not happen."""
    box = page.locator("input.md-search__input")
    box.click()
    expect(page.locator("#__search"), "search dialog open").to_be_checked(timeout=TIMEOUT)
    # Material's line above the results reads "Initializing search" until its worker has
    # indexed the site and answered the empty query; from then on, what is typed is searched.
    # (From file://, the index is only loaded once the dialog opens.)
    ready = page.locator(".md-search-result__meta")
    expect(ready, "search ready").to_have_text(SEARCH_PLACEHOLDER, timeout=TIMEOUT)
    box.press_sequentially(word, delay=10)  # the search box reacts to typed keys only
    expect(box, "every key typed").to_have_value(word, timeout=TIMEOUT)
    # Material's results link absolute URLs, with ?h=<word> (highlight) and #<section>.
    # It redraws them as keys arrive: a locator is looked up again at each try.
    hrefs = [f'[href="{target}"]', f'[href^="{target}?"]', f'[href^="{target}#"]']
    link = page.locator(f"a.md-search-result__link:is({', '.join(hrefs)})").filter(visible=True)
    try:
        link.first.wait_for(timeout=TIMEOUT)
    except PlaywrightTimeoutError:
        state = search_state(page)
        raise AssertionError(f"no result for {word!r} links to {target}: {state}") from None
    return link.first


def search_and_open(page: Page, word: str, target: str) -> None:
    """search_finds(), then a click on the result, which must open a page whose H1 has
    the word."""
    search_finds(page, word, target).click()
    page.wait_for_url(re.compile(re.escape(target) + r"([?#].*)?$"), wait_until="domcontentloaded")
    assert word.lower() in page.locator("h1").first.inner_text().lower()


def search_state(page: Page) -> dict[str, Any]:
    """What Material's search shows now: open or not, what was typed, its results."""
    return dict(
        page.evaluate(
            """() => ({
            open: document.getElementById("__search").checked,
            typed: document.querySelector("input.md-search__input").value,
            focus_on: document.activeElement?.className,
            meta: document.querySelector(".md-search-result__meta").innerText,
            results: [...document.querySelectorAll("a.md-search-result__link")]
              .slice(0, 5).map(a => a.getAttribute("href")),
            })"""
        )
    )


# Inside a code block every token is an element (2,000 on an example page, two thirds of
# axe's time there), and what axe finds on them is their colours, the same on every page:
# the pages are checked around their code, and test_browser_features.py checks every token
# class's colours, in both schemes, once.
CODE_TOKENS = "pre > code"
AROUND_CODE = {"exclude": [[CODE_TOKENS]]}  # axe.run's context
ONLY_VIOLATIONS = {"resultTypes": ["violations"]}  # axe.run's options


def severe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, but for the
    tokens inside its code blocks (CODE_TOKENS)."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in axe_run(page, AROUND_CODE, ONLY_VIOLATIONS)["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def axe_run(page: Page, context: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """axe.run(context, options) in the page, as axe-core's API documents it: its results."""
    return dict(page.evaluate("([c, o]) => axe.run(c, o)", [context, options]))


def diagrams_shown(page: Page) -> tuple[int, int]:
    """(how many of the page's diagrams are laid out with a size, how many it has): each
    is an inline SVG (hooks/diagrams.py), which needs no script to show."""
    sized = page.locator(f"{DIAGRAM} > svg").evaluate_all(
        "svgs => svgs.map(s => s.getBoundingClientRect()).map(r => r.width > 0 && r.height > 0)"
    )
    return sum(sized), len(sized)
