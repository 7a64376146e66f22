"""The Node.js script of the futures page (futures-order.md): a Promise runs its executor
at once, and await suspends even on a resolved promise. What it prints is on the page;
this file checks the claims. Skips where no `node` is installed, unless REQUIRE_NODE=1
(CI sets it): then it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.support import ROOT

SCRIPT = "examples/sync_vs_async/node/promise_order.js"


def run_node() -> list[str]:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail("REQUIRE_NODE=1 but no `node` on PATH")
        pytest.skip("no `node` on PATH")
    result = subprocess.run([node, SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_a_promise_runs_its_executor_inside_the_constructor() -> None:
    lines = run_node()
    assert lines[0].endswith("its executor ran already, inside the constructor: true")


def test_await_suspends_the_caller_even_on_a_resolved_promise() -> None:
    lines = run_node()
    assert [line[0] for line in lines] == ["1", "2", "3", "4"]  # 3, after the call, before 4
    assert lines[3] == "4. caller resumes with 42"
