"""`make serve` rebuilds only what changed (`mkdocs serve --dirty`), and a page whose
example was saved, or whose diagram was drawn again, is part of what changed
(hooks/included_files.py).

Shown on a project of three pages, built twice into one folder with ``mkdocs build
--dirty`` (what `mkdocs serve --dirty` runs on each save), with and without the hook.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.site import BIN


def project(folder: Path, hooked: bool) -> Path:
    hook = f"hooks: [{ROOT / 'hooks' / 'included_files.py'}]\n" if hooked else ""
    (folder / "mkdocs.yml").write_text(
        "site_name: two pages\ntheme: mkdocs\n" + hook + "markdown_extensions:\n"
        "  - pymdownx.snippets: {base_path: ['.'], check_paths: true}\n",
        encoding="utf-8",
    )
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text(
        '# Shows the example\n\n```python\n--8<-- "examples/demo.py"\n```\n', encoding="utf-8"
    )
    (folder / "docs" / "other.md").write_text("# Includes nothing\n", encoding="utf-8")
    (folder / "docs" / "drawn.md").write_text(
        "# Draws a diagram\n\n```mermaid\nsequenceDiagram\n```\n", encoding="utf-8"
    )
    (folder / "docs" / "assets" / "diagrams").mkdir(parents=True)
    (folder / "docs" / "assets" / "diagrams" / "first.svg").write_text("<svg/>\n", encoding="utf-8")
    (folder / "examples").mkdir()
    (folder / "examples" / "demo.py").write_text("print('first')\n", encoding="utf-8")
    return folder


def dirty_build(folder: Path) -> None:
    subprocess.run(
        [str(BIN / "mkdocs"), "build", "--dirty", "--site-dir", "site"],
        cwd=folder,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
    )


def later(path: Path) -> None:
    """Newer than the built pages, whatever the clock's resolution."""
    when = time.time() + 5
    os.utime(path, (when, when))


@pytest.mark.parametrize("hooked", [True, False], ids=["with-the-hook", "without"])
def test_a_saved_example_or_diagram_rebuilds_the_page_that_shows_it_and_no_other(
    tmp_path: Path, hooked: bool
) -> None:
    folder = project(tmp_path, hooked)
    dirty_build(folder)
    site = folder / "site"
    page, drawn, other = site / "index.html", site / "drawn" / "index.html", site / "other"
    assert "first" in page.read_text(encoding="utf-8")
    drawn_built, other_built = drawn.stat().st_mtime_ns, (other / "index.html").stat().st_mtime_ns

    example = folder / "examples" / "demo.py"
    example.write_text("print('second')\n", encoding="utf-8")
    later(example)
    svg = folder / "docs" / "assets" / "diagrams" / "second.svg"  # `make diagrams` drew anew
    svg.write_text("<svg/>\n", encoding="utf-8")
    later(svg)
    dirty_build(folder)

    shown = page.read_text(encoding="utf-8")
    if hooked:
        assert "second" in shown and "first" not in shown
        assert drawn.stat().st_mtime_ns != drawn_built
    else:  # MkDocs alone looks at the page's own file: the old code stays, and the drawing
        assert "first" in shown and "second" not in shown
        assert drawn.stat().st_mtime_ns == drawn_built
    assert (other / "index.html").stat().st_mtime_ns == other_built  # the point of --dirty
