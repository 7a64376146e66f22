"""Console sessions on a page, run as a reader would type them, and checked.

- A ``console`` block: each ``$ `` line (a line ending in ``\\`` goes on with the next)
  runs in bash, in a temporary folder kept for the whole page, where the project's
  ``examples/`` and ``benchmarks/`` are linked so that paths work as from its root. What
  it prints (stdout, then stderr) must match the lines shown under it, ``...`` standing
  for any text, as in doctests; a command that exits non-zero fails the page.
- ``<!-- console-background: CMD -->`` just before a block starts CMD as a server for the
  page's shell sessions. It is ready when its first line on stdout contains
  ``http://127.0.0.1:<port>`` (or, for a database, ``postgresql://<user>@127.0.0.1:<port>``)
  while it still runs; that port is then ``$PORT`` in the
  page's later commands (with several servers on a page, the latest started wins). A
  server that exits first, prints another first line, or prints nothing within the
  timeout fails the page, showing the command, its exit code and all it printed.
- When the page's examples end, its servers are stopped and its folder removed
  (``stop_page``, Sybil's teardown).
"""

from __future__ import annotations

import doctest
import functools
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from sybil import Document, Example, Region
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer

from tests.support import ROOT
from tests.support.blocks import FENCE, FLAGS

COMMAND_TIMEOUT = 60  # seconds for one shell command shown on a page
READY_TIMEOUT = 60.0  # seconds for a background server to print its ready line
EXIT_GRACE = 5.0  # seconds a server that failed gets to finish printing and exit
STOP_TIMEOUT = 10.0  # seconds a stopped server gets before it is killed
READY = re.compile(r"(?:http|postgresql)://(?:\w+@)?127\.0\.0\.1:(\d+)")

BACKGROUND = DirectiveInHTMLCommentLexer(directive="console-background", arguments=".+?")


def page_folder(namespace: dict[str, Any]) -> Path:
    """The page's working folder, made on first use and kept until `stop_page`."""
    if "_console_dir" not in namespace:
        folder = Path(tempfile.mkdtemp(prefix="console-"))
        # The reader runs these commands from the project's root: make its paths work here.
        for name in ("examples", "benchmarks"):
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
        namespace["_console_dir"] = folder
    folder: Path = namespace["_console_dir"]
    return folder


def shell_environment(namespace: dict[str, Any]) -> dict[str, str]:
    """The reader's shell: this venv's python first on PATH, the project importable, and
    what the page's servers exported ($PORT)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(namespace.get("_console_env", {}))
    return env


def run_step(command: str, want: str, cwd: Path, env: dict[str, str]) -> str | None:
    """Run one `$ ` command in bash; what went wrong, or None if it printed `want`."""
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
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


def run_console(example: Example) -> str | None:
    """Run each `$ ` command of a console block and compare with the lines shown."""
    for command, want in example.parsed:
        cwd, env = page_folder(example.namespace), shell_environment(example.namespace)
        problem = run_step(command, want, cwd, env)
        if problem:
            return problem
    return None


def console_steps(source: str) -> list[tuple[str, str]]:
    """The (command, what it prints) pairs of a console block's text."""
    steps: list[tuple[str, str]] = []
    for line in source.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], ""))
        elif steps and steps[-1][0].endswith("\\"):
            steps[-1] = (steps[-1][0][:-1] + line.strip(), "")
        elif steps:
            steps[-1] = (steps[-1][0], steps[-1][1] + line.rstrip() + "\n")
    return steps


def parse_console(document: Document) -> Iterable[Region]:
    for region in FENCE(document):
        if region.lexemes["language"] != "console":
            continue
        steps = console_steps(str(region.lexemes["source"]))
        if steps:
            region.parsed = steps
            region.evaluator = run_console
            yield region


class NotReady(Exception):
    """A background server that did not come up; the message says why and what it printed."""


class Background:
    """A server started for a page's console sessions, and everything it prints.

    Both pipes are read to the end by threads of their own, before and after the ready
    line, so that a talkative server never blocks on a full pipe.
    """

    def __init__(self, command: str, cwd: Path, env: dict[str, str]) -> None:
        self.command = command
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.stopped = False
        self._first_line: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # Its own process group: stopping it stops whatever it started as well.
            start_new_session=True,
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        self._readers = [
            threading.Thread(
                target=self._read,
                args=(pipe, lines, first),
                name=f"console-background {name} {self.process.pid}",
                daemon=True,
            )
            for name, pipe, lines, first in (
                ("stdout", self.process.stdout, self.stdout, True),
                ("stderr", self.process.stderr, self.stderr, False),
            )
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, pipe: IO[str], lines: list[str], first: bool) -> None:
        for line in pipe:
            lines.append(line)
            if first:
                self._first_line.put(line)
                first = False
        if first:
            self._first_line.put(None)  # the end of stdout came before any line

    def ready_port(self, timeout: float) -> int:
        """The port of its ready line; NotReady if it exits, says something else first, or
        says nothing within `timeout` seconds."""
        try:
            line = self._first_line.get(timeout=timeout)
        except queue.Empty:
            raise NotReady(self.report(f"printed no line within {timeout:g} s", grace=0)) from None
        if line is None:
            raise NotReady(self.report("exited before printing its ready line"))
        match = READY.search(line)
        if match is None or int(match[1]) == 0:
            raise NotReady(
                self.report(
                    f"printed {line.rstrip()!r} first, not its address (http://127.0.0.1:<port>)"
                )
            )
        if self.process.poll() is not None:
            raise NotReady(self.report("exited right after its ready line"))
        return int(match[1])

    def report(self, why: str, grace: float = EXIT_GRACE) -> str:
        """Why it is not ready, its exit code and all it printed. It gets `grace` seconds to
        finish (a traceback comes after the line that failed it), then it is stopped."""
        try:
            code = f"exit code {self.process.wait(timeout=grace)}"
        except subprocess.TimeoutExpired:
            code = "still running, so stopped"
        self.stop()
        return (
            f"console-background: {self.command}\n{why}; {code}\n"
            f"stdout:\n{''.join(self.stdout).rstrip() or '(nothing)'}\n"
            f"stderr:\n{''.join(self.stderr).rstrip() or '(nothing)'}"
        )

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.process.poll() is None:  # not yet reaped, so its group id is still its own
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for reader, pipe in zip(
            self._readers, (self.process.stdout, self.process.stderr), strict=True
        ):
            reader.join(timeout=STOP_TIMEOUT)
            if pipe is not None and not reader.is_alive():
                pipe.close()


def start_background(example: Example, ready_timeout: float = READY_TIMEOUT) -> str | None:
    """Start a server for the shell sessions of this page; wait until it is ready."""
    namespace = example.namespace
    server = Background(example.parsed, page_folder(namespace), shell_environment(namespace))
    namespace.setdefault("_console_servers", []).append(server)
    try:
        port = server.ready_port(ready_timeout)
    except NotReady as not_ready:
        return str(not_ready)
    namespace.setdefault("_console_env", {})["PORT"] = str(port)
    return None


def parse_background(document: Document, ready_timeout: float = READY_TIMEOUT) -> Iterable[Region]:
    for region in BACKGROUND(document):
        region.parsed = str(region.lexemes["arguments"]).strip()
        region.evaluator = functools.partial(start_background, ready_timeout=ready_timeout)
        yield region


def stop_page(namespace: dict[str, Any]) -> None:
    """Sybil's teardown of a page: stop its servers, remove its folder."""
    for server in namespace.get("_console_servers", []):
        server.stop()
    folder = namespace.get("_console_dir")
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
