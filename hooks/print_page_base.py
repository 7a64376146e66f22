"""MkDocs hook: the all-notes print page finds the site's root as every other page does,
relative to itself.

print-site renders that page with the site's absolute path (site_url's, such as
"/backend-engineering/") as Material's base, where every other page has a relative one
(".."). Served anywhere else (a fork's address, `python -m http.server` in site/), its
search asked for an index that is not there. Runs after print-site has written the page
(MkDocs calls the hooks after every plugin).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url


def on_post_build(config: Any) -> None:
    plugin = config.plugins.get("print-site")
    page = getattr(plugin, "print_page", None)
    target = Path(page.file.abs_dest_path) if page else None
    if target is None or not target.is_file():
        return  # print-site is off (PRINT_SITE=false)
    absolute = urlsplit(config.site_url or "/").path or "/"
    relative = get_relative_url(".", page.file.url)  # "..", or "." without directory URLs
    html = target.read_text(encoding="utf-8")
    # Material's base (search index, links) and its scope (settings kept in localStorage)
    for before, after in (
        (f'"base": "{absolute}"', f'"base": "{relative}"'),
        (f'new URL("{absolute}",location)', f'new URL("{relative}",location)'),
    ):
        if before not in html:
            raise PluginError(f"{target}: no {before} to make relative (has print-site changed?)")
        html = html.replace(before, after)
    target.write_text(html, encoding="utf-8")
