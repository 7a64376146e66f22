"""Lab pages in the built site: executed, their setup and plotting code hidden, their
figures inline SVG in the page's colours, their notebook offered for download whole, and
their sections in the search index by their headings' text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.site.browser import nav_pages
from tests.support import ROOT
from tests.support.labs import Run


def lab_pages(built_site: Path) -> dict[str, str]:
    labs = [url for url in nav_pages() if url.startswith("labs/") and url != "labs/"]
    assert len(labs) == 3
    return {
        url.strip("/").split("/")[-1]: (built_site / url / "index.html").read_text("utf-8")
        for url in labs
    }


def test_every_lab_page_is_executed_and_links_its_notebook(built_site: Path) -> None:
    for name, html in lab_pages(built_site).items():
        assert f'href="{name}.py" download' in html
        assert (built_site / "labs" / name / f"{name}.py").read_text() == (
            ROOT / "docs" / "labs" / f"{name}.py"
        ).read_text(), "the download is the whole lab, hidden cells included"
        figures = re.findall(r'<svg [^>]*role="img"[^>]*>', html)
        assert figures, f"{name}: no figure, so it did not execute"
        assert all("aria-label=" in svg for svg in figures)
        assert not re.search(r'<img [^>]*src="data:image/png', html), "a raster figure"
        assert re.search(r"Measured on Python [\d.]+, \d+ CPUs", html), name


def test_lab_pages_hide_setup_and_plotting_code(built_site: Path) -> None:
    for name, html in lab_pages(built_site).items():
        assert "rcParams" not in html, f"{name}: the setup cell's code is on the page"
        assert "show_figure(" not in html, f"{name}: plotting code is on the page"
        assert "celltag_remove-input" in html  # the hidden cells are there, their code not
        assert "What this shows" in html


def test_lab_figures_follow_the_palette(built_site: Path) -> None:
    """Text, axes and grid are drawn in the page's colour, the background left to it:
    one drawing reads in the light and the dark scheme."""
    for name, html in lab_pages(built_site).items():
        for svg in re.findall(r'<svg [^>]*role="img".*?</svg>', html, re.S):
            assert "currentColor" in svg, name
            assert "#010101" not in svg and "#fefefe" not in svg, name  # stand-ins replaced
            assert 'fill: #ffffff"' not in svg, f"{name}: an opaque white background"


def test_each_lab_page_shows_the_run_that_the_lab_tests_checked(
    built_site: Path, executed_labs: Path
) -> None:
    """Labs run once per test run: the build shows those runs (hooks/executed_labs.py),
    so the page's finding has that run's measured figures (decimals, which vary by run)."""
    for name, html in lab_pages(built_site).items():
        run = Run.load(executed_labs, name)
        [cell] = [c for c in run.lab_cells if "finding" in c.metadata.get("tags", [])]
        figures = re.findall(r"\d[\d,]*\.\d+", cell.outputs[0].data["text/markdown"])
        assert figures, name
        assert [f for f in figures if f not in html] == [], name


def test_lab_headings_are_searched_by_their_text_without_the_permalink_sign(
    built_site: Path,
) -> None:
    """A search result names a lab's section as it names any page's ("What this shows"),
    not with the pilcrow of nbconvert's permalink after it (hooks/notebook_links.py)."""
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    lab_titles = [doc["title"] for doc in index["docs"] if doc["location"].startswith("labs/")]
    assert "What this shows" in lab_titles
    assert [title for title in lab_titles if "¶" in title] == []
    for name, html in lab_pages(built_site).items():
        assert 'class="headerlink" href="#what-this-shows"' in html, name  # still a permalink
