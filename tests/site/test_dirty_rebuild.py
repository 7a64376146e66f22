"""`make serve` rebuilds only what changed (`mkdocs serve --dirty`), and shows the site as a
whole build would (hooks/dirty_rebuild.py): a page whose example was saved, or whose
diagram was drawn again, is rebuilt; and the search index keeps every page.

Shown on a project of three pages (Material, the hook or not), built twice into one folder
with ``mkdocs build --dirty`` (what `mkdocs serve --dirty` runs on each save), and served
by ``mkdocs serve --dirty`` for the search index, which only a live server keeps between
rebuilds.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support import ROOT, free_port
from tests.support.site import BIN, fetch_text

HOOKED = pytest.mark.parametrize("hooked", [True, False], ids=["with-the-hook", "without"])
SERVE_TIMEOUT = 60  # seconds for `mkdocs serve` to answer, and for a rebuild to show


def project(folder: Path, hooked: bool) -> Path:
    hook = f"hooks: [{ROOT / 'hooks' / 'dirty_rebuild.py'}]\n" if hooked else ""
    (folder / "mkdocs.yml").write_text(
        "site_name: three pages\ntheme: {name: material, font: false}\n"
        + hook
        + "markdown_extensions:\n  - pymdownx.snippets: {base_path: ['.'], check_paths: true}\n",
        encoding="utf-8",
    )
    docs = folder / "docs"
    (docs / "assets" / "diagrams").mkdir(parents=True)
    (docs / "index.md").write_text(
        '# Shows the example\n\n```python\n--8<-- "examples/demo.py"\n```\n', encoding="utf-8"
    )
    (docs / "other.md").write_text("# Includes nothing\n", encoding="utf-8")
    # What hooks/diagrams.py makes of a ```mermaid fence: its SVG, in a figure.
    (docs / "drawn.md").write_text(
        '# Draws a diagram\n\n<figure class="diagram"><svg></svg></figure>\n', encoding="utf-8"
    )
    (docs / "assets" / "diagrams" / "first.svg").write_text("<svg/>\n", encoding="utf-8")
    (folder / "examples").mkdir()
    (folder / "examples" / "demo.py").write_text("print('apricot')\n", encoding="utf-8")
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


@HOOKED
def test_a_saved_example_or_diagram_rebuilds_the_page_that_shows_it_and_no_other(
    tmp_path: Path, hooked: bool
) -> None:
    folder = project(tmp_path, hooked)
    dirty_build(folder)
    site = folder / "site"
    page, drawn, other = site / "index.html", site / "drawn" / "index.html", site / "other"
    assert "apricot" in page.read_text(encoding="utf-8")
    drawn_built, other_built = drawn.stat().st_mtime_ns, (other / "index.html").stat().st_mtime_ns

    example = folder / "examples" / "demo.py"
    example.write_text("print('blueberry')\n", encoding="utf-8")
    later(example)
    svg = folder / "docs" / "assets" / "diagrams" / "second.svg"  # `make diagrams` drew anew
    svg.write_text("<svg/>\n", encoding="utf-8")
    later(svg)
    dirty_build(folder)

    shown = page.read_text(encoding="utf-8")
    if hooked:
        assert "blueberry" in shown and "apricot" not in shown
        assert drawn.stat().st_mtime_ns != drawn_built
    else:  # MkDocs alone looks at the page's own file: the old code stays, and the drawing
        assert "apricot" in shown and "blueberry" not in shown
        assert drawn.stat().st_mtime_ns == drawn_built
    assert (other / "index.html").stat().st_mtime_ns == other_built  # the point of --dirty


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`mkdocs serve --dirty` of folder on a free port: its address once it answers. Its log
    goes to a file, which nothing has to keep reading for the server to go on."""
    address = f"127.0.0.1:{free_port()}"
    log = folder / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", address],
            cwd=folder,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://{address}/"
        deadline = time.monotonic() + SERVE_TIMEOUT
        while fetch_text(url, SERVE_TIMEOUT) is None:
            assert process.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            assert time.monotonic() < deadline, f"mkdocs serve did not answer on {url}"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=SERVE_TIMEOUT)


def indexed_pages(url: str, word: str) -> set[str]:
    """The pages in the served search index, once it holds word (polled: a rebuild has no
    event to wait on from outside the server)."""
    deadline = time.monotonic() + SERVE_TIMEOUT
    while word not in (text := fetch_text(url + "search/search_index.json", SERVE_TIMEOUT) or ""):
        assert time.monotonic() < deadline, f"{word!r} not in the search index"
        time.sleep(0.1)
    return {doc["location"].partition("#")[0] for doc in json.loads(text)["docs"]}


@HOOKED
def test_after_a_save_of_the_home_page_search_still_finds_every_page(
    tmp_path: Path, hooked: bool
) -> None:
    folder = project(tmp_path, hooked)
    with serving(folder) as url:
        assert indexed_pages(url, "Includes nothing") == {"", "other/", "drawn/"}
        with (folder / "docs" / "index.md").open("a", encoding="utf-8") as page:
            page.write("\nA word added: aardvark.\n")
        after = indexed_pages(url, "aardvark")
    if hooked:
        assert after == {"", "other/", "drawn/"}
    else:  # Material's merge drops every entry whose address starts with "", the home's
        assert after == {""}
