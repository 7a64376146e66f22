"""`make offline`: the zip works from file://, links, diagrams and search included.

The test runs the Makefile's own recipe (into a temporary DIST), unzips the result
and browses it from the file system, as a reader who downloaded it would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.site.browser import (
    BUILD_ENV,
    BUILD_TIMEOUT,
    ROOT,
    Watch,
    nav_pages,
    new_context,
    search_word,
)

pytest_plugins = ["tests.site.browser"]

ZIP_NAME = "backend-engineering-offline.zip"


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make offline DIST=<tmp>`, unzipped elsewhere: the folder a reader gets."""
    make = shutil.which("make")
    assert make is not None, "make is needed to build the offline zip (apt-get install make)"
    dist = tmp_path_factory.mktemp("dist")
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
    unzipped = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(dist / ZIP_NAME) as archive:
        archive.extractall(unzipped)
    shutil.rmtree(dist)
    folder = unzipped / "backend-engineering"
    assert (folder / "index.html").is_file()
    assert (folder / "search" / "search_index.js").is_file()  # search without a server
    return folder


@pytest.fixture
def offline_page(browser: Any, offline_site: Path) -> Any:
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watch(offline_site.as_uri())
    watch.attach(page)
    page.goto((offline_site / "index.html").as_uri())
    yield page, watch
    context.close()


def topics() -> list[str]:
    return [p for p in nav_pages(directory_urls=False) if p.startswith("communication-patterns/")]


def test_offline_zip_links_to_every_page_and_each_topic_opens(
    offline_page: tuple[Any, Watch], offline_site: Path
) -> None:
    page, watch = offline_page
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
        if page.locator("pre.mermaid, div.mermaid").count():  # the vendored Mermaid, from disk
            page.wait_for_function(
                """() => document.querySelectorAll("pre.mermaid").length === 0
                  && [...document.querySelectorAll("div.mermaid")]
                     .every(h => h.shadowRoot && h.shadowRoot.querySelector("svg"))"""
            )
    assert watch.problems() == []
    assert all(url.startswith("file:") for url in watch.requests)


def test_offline_search_finds_and_opens_a_topic(
    offline_page: tuple[Any, Watch], offline_site: Path
) -> None:
    page, watch = offline_page
    path = topics()[-1]
    word = search_word(offline_site, path)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word, delay=10)  # the search box reacts to typed keys only
    target = (offline_site / path).as_uri()
    found = page.wait_for_function(
        """target => 1 + [...document.querySelectorAll("a.md-search-result__link")]
          .findIndex(a => a.href.split(/[?#]/)[0] === target)""",
        arg=target,
    )
    page.locator("a.md-search-result__link").nth(found.json_value() - 1).click()
    page.wait_for_url(re.compile(re.escape(target)), wait_until="domcontentloaded")
    assert word.lower() in page.locator("h1").first.inner_text().lower()
    assert watch.problems() == []
