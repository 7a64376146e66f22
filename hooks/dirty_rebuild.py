"""MkDocs hook: what `make serve`'s dirty rebuild (``mkdocs serve --dirty``) needs to show
the site as a whole build would.

A dirty build rebuilds only the pages whose source is newer than their built file, which
keeps a rebuild under a second here (a whole build takes seconds). Two things it gets
wrong on its own:

- **A page is more than its own file.** An example page shows its module through
  ``--8<--`` includes, and a page with a diagram shows its SVG from docs/assets/diagrams/
  (hooks/diagrams.py): a save in examples/, or `make diagrams`, would leave the page
  showing the old code or drawing. So before each dirty build, the built file of every
  page that shows a file saved since is marked older than its source (in the temporary
  site folder of `mkdocs serve`; nothing in docs/ is touched), and MkDocs rebuilds it.
  (A new SVG counts for every page that has a diagram: which one it draws is
  hooks/diagrams.py's business.)
- **The search index.** Material merges a dirty rebuild's entries into the previous index
  as if one page had been rebuilt, dropping every entry whose address starts with that
  page's: a save of the home page ("") emptied search, one of a topic's index page dropped
  the topic's examples. Here the previous entries of the pages rebuilt are replaced by
  their new ones, and every other page keeps its own.

What a dirty build still does not redo: the nav, titles and footers of the other pages,
and what mkdocs.yml puts in them; they show after `make serve` is started again.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

# `--8<-- "examples/x.py"` or `--8<-- "examples/x.py:region"` at a line's start; an escaped
# one (`;--8<--`) shows the line itself and includes nothing.
INCLUDE = re.compile(r"""^\s*-{1,2}8<-{1,2}\s+["']([^"':]+)""", re.MULTILINE)
DIAGRAMS = "docs/assets/diagrams"
DIAGRAM = '<figure class="diagram"'  # how hooks/diagrams.py puts one in a built page
DIRTY = False


def on_startup(command: str, dirty: bool) -> None:
    global DIRTY
    DIRTY = dirty


def on_files(files: Files, config: Any) -> Files:
    if not DIRTY:
        return files
    root = Path(config.config_file_path).parent
    diagrams = max((svg.stat().st_mtime for svg in (root / DIAGRAMS).glob("*.svg")), default=0)
    for file in files.documentation_pages():
        built = Path(file.abs_dest_path)
        if file.abs_src_path is None or not built.is_file():
            continue  # generated, or not built yet: MkDocs builds it anyway
        since = built.stat().st_mtime
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        shown = [root / name for name in INCLUDE.findall(text)]
        newest = max((path.stat().st_mtime for path in shown if path.is_file()), default=0)
        if newest > since or (diagrams > since and DIAGRAM in built.read_text(encoding="utf-8")):
            os.utime(built, (0, 0))  # older than its source: rebuilt
    return files


def page_of(entry: dict[str, Any]) -> str:
    location: str = entry["location"]
    return location.partition("#")[0]


@event_priority(50)  # before Material's search plugin writes the index
def on_post_build(config: Any) -> None:
    search = config.plugins.get("material/search")
    previous = getattr(search, "search_index_prev", None)
    if not DIRTY or previous is None:
        return  # a whole build, or the first one of `make serve`
    index = search.search_index
    rebuilt = {page_of(entry) for entry in index.entries}
    kept = [entry for entry in previous.entries if page_of(entry) not in rebuilt]
    index.entries = kept + index.entries
    search.search_index_prev = None  # merged here: Material's own merge would run again
