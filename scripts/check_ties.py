"""Check that pages and examples stay tied together.

- every `--8<--` include in docs/**/*.md names a file that exists, and its section marker;
- every module under examples/ (but __init__.py, __main__.py and _private ones) is
  included by some page;
- every example carries a doctest (`>>>`) or is imported by a test under tests/.

Usage:  python scripts/check_ties.py   (exit 1 and one line per problem if any)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

INCLUDE = re.compile(r"""^\s*-{1,2}8<-{1,2}\s+["']([^"']+)["']""", re.MULTILINE)


def problems(root: Path) -> list[str]:
    found: list[str] = []
    included: set[Path] = set()
    for page in sorted((root / "docs").rglob("*.md")):
        for target in INCLUDE.findall(page.read_text(encoding="utf-8")):
            path, _, section = target.partition(":")
            file = root / path
            where = f"{page.relative_to(root)}: --8<-- {target!r}"
            if not file.is_file():
                found.append(f"{where}: no such file")
                continue
            included.add(file.resolve())
            name = section.split(":")[0]
            if name and not name.isdigit():
                text = file.read_text(encoding="utf-8")
                if f"[start:{name}]" not in text or f"[end:{name}]" not in text:
                    found.append(f"{where}: no section markers [start:{name}]/[end:{name}]")
    tests = "\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "tests").rglob("*.py")))
    for module in sorted((root / "examples").rglob("*.py")):
        if module.name.startswith("_"):
            continue
        rel = module.relative_to(root)
        dotted = ".".join(rel.with_suffix("").parts)
        if module.resolve() not in included:
            found.append(f"{rel}: no page includes it (add a Run-it block under its bullet)")
        has_doctest = ">>>" in module.read_text(encoding="utf-8")
        # A module of a multi-file example is tested through its package as well.
        names = [dotted] + ([dotted.rpartition(".")[0]] if len(rel.parts) > 3 else [])
        imported = any(re.search(rf"\b{re.escape(name)}\b", tests) for name in names)
        if not has_doctest and not imported:
            found.append(f"{rel}: no doctest, and no test under tests/ imports {dotted}")
    return found


def main() -> int:
    found = problems(Path.cwd())
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
