"""Import the author's notes: each topic the site lacks becomes a topic, its notes on its page.

Usage:  make import-notes                  (reads notes.md)
        make import-notes FILE=other.md    (or: python -m scripts.import_notes other.md)

The notes are the author's collapsible Markdown: a `<details>` block per section, its
title in a `<summary>` (`002 - Backend Communication Design Patterns`); inside it, a
`<details>` block per topic between `<!-- ##### START OF TOPIC ##### -->` and
`<!-- ##### END OF TOPIC ##### -->`, holding headings, `- ` bullets and `- - `
sub-bullets. A top-level block without topics (the Objective) belongs on the home page.
A topic `TEMP` holding only `- Content` is the author's template for the next topic.

For each topic of the notes:
- the site lacks it: writes what `make new-topic` writes (its page, a first example's
  page, module and test, its package, its entry on the section's page and in the nav,
  after the topics before it), with the topic's notes on its page, line for line, the
  notes' headings as headings and sub-bullets as nested bullets. A section the site lacks
  (`003 - Protocols`) becomes a nav section with a page of its own, `docs/protocols/`;
- the site has it: writes nothing to it, and lists each notes line its page lacks, with
  the notes line it follows, for the author to place by hand;
- the template: skipped, and said so.
It refuses a file it cannot read safely, naming the line and what is wrong, and then
writes nothing: an unclosed `<details>`, a topic outside a section, a `<summary>`
missing, a title that would make an unsafe or clashing name. Run twice, the second run
writes nothing. tests/site/test_notes.py checks that every notes line is on the site.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from scripts.new_topic import FIRST
from scripts.scaffold import (
    LINK_LINE,
    NAME,
    PACKAGE_INIT,
    PATTERNS,
    SECTION_ENTRY,
    Name,
    Refused,
    block_end,
    example_files,
    run,
    topic_dir,
    topic_nav,
    topic_taken,
)

NOTES = "notes.md"
TEMPLATE = ("TEMP", ["Content"])  # the author's template topic: its title, its one bullet
DETAILS = re.compile(r"<details\b[^>]*>(\s*<!--.*?-->)?", re.IGNORECASE)
CLOSE = re.compile(r"</details>", re.IGNORECASE)
SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.IGNORECASE)
START = re.compile(r"<!--\s*#*\s*START OF TOPIC\s*#*\s*-->", re.IGNORECASE)
COMMENT = re.compile(r"<!--.*-->")
HEADING = re.compile(r"(#{1,6})\s+(.*)")
SUB_BULLET = re.compile(r"(?:[-*]\s+[-*]|\s{2,}[-*])\s+(.*)")  # "- - x", or "  - x"
BULLET = re.compile(r"\s*[-*]\s+(.*)")
NUMBER = re.compile(r"\d+\s*-\s*")  # "003 - " before a section's name
RESERVED = {"examples", "print-page", "search", "assets"}  # folders the built site has


@dataclass(frozen=True)
class Line:
    """One line of the notes: a heading (level 1-6), a bullet, a sub-bullet or text."""

    number: int
    kind: str
    text: str
    level: int = 0

    def markdown(self, shift: int = 0) -> str:
        if self.kind == "heading":
            return "#" * min(self.level + shift, 6) + " " + self.text
        return {"bullet": "- ", "sub": "    - ", "text": ""}[self.kind] + self.text

    def __str__(self) -> str:
        return self.markdown() if self.kind != "title" else self.text


@dataclass
class Block:
    """A `<details>` block: a section (it holds topics), a topic, or a block of the home
    page (a top-level block without topics: the Objective)."""

    opened: int
    title: str = ""
    number: int = 0  # the line of its <summary>
    lines: list[Line] = field(default_factory=list)
    topics: list[Block] = field(default_factory=list)

    @property
    def title_line(self) -> Line:
        return Line(self.number, "title", self.title)

    @property
    def is_template(self) -> bool:
        return (self.title, [line.text for line in self.lines]) == TEMPLATE


@dataclass
class Notes:
    home: list[Block]
    sections: list[Block]

    def site_lines(self) -> Iterator[tuple[Line, str]]:
        """Every line the site must hold, in the site's order, with where it belongs."""
        for block in self.home:
            for line in [block.title_line, *block.lines]:
                yield line, f"the home page's {block.title!r}"
        for section in self.sections:
            for line in [section.title_line, *section.lines]:
                yield line, f"section {section.title!r}"
            for topic in section.topics:
                if not topic.is_template:
                    for line in [topic.title_line, *topic.lines]:
                        yield line, f"topic {topic.title!r}"


