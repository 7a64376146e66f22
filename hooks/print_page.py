"""MkDocs hook: the print page (print-site's print_page/) holds the notes, and finds the
site's root relatively, as every other page does.

- **The notes, not the examples.** The notes are the home page, the section pages and each
  topic's index.md; an example page (``communication-patterns/<topic>/<example>``, or a
  folder of them) shows whole files of code to run, and the labs are measurements. Both are
  left off the print page, and its links to them lead to their own pages on the site
  (print-site would make them anchors of the print page, which would not exist). Merging
  every page also cost print-site 4 s of a 9 s build: it re-reads each page's HTML with a
  regular expression that is slow on lines of highlighted code.
- **A relative root.** print-site renders the print page with the site's absolute path
  (site_url's, such as "/backend-engineering/") as Material's base, where every other page
  has a relative one (".."). Served anywhere else (a fork's address, ``python -m
  http.server`` in site/), its search asked for an index that is not there.

- **Its files on its page only.** print-site adds its two style sheets and its script to
  every page, where nothing uses them: they style and arrange the print page. On any other
  page the style sheets held up the first paint (Lighthouse, the anatomy page, mobile:
  first contentful paint 1.65 s with them, 1.22 s without; performance 0.85 against 0.91).

Runs after print-site (MkDocs calls the hooks after every plugin): on_nav once print-site has
taken the nav's items, which it merges at the end of the build; on_post_build once it has
written the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs_print_site_plugin.urls import get_page_key

LEFT_OFF: list[Any] = []  # the pages of the nav that are not on the print page


def is_note(src_uri: str) -> bool:
    """A page of the notes, as opposed to an example's page or a lab."""
    parts = src_uri.split("/")
    if parts[0] == "labs":
        return False
    if parts[0] == "communication-patterns" and len(parts) >= 3:
        return parts[2:] == ["index.md"]  # the topic's page; anything deeper is an example's
    return True


def notes_only(items: list[Any]) -> list[Any]:
    """The notes' pages in nav order, without the sections around them: each section has an
    index page of the same title, which print-site would show twice (a section's heading,
    then its page's)."""
    kept = []
    for item in items:
        if item.is_section:
            kept += notes_only(item.children)
        elif item.is_page and is_note(item.file.src_uri):
            kept.append(item)
    return kept


def print_site(config: Any) -> Any:
    """The print-site plugin, or None when it is off (PRINT_SITE=false)."""
    plugin = config.plugins.get("print-site")
    return plugin if plugin is not None and plugin.config.get("enabled") else None


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    plugin = print_site(config)
    if plugin is None:
        return nav
    # What print-site merges (it took the nav's items in its own on_nav, just before)
    plugin.renderer.items = notes_only(plugin.renderer.items)
    LEFT_OFF[:] = [page for page in nav.pages if not is_note(page.file.src_uri)]
    return nav


PRINT_PAGE_FILES = ("css/print-site.css", "css/print-site-material.css", "js/print-site.js")


def on_post_page(output: str, page: Any, config: Any) -> str:
    plugin = print_site(config)
    if plugin is None or page is plugin.print_page:
        return output
    return without_print_page_files(output, page.file.src_uri)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    if print_site(config) is None or template_name != "404.html":
        return output
    return without_print_page_files(output, template_name)


def without_print_page_files(html: str, name: str) -> str:
    for path in PRINT_PAGE_FILES:
        url = rf'[^"]*{re.escape(path)}'  # relative on a page, absolute on 404.html
        tag = rf'\s*(<link rel="stylesheet" href="{url}">|<script src="{url}"></script>)'
        html, found = re.subn(tag, "", html, count=1)
        if not found:
            raise PluginError(f"{name}: no {path} to leave out (has print-site changed?)")
    return html


def on_post_build(config: Any) -> None:
    plugin = print_site(config)
    page = plugin.print_page if plugin else None
    target = Path(page.file.abs_dest_path) if page else None
    if target is None or not target.is_file():
        return  # print-site is off (PRINT_SITE=false)
    html = target.read_text(encoding="utf-8")
    html = relative_root(html, config, page, target)
    html = links_to_pages_left_off(html, page)
    target.write_text(html, encoding="utf-8")


def relative_root(html: str, config: Any, page: Any, target: Path) -> str:
    absolute = urlsplit(config.site_url or "/").path or "/"
    relative = get_relative_url(".", page.file.url)  # "..", or "." without directory URLs
    # Material's base (search index, links) and its scope (settings kept in localStorage)
    for before, after in (
        (f'"base": "{absolute}"', f'"base": "{relative}"'),
        (f'new URL("{absolute}",location)', f'new URL("{relative}",location)'),
    ):
        if before not in html:
            raise PluginError(f"{target}: no {before} to make relative (has print-site changed?)")
        html = html.replace(before, after)
    return html


ID = re.compile(r"""(?<![\w-])id=["']([^"']*)["']""")


def links_to_pages_left_off(html: str, page: Any) -> str:
    """print-site turned each link to a page into ``#<page key>[-<anchor>]``; for a page left
    off, the link goes to the page itself. A key can begin another (postgres-wire,
    postgres-wire-protocol) and an anchor can begin like a page (#<key>-protocol-x): a link
    is read as the page whose key and anchor it is, and one that is an id of the print
    page itself is left alone."""
    # each page left off: its key -> (its URL from the print page, its ids)
    left_off = {
        get_page_key(p.url): (
            get_relative_url(p.url, page.file.url),
            set(ID.findall(p.content or "")),
        )
        for p in LEFT_OFF
    }
    here = set(ID.findall(html))

    def to_page(match: re.Match[str]) -> str:
        target = match[1]
        if target in here:
            return match[0]
        for key, (url, anchors) in left_off.items():
            if target == key:
                return f'href="{url}"'
            anchor = target.removeprefix(key + "-")
            if anchor != target and anchor in anchors:
                return f'href="{url}#{anchor}"'
        return match[0]

    return re.sub(r'href="#([^"]+)"', to_page, html)
