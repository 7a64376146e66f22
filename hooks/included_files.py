"""MkDocs hook: under `make serve` (``mkdocs serve --dirty``), a page is rebuilt when a file
it shows has changed, not only when its own text has.

A dirty build rebuilds only the pages whose source is newer than their built file, which
keeps a rebuild under a second here (a whole build takes seconds). But an example page
shows its module through ``--8<--`` includes, and a page with a ```mermaid fence shows its
SVG from docs/assets/diagrams/ (hooks/diagrams.py): a save in examples/, or `make
diagrams`, would leave the page showing the old code or drawing. So before each dirty
build, the built file of every page that shows a file saved since is marked older than
its source (in the temporary site folder of `mkdocs serve`; nothing in docs/ is
touched), and MkDocs rebuilds that page. (Any new SVG counts for every page with a
fence: finding which fence it draws is hooks/diagrams.py's business.)

What a dirty build still does not redo: the nav, titles and footers of the other pages.
A page renamed or moved shows there after `make serve` is started again.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

# `--8<-- "examples/x.py"` or `--8<-- "examples/x.py:region"` at a line's start; an escaped
# one (`;--8<--`) shows the line itself and includes nothing.
INCLUDE = re.compile(r"""^\s*-{1,2}8<-{1,2}\s+["']([^"':]+)""", re.MULTILINE)
FENCE = "```mermaid"
DIAGRAMS = "docs/assets/diagrams"
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
        if not built.is_file():
            continue  # not built yet: MkDocs builds it anyway
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        shown = [root / name for name in INCLUDE.findall(text)]
        newest = max((path.stat().st_mtime for path in shown if path.is_file()), default=0)
        if FENCE in text:
            newest = max(newest, diagrams)
        if newest > built.stat().st_mtime:
            os.utime(built, (0, 0))  # older than its source: rebuilt
    return files