def parse(text: str, name: str = NOTES) -> Notes:
    """The notes' blocks, sections and topics; Refused, naming the line, if unreadable."""
    blocks: list[Block] = []
    stack: list[Block] = []
    awaiting_summary: Block | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if awaiting_summary is not None:
            summary = SUMMARY.fullmatch(line)
            if summary is None or not summary[1].strip():
                raise Refused(
                    f"{name} line {awaiting_summary.opened}: this <details> has no "
                    f"<summary> with its title on the line after it (line {number} is "
                    f"{line!r}): add <summary>Title</summary>"
                )
            awaiting_summary.title, awaiting_summary.number = summary[1].strip(), number
            awaiting_summary = None
        elif START.fullmatch(line) and not stack:
            raise Refused(
                f"{name} line {number}: a topic outside a section: START OF TOPIC comes "
                "after every section's <details> has closed; move the topic into its "
                "section's <details> block"
            )
        elif DETAILS.fullmatch(line):
            if len(stack) > 1:
                raise Refused(
                    f"{name} line {number}: a <details> inside topic {stack[-1].title!r}: "
                    "a topic holds headings and bullets, not another <details>"
                )
            awaiting_summary = Block(number)
            (stack[0].topics if stack else blocks).append(awaiting_summary)
            stack.append(awaiting_summary)
        elif CLOSE.fullmatch(line):
            if not stack:
                raise Refused(f"{name} line {number}: this </details> closes no <details>")
            stack.pop()
        elif SUMMARY.fullmatch(line):
            raise Refused(f"{name} line {number}: a <summary> that no <details> opens")
        elif COMMENT.fullmatch(line) or set(line) == {"#"}:
            continue  # a marker, or an empty heading
        elif not stack:
            raise Refused(
                f"{name} line {number}: {line!r} is outside every <details> block: put it "
                "in a section's or a topic's block"
            )
        else:
            stack[-1].lines.append(content(number, raw.rstrip()))
    if awaiting_summary is not None:
        raise Refused(f"{name} line {awaiting_summary.opened}: this <details> has no <summary>")
    if stack:
        raise Refused(
            f"{name} line {stack[-1].opened}: the <details> of {stack[-1].title!r} is never "
            "closed: add </details> after its last line"
        )
    return Notes(
        home=[block for block in blocks if not block.topics],
        sections=[block for block in blocks if block.topics],
    )


def content(number: int, line: str) -> Line:
    for pattern, kind in ((SUB_BULLET, "sub"), (BULLET, "bullet")):
        if found := pattern.fullmatch(line):
            return Line(number, kind, found[1].strip())
    line = line.strip()
    if heading := HEADING.fullmatch(line):
        return Line(number, "heading", heading[2].strip(), len(heading[1]))
    return Line(number, "text", line)


def read(path: Path, name: str) -> Notes:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Refused(f"cannot read {name}: {error}") from None
    return parse(text, name)


# Matching the notes against the pages: words only, whole lines, in order.


