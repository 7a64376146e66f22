"""How long a writer waits: the strict build without labs, and `make serve`'s rebuild after a save.

    python benchmarks/build_time.py               # 3 builds, 3 rebuilds
    python benchmarks/build_time.py --repeat 5

(a) ``mkdocs build --strict`` of the project as it is, the labs not executed
(``LABS_EXECUTE=false``; the print page made, as in the published build), into a
temporary folder, twice over: the labs' pages converted from the notebooks each time,
then taken from mkdocs-jupyter's cache (``LABS_CACHE=true``, as ``make serve`` does).
Each time one warm-up build, then ``--repeat`` timed ones. For each, the figure MkDocs
logs ("Documentation built in X seconds": config loaded, plugins and hooks run, pages
written) and the wall time of the command (Python's start and the imports too); then the
medians. Goal: < 3 s.

(b) The rebuild of ``make serve`` after a save: ``mkdocs serve`` as the Makefile's
``serve`` target runs it (its variables and arguments, ``--dirty`` included, read from
it), on a free port, in a temporary copy of the project (the real ``docs/`` is never
touched). Once it serves, ``--repeat`` times: a marker word is appended to
``docs/index.md`` of the copy, then to an example that a page shows whole, and the time
from each save until the served page holds it is measured (polled over HTTP every 50 ms;
MkDocs answers a request only once its rebuild is done). Beside it, the figure MkDocs
logs for that rebuild, and when it logged "Detected file changes" (it looks for changes
every 0.5 s, then waits 0.1 s for more). Goal: < 1 s. The server is stopped at the end,
whatever happens.

Both move with the machine: its load is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Run as a script, this file sees only benchmarks/: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.tus_servers import busy
from tests.support import ROOT, free_port
from tests.support.site import BIN, fetch_text, mkdocs_build, skip_in_copy

BUILD_GOAL = 3.0  # seconds: the strict build without labs
REBUILD_GOAL = 1.0  # seconds: from a save to the page served with it
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
DETECTED = "Detected file changes"
# The files saved in the copy, each with the page that shows what was appended: a page's
# own text, and an example that a page shows whole.
SAVED = {
    "docs/index.md": "",
    "examples/request_response/anatomy.py": "communication-patterns/request-response/anatomy/",
}
POLL = 0.05  # seconds between two requests for the page
START_TIMEOUT = 180  # seconds for `mkdocs serve`'s first build
REBUILD_TIMEOUT = 60  # seconds for a save to show


def verdict(seconds: float, goal: float) -> str:
    return f"goal < {goal:g} s: {'met' if seconds < goal else 'NOT met'}"


# (a)'s two builds: the labs converted from their source each time, as the published build
# does after executing them; or taken from mkdocs-jupyter's cache, as `make serve` does.
BUILDS = [
    {"LABS_EXECUTE": "false", "PRINT_SITE": "true"},
    {"LABS_EXECUTE": "false", "PRINT_SITE": "true", "LABS_CACHE": "true"},
]


def builds(repeat: int, env: dict[str, str]) -> None:
    """(a): a warm-up, then ``repeat`` timed strict builds without labs."""
    print(f"(a) mkdocs build --strict, {' '.join(f'{k}={v}' for k, v in env.items())}, warm")
    reported, wall = [], []
    with tempfile.TemporaryDirectory(prefix="build-time-") as tmp:
        for run in range(repeat + 1):
            start = time.perf_counter()
            result = mkdocs_build(ROOT, Path(tmp) / "site", **env)
            elapsed = time.perf_counter() - start
            if result.returncode:
                sys.exit(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}")
            match = BUILT.search(result.stderr)
            if not match:
                sys.exit(f"no {BUILT.pattern!r} in the build's log:\n{result.stderr[-2000:]}")
            if run == 0:
                print(f"  warm-up: {float(match.group(1)):.2f} s (MkDocs), {elapsed:.2f} s wall")
                continue
            reported.append(float(match.group(1)))
            wall.append(elapsed)
            print(f"  run {run}:   {reported[-1]:.2f} s (MkDocs), {elapsed:.2f} s wall")
    median, median_wall = statistics.median(reported), statistics.median(wall)
    print(
        f"  median:  {median:.2f} s (MkDocs; {verdict(median, BUILD_GOAL)}), "
        f"{median_wall:.2f} s wall ({verdict(median_wall, BUILD_GOAL)})"
    )


def serve_command(address: str) -> tuple[dict[str, str], list[str]]:
    """What the Makefile's ``serve`` target runs: the variables it sets (its exports and
    those before ``mkdocs serve``) and mkdocs' arguments, its own address replaced by
    ``address``."""
    makefile = (ROOT / "Makefile").read_text()
    env = dict(re.findall(r"^export (\w+) *:?= *(.*?) *$", makefile, re.MULTILINE))
    recipe = re.search(r"^serve:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    command = recipe and re.search(
        r"((?:\w+=\S+\s+)+)\$\(BIN\)/mkdocs (serve .*--dev-addr (\S+).*)",
        recipe.group(1).replace("\\\n", " "),
    )
    if not command:
        sys.exit("no `VAR=value ... $(BIN)/mkdocs serve --dev-addr host:port` in the Makefile")
    for name, value in re.findall(r"(\w+)=(\S+)", command.group(1)):
        env[name] = value.replace(command.group(3), address)
    arguments = command.group(2).replace(command.group(3), address).split()
    return env, [str(BIN / "mkdocs"), *arguments]


class Log:
    """The lines a process writes, each with the time it was read, gathered in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[tuple[float, str]] = []
        self.changed = threading.Condition()
        assert process.stdout is not None
        self.thread = threading.Thread(target=self.read, args=(process.stdout,), daemon=True)
        self.thread.start()

    def read(self, stream: Iterator[str]) -> None:
        for line in stream:
            with self.changed:
                self.lines.append((time.perf_counter(), line.rstrip()))
                self.changed.notify_all()

    def find(self, text: str, after: int) -> float | None:
        """When the first line after the ``after`` first ones that holds ``text`` was read."""
        with self.changed:
            return next((stamp for stamp, line in self.lines[after:] if text in line), None)

    def wait(self, pattern: re.Pattern[str], after: int, timeout: float) -> re.Match[str] | None:
        """The first line after the ``after`` first ones that matches ``pattern``."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for _, line in self.lines[after:]:
                    if match := pattern.search(line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)

    def tail(self, count: int = 30) -> str:
        return "\n".join(line for _, line in self.lines[-count:])


def fetch(url: str) -> str:
    """The page's text, or "" for an error (a rebuild in progress, a server not up yet)."""
    return fetch_text(url, REBUILD_TIMEOUT) or ""


