"""Pages, examples and tests stay tied: each example has its page, which shows it whole and
runs it, and its test; every include resolves. Each rule is broken once on a scratch copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.check_ties import problems
from tests.support import ROOT

TOPIC = Path("docs/communication-patterns/request-response")
PROBE = Path("examples/request_response/tie_probe.py")
PAGE = TOPIC / "tie-probe.md"
TEST = Path("tests/request_response/test_tie_probe.py")
WHOLE = '```python title="tie_probe.py"\n--8<-- "examples/request_response/tie_probe.py"\n```\n'
RUN = "```console\n$ python -m examples.request_response.tie_probe\nprobe\n```\n"


def new_problems(project: Path) -> list[str]:
    """What breaking the scratch copy added, whatever state the real tree is in."""
    return sorted(set(problems(project)) - set(problems(ROOT)))


def add_probe(project: Path, page: str | None = f"# Tie probe\n\n{RUN}\n{WHOLE}") -> None:
    """An example with its page (unless None) and its test, in the scratch copy."""
    (project / PROBE).write_text("# --8<-- [start:all]\nprint('probe')\n# --8<-- [end:all]\n")
    (project / TEST).write_text("import examples.request_response.tie_probe\n")
    if page is not None:
        (project / PAGE).write_text(page)


def test_every_example_is_tied_to_its_page_and_its_test() -> None:
    found = problems(ROOT)
    assert not found, "\n".join(found)


def test_an_example_with_its_page_and_its_test_is_fine(project_copy: Path) -> None:
    add_probe(project_copy)
    assert new_problems(project_copy) == []


def test_an_example_without_its_page_is_reported(project_copy: Path) -> None:
    add_probe(project_copy, page=None)
    assert new_problems(project_copy) == [
        f"{PROBE}: no page {PAGE} (its template: {TOPIC}/anatomy.md)"
    ]


def test_a_page_that_shows_only_a_region_is_reported(project_copy: Path) -> None:
    region = WHOLE.replace('tie_probe.py"\n', 'tie_probe.py:all"\n')
    add_probe(project_copy, page=f"# Tie probe\n\n{RUN}\n{region}")
    assert new_problems(project_copy) == [f'{PAGE}: does not show {PROBE} whole (--8<-- "{PROBE}")']


def test_a_page_that_does_not_run_its_example_is_reported(project_copy: Path) -> None:
    add_probe(project_copy, page=f"# Tie probe\n\n```bash\npython -m {PROBE}\n```\n\n{WHOLE}")
    assert new_problems(project_copy) == [
        f"{PAGE}: does not run {PROBE} (a console block: "
        "$ python -m examples.request_response.tie_probe)"
    ]


def test_a_background_server_runs_its_example(project_copy: Path) -> None:
    background = "<!-- console-background: python -m examples.request_response.tie_probe -->"
    add_probe(project_copy, page=f"# Tie probe\n\n{background}\n\n{WHOLE}")
    assert new_problems(project_copy) == []


def test_an_example_without_its_test_is_reported(project_copy: Path) -> None:
    add_probe(project_copy)
    (project_copy / TEST).unlink()
    assert new_problems(project_copy) == [f"{PROBE}: no test {TEST}"]


def test_a_package_example_must_show_each_of_its_files(project_copy: Path) -> None:
    package = project_copy / PROBE.with_suffix("")
    package.mkdir()
    for name in ("__init__.py", "__main__.py", "server.py"):
        (package / name).write_text("print('probe')\n")
    (project_copy / TEST).write_text("import examples.request_response.tie_probe\n")
    shown = "".join(
        f'```python\n--8<-- "{PROBE.with_suffix("")}/{name}"\n```\n'
        for name in ("__init__.py", "__main__.py")
    )
    (project_copy / PAGE).write_text(f"# Tie probe\n\n{RUN}\n{shown}")
    assert new_problems(project_copy) == [
        f"{PAGE}: does not show {PROBE.with_suffix('')}/server.py whole "
        f'(--8<-- "{PROBE.with_suffix("")}/server.py")'
    ]


SCRIPT = Path("examples/request_response/node/probe.js")
SCRIPT_TEST = Path("tests/request_response/test_node_probe.py")
SHOW_SCRIPT = f'```javascript\n--8<-- "{SCRIPT}"\n```\n'
RUN_SCRIPT = f"```console\n$ PROBE=1 node {SCRIPT}\nprobe\n```\n"


@pytest.mark.parametrize(
    ("pages", "test", "problem"),
    [
        ({"tie-probe.md": SHOW_SCRIPT + RUN_SCRIPT}, True, None),
        (
            {"tie-probe.md": RUN_SCRIPT},
            True,
            f'{SCRIPT}: no page of {TOPIC} shows it whole (--8<-- "{SCRIPT}")',
        ),
        (
            {"tie-probe.md": SHOW_SCRIPT},
            True,
            f"{PAGE}: does not run {SCRIPT} (a console block: $ node {SCRIPT})",
        ),
        ({"tie-probe.md": SHOW_SCRIPT + RUN_SCRIPT}, False, f"{SCRIPT}: no test {SCRIPT_TEST}"),
        (
            {"tie-probe.md": SHOW_SCRIPT + RUN_SCRIPT, "anatomy.md": SHOW_SCRIPT + RUN_SCRIPT},
            True,
            f"{SCRIPT}: shown whole by 2 pages, {TOPIC}/anatomy.md, {PAGE}",
        ),
    ],
    ids=["tied", "shown-nowhere", "not-run", "untested", "shown-twice"],
)
def test_a_script_in_another_language_is_shown_and_run_by_one_page_and_tested(
    project_copy: Path, pages: dict[str, str], test: bool, problem: str | None
) -> None:
    add_probe(project_copy)
    (project_copy / SCRIPT).parent.mkdir()
    (project_copy / SCRIPT).write_text("console.log('probe');\n")
    if test:
        (project_copy / SCRIPT_TEST).write_text(f'SCRIPT = "{SCRIPT}"\n')
    for name, text in pages.items():
        page = project_copy / TOPIC / name
        page.write_text(page.read_text() + "\n" + text if page.exists() else text)
    assert new_problems(project_copy) == ([] if problem is None else [problem])


@pytest.mark.parametrize(
    ("include", "problem"),
    [
        ("examples/request_response/no_such.py", "no such file"),
        (f"{PROBE}:no_such_part", "no section markers [start:no_such_part]/[end:no_such_part]"),
    ],
)
def test_an_include_of_a_missing_file_or_section_is_reported(
    project_copy: Path, include: str, problem: str
) -> None:
    add_probe(
        project_copy, page=f'# Tie probe\n\n{RUN}\n{WHOLE}\n```python\n--8<-- "{include}"\n```\n'
    )
    assert new_problems(project_copy) == [f"{PAGE}: --8<-- {include!r}: {problem}"]
