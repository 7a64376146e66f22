"""Copy it and run it: the site's third use, as a reader meets it.

For every single-file example, the text of the whole-file block on the built page (the
block titled with the file's name, whose copy button copies it) is written alone into an
empty folder and run with the project's Python: no PYTHONPATH, no examples/ nearby. The
page's console session then runs there, with `python -m examples.<topic>.<name>` read as
`python <name>.py`, and must print what the page shows (`...` for what varies). A
server the page starts in the background runs from the copy too; PostgreSQL is the
throwaway one of tests/pg_server.py. The test of the copy button itself, in a browser,
is in test_browser_features.py.
"""

from __future__ import annotations

import html.parser
import os
import re
import sys
from pathlib import Path

import pytest

from tests.pg_server import require_postgres
from tests.support import ROOT
from tests.support.console import READY_TIMEOUT, Background, NotReady, console_steps, run_step

SESSION = re.compile(  # in page order: servers started, and console blocks (in tabs too)
    r"<!-- console-background: (?P<background>.+?) -->"
    r"|^(?P<indent>[ \t]*)```console\n(?P<console>.*?)^(?P=indent)```",
    re.MULTILINE | re.DOTALL,
)


MARKER = re.compile(r"\s*# --8<-- \[(start|end):\w+\]\s*$")


def single_file_examples() -> list[Path]:
    return [
        module for module in sorted(ROOT.glob("examples/*/*.py")) if not module.name.startswith("_")
    ]


class CodeBlocks(html.parser.HTMLParser):
    """The text of each titled code block of a page: {title: code}."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: dict[str, str] = {}
        self._title: str | None = None
        self._in: str | None = None  # "title" or "code"
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "span" and "filename" in classes:
            self._in, self._text = "title", []
        elif tag == "code" and self._title is not None:
            self._in, self._text = "code", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in == "title":
            self._title, self._in = "".join(self._text).strip(), None
        elif tag == "code" and self._in == "code" and self._title is not None:
            self.blocks[self._title] = "".join(self._text)
            self._title, self._in = None, None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text.append(data)


def without_markers(source: str) -> str:
    """The file as a whole-file include shows it: pymdownx.snippets leaves out the lines
    that mark the regions other blocks include (`# --8<-- [start:name]`), nothing else."""
    return "".join(line for line in source.splitlines(True) if not MARKER.match(line))


def copied_from_page(built_site: Path, module: Path) -> str:
    topic = module.parent.name.replace("_", "-")
    page = built_site / "communication-patterns" / topic / module.stem.replace("_", "-")
    parser = CodeBlocks()
    parser.feed((page / "index.html").read_text(encoding="utf-8"))
    assert module.name in parser.blocks, f"{page}: no block titled {module.name!r}"
    return parser.blocks[module.name]


def as_copied(command: str, module: Path) -> str | None:
    """The session's command for a reader holding only the copied file; None for a command
    that needs the rest of the project (another example, a path under examples/)."""
    dotted = f"examples.{module.parent.name}.{module.stem}"
    if re.search(rf"-m {re.escape(dotted)}\b", command):
        return re.sub(rf"-m {re.escape(dotted)}\b", module.name, command)
    return None if "examples" in command else command


def run_session(module: Path, folder: Path) -> list[str]:
    """Run the page's console session beside the copied file; return what went wrong."""
    page = ROOT / "docs" / "communication-patterns" / module.parent.name.replace("_", "-")
    markdown = (page / f"{module.stem.replace('_', '-')}.md").read_text(encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    servers: list[Background] = []
    problems: list[str] = []
    ran = 0
    try:
        for block in SESSION.finditer(markdown):
            if block["background"]:
                original = block["background"]
                command = as_copied(original, module)
                if command is not None and command != original:
                    server = Background(command, folder, env)
                else:  # not the example: the project's own server (the throwaway PostgreSQL)
                    server = Background(original, folder, {**env, "PYTHONPATH": str(ROOT)})
                servers.append(server)
                try:
                    env["PORT"] = str(server.ready_port(READY_TIMEOUT))
                except NotReady as not_ready:
                    return [str(not_ready)]
                continue
            source = "".join(
                line.removeprefix(block["indent"]) for line in block["console"].splitlines(True)
            )
            for command, want in console_steps(source):
                copied = as_copied(command, module)
                if copied is None:
                    continue
                ran += copied != command
                problem = run_step(copied, want, folder, env)
                if problem:
                    problems.append(problem)
    finally:
        for server in servers:
            server.stop()
    if not ran:
        problems.append(f"the page runs no `python -m examples.{module.parent.name}.{module.stem}`")
    return problems


@pytest.mark.parametrize(
    "module", single_file_examples(), ids=lambda module: f"{module.parent.name}/{module.name}"
)
def test_the_copied_file_runs_alone_and_prints_what_its_page_shows(
    module: Path, built_site: Path, tmp_path: Path
) -> None:
    copied = copied_from_page(built_site, module)
    assert copied == without_markers(module.read_text(encoding="utf-8")), "not the whole file"
    if "psycopg" in copied:
        require_postgres()  # skips, or fails under REQUIRE_POSTGRES=1, as elsewhere
    (tmp_path / module.name).write_text(copied, encoding="utf-8")
    problems = run_session(module, tmp_path)
    assert not problems, "\n\n".join(problems)
