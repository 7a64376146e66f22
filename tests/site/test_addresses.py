"""The site's addresses (site_url, repo_url, repo_name) live in mkdocs.yml alone: a fork
changes them there, and the pages follow (hooks/config_values.py)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from hooks import config_values
from tests.support import ROOT
from tests.support.site import config, mkdocs_build

SKIP = {".git", ".venv", "site", "dist", ".cache", "node_modules", "__pycache__"}


def text_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not SKIP.intersection(path.relative_to(root).parts):
            found.append(path)
    return found


def test_the_repository_is_named_in_mkdocs_yml_alone() -> None:
    names = {config()["repo_url"], config()["repo_name"]}
    holders = []
    for path in text_files(ROOT):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # a binary file (an image, a wasm) names nothing
        if any(name in text for name in names):
            holders.append(str(path.relative_to(ROOT)))
    assert holders == ["mkdocs.yml"], "name it {{ repo_url }} (hooks/config_values.py)"


def render(markdown: str, **values: Any) -> str:
    page: Any = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    return config_values.on_page_markdown(markdown, page, values, Files([]))


def test_the_hook_puts_the_values_of_mkdocs_yml_in_a_page() -> None:
    page = "git clone {{ repo_url }} x\n{{ repo_name }} at {{ site_url }}; ${{ github.ref }}"
    values = {"repo_url": "https://e.org/a/b", "repo_name": "a/b", "site_url": "https://a.io/"}
    assert render(page, **values) == (
        "git clone https://e.org/a/b x\na/b at https://a.io/; ${{ github.ref }}"
    )


def test_a_page_naming_an_empty_value_fails() -> None:
    with pytest.raises(PluginError, match=r"index.md names \{\{ repo_url \}\}"):
        render("git clone {{ repo_url }}", repo_url=None, repo_name="", site_url="")


def test_a_fork_changes_mkdocs_yml_and_the_home_page_follows(project_copy: Path) -> None:
    yml = project_copy / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^repo_url: .*$", "repo_url: https://github.com/a-fork/notes", text)
    assert count == 1
    yml.write_text(text, encoding="utf-8")
    result = mkdocs_build(project_copy, project_copy / "site")
    assert result.returncode == 0, result.stderr
    home = (project_copy / "site" / "index.html").read_text(encoding="utf-8")
    assert "git clone https://github.com/a-fork/notes backend-engineering" in re.sub(
        r"<[^>]+>", "", home
    )