def normalize(text: str) -> str:
    """Words only: no markup, links reduced to their text, case and punctuation folded."""
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"</?[A-Za-z][^<>\n]*>", " ", text)  # real HTML tags, not a `<` in output
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`\"'\u201c\u201d\u2018\u2019]", "", text.lower())
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def page_lines(pages: list[str]) -> list[str]:
    """Each line of the pages, normalized, its heading or bullet marker dropped."""
    return [
        normalize(re.sub(r"^\s*(#+|[-*]|\d+\.)\s+", "", line))
        for page in pages
        for line in page.splitlines()
    ]


def unplaced(lines: list[Line], pages: list[str]) -> list[tuple[Line, Line | None, str]]:
    """Each line that is not a whole line of the pages after the one before it: the line,
    the line it follows in the notes, and "missing" or "out of order"."""
    site = page_lines(pages)
    found: list[tuple[Line, Line | None, str]] = []
    position, previous = 0, None
    for line in lines:
        wanted = normalize(line.text)
        if wanted in site[position:]:
            position = site.index(wanted, position) + 1
        else:
            found.append((line, previous, "out of order" if wanted in site else "missing"))
        previous = line
    return found


# The site: its nav, read from mkdocs.yml.


@dataclass
class NavEntry:
    title: str
    page: str  # docs-relative: communication-patterns/index.md
    topics: list[NavEntry] = field(default_factory=list)


def index_of(value: Any) -> str | None:
    """The page of a nav section: its first item, when that is a page."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return None


def read_nav(root: Path) -> tuple[str, list[NavEntry]]:
    """The home page, and each section of the nav with its topics (those with a page)."""
    with (root / "mkdocs.yml").open(encoding="utf-8") as f:
        nav = yaml_load(f)["nav"]
    home, sections = "index.md", []
    for item in nav:
        for title, value in item.items() if isinstance(item, dict) else [("", item)]:
            if isinstance(value, str) and value == "index.md":
                home = value
            elif page := index_of(value):
                topics = [
                    NavEntry(str(name), topic_page)
                    for child in value[1:]
                    if isinstance(child, dict)
                    for name, topic_value in child.items()
                    if (topic_page := index_of(topic_value))
                ]
                sections.append(NavEntry(str(title), page, topics))
    return home, sections


def nav_pages(root: Path) -> list[str]:
    """The pages that hold the notes, in nav order: the home page, each section's page and
    each of its topics' pages (docs-relative)."""
    home, sections = read_nav(root)
    return [home, *(page for s in sections for page in [s.page, *(t.page for t in s.topics)])]


def same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def find(entries: list[NavEntry], title: str) -> NavEntry | None:
    return next((entry for entry in entries if same(entry.title, title)), None)


# The plan: what to write, and what to tell the author.


def yaml_title(title: str) -> str:
    """The title as a nav key: quoted when YAML would read it as something else."""
    return title if yaml.safe_load(title) == title else json.dumps(title)


def topic_name(topic: Block, name: str, new: set[str]) -> Name:
    """The topic's name in its three spellings; Refused if unsafe or clashing."""
    where = f"{name} line {topic.number}"
    if topic.title == TEMPLATE[0]:
        raise Refused(
            f"{where}: topic {topic.title!r} holds more than the template's "
            f"'- {TEMPLATE[1][0]}': give it its real title"
        )
    if not NAME.fullmatch(topic.title) or "  " in topic.title:
        raise Refused(
            f"{where}: topic title {topic.title!r} would make an unsafe file name: use "
            "1-40 letters, digits, single spaces or hyphens, starting with a letter and "
            "ending with a letter or a digit"
        )
    try:
        parsed = Name.parse(topic.title, "topic", "NAME")
    except Refused as refusal:
        reason = str(refusal).split(": choose")[0]
        raise Refused(f"{where}: {reason}: rename the topic in the notes") from None
    if parsed.slug in new:
        raise Refused(f"{where}: topic {topic.title!r} makes the name {parsed.slug!r} twice")
    return parsed


@dataclass
class Plan:
    root: Path
    name: str
    files: dict[Path, str] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    new: set[str] = field(default_factory=set)  # slugs of the topics made by this plan

    def text(self, path: Path) -> str:
        return self.files[path] if path in self.files else path.read_text(encoding="utf-8")

    def check(self, block: Block, page: str, what: str) -> None:
        """Report the lines of `block` that its page lacks (writes nothing)."""
        path = self.root / "docs" / page
        shown = self.text(path) if path.is_file() else ""
        lines = [block.title_line, *block.lines]
        where = f"docs/{page}"
        problems = unplaced(lines, [shown])
        if not problems:
            self.report.append(f"{what}: every line is on {where}.")
            return
        self.report.append(
            f"{what}: {len(problems)} line(s) of the notes are not in place on {where}; "
            "place each by hand:"
        )
        for line, previous, problem in problems:
            after = f'after "{previous}"' if previous else "at the top of the page"
            self.report.append(f'  {self.name} line {line.number} ({problem}): "{line}", {after}')


def topic_page(topic: Block, example: Name) -> str:
    """The notes of the topic as its page, headings shifted so that the first is `##`
    (the page's title is the `#`), then the link to its first example."""
    levels = [line.level for line in topic.lines if line.kind == "heading"]
    shift = 2 - min(levels) if levels else 0
    out = [
        f"# {topic.title}",
        "",
        "<!-- Under each note that code can show: a sentence or two on what its proof shows,",
        "and a link to its example page. -->",
    ]
    for line in topic.lines:
        listed = out[-1].lstrip().startswith(("- ", "* "))
        if line.kind in ("heading", "text") or not listed:
            out.append("")  # a heading, a paragraph or a new list starts after a blank line
        if line.kind == "sub" and not listed:
            out.append(Line(line.number, "bullet", line.text).markdown())  # no parent
        else:
            out.append(line.markdown(shift))
        if line.kind in ("heading", "text"):
            out.append("")
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out).strip() + "\n")
    return text + LINK_LINE.format(example=example)


