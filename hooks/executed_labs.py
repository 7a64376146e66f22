"""MkDocs hook: with LABS_EXECUTED=<folder>, a lab's page shows the run in
<folder>/<name>.ipynb instead of executing docs/labs/<name>.py again.

The test suite executes each lab once, with probes around it (tests/support/labs.py), and
builds the site from those runs, so that a lab runs once per test run. Everything else
about the page is as usual: its headings, its links, the download of the .py. Outside the
tests the variable is unset and this hook does nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_SOURCE = "executed_labs_source"  # where the page's own file is kept while it renders


def _folder() -> Path | None:
    folder = os.environ.get("LABS_EXECUTED")
    return Path(folder) if folder else None


def on_config(config: Any) -> Any:
    if _folder() and config.plugins["mkdocs-jupyter"].config["execute"]:
        raise PluginError("LABS_EXECUTED shows labs already run: set LABS_EXECUTE=false too")
    return config


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    """Just before mkdocs-jupyter renders the page from page.file.abs_src_path."""
    folder = _folder()
    if folder and page.file.src_uri.startswith("labs/") and page.file.src_uri.endswith(".py"):
        executed = folder / (Path(page.file.src_uri).stem + ".ipynb")
        if not executed.is_file():
            raise PluginError(f"{page.file.src_uri}: no {executed} (LABS_EXECUTED={folder})")
        setattr(page.file, _SOURCE, page.file.abs_src_path)
        page.file.abs_src_path = str(executed)
    return markdown


def on_page_content(html: str, page: Page, config: Any, files: Files) -> str:
    """Rendered: the page's own file again (mkdocs-jupyter offers it for download)."""
    if hasattr(page.file, _SOURCE):
        page.file.abs_src_path = getattr(page.file, _SOURCE)
        delattr(page.file, _SOURCE)
    return html
