"""Shared fixtures for the browser tests: one strict build, one static server, one Chromium.

The site is built once per session with ``mkdocs build --strict`` into a temporary
folder and served by the standard library on 127.0.0.1 (a free port), under the path
of ``site_url`` (``/backend-engineering/``) as GitHub Pages serves it, so that the
404 page, whose links are absolute, works as it does there. Unknown paths get
``404.html`` with status 404.

Playwright drives Debian's Chromium (``/usr/lib/chromium/chromium``, the binary:
``/usr/bin/chromium`` is a shell wrapper). Without it the browser tests skip, unless
``REQUIRE_BROWSER=1`` (CI), where they fail.

Test modules load these fixtures with ``pytest_plugins = ["tests.site.browser"]``;
``benchmarks/page_weight.py`` uses the same helpers outside pytest.
(PYTEST_DONT_REWRITE: this module is imported before pytest registers it as a plugin.)
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import yaml_load

from tests.site.conftest import ROOT, mkdocs_build

CHROMIUM_CANDIDATES = (os.environ.get("CHROMIUM", ""), "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Material draws Mermaid into a closed shadow root: open it so that a test can look inside.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attachShadow.call(this, { ...init, mode: "open" });
};
"""
MERMAID_SCRIPT = "assets/vendor/mermaid/mermaid.min.js"
MERMAID_MARK = 'class="mermaid"'  # what pymdownx.superfences writes for a ```mermaid fence
BUILD_TIMEOUT = 240  # seconds
# A build of our own (benchmarks) runs the labs once and caches them (.cache/).
BUILD_ENV = {"LABS_EXECUTE": "true", "LABS_CACHE": "true"}
# What a page without diagrams may weigh: HTML, CSS, JS and fonts, uncompressed.
PAGE_BUDGET = 350_000  # bytes (350 kB)
BUDGET_TYPES = ("document", "stylesheet", "script", "font")


def config() -> dict[str, Any]:
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        loaded: dict[str, Any] = yaml_load(f)
    return loaded


def site_prefix() -> str:
    """The path the site lives under, from site_url: '/backend-engineering/'."""
    path = urlsplit(str(config().get("site_url") or "/")).path
    return path if path.endswith("/") else path + "/"


def nav_pages(directory_urls: bool = True) -> list[str]:
    """Site-relative URL of every page in the nav, in nav order ('' is the home page).

    With directory_urls=False, as the offline build writes them: 'index.html', 'a/b.html'.
    """
    sources: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, str):
            sources.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(config()["nav"])
    urls = []
    for source in sources:
        if re.match(r"[a-z]+://", source):
            continue  # an external link in the nav is no page of ours
        as_page = re.sub(r"\.(py|ipynb)$", ".md", source)  # notebooks become pages too
        url = File(as_page, "docs", "site", use_directory_urls=directory_urls).url
        urls.append("" if url == "./" else url)
    return urls


def build_site(site_dir: Path, **env: str) -> None:
    """``mkdocs build --strict`` into site_dir, labs executed and cached (the benchmark's
    build); extra environment variables in env."""
    result = mkdocs_build(ROOT, site_dir, **{**BUILD_ENV, **env})
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}")


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        split = urlsplit(path)
        if not split.path.startswith(self.prefix):
            return str(Path(self.directory) / "404-outside-the-site" / "missing")  # a 404
        return super().translate_path("/" + split.path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet


class SiteServer:
    """Serve site_dir on 127.0.0.1 (free port) under prefix, in a thread."""

    def __init__(self, site_dir: Path, prefix: str = "/") -> None:
        handler = functools.partial(
            type("Handler", (_Handler,), {"prefix": prefix}), directory=str(site_dir)
        )
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.timeout = 5
        host, port = self.httpd.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self.url = self.origin + prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


def chromium_executable() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def snippet_region(path: Path, region: str) -> str:
    """A region of a file as pymdownx.snippets includes it (dedent_subsections: true)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if f"--8<-- [start:{region}]" in line)
    end = next(i for i, line in enumerate(lines) if f"--8<-- [end:{region}]" in line)
    return textwrap.dedent("\n".join(lines[start + 1 : end]))


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
    return min(words, key=lambda w: (sum(w.lower() in t for t in text.values()), -len(w)))


@dataclass
class Watch:
    """What a page did: console errors, uncaught exceptions, every request, foreign ones."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    responses: list[Any] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on(
            "console",
            lambda msg: msg.type == "error" and self.console_errors.append(msg.text),
        )
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("request", self.on_request)
        page.on("response", lambda response: self.responses.append(response))

    def on_request(self, request: Any) -> None:
        url = request.url
        self.requests.append(url)
        if not url.startswith((self.origin, "data:", "blob:", "about:", "file:")):
            self.foreign.append(url)

    def loaded(self, needle: str) -> bool:
        return any(needle in url for url in self.requests)

    def transferred(self) -> list[tuple[str, str, int]]:
        """(resource type, URL, body bytes) of each response so far, uncompressed."""
        sizes = []
        for response in self.responses:
            try:
                size = len(response.body())
            except Exception:  # a redirect or an aborted request has no body
                size = 0
            sizes.append((response.request.resource_type, response.url, size))
        return sizes

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"uncaught: {text}" for text in self.page_errors]
            + [f"request leaving the origin: {url}" for url in self.foreign]
        )


def require_browser() -> str:
    executable = chromium_executable()
    if executable is None:
        message = "no Chromium at /usr/lib/chromium/chromium (set CHROMIUM=/path/to/binary)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + ", and REQUIRE_BROWSER=1")
        pytest.skip(message)
    return executable


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_dir(built_site: Path) -> Path:
    """The strictly built site, once per session (tests/site/conftest.py, labs executed)."""
    return built_site


@pytest.fixture(scope="session")
def site(site_dir: Path) -> Iterator[SiteServer]:
    with SiteServer(site_dir, site_prefix()) as server:
        yield server


def new_context(browser: Any, **options: Any) -> Any:
    context = browser.new_context(**options)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    return context


@pytest.fixture(scope="session")
def shared_context(browser: Any) -> Iterator[Any]:
    """One context for the tests that need no state of their own: its HTTP cache saves
    fetching and compiling Mermaid (3.5 MB) on every visit of a page with a diagram."""
    context = new_context(browser, permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


OpenPage = Callable[..., tuple[Any, Watch]]


@pytest.fixture
def open_page(browser: Any, shared_context: Any, site: SiteServer) -> Iterator[OpenPage]:
    """open_page(path, own_context=False, **context_options) -> (page, watch): a new page,
    in the shared context, or in one of its own (own_context, or options: color_scheme=...)."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def open_(path: str = "", own_context: bool = False, **options: Any) -> tuple[Any, Watch]:
        context = shared_context
        if options or own_context:
            context = new_context(browser, **options)
            contexts.append(context)
        page = context.new_page()
        pages.append(page)
        page.set_default_timeout(15_000)
        watch = Watch(site.origin)
        watch.attach(page)
        page.goto(site.url + path, wait_until="load")
        return page, watch

    yield open_
    for page in pages:
        page.close()
    for context in contexts:
        context.close()