@contextmanager
def serving(project: Path) -> Iterator[tuple[str, Log]]:
    """``mkdocs serve`` of ``project`` as ``make serve`` starts it, on a free port: its URL
    and its log, once it answers. Stopped on the way out, whatever happened."""
    address = f"127.0.0.1:{free_port()}"
    env, command = serve_command(address)
    print(f"    {' '.join(f'{k}={v}' for k, v in env.items())} mkdocs {' '.join(command[1:])}")
    process = subprocess.Popen(
        command,
        cwd=project,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log = Log(process)
    try:
        url = f"http://{address}/"
        deadline = time.monotonic() + START_TIMEOUT
        while not fetch(url):
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"mkdocs serve did not serve {url}:\n{log.tail()}")
            time.sleep(0.2)
        yield url, log
    finally:
        stop(process)
        log.thread.join(10)
        if process.stdout:
            process.stdout.close()


def stop(process: subprocess.Popen[str]) -> None:
    """SIGINT first (MkDocs then removes its temporary site folder), then terminate, kill."""
    for sent in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        process.send_signal(sent)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            continue


def rebuilds(repeat: int) -> None:
    """(b): ``repeat`` saves of each of SAVED in a copy of the project, each timed until
    the page that shows it is served with it."""
    print("(b) make serve: a save (in a copy) until the served page shows it")
    with tempfile.TemporaryDirectory(prefix="build-time-serve-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=skip_in_copy)
        with serving(project) as (url, log):
            first = log.wait(BUILT, 0, 10)
            print(f"    first build: {first.group(1) if first else '?'} s (MkDocs)")
            served, reported = [], []
            for run in range(1, repeat + 1):
                for saved_file, shown_at in SAVED.items():
                    time.sleep(1.0)  # the previous rebuild over and quiet
                    marker = f"rebuild-{run}-{secrets.token_hex(4)}"
                    before = len(log.lines)
                    with (project / saved_file).open("a", encoding="utf-8") as file:
                        file.write(f"\n# {marker}\n")
                    saved = time.perf_counter()
                    while marker not in fetch(url + shown_at):
                        if time.perf_counter() - saved > REBUILD_TIMEOUT:
                            sys.exit(f"the save did not show in {REBUILD_TIMEOUT} s:\n{log.tail()}")
                        time.sleep(POLL)
                    served.append(time.perf_counter() - saved)
                    built = log.wait(BUILT, before, 10)
                    detected = log.find(DETECTED, before)
                    if built:
                        reported.append(float(built.group(1)))
                    seen = f"detected +{detected - saved:.2f} s, " if detected else ""
                    print(
                        f"  run {run}, {saved_file}: served {served[-1]:.2f} s after the save "
                        f"({seen}built in {built.group(1) if built else '?'} s, MkDocs)"
                    )
    median = statistics.median(served)
    median_built = statistics.median(reported) if reported else float("nan")
    print(
        f"  median: served {median:.2f} s after the save ({verdict(median, REBUILD_GOAL)}), "
        f"built in {median_built:.2f} s (MkDocs; {verdict(median_built, REBUILD_GOAL)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    args = parser.parse_args()
    print(f"before: {busy()}")
    for env in BUILDS:
        builds(args.repeat, env)
    rebuilds(args.repeat)
    print(f"after: {busy()}")


if __name__ == "__main__":
    main()
