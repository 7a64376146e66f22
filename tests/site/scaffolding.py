"""What the tests of `make new-topic` and `make new-example` share: running the target in
a scratch copy, a snapshot of the copy, and the checks that a scaffold is ready to use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.check_ties import problems
from tests.support import ROOT
from tests.support.site import BIN, mkdocs_build, pytest_in


def make(project: Path, target: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """`make <target>` in `project`, with this venv (the copy has none) and no install step."""
    return subprocess.run(
        ["make", "-s", target, *(f"{k}={v}" for k, v in variables.items()), f"BIN={BIN}", "STAMP="],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of the project but Python's byte-code caches."""
    return {
        str(path.relative_to(project)): path.read_bytes()
        for path in project.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_ready(project: Path, site: Path, package: str, names: list[str], tests: int) -> None:
    """The examples `names` of topic `package` build strictly, are tied, lint clean, type
    check, and `tests` tests of theirs pass: their tests, doctests and console sessions."""
    topic = package.replace("_", "-")
    build = mkdocs_build(project, site)
    assert build.returncode == 0, build.stderr
    for name in names:
        page = site / "communication-patterns" / topic / name.replace("_", "-") / "index.html"
        assert page.is_file()
        assert (site / "examples" / package / f"{name}.py").is_file()  # its download link

    assert sorted(set(problems(project)) - set(problems(ROOT))) == []  # tied, as made
    files = [f"examples/{package}", f"tests/{package}"]
    for check in (["check"], ["format", "--check"]):
        ruff = subprocess.run(
            [str(BIN / "ruff"), *check, *files], cwd=project, capture_output=True, text=True
        )
        assert ruff.returncode == 0, ruff.stdout
    mypy = run(project, "mypy", "--strict", f"examples/{package}")
    assert mypy.returncode == 0, mypy.stdout

    paths = [
        *(f"examples/{package}/{name}.py" for name in names),
        *(f"tests/{package}/test_{name}.py" for name in names),
        *(f"docs/communication-patterns/{topic}/{name.replace('_', '-')}.md" for name in names),
    ]
    result = pytest_in(project, *paths)
    assert result.returncode == 0, result.stdout
    assert f"{tests} passed" in result.stdout, result.stdout