def nav_key(line: str, indent: str) -> str | None:
    """The title that a nav line opens at `indent` ("  - Title:"), if it opens one."""
    if not line.startswith(indent + "- ") or not line.rstrip().endswith(":"):
        return None
    key = line[len(indent) + 2 :].rstrip().removesuffix(":")
    try:
        loaded = yaml.safe_load(key)
    except yaml.YAMLError:
        return None
    return str(loaded)


def section_at(lines: list[str], title: str) -> int:
    """The index of the nav line that opens section `title`."""
    for index, line in enumerate(lines):
        key = nav_key(line, "  ")
        if key is not None and same(key, title):
            return index
    raise Refused(f"mkdocs.yml's nav has no section {title!r}: has its indent changed?")


def topic_at(lines: list[str], section: int, title: str) -> int | None:
    """The index of the nav line that opens topic `title` in the section at `section`."""
    for index in range(section + 1, block_end(lines, section, "    ")):
        key = nav_key(lines[index], "      ")
        if key is not None and same(key, title):
            return index
    return None


def insert(yml: str, at: int, indent: str, new: list[str]) -> str:
    """mkdocs.yml with `new` after the nav block that starts at line `at`."""
    lines = yml.splitlines(keepends=True)
    end = block_end(lines, at, indent)
    lines[end:end] = new
    return "".join(lines)


def plan_import(root: Path, file: str) -> Plan:
    """Everything to write, and the report; raises Refused before anything is planned."""
    notes = read(root / file, file)
    plan = Plan(root, file)
    home, sections = read_nav(root)
    for block in notes.home:
        plan.check(block, home, block.title)
    previous: str | None = None  # the title of the section before
    for section in notes.sections:
        entry = find(sections, section.title)
        if entry is None:
            entry = new_section(plan, section, previous)
        else:
            plan.check(section, entry.page, section.title)
        previous = section.title
        after: str | None = None  # the title of the topic before, in this section
        for topic in section.topics:
            if topic.is_template:
                plan.report.append(
                    f"{topic.title} ({file} line {topic.number}): skipped, the template for "
                    f"the next topic (it holds only '- {TEMPLATE[1][0]}')."
                )
                continue
            existing = find(entry.topics, topic.title)
            if existing is not None:
                plan.check(topic, existing.page, topic.title)
            else:
                new_topic(plan, topic, entry, after)
            after = topic.title
    return plan


