"""MkDocs hook: each ```mermaid fence of a page becomes its SVG, drawn inline, no script.

The Mermaid source stays in the page, next to its prose; `make diagrams`
(scripts/render_diagrams.py) renders each fence once, in Chromium, to
`docs/assets/diagrams/<key>.svg`, where the key is a hash of the fence's source, the
Mermaid version and the render settings. The build only reads that file: a page costs no
script, its diagram is there with JavaScript off, in print and in the offline zip, and
its colours come from the palette's CSS variables (docs/assets/stylesheets/diagrams.css,
which overrides/main.html links from the pages that hold a diagram), so one drawing serves
the light and the dark scheme. The SVG's role is img, and its name is a text alternative
made from the source: the participants, then each message and note in order.

A fence whose SVG is missing (new or edited since the last `make diagrams`) fails a strict
build, naming the page; `mkdocs serve` shows its source in the meantime.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.diagrams")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
OUTPUT = DOCS / "assets" / "diagrams"  # the rendered SVGs, committed; read, not published
MERMAID = ROOT / "tools" / "mermaid"  # the vendored bundle `make diagrams` runs (SOURCE.txt)
# What mermaid.initialize() gets: part of each SVG's key, so a change renders them anew.
# The font has Arial's metrics (Liberation Sans on Linux); diagrams.css draws with it.
MERMAID_CONFIG: dict[str, Any] = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "theme": "default",
    "fontFamily": 'Arial, Helvetica, "Liberation Sans", sans-serif',
    "sequence": {"useMaxWidth": True},
}
# A fence as pymdownx.superfences opens one: 3+ backticks or tildes, then the language.
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w-]*)")
# In Mermaid, a '#' that is no escape (#59;, #quot;) starts a comment: the rest of the line
# is not drawn. A '#' in a label is written #35;.
LOST_TO_A_HASH = re.compile(r"^(?!\s*%%).*#(?!\w+;)")
PLACEHOLDER = "diagram-placeholder-{key}"  # a paragraph of its own, anywhere Markdown puts it
PLACED = re.compile(r"(?:<p>)?diagram-placeholder-(?P<key>[0-9a-f]+)(?:</p>)?")
_placed: dict[str, dict[str, Fence]] = {}  # page -> its fences, from markdown to content


@dataclass(frozen=True)
class Fence:
    """A ```mermaid fence: its source (dedented) and where it is (0-based lines)."""

    source: str
    indent: str
    start: int  # the opening line
    end: int  # the closing line

    @property
    def key(self) -> str:
        return diagram_key(self.source)


def mermaid_version() -> str:
    """The vendored Mermaid's version, as tools/mermaid/SOURCE.txt states it."""
    found = re.search(r"mermaid@(\S+?)[`\s]", (MERMAID / "SOURCE.txt").read_text("utf-8"))
    if found is None:
        raise ValueError(f"{MERMAID / 'SOURCE.txt'} names no mermaid@<version>")
    return found.group(1)


def diagram_key(source: str) -> str:
    """The name of a fence's SVG: what, if it changes, changes the drawing."""
    settings = json.dumps(MERMAID_CONFIG, sort_keys=True)
    material = f"mermaid {mermaid_version()}\n{settings}\n{source.strip()}\n"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def svg_path(key: str) -> Path:
    return OUTPUT / f"{key}.svg"


def fences(markdown: str) -> list[Fence]:
    """Every ```mermaid fence of a page, outside other fences (an example of one, inside
    a ````markdown block, stays an example)."""
    lines = markdown.split("\n")
    found = []
    index = 0
    while index < len(lines):
        opening = FENCE_OPEN.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        close = re.compile(rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}[ \t]*$")
        end = next((i for i in range(index + 1, len(lines)) if close.match(lines[i])), None)
        if end is None:
            break  # an unclosed fence runs to the end of the page, as in Markdown
        if opening["lang"] == "mermaid":
            body = [line.removeprefix(indent) for line in lines[index + 1 : end]]
            found.append(Fence("\n".join(body).strip("\n"), indent, index, end))
        index = end + 1
    return found


def markdown_files() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


