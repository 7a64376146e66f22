"""Lighthouse's four scores for every page of the nav, served with gzip as a static host would.

    python benchmarks/lighthouse.py               # every page of the nav, labs included
    python benchmarks/lighthouse.py --pages 3     # the first three: a quick check
    python benchmarks/lighthouse.py --under labs/ # the pages whose path starts so
    python benchmarks/lighthouse.py --json DIR    # and each page's full report in DIR

Builds the site strictly (labs executed and cached, the print page made: the benchmarks'
build), with its ``site_url`` at the local server's address, so that its canonical links
and sitemap name the origin it is served from, as on its host. Serves it on 127.0.0.1
under the same path as on GitHub Pages (``/backend-engineering/``), with gzip for text
(HTML, CSS, JS, SVG, JSON, XML) and HTTP/1.1 keep-alive, from a thread of this process.

Then Lighthouse (installed by ``npm install --prefix`` into
``benchmarks/.cache/lighthouse/``, git-ignored, at the pin below; never into the
project's dependencies) audits each page in turn, in a fresh Debian Chromium each time
(``CHROME_PATH=/usr/lib/chromium/chromium``, or ``CHROMIUM``; ``--headless=new
--no-sandbox``), with its defaults: mobile form factor, simulated throttling (a slow 4G
and a CPU four times slower than this one). A page gets at most ``--timeout`` seconds.

One line per page: performance, accessibility, best practices and SEO (0-1, as
Lighthouse rounds them), and the page's weight as transferred (its ``total-byte-weight``:
compressed, every response). Then, for each category, the pages below its goal and the
audits that cost them points (for performance, the metrics below 1, with their values).
The performance score moves with the machine: its total blocking time is this machine's
main-thread work, slowed down four times.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

# Run as a script, this file sees only benchmarks/: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import ROOT
from tests.support.browser import chromium_executable
from tests.support.site import SiteHandler, SiteServer, build_site, nav_pages, site_prefix

CACHE = ROOT / "benchmarks" / ".cache" / "lighthouse"
NPM_PINS = ["lighthouse@12.2.3"]
NODE_MAJOR = 18  # lighthouse 12's engines: node >= 18.20
CHROME_FLAGS = "--headless=new --no-sandbox"
CATEGORIES = {  # Lighthouse's id: (the column's title, the goal)
    "performance": ("perf", 0.98),
    "accessibility": ("a11y", 1.0),
    "best-practices": ("b-p", 1.0),
    "seo": ("seo", 1.0),
}
TIMEOUT = 180  # seconds per page, Chromium's start and Lighthouse's own waits included
# What a static host compresses (GitHub Pages: text, scripts, SVG, JSON, XML); not fonts
# (woff2 is compressed already) nor images.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml")
COMPRESSIBLE_TYPES = ("image/svg+xml",)


class GzipHandler(SiteHandler):
    """Files of the site under ``prefix``, gzipped for a client that accepts it."""

    protocol_version = "HTTP/1.1"  # keep-alive, as a host's connections are
    _gzipped: ClassVar[dict[tuple[str, int], bytes]] = {}  # (path, mtime): gzipped body
    _lock = threading.Lock()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        compressible = kind.startswith(COMPRESSIBLE) or kind in COMPRESSIBLE_TYPES
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (compressible and accepts and path.is_file()):
            return super().send_head()  # a redirect to the folder's "/", a 404, a font...
        body = self.gzipped(path)
        self.send_response(200)
        charset = "; charset=utf-8" if kind.startswith("text/") else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)  # read by copyfile (GET), or only closed (HEAD)

    def gzipped(self, path: Path) -> bytes:
        key = (str(path), path.stat().st_mtime_ns)
        with self._lock:
            if key not in self._gzipped:
                self._gzipped[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            return self._gzipped[key]


def install() -> Path:
    """Lighthouse at the pin, in CACHE (npm's output only on failure); its command."""
    if not (shutil.which("node") and shutil.which("npm")):
        sys.exit("node and npm are needed for Lighthouse")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    major = re.match(r"v(\d+)", version)
    if not major or int(major.group(1)) < NODE_MAJOR:
        sys.exit(f"Lighthouse 12 needs Node {NODE_MAJOR}.20 or newer, not {version.strip()}")
    command = CACHE / "node_modules" / ".bin" / "lighthouse"
    stamp = CACHE / "pins.json"
    if stamp.exists() and json.loads(stamp.read_text()) == NPM_PINS and command.exists():
        return command
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"installing {' '.join(NPM_PINS)} into {CACHE}", flush=True)
    npm = ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--save-exact"]
    done = subprocess.run([*npm, *NPM_PINS], capture_output=True, text=True, timeout=900)
    if done.returncode:
        sys.exit(f"npm install failed:\n{done.stdout}{done.stderr}")
    stamp.write_text(json.dumps(NPM_PINS))
    return command


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from /proc (Chromium's, which its launcher detaches)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        children[parent].append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop(process: subprocess.Popen[str]) -> None:
    """Stop Lighthouse and the Chromium it started: SIGINT (its launcher then kills
    Chromium), then SIGKILL to whatever of them is left, each by its pid."""
    below = descendants(process.pid)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    for pid in below:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.communicate(timeout=30)


def audit(command: Path, url: str, report: Path, timeout: float) -> tuple[dict[str, Any], str]:
    """Lighthouse's report of ``url`` (an empty dict if none), and what went wrong."""
    executable = chromium_executable()
    assert executable is not None
    lighthouse = [
        str(command),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": executable}
    report.unlink(missing_ok=True)  # never an earlier run's
    process = subprocess.Popen(
        lighthouse, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(process)
        return {}, f"timed out after {timeout:.0f} s"
    except BaseException:
        stop(process)
        raise
    if process.returncode or not report.exists():
        lines = stderr.strip().splitlines() or ["no output"]
        return {}, f"exit status {process.returncode}: {lines[-1][:200]}"
    lhr: dict[str, Any] = json.loads(report.read_text("utf-8"))
    error = lhr.get("runtimeError")
    return lhr, f"{error.get('code')}: {error.get('message', '')[:200]}" if error else ""


def score(lhr: dict[str, Any], category: str) -> float | None:
    value = lhr.get("categories", {}).get(category, {}).get("score")
    return None if value is None else round(float(value), 2)


def failing(lhr: dict[str, Any], category: str) -> list[str]:
    """The audits that cost ``category`` points: weighted, scored, below 1."""
    audits = lhr.get("audits", {})
    found = []
    for ref in lhr.get("categories", {}).get(category, {}).get("auditRefs", []):
        result = audits.get(ref["id"], {})
        if ref.get("weight", 0) > 0 and result.get("score") is not None and result["score"] < 1:
            shown = result.get("displayValue", "")
            if category == "performance":  # a metric: its score and value
                found.append(f"{ref['id']} ({result['score']:.2f}, {shown})")
            else:
                found.append(ref["id"] + (f" ({shown})" if shown else ""))
    return found


def weight(lhr: dict[str, Any]) -> float | None:
    value = lhr.get("audits", {}).get("total-byte-weight", {}).get("numericValue")
    return None if value is None else float(value) / 1000


def cell(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, metavar="N", help="only the first N pages")
    parser.add_argument("--under", default="", metavar="PATH", help="only pages under PATH")
    parser.add_argument("--json", type=Path, metavar="DIR", help="keep each page's report")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per page")
    args = parser.parse_args()
    if chromium_executable() is None:
        sys.exit("no Chromium at /usr/lib/chromium/chromium (set CHROMIUM=/path/to/binary)")
    command = install()
    pages = [page for page in nav_pages() if page.startswith(args.under)][: args.pages]
    if args.json:
        args.json.mkdir(parents=True, exist_ok=True)
    goals = ", ".join(f"{name} >= {goal:.2f}" for name, (_, goal) in CATEGORIES.items())
    results: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        site_dir, reports = Path(tmp) / "site", Path(args.json or Path(tmp) / "reports")
        reports.mkdir(exist_ok=True)
        with SiteServer(site_dir, site_prefix(), GzipHandler) as server:
            start = time.perf_counter()
            build_site(site_dir, SITE_URL=server.url)
            print(f"build: mkdocs build --strict, {time.perf_counter() - start:.1f} s")
            print(f"served with gzip at {server.url}; Lighthouse 12.2.3, mobile, defaults")
            print(f"goals: {goals}")
            titles = "  ".join(f"{title:>4}" for title, _ in CATEGORIES.values())
            marks = "  ".join(f"{goal:4.2f}" for _, goal in CATEGORIES.values())
            print(f"{titles}        kB  page\n{marks}            (goals)", flush=True)
            start = time.perf_counter()
            for path in pages:
                name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
                lhr, error = audit(
                    command, server.url + path, reports / f"{name}.json", args.timeout
                )
                results[path] = lhr
                if error:
                    errors[path] = error
                scores = "  ".join(cell(score(lhr, c), 4, 2) for c in CATEGORIES)
                note = f"  ({error})" if error else ""
                print(f"{scores}  {cell(weight(lhr), 8, 1)}  /{path}{note}", flush=True)
    print(f"\n{len(pages)} pages audited in {time.perf_counter() - start:.0f} s")
    for category, (_, goal) in CATEGORIES.items():
        values = {path: score(lhr, category) for path, lhr in results.items()}
        known = [value for value in values.values() if value is not None]
        below = {path: value for path, value in values.items() if value is None or value < goal}
        spread = f"min {min(known):.2f}, median {statistics.median(known):.2f}" if known else ""
        verdict = "met" if not below else f"NOT met on {len(below)} of {len(values)} pages"
        print(f"{category} (goal >= {goal:.2f}): {verdict}; {spread}")
        for path, value in below.items():
            why = errors.get(path) or ", ".join(failing(results[path], category)) or "?"
            print(f"  /{path:<60} {cell(value, 4, 2).strip()}: {why}")
    weights = [w for w in map(weight, results.values()) if w is not None]
    if weights:
        print(
            f"page weight (transferred): median {statistics.median(weights):.1f} kB, "
            f"max {max(weights):.1f} kB"
        )
    if errors:
        print(f"{len(errors)} pages without scores: {', '.join('/' + p for p in errors)}")
    if args.json:
        print(f"reports: {args.json}")


if __name__ == "__main__":
    main()
