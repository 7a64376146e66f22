"""This site's own choices, in a real browser: an example's whole file copied and
downloaded, the dark scheme for a reader who prefers it, the styled 404 page and the
all-in-one print page; and, with no browser needed, every example page's download links.

Material's own widgets (tabs, the drawer, the palette toggle) are Material's to test.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pytest

from hooks import print_page
from tests.site.browser import CODE_TOKENS, axe_run, open_page, severe_violations
from tests.support import ROOT
from tests.support.browser import Watch
from tests.support.site import SiteServer, nav_pages

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytest_plugins = ["tests.site.browser"]

PAGES = nav_pages()
# Below a topic's page: an example's page, or a package example's page and its files' pages.
EXAMPLE_PAGES = [p for p in PAGES if re.fullmatch(r"communication-patterns/[^/]+/.+/", p)]
EXAMPLE_PAGE = "communication-patterns/request-response/anatomy/"
EXAMPLE_FILE = ROOT / "examples" / "request_response" / "anatomy.py"
# The region markers that pymdownx.snippets leaves out of a whole-file include.
REGION_MARKER = re.compile(r"--8<-- \[(start|end):[\w-]+\]")


def h1_of(site_dir: Path, path: str) -> str:
    """A page's title as its H1 shows it, without the permalink sign."""
    page_html = (site_dir / path / "index.html").read_text(encoding="utf-8")
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S)
    assert match, f"{path} has no H1"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("¶", "").strip()


