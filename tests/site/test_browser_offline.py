"""`make offline`: the zip works from file://, links, diagrams and search included.

The test runs the Makefile's own recipe (into a temporary DIST), unzips the result
and browses it from the file system, as a reader who downloaded it would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.site.browser import diagrams_shown, search_and_open, search_word
from tests.support import ROOT
from tests.support.browser import Watch
from tests.support.once import made_once
from tests.support.site import BUILD_ENV, BUILD_TIMEOUT, nav_pages

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytest_plugins = ["tests.site.browser"]

ZIP_NAME = "backend-engineering-offline.zip"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's, without base_url: these pages are files, not the served site
    (and so these tests need neither its build nor its server)."""
    return {key: value for key, value in browser_context_args.items() if key != "base_url"}


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make offline DIST=<tmp>`, unzipped elsewhere: the folder a reader gets. Made once in
    the whole run (tests/support/once.py): the module's tests may run on two workers."""
    return made_once(tmp_path_factory, "offline", make_offline) / "backend-engineering"


def make_offline(unzipped: Path) -> None:
    make = shutil.which("make")
    assert make is not None, "make is needed to build the offline zip (apt-get install make)"
    dist = unzipped / "dist"
    result = subprocess.run(
        # -o: the venv is set up already (make test did it); do not reinstall it here.
        [make, "-s", "-o", ".venv/.installed-requirements", "offline", f"DIST={dist}"],
        cwd=ROOT,
        # Labs shown unexecuted, as under `make serve`: what is tested here is file://
        # (links, Mermaid, search), and the session's strict build runs the labs already.
        env={**os.environ, **BUILD_ENV, "LABS_EXECUTE": "false"},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(dist / ZIP_NAME) as archive:
        archive.extractall(unzipped)
    shutil.rmtree(dist)
    folder = unzipped / "backend-engineering"
    assert (folder / "index.html").is_file()
    assert (folder / "search" / "search_index.js").is_file()  # search without a server


def topics() -> list[str]:
    return [p for p in nav_pages(directory_urls=False) if p.startswith("communication-patterns/")]


def test_offline_zip_links_to_every_page_and_each_topic_opens(
    page: Page, watch: Watch, offline_site: Path
) -> None:
    page.goto((offline_site / "index.html").as_uri())
    links = page.locator("nav.md-nav--primary a.md-nav__link")
    hrefs = links.evaluate_all("links => links.map(a => a.href.split('#')[0])")
    for path in nav_pages(directory_urls=False):
        assert (offline_site / path).as_uri() in hrefs, f"no link to {path}"
        assert (offline_site / path).is_file()
    for path in topics():  # follow the links, as a reader does, through each topic
        target = (offline_site / path).as_uri()
        hrefs = links.evaluate_all("links => links.map(a => a.href.split('#')[0])")
        links.nth(hrefs.index(target)).click()
        page.wait_for_url(target)
        assert page.locator("h1").first.is_visible()
        shown, total = diagrams_shown(page)
        assert shown == total, f"{path}: {shown} of {total} diagrams shown"
    assert watch.problems() == []
    assert all(url.startswith("file:") for url in watch.requests)


def test_offline_search_finds_and_opens_a_topic(
    page: Page, watch: Watch, offline_site: Path
) -> None:
    page.goto((offline_site / "index.html").as_uri())
    path = topics()[-1]
    search_and_open(page, search_word(offline_site, path), (offline_site / path).as_uri())
    assert watch.problems() == []
