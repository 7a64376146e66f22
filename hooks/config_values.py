"""MkDocs hook: `{{ repo_url }}` in a page becomes mkdocs.yml's repo_url (and likewise
`{{ repo_name }}`, `{{ site_url }}`).

The site's addresses live in one place, mkdocs.yml, which a fork changes; a page that
needs one (the home page's `git clone`) names it instead of repeating it. A page that
names a value mkdocs.yml leaves empty fails the build.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

NAMES = ("repo_url", "repo_name", "site_url")
VALUE = re.compile(r"\{\{ (" + "|".join(NAMES) + r") \}\}")


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    def value(match: re.Match[str]) -> str:
        found = config[match.group(1)]
        if not found:
            raise PluginError(f"{page.file.src_uri} names {match.group(0)}, empty in mkdocs.yml")
        return str(found)

    return VALUE.sub(value, markdown)
