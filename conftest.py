"""Sybil runs what the site shows.

- doctests in the docstrings of ``examples/**/*.py``;
- ``pycon`` and ``python`` blocks in ``docs/**/*.md`` (a block that only includes a
  file with ``--8<--`` is the included file's business, not run here);
- ``console`` blocks in ``docs/**/*.md``: each ``$ `` line runs in a shell, in a
  temporary folder kept for the whole page (linking the project's examples/ and
  benchmarks/, so paths work as from the project's root), and what it prints must
  match the lines shown under it (``...`` stands for any text, as in doctests). A
  server that a page's shell session talks to is started by an HTML comment just
  before the block: ``<!-- console-background: python -m examples.x --port 8080 -->``;
  it must print one line when it is ready, and it is stopped when the page's examples end.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, RawFencedCodeBlockLexer
from sybil.parsers.rest import DocTestParser

ROOT = Path(__file__).resolve().parent
FLAGS = doctest.ELLIPSIS
COMMAND_TIMEOUT = 60  # seconds for one shell command shown on a page
INCLUDE_LINE = re.compile(r"\s*;?-{1,2}8<-{1,2}\s+\S")  # ;--8<-- is an escaped one

FENCE = RawFencedCodeBlockLexer(
    info_pattern=re.compile(r"(?P<language>[\w-]+)(?P<attributes>[^\n]*)$\n", re.MULTILINE),
    mapping={"language": "language", "source": "source"},
)


def shell_environment() -> dict[str, str]:
    """The reader's shell: this venv's python first on PATH, the project importable."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def page_folder(namespace: dict[str, Any]) -> Path:
    if "_console_dir" not in namespace:
        folder = Path(tempfile.mkdtemp(prefix="console-"))
        # The reader runs these commands from the project's root: make its paths work here.
        for name in ("examples", "benchmarks"):
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
        namespace["_console_dir"] = folder
    folder: Path = namespace["_console_dir"]
    return folder


def run_console(example: Example) -> str | None:
    """Run each `$ ` command of a console block and compare with the lines shown."""
    for command, want in example.parsed:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=page_folder(example.namespace),
            env=shell_environment(),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        got = result.stdout + result.stderr
        got = "\n".join(line.rstrip() for line in got.splitlines()) + ("\n" if got else "")
        if not doctest.OutputChecker().check_output(want, got, FLAGS):
            return f"$ {command}\nexpected:\n{want}got (exit {result.returncode}):\n{got}"
        if result.returncode != 0 and "(exit " not in want:
            return f"$ {command}\nexited {result.returncode}:\n{got}"
    return None


def parse_console(document: Document) -> Iterable[Region]:
    for region in FENCE(document):
        if region.lexemes["language"] != "console":
            continue
        steps: list[tuple[str, str]] = []
        for line in str(region.lexemes["source"]).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], ""))
            elif steps and steps[-1][0].endswith("\\"):
                steps[-1] = (steps[-1][0][:-1] + line.strip(), "")
            elif steps:
                steps[-1] = (steps[-1][0], steps[-1][1] + line.rstrip() + "\n")
        if steps:
            region.parsed = steps
            region.evaluator = run_console
            yield region


BACKGROUND = DirectiveInHTMLCommentLexer(directive="console-background", arguments=".+?")


def start_background(example: Example) -> str | None:
    """Start a server for the shell sessions of this page; wait for its first line."""
    process = subprocess.Popen(
        ["bash", "-c", f"exec {example.parsed}"],
        cwd=page_folder(example.namespace),
        env=shell_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    example.namespace.setdefault("_console_processes", []).append(process)
    assert process.stdout is not None
    first_line: list[str] = []
    reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline()))
    reader.start()
    reader.join(COMMAND_TIMEOUT)
    if not first_line or not first_line[0]:
        return (
            f"{example.parsed!r} printed nothing within {COMMAND_TIMEOUT}s (exit {process.poll()})"
        )
    return None


def parse_background(document: Document) -> Iterable[Region]:
    for region in BACKGROUND(document):
        region.parsed = str(region.lexemes["arguments"]).strip()
        region.evaluator = start_background
        yield region


def only_includes(source: str) -> bool:
    lines = [line for line in source.splitlines() if line.strip()]
    return bool(lines) and all(INCLUDE_LINE.match(line) for line in lines)


def parse_python_blocks(document: Document) -> Iterable[Region]:
    """`pycon` blocks are doctests; `python` blocks run, unless they only include a file."""
    doctests = DocTestStringParser(DocTestEvaluator(FLAGS))
    for region in FENCE(document):
        language, source = region.lexemes["language"], region.lexemes["source"]
        if language not in ("python", "pycon") or only_includes(str(source)):
            continue
        if language == "pycon" or str(source).startswith(">>>"):
            for doctest_region in doctests(str(source), document.path):
                doctest_region.adjust(region, source)
                yield doctest_region
        else:
            region.parsed = source
            region.evaluator = PythonEvaluator()
            yield region


def stop_page(namespace: dict[str, Any]) -> None:
    for process in namespace.get("_console_processes", []):
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
    folder = namespace.get("_console_dir")
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


pytest_collect_file = (
    Sybil(
        parsers=[DocTestParser(optionflags=FLAGS)],
        patterns=["examples/*/*.py", "examples/*/*/*.py"],
        name="examples",
    )
    + Sybil(
        parsers=[parse_python_blocks, parse_background, parse_console],
        patterns=["docs/*.md", "docs/**/*.md"],
        teardown=stop_page,
        name="pages",
    )
).pytest()


def leftovers(threads_before: set[int]) -> list[str]:
    """Threads and child processes the run started and did not stop."""
    import psutil

    found = [
        f"thread {t.name!r} still running"
        for t in threading.enumerate()
        if t.ident not in threads_before and t is not threading.main_thread()
    ]
    found += [
        f"child process {child.pid} still running: {' '.join(child.cmdline())[:120]}"
        for child in psutil.Process().children(recursive=True)
        if child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    ]
    return found


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread for as long as its (session-wide) browser lives, and asyncio.run() refuses to
    start beside it."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


THREADS_AT_START = {t.ident for t in threading.enumerate() if t.ident is not None}


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """After the suite, nothing the examples or tests started may still be running."""
    deadline = time.monotonic() + 5  # give threads that are shutting down a moment
    while (found := leftovers(THREADS_AT_START)) and time.monotonic() < deadline:
        time.sleep(0.1)
    if found:
        session.config.get_terminal_writer().line(
            "LEFT BEHIND after the test suite:\n  " + "\n  ".join(found), red=True
        )
        session.exitstatus = 1
