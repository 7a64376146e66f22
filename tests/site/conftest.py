"""Fixtures for the site tests: one strict build per test session, and a scratch copy of
the project for the tests that break something on purpose."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# What a scratch copy needs to build the site and run its tests; never .venv or outputs.
SKIP_IN_COPY = shutil.ignore_patterns(
    ".git",
    ".venv",
    "site",
    "dist",
    ".cache",
    "__pycache__",
    "*.pyc",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".ipynb_checkpoints",
)


def mkdocs_build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of `project` into `site_dir`.

    Labs are not executed unless asked (LABS_EXECUTE="true"): the tests that break a
    copy on purpose need the pages, not 30 s of measurements.
    """
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "LABS_EXECUTE": "false", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


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
    shutil.copytree(ROOT, copy, ignore=SKIP_IN_COPY)
    yield copy