# The text alternative, from the source of a sequence diagram.
PARTICIPANT = re.compile(
    r"^(?:participant|actor)\s+(?P<id>[^\s@]+)(?:@\{.*\})?(?:\s+as\s+(?P<label>.+))?$"
)
MESSAGE = re.compile(
    r"^(?P<from>[^-<>:+]+?)\s*(?P<arrow><<-{1,2}>>|-{1,2}(?:>>|>|x|\)))\s*[+-]?"
    r"(?P<to>[^:]+?)\s*:\s*(?P<text>.*)$"
)
NOTE = re.compile(
    r"^note\s+(?P<where>over|left of|right of)\s+(?P<who>[^:]+?)\s*:\s*(?P<text>.*)$", re.I
)
BLOCK = re.compile(r"^(?P<kind>loop|alt|opt|par|critical|break|rect|box)\b\s*(?P<text>.*)$")
BRANCH = re.compile(r"^(?P<kind>else|and|option)\b\s*(?P<text>.*)$")
SKIP = re.compile(
    r"^(?:sequenceDiagram|autonumber|activate|deactivate|destroy|create|title|accTitle|accDescr)\b"
    r"|^%%"
)
ENTITY = re.compile(r"#(\d+|[a-zA-Z]+);")  # Mermaid's escapes: #59; is ";", #quot; is '"'
LINE_BREAK = re.compile(r"([,;:.]?)\s*<br\s*/?>\s*", re.I)  # <br/> in a label
SILENT = ("rect", "box")  # a colour or a frame, no step of the sequence


def text_alternative(source: str) -> str:
    """'Sequence diagram of Client and Server. Client to Server: GET /. ...': what the
    drawing says, for a screen reader and for anyone who cannot see it."""
    names: dict[str, str] = {}
    steps: list[str] = []
    blocks: list[str] = []

    def name(who: str) -> str:
        return names.setdefault(who.strip(), who.strip())

    for raw in source.splitlines():
        line = LINE_BREAK.sub(lambda m: (m[1] or ",") + " ", raw.strip())
        line = ENTITY.sub(lambda m: html.unescape(f"&{'#' * m[1].isdigit()}{m[1]};"), line)
        if not line or SKIP.match(line):
            continue
        if match := PARTICIPANT.match(line):
            names[match["id"]] = (match["label"] or match["id"]).strip()
        elif match := NOTE.match(line):
            over = " and ".join(name(w) for w in match["who"].split(","))
            steps.append(f"Note {match['where'].lower()} {over}: {match['text'].strip()}")
        elif match := MESSAGE.match(line):
            lost = " (lost)" if match["arrow"].endswith("x") else ""
            sender, receiver = name(match["from"]), name(match["to"])
            receiver = "itself" if receiver == sender else receiver
            steps.append(f"{sender} to {receiver}{lost}: {match['text']}")
        elif match := BLOCK.match(line):
            blocks.append(match["kind"])
            if match["kind"] not in SILENT:
                steps.append(f"{match['kind'].capitalize()}: {match['text']}".rstrip(": "))
        elif match := BRANCH.match(line):
            steps.append(f"{match['kind'].capitalize()}: {match['text']}".rstrip(": "))
        elif line == "end":  # of the innermost block
            kind = blocks.pop() if blocks else ""
            if kind not in SILENT:
                steps.append(f"End of {kind}".strip())
        else:
            steps.append(line)
    who = list(names.values())
    between = ", ".join(who[:-1]) + " and " + who[-1] if len(who) > 1 else "".join(who)
    summary = f"Sequence diagram of {between}" if who else "Sequence diagram"
    return " ".join(step if step[-1] in ".?!" else step + "." for step in [summary, *steps])


def figure(fence: Fence, svg: str) -> str:
    """The figure a page shows: the SVG with its text alternative as its accessible name,
    left out of the search index (its labels, run together, would be noise there)."""
    label = html.escape(text_alternative(fence.source), quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return f'<figure class="diagram" data-search-exclude>{svg}</figure>'


def on_files(files: Files, config: Any) -> Files:
    """The SVGs are inlined into the pages, so not published on their own."""
    for file in [f for f in files if f.src_uri.startswith("assets/diagrams/")]:
        files.remove(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    """Each fence becomes a placeholder paragraph (before superfences sees it); the HTML
    takes its place in on_page_content, so a fence inside an admonition or a tab works."""
    found = fences(markdown)
    if not found:
        return markdown
    lines = markdown.split("\n")
    for fence in reversed(found):
        if not svg_path(fence.key).is_file():
            log.warning(
                "%s: the diagram at line %d has no current SVG (%s): run `make diagrams`",
                page.file.src_uri,
                fence.start + 1,
                svg_path(fence.key).relative_to(ROOT),
            )
            continue  # shown as its source: mkdocs serve stays usable while one writes
        lines[fence.start : fence.end + 1] = [fence.indent + PLACEHOLDER.format(key=fence.key)]
    _placed[page.file.src_uri] = {f.key: f for f in found}
    return "\n".join(lines)


@event_priority(100)  # before print-site keeps each page's HTML for the print page
def on_page_content(html_: str, page: Page, config: Any, files: Files) -> str:
    placed = _placed.pop(page.file.src_uri, {})
    if not placed:
        return html_
    return PLACED.sub(
        lambda m: figure(placed[m["key"]], svg_path(m["key"]).read_text("utf-8").strip()),
        html_,
    )
