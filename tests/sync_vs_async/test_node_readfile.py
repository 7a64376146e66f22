"""The Node.js example runs, and prints what the page shows.

Skips where no `node` is installed, unless REQUIRE_NODE=1 (CI sets it): then it fails.
The page's Node.js tab shows each command in a ```bash block followed by its output in
a ```text block; this test runs the command from the project's root and checks every
line (``...`` matches anything), as the console blocks of the other pages are checked.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "examples/sync_async/node/readfile.js"
PAGE = ROOT / "docs" / "communication-patterns" / "sync-vs-async.md"
SHOWN = re.compile(
    r"```bash\n(?P<indent>[ \t]*)(?P<command>UV_THREADPOOL_SIZE=\d node \S+)\n[ \t]*```\n"
    r"\s*```text\n(?P<output>.*?)[ \t]*```",
    re.DOTALL,
)


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail("REQUIRE_NODE=1 but no `node` on PATH")
        pytest.skip("no `node` on PATH")
    return found


def run(pool_size: int) -> str:
    env = {**os.environ, "UV_THREADPOOL_SIZE": str(pool_size)}
    result = subprocess.run(
        [node(), SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_main_loop_runs_while_the_pool_reads_and_one_thread_serializes() -> None:
    four, one = run(4), run(1)
    assert "libuv thread pool size: 4" in four
    assert "the quick reads waited behind the blocked one: false" in four
    assert "libuv thread pool size: 1" in one
    assert "the quick reads waited behind the blocked one: true" in one
    for output in (four, one):
        assert "main loop kept running meanwhile (at least 5 ticks): true" in output


def test_the_page_shows_what_the_script_prints() -> None:
    shown = list(SHOWN.finditer(PAGE.read_text(encoding="utf-8")))
    assert len(shown) == 2, "the page should show the script run with pool sizes 4 and 1"
    for block in shown:
        pool_size = int(block["command"].split("=")[1].split()[0])
        want = "".join(
            line.removeprefix(block["indent"]) + "\n" for line in block["output"].splitlines()
        )
        got = run(pool_size)
        assert doctest.OutputChecker().check_output(want, got, doctest.ELLIPSIS), (want, got)


def test_no_fifo_folder_is_left_in_the_temp_dir() -> None:
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("readfile-*"))
    run(4)
    assert set(Path(os.environ.get("TMPDIR", "/tmp")).glob("readfile-*")) <= before
