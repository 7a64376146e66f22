"""The labs (docs/labs/*.py, jupytext notebooks): each one runs on its own, draws its
figures, prints no error, leaves nothing behind, and ends with a finding whose every number
is one this run measured; the site's config executes them and hides their setup code.

Each lab runs once in the whole test run, between two probes (tests/support/labs.py):
whatever it started must be gone at the end. The site's build renders those same runs.
"""

from __future__ import annotations

import ast
import contextlib
import json
import math
import posixpath
import re
import statistics
import subprocess
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
from mkdocs.config import load_config

from tests.support import ROOT
from tests.support.labs import LABS, RAW, Run

HIDDEN = "remove-input"  # the tag of a cell whose code the site hides
REMOVE = {"remove_input_tags": [HIDDEN]}  # how mkdocs.yml tells mkdocs-jupyter so
FINDING = "finding"  # the tag of the cell that writes the finding
SETUP = "# Setup, the same in every lab"  # how the shared setup cell begins
FIGURES = {  # lab -> how many figures (inline SVG) it draws
    "what-waiting-costs": 1,
    "chunk-size-and-resume": 2,
    "what-durability-costs": 1,
}
# lab -> the example pages whose ideas it measures: each links to the lab under
# "## Measured in a lab", and the lab links to each (paths under docs/).
MEASURES = {
    "what-waiting-costs": ["communication-patterns/sync-vs-async/client-property.md"],
    "chunk-size-and-resume": [
        "communication-patterns/request-response/resumable-upload/index.md",
        "communication-patterns/request-response/upload-single.md",
    ],
    "what-durability-costs": [
        "communication-patterns/sync-vs-async/fsync-cost.md",
        "communication-patterns/sync-vs-async/async-commit-sqlite.md",
        "communication-patterns/sync-vs-async/async-commit-postgres.md",
    ],
}
# lab -> {the constant in which it copies a page's claim: (the file that checks the
# claim, the functions that check it, the check with the constant's value in it)}
CLAIMS = {
    "what-waiting-costs": {
        "CLAIMED_SOONER": (
            "examples/sync_vs_async/client_property/report.py",
            ["demo"],
            "ratio >= {}",
        ),
    },
    "chunk-size-and-resume": {
        "GOAL_CHUNK_MIB": ("benchmarks/upload_throughput.py", ["main"], "results.ratio({})"),
    },
    "what-durability-costs": {
        "FSYNC_SLOWER": (
            "tests/sync_vs_async/test_fsync_cost.py",
            ["test_fsync_costs_more_than_write_on_a_disk"],
            "assert ratio >= {}",
        ),
        "SQLITE_FASTER": (
            "tests/sync_vs_async/test_async_commit_sqlite.py",
            [
                "test_sqlite_off_commits_faster_than_full",
                "test_sqlite_normal_does_not_sync_at_commit_in_wal_mode",
            ],
            "assert ratio >= {}",
        ),
        "PG_GROUP": (
            "tests/sync_vs_async/test_async_commit_postgres.py",
            ["test_group_commit_shares_flushes_among_sessions"],
            "assert ratio >= {}",
        ),
    },
}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def lab_names() -> list[str]:
    return sorted(path.stem for path in LABS.glob("*.py"))


def cells(name: str) -> list[nbformat.NotebookNode]:
    notebook: nbformat.NotebookNode = jupytext.read(LABS / f"{name}.py")
    return list(notebook.cells)


def tagged(cell: nbformat.NotebookNode, tag: str) -> bool:
    return tag in cell.metadata.get("tags", [])


@pytest.fixture(scope="module", params=sorted(FIGURES))  # read once per lab
def run(request: pytest.FixtureRequest, executed_labs: Path) -> Run:
    """The lab's run: each lab is executed once in the whole test run (tests/conftest.py)."""
    return Run.load(executed_labs, request.param)


def test_every_lab_is_known() -> None:
    assert lab_names() == sorted(FIGURES) == sorted(MEASURES) == sorted(CLAIMS) == sorted(RAW)
    assert sorted(RAW) == sorted(KEY)


