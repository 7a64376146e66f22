"""Render every ```mermaid fence of docs/ to the SVG that hooks/diagrams.py puts in its page.

Each fence's SVG is `docs/assets/diagrams/<key>.svg`, the key a hash of its source, the
Mermaid version and the render settings (hooks/diagrams.py): a fence whose SVG exists is
current, so only new or edited fences are rendered, and SVGs no fence names are deleted.

Mermaid runs where it was made to run, in a browser: Playwright drives Debian's Chromium
(`/usr/lib/chromium/chromium`, or CHROMIUM=) on a blank page that loads the vendored
bundle, tools/mermaid/mermaid.min.js, with every network request refused. Each SVG is
then trimmed to the drawing: Mermaid's stylesheet goes (diagrams.css colours the diagram
from the palette's variables, light or dark), and so do the symbols, markers and ids
nothing uses, and the attributes only Mermaid's scripts read.

Only sequence diagrams are drawn (diagrams.css styles their parts), and a label with a
bare '#' is refused: Mermaid reads the rest of the line as a comment (write #35;).

Usage:  make diagrams   (python -m scripts.render_diagrams [--force]: render all anew)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from pathlib import Path

from hooks.diagrams import (
    LOST_TO_A_HASH,
    MERMAID,
    MERMAID_CONFIG,
    OUTPUT,
    ROOT,
    Fence,
    fences,
    markdown_files,
    svg_path,
)

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/lib/chromium/chromium"
BUNDLE = MERMAID / "mermaid.min.js"

# In the page: render one diagram, then keep only what draws it.
RENDER = """async ({id, source, config}) => {
  mermaid.initialize(config);
  const {svg} = await mermaid.render(id, source);
  const root = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  root.querySelectorAll("style").forEach(style => style.remove());
  const used = () => new XMLSerializer().serializeToString(root);
  for (const el of root.querySelectorAll("symbol[id], marker[id]")) {
    if (!used().includes(`#${el.id}`)) el.remove();
  }
  const text = used();
  for (const el of root.querySelectorAll("[id]")) {
    if (!text.includes(`#${el.id})`) && !text.includes(`"#${el.id}"`)) el.removeAttribute("id");
  }
  for (const el of root.querySelectorAll("defs, g")) {
    if (!el.children.length) el.remove();
  }
  for (const el of [root, ...root.querySelectorAll("*")]) {
    for (const {name} of [...el.attributes]) {
      if (name.startsWith("data-") || name === "name") el.removeAttribute(name);
    }
    el.style?.removeProperty("font-family");  // diagrams.css sets the same
    if (el.getAttribute("style") === "") el.removeAttribute("style");
  }
  root.removeAttribute("role");  // hooks/diagrams.py makes it an img with a name
  root.removeAttribute("aria-roledescription");
  root.setAttribute("id", id);
  return new XMLSerializer().serializeToString(root);
}"""


def check_bundle() -> None:
    """The bundle is the one SOURCE.txt names (its version is part of every key)."""
    stated = re.search(r"sha256 ([0-9a-f]{64})", (MERMAID / "SOURCE.txt").read_text("utf-8"))
    actual = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()
    if stated is None or stated.group(1) != actual:
        sys.exit(f"{BUNDLE} is not the file tools/mermaid/SOURCE.txt describes (sha256 {actual})")


def render(todo: dict[str, tuple[Path, Fence]]) -> list[str]:
    """Write the SVG of each fence in todo; the problems, one line each."""
    from playwright.sync_api import Error, sync_playwright

    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())  # nothing leaves the machine
        page.set_content("<!doctype html><html><head></head><body></body></html>")
        page.add_script_tag(path=str(BUNDLE))  # inlined by Playwright: no request
        for key, (path, fence) in sorted(todo.items()):
            where = f"{path.relative_to(ROOT)}:{fence.start + 1}"
            if not re.match(r"(%%.*\n\s*)*sequenceDiagram\b", fence.source):
                problems.append(f"{where}: only sequence diagrams are styled (diagrams.css)")
                continue
            lost = [
                line.strip() for line in fence.source.splitlines() if LOST_TO_A_HASH.search(line)
            ]
            if lost:
                problems.append(
                    f"{where}: Mermaid drops what follows '#': write #35; in {lost[0]!r}"
                )
                continue
            try:
                svg = page.evaluate(
                    RENDER, {"id": f"d{key}", "source": fence.source, "config": MERMAID_CONFIG}
                )
            except Error as error:
                message = "\n  ".join(error.message.strip().splitlines()[:3])  # where, no stack
                problems.append(f"{where}: Mermaid cannot draw it: {message}")
                continue
            svg_path(key).write_text(svg + "\n", encoding="utf-8")
            print(f"rendered {svg_path(key).relative_to(ROOT)}  ({where})")
        browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="render every fence anew")
    args = parser.parse_args(argv)

    wanted = {f.key: (path, f) for path in markdown_files() for f in fences(path.read_text())}
    todo = {k: v for k, v in wanted.items() if args.force or not svg_path(k).is_file()}
    OUTPUT.mkdir(parents=True, exist_ok=True)
    problems = []
    if todo:
        check_bundle()
        problems = render(todo)
    for unused in sorted(OUTPUT.glob("*.svg")):
        if unused.stem not in wanted:
            unused.unlink()
            print(f"deleted {unused.relative_to(ROOT)} (no fence draws it)")
    print(f"{len(wanted)} diagrams, {len(todo) - len(problems)} rendered now")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
