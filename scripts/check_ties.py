"""Check that every example is tied to its page and its test, and every include resolves.

An example is a module `examples/<package>/<name>.py` (a name not starting with `_`) or a
package `examples/<package>/<name>/` (a folder with `__init__.py`). Its topic folder is
the package's name with hyphens (`request_response` -> `request-response`), its page name
the example's (`dns_query` -> `dns-query`). For each example:

- its page `docs/communication-patterns/<topic>/<page-name>.md` exists (a package too big
  for one page may instead have a folder `<page-name>/`, whose `index.md` is its page and
  whose other pages show its files);
- the page includes it whole, `--8<-- "examples/<package>/<name>.py"` with no section
  (a package: each of its files, on its page or, for a folder, on any page of the folder);
- the page runs it: a `$ python -m examples.<package>.<name>` line in a `console` block
  (arguments allowed; for a package, `python -m` of one of its modules counts too), or a
  `<!-- console-background: python -m examples.<package>.<name> ... -->` comment;
- its test `tests/<package>/test_<name>.py` exists.

A script in another language lives in a folder named for its runtime, without
`__init__.py`: `examples/sync_vs_async/node/readfile.js`. It is not an example of its own
but a companion of the Python example beside which it is read: exactly one page of the
topic includes it whole and runs it (a `console` line naming its path, such as
`$ UV_THREADPOOL_SIZE=1 node examples/sync_vs_async/node/readfile.js`), and its test is
`tests/<package>/test_<runtime>_<stem>.py` (`tests/sync_vs_async/test_node_readfile.py`).

And every `--8<--` include in docs/**/*.md names an existing file and its section markers.

Usage:  python scripts/check_ties.py   (exit 1 and one line per problem if any)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

INCLUDE = re.compile(r"""^\s*-{1,2}8<-{1,2}\s+["']([^"']+)["']""", re.MULTILINE)
# A fenced block: its opening fence, language and body, up to the same fence closing it.
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<language>[\w-]*)[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
BACKGROUND = re.compile(r"<!--\s*console-background:\s*(.+?)\s*-->")
ENVIRONMENT = r"(?:\w+=\S*\s+)*"  # `VAR=value ` assignments before a command
PAGES = Path("docs") / "communication-patterns"
TEMPLATE = PAGES / "request-response" / "anatomy.md"
CACHES = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def commands(page: str) -> list[str]:
    """The commands a page runs: its console blocks' `$ ` lines and its background servers."""
    found = [match.group(1) for match in BACKGROUND.finditer(page)]
    for block in FENCE.finditer(page):
        if block["language"] != "console":
            continue
        for line in block["body"].splitlines():
            line = line.strip()
            if found and found[-1].endswith("\\"):
                found[-1] = found[-1][:-1] + line
            elif line.startswith("$ "):
                found.append(line[2:].strip())
    return found


def files_of(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not CACHES & set(path.parts) and path.suffix != ".pyc":
            yield path


def include_problems(root: Path) -> tuple[list[str], dict[Path, set[str]]]:
    """Includes naming a missing file or section; and what each page includes whole."""
    found: list[str] = []
    whole: dict[Path, set[str]] = {}
    for page in sorted((root / "docs").rglob("*.md")):
        rel = page.relative_to(root)
        for target in INCLUDE.findall(page.read_text(encoding="utf-8")):
            path, colon, section = target.partition(":")
            where = f"{rel}: --8<-- {target!r}"
            if not (root / path).is_file():
                found.append(f"{where}: no such file")
                continue
            if not colon:
                whole.setdefault(rel, set()).add(path)
            name = section.split(":")[0]
            if name and not name.isdigit():
                text = (root / path).read_text(encoding="utf-8")
                if f"[start:{name}]" not in text or f"[end:{name}]" not in text:
                    found.append(f"{where}: no section markers [start:{name}]/[end:{name}]")
    return found, whole


def example_problems(
    root: Path, example: Path, whole: dict[Path, set[str]], pages: dict[Path, str]
) -> list[str]:
    package, name = example.parent.name, example.name.removesuffix(".py")
    rel = example.relative_to(root)
    page = PAGES / package.replace("_", "-") / f"{name.replace('_', '-')}.md"
    folder = page.with_suffix("")
    if example.is_dir() and folder / "index.md" in pages:
        page = folder / "index.md"
    test = Path("tests") / package / f"test_{name}.py"
    found = []
    if page not in pages:
        found.append(f"{rel}: no page {page} (its template: {TEMPLATE})")
    else:
        shown = [rel] if example.is_file() else [f.relative_to(root) for f in files_of(example)]
        on_pages = [other for other in pages if other.parent == folder] or [page]
        included = set().union(*(whole[other] for other in on_pages))
        for file in shown:
            if file.as_posix() not in included:
                found.append(f'{page}: does not show {file} whole (--8<-- "{file.as_posix()}")')
        dotted = f"examples.{package}.{name}"
        modules = r"(\.\w+)*" if example.is_dir() else ""  # a package's modules run it too
        run = re.compile(rf"{ENVIRONMENT}python -m {re.escape(dotted)}{modules}(\s|$)")
        if not any(run.match(command) for command in commands(pages[page])):
            found.append(f"{page}: does not run {rel} (a console block: $ python -m {dotted})")
    if not (root / test).is_file():
        found.append(f"{rel}: no test {test}")
    return found


def script_problems(
    root: Path, script: Path, whole: dict[Path, set[str]], pages: dict[Path, str]
) -> list[str]:
    """A script in another language, in `examples/<package>/<runtime>/`."""
    rel = script.relative_to(root)
    package, runtime = rel.parts[1], rel.parts[2]
    topic = PAGES / package.replace("_", "-")
    test = Path("tests") / package / f"test_{runtime}_{script.stem}.py"
    showing = [page for page in pages if page.parent == topic and rel.as_posix() in whole[page]]
    found = []
    if not showing:
        found.append(f'{rel}: no page of {topic} shows it whole (--8<-- "{rel.as_posix()}")')
    elif len(showing) > 1:
        found.append(f"{rel}: shown whole by {len(showing)} pages, {', '.join(map(str, showing))}")
    for page in showing:
        if not any(rel.as_posix() in command.split() for command in commands(pages[page])):
            found.append(f"{page}: does not run {rel} (a console block: $ {runtime} {rel})")
    if not (root / test).is_file():
        found.append(f"{rel}: no test {test}")
    return found


def problems(root: Path) -> list[str]:
    found, whole = include_problems(root)
    pages = {
        page.relative_to(root): page.read_text(encoding="utf-8")
        for pattern in ("*/*.md", "*/*/*.md")
        for page in sorted((root / PAGES).glob(pattern))
    }
    whole = {page: whole.get(page, set()) for page in pages}
    for package in sorted((root / "examples").iterdir()):
        if not package.is_dir() or package.name.startswith(("_", ".")):
            continue
        for entry in sorted(package.iterdir()):
            if entry.name.startswith(("_", ".")):
                continue
            if entry.suffix == ".py" or (entry / "__init__.py").is_file():
                found += example_problems(root, entry, whole, pages)
            elif entry.is_dir():
                for script in files_of(entry):
                    found += script_problems(root, script, whole, pages)
    return found


def main() -> int:
    found = problems(Path.cwd())
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
