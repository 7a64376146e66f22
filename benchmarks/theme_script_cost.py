"""What Material's script costs a page's Lighthouse performance: the page with it and without it.

    python benchmarks/theme_script_cost.py              # the page of most elements, 5 rounds
    python benchmarks/theme_script_cost.py --page labs/what-waiting-costs/ --rounds 7

Builds the site strictly (benchmarks/lighthouse.py's build), copies it, and in the copy
takes one line out of the page: the ``<script>`` of Material's bundle
(``assets/javascripts/bundle.*.min.js``: the palette, the search box, the table of
contents that follows the reader, the copy buttons). Nothing else differs: the same HTML,
style sheets, fonts and elements. Both sites are served with gzip, as on a static host,
and Lighthouse (benchmarks/lighthouse.py's pin and settings: mobile, simulated
throttling) audits the page on each in turn, the order swapped every round, since this
shared machine's speed drifts over minutes.

Prints each round's performance score and total blocking time, then the medians of the
score, the total blocking time, the main thread's style-and-layout and script-evaluation
time (Lighthouse's ``mainthread-work-breakdown``: this machine's, times its CPU
slowdown) and the largest contentful paint. The page without the script is no page to
publish (no search, no palette, no copy buttons): it measures what the script costs, so
that a decision about it is taken on a figure.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

# Run as a script, this file sees only benchmarks/: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lighthouse import NPM_PINS, TIMEOUT, GzipHandler, audit, install
from tests.support.browser import chromium_executable
from tests.support.site import SiteServer, build_site, site_prefix

PAGE = "communication-patterns/request-response/message-length/"  # the most elements
BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')


def without_theme_script(page_file: Path) -> None:
    html = page_file.read_text(encoding="utf-8")
    stripped, found = BUNDLE.subn("", html)
    if found != 1:
        sys.exit(f"{page_file}: expected one script tag of Material's bundle, found {found}")
    page_file.write_text(stripped, encoding="utf-8")


def figures(lhr: dict[str, Any]) -> dict[str, float]:
    audits = lhr["audits"]
    work = {
        item["group"]: item["duration"]
        for item in audits["mainthread-work-breakdown"]["details"]["items"]
    }
    return {
        "score": lhr["categories"]["performance"]["score"],
        "TBT ms": audits["total-blocking-time"]["numericValue"],
        "style+layout ms": work.get("styleLayout", 0.0),
        "script ms": work.get("scriptEvaluation", 0.0),
        "LCP ms": audits["largest-contentful-paint"]["numericValue"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default=PAGE, help=f"a page's path (default {PAGE})")
    parser.add_argument("--rounds", type=int, default=5, help="audits of each (default 5)")
    args = parser.parse_args()
    if chromium_executable() is None:
        sys.exit("no Chromium at /usr/lib/chromium/chromium (set CHROMIUM=/path/to/binary)")
    command = install()
    with tempfile.TemporaryDirectory(prefix="theme-script-") as tmp:
        sites = {"with Material's script": Path(tmp) / "with", "without": Path(tmp) / "without"}
        build_site(sites["with Material's script"])
        shutil.copytree(sites["with Material's script"], sites["without"])
        without_theme_script(sites["without"] / args.page / "index.html")
        results: dict[str, list[dict[str, float]]] = {name: [] for name in sites}
        with contextlib.ExitStack() as stack:
            urls = {
                name: stack.enter_context(SiteServer(site, site_prefix(), GzipHandler)).url
                for name, site in sites.items()
            }
            print(f"/{args.page}: {NPM_PINS[0]}, mobile, defaults; {args.rounds} rounds")
            for round_number in range(args.rounds):
                order = list(sites) if round_number % 2 == 0 else list(sites)[::-1]
                for name in order:
                    report = Path(tmp) / "report.json"
                    lhr, error = audit(command, urls[name] + args.page, report, TIMEOUT)
                    if error:
                        sys.exit(f"{name}: {error}")
                    results[name].append(figures(lhr))
                    last = results[name][-1]
                    print(
                        f"  round {round_number + 1} {name:<24} score {last['score']:.2f}"
                        f"  TBT {last['TBT ms']:5.0f} ms",
                        flush=True,
                    )
    print("medians:")
    for name, runs in results.items():
        medians = "  ".join(
            f"{key} {statistics.median(run[key] for run in runs):.{2 if key == 'score' else 0}f}"
            for key in runs[0]
        )
        print(f"  {name:<24} {medians}")


if __name__ == "__main__":
    main()
