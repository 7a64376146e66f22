"""What the browser tests and benchmarks/page_weight.py share: which Chromium, how it is
launched, what a page may weigh, and a Watch of what a page did.

Playwright drives Debian's Chromium (``/usr/lib/chromium/chromium``, the binary:
``/usr/bin/chromium`` is a shell wrapper), never a browser Playwright downloads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

CHROMIUM_CANDIDATES = (os.environ.get("CHROMIUM", ""), "/usr/lib/chromium/chromium")
# Headless comes from Playwright's launch option (pytest-playwright's --headed turns it off).
CHROMIUM_ARGS = [
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
# What a page without diagrams may weigh: HTML, CSS, JS and fonts, uncompressed.
PAGE_BUDGET = 350_000  # bytes (350 kB)
BUDGET_TYPES = ("document", "stylesheet", "script", "font")


def chromium_executable() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


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
