"""Prose never restates a value the code defines, unless the code or its output shows it.

On each example page (`docs/communication-patterns/<topic>/<example>.md`), every duration
or size in the prose (outside code blocks, HTML comments and link targets): "150 ms",
"64 KiB", "a 50 ms race"; in a list such as "after 150, 50 and 100 ms" each number takes
the unit that ends the list. Each must appear

- in the page's own output: a `console` or `pycon` block (the tests run both, so what
  they show is what the code prints); or
- in a file the page includes (`--8<--`): written out ("150 ms" in a comment, "4 MiB" as
  `4 * MiB`), or as a number or a product of numbers in the code of the same value in
  the code's units: seconds for a duration ("20 ms" is `POLL = 0.02`), bytes for a size
  ("64 KiB" is `64 * 1024`, "64 MiB" is `64 << 20`).

ALLOWED is the small, explicit allowance for figures that come from elsewhere (a cited
default of PostgreSQL, a measurement on the machine that builds the site): each entry
names the page, the value and why no code on the page can show it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from tests.support import ROOT

UNITS = {"ms": 0.001, "s": 1.0, "KiB": 1024.0, "MiB": 1024.0**2, "bytes": 1.0}
NUMBER = r"\d+(?:\.\d+)?"
QUANTITY = re.compile(
    rf"(?<![\w.])(?P<numbers>{NUMBER}(?:(?:,\s*|,?\s+(?:and|or|to)\s+){NUMBER})*)"
    rf"\s?(?P<unit>{'|'.join(UNITS)})\b"
)
CODE_NUMBER = re.compile(r"(?<![\w.])\d[\d_]*(?:\.\d+)?(?![\w])")
CODE_PRODUCT = re.compile(r"(?<![\w.])\d[\d_]*(?:\s*(?:\*|<<)\s*\d[\d_]*)+(?![\w.])")
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
INCLUDE = re.compile(r"""^\s*-{1,2}8<-{1,2}\s+["']([^"':]+)""", re.MULTILINE)
RESUMABLE = "docs/communication-patterns/request-response/resumable-upload/index.md"
ALLOWED: dict[str, dict[str, str]] = {
    RESUMABLE: {
        "256 KiB": "Google Cloud Storage's chunk multiple, cited on the page, not this code's",
        "4 MiB": "the chunk size of benchmarks/upload_throughput.py's goal, checked by "
        "tests/request_response/test_resumable_upload_benchmark.py (results.ratio(4))",
    },
}


def split_page(text: str) -> tuple[str, str]:
    """(the prose, the output of its console and pycon blocks) of a Markdown page."""
    prose: list[str] = []
    output: list[str] = []
    fence = ""
    language = ""
    for line in text.splitlines():
        opened = FENCE.match(line)
        if not fence and opened:
            fence, language = opened["fence"], opened["info"].strip().split(" ")[0]
        elif fence and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = ""
        elif fence:
            if language in ("console", "pycon"):
                output.append(line)
        else:
            prose.append(line)
    text = "\n".join(prose)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets: URLs, anchors, file names
    return text, "\n".join(output)


def quantities(prose: str) -> list[tuple[str, float]]:
    """Each duration or size of the prose: ("150 ms", 0.15), in seconds or bytes."""
    found = []
    for match in QUANTITY.finditer(prose):
        unit = match["unit"]
        for number in re.findall(NUMBER, match["numbers"]):
            found.append((f"{number} {unit}", float(number) * UNITS[unit]))
    return found


def shown(value: str, text: str) -> bool:
    """Written out: "150 ms", "150ms", or in code "4 * MiB"."""
    number, unit = value.split(" ")
    return re.search(rf"(?<![\w.]){re.escape(number)}\s*\*?\s*{unit}\b", text) is not None


def product(expression: str) -> float:
    """`64 * 1024` or `64 << 20`: integers only, evaluated left to right."""
    first, *rest = re.split(r"\s*(\*|<<)\s*", expression.replace("_", ""))
    result = int(first)
    for operator, operand in zip(rest[::2], rest[1::2], strict=True):
        result = result * int(operand) if operator == "*" else result << int(operand)
    return float(result)


def in_code(amount: float, source: str) -> bool:
    numbers = [float(token.replace("_", "")) for token in CODE_NUMBER.findall(source)]
    numbers += [product(expression) for expression in CODE_PRODUCT.findall(source)]
    return any(math.isclose(amount, number, rel_tol=1e-9) for number in numbers)


def unbacked(page: Path, root: Path) -> list[str]:
    """The durations and sizes of the page's prose that neither its output nor its code shows."""
    name = page.relative_to(root).as_posix()
    prose, output = split_page(page.read_text(encoding="utf-8"))
    files = sorted(set(INCLUDE.findall(page.read_text(encoding="utf-8"))))
    sources = "\n".join((root / file).read_text(encoding="utf-8") for file in files)
    problems = []
    for value, amount in quantities(prose):
        if value in ALLOWED.get(name, {}) or shown(value, output) or shown(value, sources):
            continue
        if not in_code(amount, sources):
            problems.append(
                f"{name}: {value!r} is in no output of the page and in none of its files "
                f"({', '.join(files) or 'none included'})"
            )
    return problems


def example_pages(root: Path) -> list[Path]:
    """Every example's pages: a topic's pages but its index, and a package's folder of pages."""
    topics = root / "docs" / "communication-patterns"
    pages = [page for page in topics.glob("*/*.md") if page.name != "index.md"]
    return sorted([*pages, *topics.glob("*/*/*.md")])


@pytest.mark.parametrize(
    "example_page",
    example_pages(ROOT),
    ids=lambda page: page.relative_to(ROOT / "docs" / "communication-patterns").as_posix(),
)
def test_every_value_in_the_prose_is_shown_by_the_code(example_page: Path) -> None:
    assert unbacked(example_page, ROOT) == []


def test_prose_that_disagrees_with_the_code_is_reported(project_copy: Path) -> None:
    page = project_copy / "docs" / "communication-patterns" / "sync-vs-async" / "readiness.md"
    text = page.read_text(encoding="utf-8")
    old = "three receivers of different speeds."
    assert old in text, "update this test: the sentence it edits is gone"
    page.write_text(text.replace(old, "three receivers that answer after 150, 50 and 100 ms."))
    where = "docs/communication-patterns/sync-vs-async/readiness.md"
    why = "is in no output of the page and in none of its files"
    assert unbacked(page, project_copy) == [  # 100 ms is B's delay: the output shows it
        f"{where}: '150 ms' {why} (examples/sync_vs_async/readiness.py)",
        f"{where}: '50 ms' {why} (examples/sync_vs_async/readiness.py)",
    ]


def test_the_reading_of_prose_and_output() -> None:
    prose, output = split_page(
        "Waits 64 KiB, see [x](a.md#y-10-ms).\n<!-- 3 s -->\n"
        "```console\n$ run\ntook 20 ms\n```\n"
        "    ```python\n    sleep(0.5)  # 500 ms\n    ```\n"
        "Then 0.05 to 2 ms, and 1 and 2 s."
    )
    assert output == "$ run\ntook 20 ms"
    assert quantities(prose) == [
        ("64 KiB", 65536.0),
        ("0.05 ms", 0.05 * 0.001),
        ("2 ms", 0.002),
        ("1 s", 1.0),
        ("2 s", 2.0),
    ]
    assert in_code(0.02, "POLL = 0.02  # seconds") and not in_code(0.15, "DELAY = 0.015")
    assert in_code(65536, 'CHUNK = b"x" * 64 * 1024') and in_code(64 << 20, "MAX = 64 << 20")
    assert shown("4 MiB", "chunk_size: int = 4 * MiB") and not shown("4 MiB", "14 MiB")
