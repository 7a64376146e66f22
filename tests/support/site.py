"""The site: its config and nav, a strict build, a static server, what a scratch copy
of the project leaves out, and pytest run in such a copy.

Shared by the site tests (tests/site/conftest.py, browser.py) and the benchmarks.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.structure.files import File
from mkdocs.utils.yaml import yaml_load

from tests.support import ROOT

BIN = Path(sys.executable).parent
BUILD_TIMEOUT = 240  # seconds
# A build of our own (benchmarks) runs the labs once and caches them (.cache/).
BUILD_ENV = {"LABS_EXECUTE": "true", "LABS_CACHE": "true", "PRINT_SITE": "true"}
# What a scratch copy needs to build the site and run its tests; never .venv or outputs.
_ANYWHERE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".cache",
    "__pycache__",
    "*.pyc",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".ipynb_checkpoints",
    "node_modules",
)
_AT_THE_ROOT = {"site", "dist"}  # build outputs; tests/site is not one of them


def skip_in_copy(folder: str, names: list[str]) -> set[str]:
    ignored = set(_ANYWHERE(folder, names))
    if Path(folder).resolve() == ROOT.resolve():
        ignored |= _AT_THE_ROOT & set(names)
    return ignored


def mkdocs_build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of `project` into `site_dir`.

    Labs are not executed and the all-notes print page is not made unless asked
    (LABS_EXECUTE="true", PRINT_SITE="true"): the tests that break a copy on purpose need
    the pages, not 30 s of measurements nor the print page.
    """
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "LABS_EXECUTE": "false",
            "PRINT_SITE": "false",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )


def pytest_in(project: Path, *paths: str | Path) -> subprocess.CompletedProcess[str]:
    """`pytest -q` of `paths` in `project`, with this venv. -n 0: in one process; xdist's
    two workers took 2-6 s to start, for the few tests of a scratch copy."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:randomly", *map(str, paths)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def config() -> dict[str, Any]:
    """mkdocs.yml, as MkDocs reads it (its !ENV tags resolved)."""
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


def fetch_text(url: str, timeout: float) -> str | None:
    """The text a server answers at url, or None if it does not (not up yet, rebuilding)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            text: str = response.read().decode("utf-8", "replace")
            return text
    except OSError:  # urllib's URLError and HTTPError included
        return None


class SiteHandler(http.server.SimpleHTTPRequestHandler):
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


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a browser dropped a kept-alive connection it no longer needed
        super().handle_error(request, client_address)


class SiteServer:
    """Serve site_dir on 127.0.0.1 (a free port) under prefix, in a thread, as GitHub
    Pages serves the site: unknown paths get 404.html with status 404, so that the 404
    page, whose links are absolute, works as it does there."""

    def __init__(
        self, site_dir: Path, prefix: str = "/", handler_class: type[SiteHandler] | None = None
    ) -> None:
        base = handler_class or SiteHandler  # lighthouse.py: one that gzips
        handler = functools.partial(
            type("Handler", (base,), {"prefix": prefix}), directory=str(site_dir)
        )
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.httpd.timeout = 5
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.url = self.origin + prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)
