"""Fixtures for the site tests: one strict build per test session, and a scratch copy of
the project for the tests that break something on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.site import mkdocs_build, skip_in_copy


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built strictly once for the session, as `make build` does: every
    lab executed, nothing from a cache."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site, LABS_EXECUTE="true", LABS_CACHE="false")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def project_copy(tmp_path: Path) -> Iterator[Path]:
    """A scratch copy of the project, to break on purpose without touching the real tree."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=skip_in_copy)
    yield copy
