"""MkDocs hook: a lab page without the 600 kB that mkdocs-jupyter writes into every
notebook page and a lab does not use.

- JupyterLab's whole stylesheet (its widgets, its editor, its themes: 574 kB, then 10 kB
  of the light theme's variables), where a lab uses a dozen of its classes: 80 % of a lab
  page's bytes, parsed on every visit. The few rules a lab needs are in extra.css, in
  Material's colours and sizes (so the dark scheme follows).
- nbconvert's Mermaid loader (12 kB of script that would import Mermaid from a CDN if a
  cell drew a diagram; none does, and nothing here may leave the origin) and its style.
- A second copy of the code's token colours, written as a Python list's repr (the first,
  a real stylesheet, stays).
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.exceptions import PluginError

ANY = r"(?:(?!</(?:style|script)>).)*?"  # within one block
# JupyterLab's rules, scoped under .jupyter-wrapper: in every notebook page.
JUPYTERLAB = re.compile(
    rf'<style type="text/css">{ANY}\.jupyter-wrapper\s*\{{{ANY}</style>', re.DOTALL
)
# In some pages only (the list's repr: in executed notebooks).
MAYBE = [
    re.compile(rf'<script type="module">{ANY}\.jp-Mermaid{ANY}</script>', re.DOTALL),
    re.compile(rf"<style>\s*\.jp-Mermaid{ANY}</style>", re.DOTALL),
    re.compile(rf"<style>\s*\['pre {{{ANY}</style>", re.DOTALL),
]


def on_post_page(output: str, page: Any, config: Any) -> str:
    if 'class="jupyter-wrapper"' not in output:
        return output  # not a notebook
    output, removed = JUPYTERLAB.subn("", output)
    if removed != 2:  # the stylesheet, then its light theme's variables
        raise PluginError(
            f"{page.file.src_uri}: {removed} JupyterLab stylesheets where 2 were expected "
            "(has mkdocs-jupyter changed how it writes its CSS?)"
        )
    for unused in MAYBE:
        output = unused.sub("", output)
    return output
