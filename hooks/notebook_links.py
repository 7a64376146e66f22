"""MkDocs hook: in a lab (a notebook page), links as a Markdown page has them.

- A link to a page's `.md` file becomes that page's URL. MkDocs rewrites the links of
  Markdown pages; mkdocs-jupyter renders a notebook with nbconvert, which leaves
  `../communication-patterns/x/y.md` as it is. This hook does for notebook pages what
  MkDocs does for the others, so that the same link works with directory URLs (the hosted
  site) and without them (the offline zip), and a link to a missing page fails a strict
  build.
- A heading's permalink (nbconvert's `anchor-link`) gets the class that MkDocs' toc gives
  one (`headerlink`): Material's search leaves that link's pilcrow out of the heading's
  title, as on every other page ("What this shows", not "What this shows¶"), and Material
  styles it as it styles its own.
"""

from __future__ import annotations

import logging
import posixpath
import re
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.notebook_links")
MD_LINK = re.compile(r'href="(?P<path>[^":#?]+\.md)(?P<anchor>#[^"]*)?"')
PERMALINK = '<a class="anchor-link" '  # nbconvert's, after every heading's text


def on_page_content(html: str, page: Page, config: Any, files: Files) -> str:
    if page.file.src_uri.endswith(".md"):
        return html  # MkDocs has already done it

    folder = posixpath.dirname(page.file.src_uri)

    def to_url(link: re.Match[str]) -> str:
        path = posixpath.normpath(posixpath.join(folder, link["path"]))
        target = files.get_file_from_path(path)
        if target is None:
            log.warning("%s links to %r, which is not among the pages", page.file.src_uri, path)
            return link[0]
        return f'href="{target.url_relative_to(page.file)}{link["anchor"] or ""}"'

    return MD_LINK.sub(to_url, html).replace(PERMALINK, '<a class="headerlink" ')