def test_lab_runs_alone(run: Run) -> None:
    outputs = run.outputs()
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    figures = [h for h in html if h.startswith("<svg") and 'role="img"' in h]
    assert len(figures) == FIGURES[run.name]
    markdown = "".join(o.data.get("text/markdown", "") for o in outputs if "data" in o)
    machine = re.search(r"Measured on Python [\d.]+, \d+ CPUs, .+ file system", markdown)
    assert machine, "the lab names the machine it ran on, next to its figures"
    if "PGHOST" in run.env:  # the lab found the server it was pointed at, and measured it
        tables = [h for h in html if h.startswith("<table")]
        assert any(">PostgreSQL: synchronous_commit=on (" in table for table in tables)

    before, after = json.loads(run.printed(0)), json.loads(run.printed(-1))
    for kind in before:
        assert set(after[kind]) <= set(before[kind]), f"left behind ({kind})"
    assert run.left_in_workdir == [], "files left in the working directory"
    assert run.left_in_tmpdir == [], "temporary files left behind"
    assert set(run.children_after) <= set(run.children_before)


def figures_in(text: str) -> list[str]:
    """The numbers a text states: '1,295', '2.61', '32' (not in link targets)."""
    return NUMBER.findall(re.sub(r"\]\([^)]*\)", "]", text))


def same(value: float, shown: str) -> bool:
    """Whether `shown` is `value` as printed to its number of decimals."""
    decimals = len(shown.partition(".")[2])
    return abs(float(shown.replace(",", "")) - value) <= 0.5 * 10**-decimals + 1e-9


def test_the_finding_states_this_run_s_figures(run: Run) -> None:
    """Every number of the finding is one of the lab's `finding` figures of this run, as
    shown (or inside one of its phrases, such as '64 KiB'), every figure is stated, and the
    key figures are what this test computes from the run's raw measurements."""
    [cell] = [c for c in run.lab_cells if tagged(c, FINDING)]
    assert tagged(cell, HIDDEN), "the code that writes the finding is hidden on the page"
    [output] = cell.outputs
    text = output.data["text/markdown"]
    read = json.loads(run.printed(-2))
    finding: dict[str, Any] = read["finding"]
    values = [v for v in finding.values() if isinstance(v, int | float)]
    phrases = [v for v in finding.values() if isinstance(v, str)]
    assert values, "a finding states figures"

    stated = figures_in(text)
    allowed = {n for phrase in phrases for n in figures_in(phrase)}
    strays = [s for s in stated if s not in allowed and not any(same(v, s) for v in values)]
    assert not strays, f"numbers in the finding that this run did not compute: {strays}"
    unstated = [v for v in values if not any(same(v, s) for s in stated)]
    assert not unstated, f"figures of the finding that its text does not state: {unstated}"

    computed = key_figures(run.name, read["raw"])
    assert sorted(computed) == sorted(KEY[run.name])
    for key, expected in computed.items():
        assert math.isclose(finding[key], expected, rel_tol=1e-9), (key, finding[key], expected)


KEY = {  # lab -> the figures of its finding that key_figures() computes on its own
    "what-waiting-costs": ["sequential_per_nl", "sooner"],
    "chunk-size-and-resume": ["goal_share", "worst_chunks"],
    "what-durability-costs": ["fsync_slower", "off_faster"],
}


def key_figures(name: str, raw: dict[str, Any]) -> dict[str, float]:
    if name == "what-waiting-costs":
        seconds, n = raw["seconds"], raw["n_example"]
        at = raw["calls"].index(n)
        sequential = seconds[raw["sequential"]][at]
        others = [s[at] for c, s in seconds.items() if c != raw["sequential"]]
        slowest = max(s for s in others if not math.isnan(s))
        return {
            "sequential_per_nl": sequential / (n * raw["latency"]),
            "sooner": sequential / slowest,
        }
    if name == "chunk-size-and-resume":
        throughput, resent = dict(raw["throughput"]), dict(raw["resent"])
        return {
            "goal_share": throughput[raw["goal_chunk"]] / raw["single"] * 100,
            "worst_chunks": max(max(bytes_) / chunk for chunk, bytes_ in resent.items()),
        }
    median = {k: statistics.median(v) for k, v in raw["measured"].items()}
    return {
        "fsync_slower": median["file: write()"] / median["file: write() + fsync()"],
        "off_faster": median["SQLite: synchronous=OFF"] / median["SQLite: synchronous=FULL"],
    }


