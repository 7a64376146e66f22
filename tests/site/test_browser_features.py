"""What a reader does with the site in a real browser, feature by feature.

Collapsible "Run it" blocks, content tabs, the copy button, the palette toggle, the
navigation drawer on a phone, the 404 page and the all-in-one print page.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from tests.site.browser import ROOT, OpenPage, SiteServer, nav_pages, snippet_region

pytest_plugins = ["tests.site.browser"]

TOPIC = "communication-patterns/request-response/"
PAGES = nav_pages()
PHONE = {"width": 375, "height": 740}


def h1_of(site_dir: Path, path: str) -> str:
    """A page's title as its H1 shows it, without the permalink sign."""
    page_html = (site_dir / path / "index.html").read_text(encoding="utf-8")
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S)
    assert match, f"{path} has no H1"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("¶", "").strip()


def test_run_it_blocks_open_and_close(open_page: OpenPage) -> None:
    page, watch = open_page(TOPIC)
    block = page.locator("details", has=page.locator("summary", has_text="Run it")).first
    summary, body = block.locator("summary"), block.locator("pre").first
    assert block.get_attribute("open") is None and not body.is_visible()
    summary.click()
    body.wait_for(state="visible")
    assert block.get_attribute("open") is not None
    summary.click()
    body.wait_for(state="hidden")
    assert block.get_attribute("open") is None
    assert watch.problems() == []