@pytest.mark.browser_context_args(permissions=["clipboard-read", "clipboard-write"])
def test_the_whole_file_copy_button_copies_the_example_file(page: Page, watch: Watch) -> None:
    page.goto(EXAMPLE_PAGE)
    title = re.compile(f"^{re.escape(EXAMPLE_FILE.name)}$")  # the whole file, not a region
    block = page.locator("div.highlight").filter(
        has=page.locator(".filename").filter(has_text=title)
    )
    assert block.count() == 1
    block.hover()  # Material shows its buttons on hover
    block.locator("button.md-code__button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = EXAMPLE_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    # The whole file, region markers left out, as pasted: without the final newline.
    assert copied + "\n" == "".join(line for line in lines if not REGION_MARKER.search(line))
    assert watch.problems() == []


def test_the_download_link_downloads_the_example_file(page: Page, watch: Watch) -> None:
    page.goto(EXAMPLE_PAGE)
    link = page.locator("a[download]").filter(
        has_text=re.compile(f"^Download {re.escape(EXAMPLE_FILE.name)}$")
    )
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == EXAMPLE_FILE.name
    assert Path(download.value.path()).read_bytes() == EXAMPLE_FILE.read_bytes()
    assert watch.problems() == []


class DownloadLinks(HTMLParser):
    """The (href, download attribute or None) of each link of a page that has a download
    attribute or whose text is 'Download <file>' (an attr_list that Markdown did not apply,
    as with download="__main__.py", where __main__ became bold, leaves the text only)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str | None]] = []
        self.open: dict[str, str | None] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.open, self.text = dict(attrs), ""

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open is not None:
            if "download" in self.open or self.text.strip().startswith("Download "):
                self.links.append((self.open.get("href") or "", self.open.get("download")))
            self.open = None


def test_every_download_link_of_every_example_page_answers_with_its_file(
    base_url: str, built_site: Path
) -> None:
    """From the served site, as a reader's browser asks: 200 and the file's exact bytes.
    Each page shows a file whole, with its link, but a package's page above its files'."""
    assert len(EXAMPLE_PAGES) >= 20, EXAMPLE_PAGES
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    problems = []
    for path in EXAMPLE_PAGES:
        parser = DownloadLinks()
        parser.feed((built_site / path / "index.html").read_text(encoding="utf-8"))
        above_others = any(other.startswith(path) for other in PAGES if other != path)
        if not parser.links and not above_others:
            problems.append(f"{path}: no download link")
        for href, name in parser.links:
            url = urljoin(base_url + path, href)
            source = ROOT / url.removeprefix(base_url)  # the site publishes examples/ as is
            try:
                with no_proxy.open(url, timeout=10) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, b""
            if status != 200:
                problems.append(f"{path}: {href} answers {status}")
            elif not source.is_file() or body != source.read_bytes():
                problems.append(f"{path}: {href} is not {source.relative_to(ROOT)}, byte for byte")
            if name is None:
                problems.append(f"{path}: {href} has no download attribute (left as text?)")
            elif name != source.name:
                problems.append(f"{path}: {href} has download={name!r}, not {source.name!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser_context_args(color_scheme="dark")
def test_a_reader_who_prefers_dark_gets_the_dark_scheme_accessible(
    page: Page, watch: Watch
) -> None:
    """mkdocs.yml's palette follows the system's preference; extra.css keeps the dark
    scheme's contrast up to axe's (the page-by-page check runs in the light one)."""
    open_page(page, EXAMPLE_PAGE)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert watch.problems() == []
    assert severe_violations(page) == []


@pytest.mark.parametrize(
    "scheme",
    ["light", pytest.param("dark", marks=pytest.mark.browser_context_args(color_scheme="dark"))],
)
def test_every_kind_of_code_token_is_readable_in_both_schemes(page: Page, scheme: str) -> None:
    """Every token class that Pygments can write, not only those today's examples use,
    set in a code block of a page and checked by axe for contrast (the pages' own checks
    leave the tokens out: tests/site/browser.py, CODE_TOKENS)."""
    from pygments.token import STANDARD_TYPES

    classes = sorted({name for name in STANDARD_TYPES.values() if name})
    page.goto(EXAMPLE_PAGE)
    assert page.locator("body").get_attribute("data-md-color-scheme") == (
        "slate" if scheme == "dark" else "default"
    )
    block = page.locator(f".highlight {CODE_TOKENS}").first
    block.evaluate(
        "(code, classes) => { code.id = 'every-token'; code.innerHTML = classes"
        ".map(c => `<span class=\"${c}\">token ${c}</span>`).join('\\n'); }",
        classes,
    )
    # That block alone: the page's other blocks hold ~2,000 tokens of the same classes,
    # which took axe 5 s more to check.
    tokens = {"include": [["#every-token"]]}
    result = axe_run(page, tokens, {"runOnly": ["color-contrast"]})
    assert result["violations"] == [], [
        (n["target"], n["any"][0]["message"]) for v in result["violations"] for n in v["nodes"]
    ]
    checked = {n["target"][0] for rule in result["passes"] for n in rule["nodes"]}
    assert len(checked) >= len(classes), "axe looked at every token"


def test_unknown_paths_get_the_styled_404_page_which_links_home(
    page: Page, watch: Watch, base_url: str
) -> None:
    response = page.goto("no/such/page/")
    assert response is not None and response.status == 404
    assert page.locator("h1").first.inner_text().startswith("404")
    header = page.locator("header.md-header")
    background = header.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # Material's CSS applies
    assets = [r for r in watch.responses if r.request.resource_type != "document"]
    assert assets and all(r.status == 200 for r in assets)
    assert watch.foreign == []
    page.locator("header a.md-logo").click()
    page.wait_for_url(base_url)
    assert page.locator("h1").first.is_visible()


def test_the_print_page_loads_the_search_index_wherever_the_site_is_served(
    page: Page, built_site: Path
) -> None:
    """Served under another path than site_url's (a fork, a folder on a laptop), the print
    page asks for the search index beside itself, and gets it (hooks/print_page.py);
    with site_url's absolute path it asked for one that is not there: a 404, an error."""
    with SiteServer(built_site, "/elsewhere/") as server:
        watch = Watch(server.origin)
        watch.attach(page)
        page.goto(server.url + "print_page/")
        page.wait_for_load_state("networkidle")
        index = [r for r in watch.responses if r.url.endswith("/search_index.json")]
        assert [(r.url, r.status) for r in index] == [
            (server.url + "search/search_index.json", 200)
        ]
        assert watch.problems() == []


def test_only_the_print_page_loads_print_sites_files(
    page: Page, watch: Watch, base_url: str
) -> None:
    """print-site's style sheets and script serve its page alone; on any other page they
    held up the first paint (hooks/print_page.py)."""

    def loaded() -> set[str]:
        found = {
            f for f in print_page.PRINT_PAGE_FILES for url in watch.requests if url.endswith(f)
        }
        watch.requests.clear()
        return found

    for path in ("", EXAMPLE_PAGE, "404.html"):
        page.goto(path)
        assert loaded() == set(), path
    page.goto("print_page/")
    assert loaded() == set(print_page.PRINT_PAGE_FILES)
    assert page.locator("#print-page-toc").is_hidden()  # its style sheet, applied on screen


def test_all_notes_on_one_page_to_print(
    page: Page, watch: Watch, base_url: str, built_site: Path
) -> None:
    """The print page holds the notes (home, section and topic pages): not the example pages,
    whole files of code, nor the labs (hooks/print_page.py). Its links to those lead to their
    own pages, each anchor to an id there; a topic's link to each of its examples is kept."""
    page.goto("")
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="All notes on one page").click()
    page.wait_for_url(base_url + "print_page/")
    page.wait_for_load_state("networkidle")
    titles = [t.replace("¶", "").strip() for t in page.locator("h1").all_inner_texts()]
    for path in PAGES:
        on_it = not (path in EXAMPLE_PAGES or path.startswith("labs/"))
        assert (h1_of(built_site, path) in titles) == on_it, path

    hrefs = page.locator("article a[href]").evaluate_all("links => links.map(a => a.href)")
    pages = {base_url + path for path in PAGES}
    linked = set()
    ids = set(print_page.ID.findall(page.content()))
    for href in hrefs:
        target, _, anchor = href.partition("#")
        if target == base_url + "print_page/":
            assert anchor in ids, href  # a heading of the print page itself
            continue
        if not target.startswith(base_url):
            continue
        if target.endswith("/"):
            assert target in pages, href
            linked.add(target[len(base_url) :])
            if anchor:
                path = built_site / target[len(base_url) :] / "index.html"
                assert f'id="{anchor}"' in path.read_text(encoding="utf-8"), href
        else:  # a file the site serves (an example's .py, a diagram)
            assert (built_site / target[len(base_url) :]).is_file(), href
    one_below_a_topic = [p for p in EXAMPLE_PAGES if re.fullmatch(r"[^/]+/[^/]+/[^/]+/", p)]
    assert sorted(set(one_below_a_topic) - linked) == []

    assert watch.problems() == []
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
