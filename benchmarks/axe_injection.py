"""What one accessibility check costs the browser tests, by how axe-core gets into the page.

    python benchmarks/axe_injection.py site/      # a built site (make build)
    python benchmarks/axe_injection.py site/ --every 1 --rounds 3

For every third page of the nav (``--every``), in a fresh context each time, as the tests
open them: the page is opened (tests/site/browser.py's ``open_page``), then axe-core runs
on it as ``severe_violations`` runs it, around the code blocks. Two ways, in turns:

- ``evaluate``: axe-playwright-python's ``Axe().run``, which sends the 540 kB script with
  ``page.evaluate`` before every check;
- ``init script``: the script added once to the context (``add_init_script``), so every
  page has it before its own scripts, and the check only calls ``axe.run``.

Prints, for each way, the median seconds to open a page and to check it, and the total.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a script, this file sees only benchmarks/: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from axe_playwright_python.base import AXE_FILE_PATH  # type: ignore[import-untyped]
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import sync_playwright

from tests.site.browser import AROUND_CODE, ONLY_VIOLATIONS, axe_run, open_page
from tests.support.browser import CHROMIUM_ARGS, chromium_executable
from tests.support.site import SiteServer, nav_pages, site_prefix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site")
    parser.add_argument("--every", type=int, default=3, help="every n-th page of the nav")
    parser.add_argument("--rounds", type=int, default=2, help="times each page is checked each way")
    args = parser.parse_args()
    pages = nav_pages()[:: args.every]
    times: dict[str, list[tuple[float, float]]] = {"evaluate": [], "init script": []}
    with (
        SiteServer(args.site, site_prefix()) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        for _ in range(args.rounds):
            for way, measured in times.items():
                for path in pages:
                    context = browser.new_context(base_url=server.url)
                    if way == "init script":
                        context.add_init_script(path=AXE_FILE_PATH)
                    page = context.new_page()
                    start = time.perf_counter()
                    open_page(page, path)
                    opened = time.perf_counter()
                    if way == "init script":
                        axe_run(page, AROUND_CODE, ONLY_VIOLATIONS)
                    else:
                        Axe().run(page, context=AROUND_CODE, options=ONLY_VIOLATIONS)
                    measured.append((opened - start, time.perf_counter() - opened))
                    context.close()
        browser.close()
    print(f"{len(pages)} pages x {args.rounds} rounds, each way")
    print(f"{'way':<12} {'open (median s)':>16} {'check (median s)':>17} {'total s':>8}")
    for way, measured in times.items():
        open_s = statistics.median(o for o, _ in measured)
        check_s = statistics.median(c for _, c in measured)
        total = sum(o + c for o, c in measured)
        print(f"{way:<12} {open_s:>16.2f} {check_s:>17.2f} {total:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
