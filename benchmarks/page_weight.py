"""Page weight and build time of the site, measured in a real browser (figures, not a test).

Builds the site strictly twice (the second, warm, build is timed), serves it on
127.0.0.1 and loads two pages in Chromium, summing the body of every response
(uncompressed, as Playwright's response events see them):

- home, a page without diagrams: HTML + CSS + JS + fonts against the 350 kB budget
  (tests/site/test_browser_pages.py asserts that budget);
- a topic page with diagrams (inline SVG, hooks/diagrams.py), and where its bytes go.

Run: .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

# Run as a script, this file sees only benchmarks/: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.browser import (
    BUDGET_TYPES,
    CHROMIUM_ARGS,
    DIAGRAM,
    DIAGRAM_MARK,
    PAGE_BUDGET,
    Watch,
    chromium_executable,
)
from tests.support.site import SiteServer, build_site, nav_pages, site_prefix

HOME = ""


def kilobytes(size: int) -> str:
    return f"{size / 1000:8.1f} kB"


def measure(browser: object, server: SiteServer, path: str, diagrams: bool) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    watch = Watch(server.origin)
    watch.attach(page)
    page.goto(server.url + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    inline_svg = page.locator(DIAGRAM).evaluate_all(
        "figures => figures.reduce((n, f) => n + new Blob([f.outerHTML]).size, 0)"
    )
    sizes = watch.transferred()
    context.close()

    by_type: dict[str, int] = defaultdict(int)
    for kind, _, size in sizes:
        by_type[kind] += size
    budgeted = sum(size for kind, _, size in sizes if kind in BUDGET_TYPES)
    print(f"\n/{path}  ({len(sizes)} responses)")
    for kind, size in sorted(by_type.items(), key=lambda item: -item[1]):
        print(f"  {kind:<11}{kilobytes(size)}")
    print(f"  {'total':<11}{kilobytes(sum(by_type.values()))}")
    if diagrams:
        print(
            f"  HTML+CSS+JS+fonts {kilobytes(budgeted).strip()}, of which diagrams (inline "
            f"SVG) {kilobytes(inline_svg).strip()} (the budget is for pages without diagrams)"
        )
    else:
        verdict = "within" if budgeted <= PAGE_BUDGET else "OVER"
        print(
            f"  HTML+CSS+JS+fonts {kilobytes(budgeted).strip()}: {verdict} the "
            f"{PAGE_BUDGET / 1000:.0f} kB budget ({budgeted / PAGE_BUDGET:.0%})"
        )
    print("  by file:")
    for kind, url, size in sorted(sizes, key=lambda s: -s[2]):
        print(f"    {kilobytes(size)}  {kind:<11}{url.removeprefix(server.url) or '(page)'}")


def main() -> None:
    executable = chromium_executable()
    if executable is None:
        sys.exit("no Chromium at /usr/lib/chromium/chromium (set CHROMIUM=/path/to/binary)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        site_dir = Path(tmp)
        build_site(site_dir)  # cold: fills caches
        start = time.perf_counter()
        build_site(site_dir)
        build_seconds = time.perf_counter() - start
        pages = nav_pages()
        with_diagram = [
            p for p in pages if DIAGRAM_MARK in (site_dir / p / "index.html").read_text("utf-8")
        ]
        print(f"build: mkdocs build --strict, warm, {build_seconds:.1f} s for {len(pages)} pages")
        with (
            SiteServer(site_dir, site_prefix()) as server,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            measure(browser, server, HOME, diagrams=False)
            if with_diagram:
                measure(browser, server, with_diagram[0], diagrams=True)
            browser.close()


if __name__ == "__main__":
    main()
