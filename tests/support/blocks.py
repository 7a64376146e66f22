"""The fenced blocks of a page, and Sybil's parser for its ``python`` and ``pycon`` ones.

A ``pycon`` block (or a ``python`` block that starts with ``>>>``) is a doctest; any other
``python`` block runs, unless it only includes a file with ``--8<--`` (that file is
tested where it lives, not here).
"""

from __future__ import annotations

import doctest
import re
from collections.abc import Iterable

from sybil import Document, Region
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

FLAGS = doctest.ELLIPSIS
INCLUDE_LINE = re.compile(r"\s*;?-{1,2}8<-{1,2}\s+\S")  # ;--8<-- is an escaped one

# Every fenced block, with its language and whatever attributes follow (title="...").
FENCE = RawFencedCodeBlockLexer(
    info_pattern=re.compile(r"(?P<language>[\w-]+)(?P<attributes>[^\n]*)$\n", re.MULTILINE),
    mapping={"language": "language", "source": "source"},
)


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
