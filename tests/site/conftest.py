"""Fixtures for the site tests: one strict build per test session, and a scratch copy of
the project for the tests that break something on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.labs import SITE
from tests.support.once import made_once
from tests.support.site import mkdocs_build, skip_in_copy


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, executed_labs: Path) -> Path:
    """The whole site, built strictly once in the whole run, as `make build` does, with
    each lab's page showing the run the lab tests look at (hooks/executed_labs.py)."""

    def build(site: Path) -> None:
        labs = str(executed_labs / SITE)
        result = mkdocs_build(ROOT, site, LABS_EXECUTED=labs, LABS_CACHE="false", PRINT_SITE="true")
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "site", build)


@pytest.fixture
def project_copy(tmp_path: Path) -> Iterator[Path]:
    """A scratch copy of the project, to break on purpose without touching the real tree."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=skip_in_copy)
    yield copy
