"""MkDocs hook: publish examples/ with the site, so each example page can link its file.

A page links `../../examples/<topic>/<name>.py`; the built site serves that file itself
(so the link works offline, in the zip and on any host), and a strict build checks the
link like any other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PUBLISHED = {".py", ".js"}  # the examples' own sources; never caches or compiled files


def on_files(files: Files, config: Any) -> Files:
    for path in sorted(EXAMPLES.rglob("*")):
        if path.suffix in PUBLISHED and "__pycache__" not in path.parts:
            uri = "examples/" + path.relative_to(EXAMPLES).as_posix()
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