def new_section(plan: Plan, section: Block, previous: str | None) -> NavEntry:
    """A section page, `docs/<name>/index.md`, and its nav section after `previous`."""
    where = f"{plan.name} line {section.number}"
    words = NUMBER.sub("", section.title, count=1)
    if not NAME.fullmatch(words) or "  " in words or not re.fullmatch(r"[\w -]+", section.title):
        raise Refused(
            f"{where}: section title {section.title!r} would make an unsafe folder name: "
            "use a number, ' - ', then letters, digits, single spaces or hyphens"
        )
    slug = re.sub(r"[ -]+", "-", words.lower())
    folder = plan.root / "docs" / slug
    taken = folder.exists() or folder.with_suffix(".md").exists()
    if taken or slug in RESERVED:
        raise Refused(
            f"{where}: section {section.title!r} would make docs/{slug}, which the site "
            "has already: rename the section in the notes"
        )
    page = f"{slug}/index.md"
    intro = "One short paragraph: what the topics of this section have in common."
    lines = [f"# {section.title}", "", *(line.markdown() for line in section.lines), "", intro]
    plan.files[folder / "index.md"] = "\n".join(lines).rstrip() + "\n"
    yml_path = plan.root / "mkdocs.yml"
    yml = plan.text(yml_path)
    lines = yml.splitlines(keepends=True)
    # After the section before it in the notes; the first, after the nav's first entry.
    at = lines.index("nav:\n") + 1 if previous is None else section_at(lines, previous)
    block = [f"  - {yaml_title(section.title)}:\n", f"      - {page}\n"]
    plan.files[yml_path] = insert(yml, at, "    ", block)
    plan.report.append(f"{section.title} ({plan.name} line {section.number}): a new section.")
    return NavEntry(section.title, page)


def new_topic(plan: Plan, topic: Block, section: NavEntry, after: str | None) -> None:
    """What `make new-topic` writes, with the notes of the topic on its page."""
    name = topic_name(topic, plan.name, plan.new)
    taken = topic_taken(plan.root, name)
    if taken is not None:
        raise Refused(
            f"{plan.name} line {topic.number}: topic {topic.title!r} would make "
            f"{taken.relative_to(plan.root)}, which exists already (the site's topic "
            "names are in mkdocs.yml's nav): rename the topic in the notes"
        )
    plan.new.add(name.slug)
    folder = topic_dir(plan.root, name)
    plan.files[folder / "index.md"] = topic_page(topic, FIRST)
    plan.files[plan.root / "examples" / name.python / "__init__.py"] = PACKAGE_INIT.format(
        topic=name
    )
    plan.files.update(example_files(plan.root, name, FIRST))

    # In the nav: after the topic before it in the notes, or first in its section.
    yml_path = plan.root / "mkdocs.yml"
    yml = plan.text(yml_path)
    lines = yml.splitlines(keepends=True)
    at = section_at(lines, section.title)
    before = topic_at(lines, at, after) if after is not None else None
    if before is not None:
        yml = insert(yml, before, "          ", topic_nav(name, FIRST))
    elif after is None:
        yml = insert(yml, at + 1, "          ", topic_nav(name, FIRST))  # after its page
    else:
        yml = insert(yml, at, "      ", topic_nav(name, FIRST))  # last in its section
    plan.files[yml_path] = yml

    index = plan.root / "docs" / section.page
    link = posixpath.relpath(
        f"{PATTERNS.relative_to('docs').as_posix()}/{name.slug}/index.md",
        posixpath.dirname(section.page) or ".",
    )
    entry = SECTION_ENTRY.format(topic=name).replace(f"({name.slug}/index.md)", f"({link})")
    plan.files[index] = plan.text(index) + entry
    plan.report.append(f"{topic.title} ({plan.name} line {topic.number}): a new topic.")


def plan(root: Path, args: list[str]) -> dict[Path, str]:
    """For scaffold.run: the files to write; the report is printed first."""
    if len(args) > 1:
        raise Refused("give one notes file at most: make import-notes FILE=notes.md")
    planned = plan_import(root, args[0] if args else NOTES)
    for line in planned.report:
        print(line)
    changed = {
        path: text
        for path, text in planned.files.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    }
    if not changed:
        print("Nothing to write: every topic of the notes is on the site.")
    return changed


if __name__ == "__main__":
    sys.exit(run("import-notes", plan))