def test_the_copy_button_copies_exactly_the_included_example(open_page: OpenPage) -> None:
    page, _ = open_page(TOPIC)  # the shared context may read and write the clipboard
    code = page.locator(
        "div.highlight", has=page.locator(".filename", has_text="anatomy.py (framing)")
    )
    page.locator("details", has=code).locator("summary").click()
    code.hover()
    code.locator("button.md-code__button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    want = snippet_region(ROOT / "examples/request_response/anatomy.py", "framing")
    assert copied.rstrip("\n") == want.rstrip("\n")
    assert "def read_message" in copied


def tab_sets(site_dir: Path) -> list[tuple[str, list[str]]]:
    """(page, its labels) for each set of content tabs of the site, in nav order."""
    sets = []
    for path in PAGES:
        page_html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        for chunk in page_html.split('<div class="tabbed-set')[1:]:
            labels = chunk.split('<div class="tabbed-content')[0]
            sets.append((path, [html.unescape(t) for t in re.findall(TAB_LABEL, labels)]))
    return sets


TAB_LABEL = re.compile(r'<label for="__tabbed_[^"]+">(.*?)</label>')


def shown_tab(page: Any, label: str) -> list[str]:
    """In each set of tabs on the page that has this label: the label of the checked tab."""
    exact = re.compile(f"^{re.escape(label)}$")
    sets = page.locator(".tabbed-set").filter(
        has=page.locator(".tabbed-labels > label").filter(has_text=exact)
    )
    shown: list[str | None] = []
    for index in range(sets.count()):
        tab_set = sets.nth(index)
        checked = tab_set.locator(":scope > input:checked").get_attribute("id")
        shown.append(tab_set.locator(f'.tabbed-labels > label[for="{checked}"]').text_content())
    return [(text or "").strip() for text in shown]


def test_content_tabs_switch_and_stay_linked(open_page: OpenPage, site_dir: Path) -> None:
    sets = tab_sets(site_dir)
    assert sets, "no page has content tabs (=== blocks): the pages' tabs are gone"
    # A label that another set has but does not show first, so that linking shows.
    first_page, labels = sets[0]
    label, other_page = labels[-1], first_page
    for i, (path, names) in enumerate(sets):
        linked = [
            (name, later) for later, others in sets[i + 1 :] for name in names if name in others[1:]
        ]
        if linked:
            first_page, (label, other_page) = path, linked[0]
            break
    page, watch = open_page(first_page, own_context=True)  # the choice is kept in storage
    exact = re.compile(f"^{re.escape(label)}$")
    tab_set = (
        page.locator(".tabbed-set")
        .filter(has=page.locator(".tabbed-labels > label").filter(has_text=exact))
        .first
    )
    holder = page.locator("details", has=tab_set)
    if holder.count():
        holder.last.locator(":scope > summary").click()
    tab_set.locator(".tabbed-labels > label").filter(has_text=exact).click()
    assert set(shown_tab(page, label)) == {label}
    assert tab_set.locator(".tabbed-block").filter(visible=True).count() == 1
    if other_page != first_page:  # the choice follows the reader to the next page
        page.goto(page.url.replace(first_page, other_page) if first_page else page.url + other_page)
        assert set(shown_tab(page, label)) == {label}
    assert watch.problems() == []


def scheme(page: Any) -> str:
    return str(page.locator("body").get_attribute("data-md-color-scheme"))


def test_palette_toggle_switches_and_survives_a_reload(open_page: OpenPage) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, watch = open_page("", color_scheme="light")
    assert scheme(page) == "default"
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    page.reload()
    assert scheme(page) == "slate"
    # The dark scheme is accessible too (the page-by-page check runs in the light one).
    page.goto(page.url + TOPIC)
    assert scheme(page) == "slate"
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    assert watch.problems() == []


def open_in_drawer(page: Any, target: str) -> None:
    """Open the drawer, open the sections above the link to target, and click it."""
    page.locator("label.md-header__button[for=__drawer]").click()
    assert page.locator("input#__drawer").is_checked()
    toggles = page.evaluate(
        """target => {
          const link = [...document.querySelectorAll("nav.md-nav--primary a.md-nav__link")]
            .find(a => a.href.split("#")[0] === target);
          if (!link) return null;
          const ids = [];
          let section = link.closest("li").parentElement.closest("li.md-nav__item--nested");
          while (section) {
            ids.unshift(section.querySelector(":scope > input.md-nav__toggle").id);
            section = section.parentElement.closest("li.md-nav__item--nested");
          }
          return ids;
        }""",
        target,
    )
    assert toggles is not None, f"no link to {target} in the navigation"
    nav = page.locator("nav.md-nav--primary")
    opened = nav.locator("input.md-nav__toggle[id^=__nav_]:checked").evaluate_all(
        "inputs => inputs.map(i => i.id)"
    )
    for toggle in reversed(opened):  # back out of the sections the link is not in
        if toggle not in toggles:
            nav.locator(f'label.md-nav__title[for="{toggle}"]').click()
    for toggle in toggles:  # then into those it is in
        if toggle not in opened:
            nav.locator(f'.md-nav__link[for="{toggle}"]').click()
    link = page.locator("nav.md-nav--primary a.md-nav__link:visible").filter(
        has=page.locator("span")
    )
    hrefs = link.evaluate_all("links => links.map(a => a.href.split('#')[0])")
    link.nth(hrefs.index(target)).click()


def test_the_drawer_reaches_every_page_on_a_phone(open_page: OpenPage, site: SiteServer) -> None:
    page, watch = open_page("")
    page.set_viewport_size(PHONE)
    drawer = page.locator("input#__drawer")
    assert not drawer.is_checked()
    for path in [*PAGES[1:], ""]:  # from home through every page, and back home
        open_in_drawer(page, site.url + path)
        page.wait_for_url(site.url + path, wait_until="domcontentloaded")
        assert page.locator("h1").first.is_visible()
    assert watch.problems() == []


def test_unknown_paths_get_the_styled_404_page_which_links_home(
    open_page: OpenPage, site: SiteServer
) -> None:
    page, watch = open_page("no/such/page/")
    assert page.locator("h1").first.inner_text().startswith("404")
    header = page.locator("header.md-header")
    background = header.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # Material's CSS applies
    assets = [r for r in watch.responses if r.request.resource_type != "document"]
    assert assets and all(r.status == 200 for r in assets)
    assert watch.foreign == []
    page.locator("header a.md-logo").click()
    page.wait_for_url(site.url)
    assert page.locator("h1").first.is_visible()


def test_all_notes_on_one_page_to_print(
    open_page: OpenPage, site: SiteServer, site_dir: Path
) -> None:
    page, watch = open_page("")
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="All notes on one page").click()
    page.wait_for_url(site.url + "print_page/")
    page.wait_for_load_state("networkidle")
    titles = [t.replace("¶", "").strip() for t in page.locator("h1").all_inner_texts()]
    for path in PAGES:
        if path.startswith("labs/"):  # measurements, not notes: left off the print page
            assert h1_of(site_dir, path) not in titles or path == "labs/", path
            continue
        assert h1_of(site_dir, path) in titles, path
    assert watch.problems() == []
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
