"""Lab pages in the built site: executed, and offering their notebook for download."""

from __future__ import annotations

from pathlib import Path

from tests.site.browser import nav_pages
from tests.support import ROOT


def test_every_lab_page_is_executed_and_links_its_notebook(built_site: Path) -> None:
    labs = [url for url in nav_pages() if url.startswith("labs/") and url != "labs/"]
    assert len(labs) == 3
    for url in labs:
        name = url.strip("/").split("/")[-1]
        page = built_site / url / "index.html"
        html = page.read_text(encoding="utf-8")
        assert f'href="{name}.py" download' in html
        assert (page.parent / f"{name}.py").read_text() == (
            ROOT / "docs" / "labs" / f"{name}.py"
        ).read_text()
        assert "data:image/png;base64," in html, f"{name}: no figure, so it did not execute"
