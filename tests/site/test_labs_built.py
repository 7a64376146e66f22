"""Lab pages in the built site: executed, and offering their notebook for download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.site.conftest import ROOT


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, taking its !ENV and !!python tags as plain nulls."""


ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def lab_pages() -> list[str]:
    config: dict[str, Any] = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=ConfigLoader)
    nav = config["nav"]
    labs = next(entry["Labs"] for entry in nav if isinstance(entry, dict) and "Labs" in entry)
    return [Path(next(iter(e.values()))).stem for e in labs if isinstance(e, dict)]


def test_every_lab_page_is_executed_and_links_its_notebook(built_site: Path) -> None:
    names = lab_pages()
    assert len(names) == 3
    for name in names:
        page = built_site / "labs" / name / "index.html"
        html = page.read_text(encoding="utf-8")
        assert f'href="{name}.py" download' in html
        assert (page.parent / f"{name}.py").read_text() == (
            ROOT / "docs" / "labs" / f"{name}.py"
        ).read_text()
        assert "data:image/png;base64," in html, f"{name}: no figure, so it did not execute"