def constants(name: str) -> dict[str, Any]:
    """The lab's top-level constants that are plain literals: NAME = 3."""
    found = {}
    for cell in cells(name):
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    with contextlib.suppress(ValueError):  # not a literal: 4 * MiB
                        found[target.id] = ast.literal_eval(node.value)
    return found


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_the_claims_a_lab_copies_are_the_pages_own(name: str) -> None:
    """A lab copies each claim it sets its finding beside: the copy is the check's figure."""
    found = constants(name)
    for constant, (path, functions, check) in CLAIMS[name].items():
        source = (ROOT / path).read_text(encoding="utf-8")
        bodies = {
            node.name: ast.get_source_segment(source, node) or ""
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef)
        }
        for function in functions:
            expected = check.format(found[constant])
            assert expected in bodies[function], f"{path}:{function} no longer checks {expected}"


def links(markdown: str, page: str) -> set[str]:
    """The pages (paths under docs/) a Markdown text links to, from `page`."""
    found = set()
    for target in re.findall(r"\]\(([^)#\s]+\.(?:md|py))(?:#[^)]*)?\)", markdown):
        found.add(posixpath.normpath(posixpath.join(posixpath.dirname(page), target)))
    return found


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_a_lab_and_the_pages_it_measures_link_each_other(name: str) -> None:
    lab = f"labs/{name}.py"
    source = "\n".join(c.source for c in cells(name))  # its Markdown, and the finding's
    missing = [page for page in MEASURES[name] if page not in links(source, lab)]
    assert not missing, f"{name} does not link to {missing}"
    back = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        path = page.relative_to(ROOT / "docs").as_posix()
        section = page.read_text(encoding="utf-8").partition("\n## Measured in a lab\n")[2]
        section = section.partition("\n## ")[0]
        if lab in links(section, path):
            back.append(path)
    assert sorted(back) == sorted(MEASURES[name]), "pages whose 'Measured in a lab' links here"


def test_every_lab_shares_one_setup_cell() -> None:
    """The setup (imports, plot style, helpers) is repeated in each lab so that each one's
    file runs alone; it stays the same everywhere."""
    setups = {}
    for name in lab_names():
        found = [c for c in cells(name) if c.cell_type == "code" and c.source.startswith(SETUP)]
        assert len(found) == 1 and tagged(found[0], HIDDEN), name
        setups[name] = found[0].source
    assert len(set(setups.values())) == 1, "the labs' setup cells differ: copy the new one"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_setup_and_plotting_code_is_hidden_and_the_page_says_where(name: str) -> None:
    lab = cells(name)
    for cell in lab:
        draws = "show_figure(" in cell.source or "show_table(" in cell.source
        if cell.cell_type == "code" and (draws or cell.source.startswith(SETUP)):
            assert tagged(cell, HIDDEN), cell.source[:200]
    assert f"[{name}.py]({name}.py)" in lab[0].source and f"`{HIDDEN}`" in lab[0].source

    from mkdocs_jupyter import convert

    html = convert.nb2html(str(LABS / f"{name}.py"), remove_tag_config=REMOVE, no_prompt=True)
    assert "rcParams" not in html and "def show_figure" not in html  # hidden
    assert "show_figure" in (LABS / f"{name}.py").read_text()  # and in the download
    assert 'class="celltoolbar"' not in html  # no shown cell wears a tag


def test_the_site_executes_the_labs_and_fails_on_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LABS_EXECUTE", raising=False)
    monkeypatch.delenv("LABS_CACHE", raising=False)
    config = load_config(str(ROOT / "mkdocs.yml"))
    jupyter = config.plugins["mkdocs-jupyter"].config
    assert jupyter["execute"] is True
    assert jupyter["allow_errors"] is False  # its default (true) builds a failing cell silently
    assert jupyter["include_source"] is True  # the download link of each lab
    assert jupyter["cache"] is False  # an executed lab is never an old run's output
    assert jupyter["remove_tag_config"] == REMOVE  # setup and plotting code: in the download
    # print-site asks to be the last plugin; MkDocs adds the hooks after every plugin.
    plugins = [name for name in config.plugins if name not in config["hooks"]]
    assert plugins[-1] == "print-site"
    in_nav = json.dumps(config["nav"])
    for name in FIGURES:
        assert f"labs/{name}.py" in in_nav


def test_make_serve_shows_the_labs_unexecuted() -> None:
    recipe = subprocess.run(
        ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "LABS_EXECUTE=false" in recipe and "mkdocs serve" in recipe


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_lab_renders_unexecuted_with_its_note(name: str) -> None:
    from mkdocs_jupyter import convert

    html = convert.nb2html(str(LABS / f"{name}.py"), execute=False, allow_errors=False)
    assert "Executed or not?" in html
    assert '<div class="jp-OutputArea-child' not in html  # no output: nothing ran
