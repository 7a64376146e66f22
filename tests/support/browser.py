"""What the browser tests and benchmarks/page_weight.py share: which Chromium, how it is
launched, what a diagram looks like, what a page may weigh, and a Watch of what a page did.

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
# A diagram as hooks/diagrams.py writes it into a page: an inline SVG, no script.
DIAGRAM = "figure.diagram"
DIAGRAM_MARK = '<figure class="diagram"'
# What a page without diagrams may weigh: HTML, CSS, JS and fonts, uncompressed.
PAGE_BUDGET = 400_000  # bytes: issue 11's goal for any page (the nav grows with each example)
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

    def handlers(self) -> dict[str, Any]:
        return {
            "console": self.on_console,
            "pageerror": self.on_page_error,
            "request": self.on_request,
            "response": self.on_response,
        }

    def attach(self, page: Any) -> None:
        for event, handler in self.handlers().items():
            page.on(event, handler)

    def detach(self, page: Any) -> None:
        for event, handler in self.handlers().items():
            page.remove_listener(event, handler)

    def on_page_error(self, exc: Any) -> None:
        self.page_errors.append(str(exc))

    def on_response(self, response: Any) -> None:
        self.responses.append(response)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

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
