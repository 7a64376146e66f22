"""Diagrams: each ```mermaid fence has its current SVG, the build puts it in the page, and
no page loads Mermaid (hooks/diagrams.py, scripts/render_diagrams.py).

An SVG is named by a hash of its fence's source, the Mermaid version and the render
settings, so "current" needs no browser: the file of that name exists. Rendering is
checked once, on a scratch copy, where a browser is.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from hooks import diagrams
from tests.support import ROOT
from tests.support.browser import chromium_executable
from tests.support.site import mkdocs_build

FIGURE = re.compile(r'<figure class="diagram" data-search-exclude>(<svg [^>]*>)')


def all_fences() -> list[tuple[str, diagrams.Fence]]:
    return [
        (path.relative_to(diagrams.DOCS).as_posix(), fence)
        for path in diagrams.markdown_files()
        for fence in diagrams.fences(path.read_text(encoding="utf-8"))
    ]


def built_page(site: Path, src_uri: str) -> str:
    dest = File(src_uri, "docs", str(site), use_directory_urls=True).dest_uri
    return (site / dest).read_text(encoding="utf-8")


def test_the_pages_have_diagrams() -> None:
    assert len(all_fences()) >= 10, "DESIGN.md: one sequence diagram per pattern"


def test_every_fence_has_its_current_svg() -> None:
    missing = [
        f"docs/{page}:{fence.start + 1}: no {diagrams.svg_path(fence.key).name}"
        for page, fence in all_fences()
        if not diagrams.svg_path(fence.key).is_file()
    ]
    assert not missing, "run `make diagrams`:\n" + "\n".join(missing)


def test_every_svg_is_drawn_by_a_fence() -> None:
    keys = {fence.key for _, fence in all_fences()}
    unused = [p.name for p in diagrams.OUTPUT.glob("*") if p.stem not in keys]
    assert not unused, f"run `make diagrams`, which deletes them: {unused}"


def test_each_svg_is_a_drawing_only() -> None:
    """No stylesheet (the page's colours it), no script, nothing fetched from anywhere."""
    for path in sorted(diagrams.OUTPUT.glob("*.svg")):
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg ") and "viewBox=" in svg, path.name
        for needle in ("<style", "<script", "<foreignObject", "http://", "https://", "\n\n"):
            if needle in svg.replace('xmlns="http://www.w3.org/2000/svg"', ""):
                pytest.fail(f"{path.name} holds {needle!r}")


def test_no_label_loses_its_end_to_a_hash() -> None:
    """Mermaid reads '#' as the start of a comment: 'charge #1, kept' draws 'charge'."""
    lost = [
        f"docs/{page}:{fence.start + 2 + n}: {line.strip()}"
        for page, fence in all_fences()
        for n, line in enumerate(fence.source.splitlines())
        if diagrams.LOST_TO_A_HASH.search(line)
    ]
    assert not lost, "write #35; for '#' in a diagram:\n" + "\n".join(lost)


def test_fences_found_where_markdown_has_them() -> None:
    page = "\n".join(
        [
            "````markdown",
            "```mermaid",
            "sequenceDiagram",
            "```",
            "````",
            '!!! note "In an admonition"',
            "    ```mermaid",
            "    sequenceDiagram",
            "        A->>B: hi",
            "    ```",
        ]
    )
    (fence,) = diagrams.fences(page)  # the example inside ````markdown is no diagram
    assert (fence.indent, fence.start, fence.end) == ("    ", 6, 9)
    assert fence.source == "sequenceDiagram\n    A->>B: hi"


def test_text_alternative_says_who_does_what_in_order() -> None:
    source = """sequenceDiagram
    participant C as Client
    participant S as Server
    Note over C,S: a first try<br/>and a second
    loop each chunk
        C->>+S: PATCH#59; then wait
        S--x-C: 204 (lost)
    end
    S->>S: work"""
    assert diagrams.text_alternative(source) == (
        "Sequence diagram of Client and Server. Note over Client and Server: a first try, "
        "and a second. Loop: each chunk. Client to Server: PATCH; then wait. "
        "Server to Client (lost): 204 (lost). End of loop. Server to itself: work."
    )


def test_built_pages_hold_no_mermaid(built_site: Path) -> None:
    assert not (built_site / "assets" / "vendor" / "mermaid").exists()
    assert not (built_site / "assets" / "diagrams").exists(), "inlined, not published"
    for page in sorted(built_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(built_site).as_posix()
        assert 'class="mermaid"' not in text, name
        assert "language-mermaid" not in text, f"{name}: a fence left as code"
        assert not re.search(r"<script[^>]+src=[^>]*mermaid", text), name


def test_each_diagram_is_in_its_page_with_a_text_alternative(built_site: Path) -> None:
    by_page: dict[str, list[diagrams.Fence]] = {}
    for page, fence in all_fences():
        by_page.setdefault(page, []).append(fence)
    for page, fences in by_page.items():
        text = built_page(built_site, page)
        svgs = FIGURE.findall(text)
        assert len(svgs) == len(fences), page
        for svg, fence in zip(svgs, fences, strict=True):
            label = html.escape(diagrams.text_alternative(fence.source), quote=True)
            assert f'role="img" aria-label="{label}"' in svg, page
            assert f'id="d{fence.key}"' in svg, f"{page}: not the fence's own SVG"
        assert "assets/stylesheets/diagrams.css" in text, f"{page}: its diagrams' colours"
    without = built_page(built_site, "contributing.md")
    assert "diagrams.css" not in without, "a page without a diagram pays nothing for them"


def edit_first_fence(project: Path) -> tuple[str, diagrams.Fence, str]:
    """Add a note to the first diagram of the copy's pages: (page, old fence, new source)."""
    page, fence = all_fences()[0]
    path = project / "docs" / page
    edited = fence.source + "\n    Note over Z: an edit"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[fence.start + 1 : fence.end] = [fence.indent + line for line in edited.split("\n")]
    path.write_text("\n".join(lines), encoding="utf-8")
    return page, fence, edited


def test_an_edited_fence_fails_the_strict_build(project_copy: Path) -> None:
    page, fence, _ = edit_first_fence(project_copy)
    result = mkdocs_build(project_copy, project_copy / "site")
    assert result.returncode != 0, "a stale diagram must fail the strict build"
    expected = f"{page}: the diagram at line {fence.start + 1} has no current SVG"
    assert expected in result.stderr, result.stderr[-3000:]
    assert "run `make diagrams`" in result.stderr


def test_make_diagrams_draws_what_changed_and_deletes_what_no_fence_draws(
    project_copy: Path,
) -> None:
    if chromium_executable() is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("no Chromium at /usr/lib/chromium/chromium, and REQUIRE_BROWSER=1")
        pytest.skip("no Chromium at /usr/lib/chromium/chromium")
    _, fence, edited = edit_first_fence(project_copy)
    output = project_copy / diagrams.OUTPUT.relative_to(ROOT)

    run = subprocess.run(
        [sys.executable, "-m", "scripts.render_diagrams"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    drawn = [line for line in run.stdout.splitlines() if line.startswith("rendered ")]
    assert len(drawn) == 1, f"only the edited fence is drawn again:\n{run.stdout}"
    assert not (output / f"{fence.key}.svg").exists(), "the old drawing is deleted"
    svg = (output / f"{diagrams.diagram_key(edited)}.svg").read_text(encoding="utf-8")
    assert ">an edit<" in svg and "<style" not in svg
