"""The labs (docs/labs/*.py, jupytext notebooks): each one runs on its own, draws its
figures, prints no error, and leaves nothing behind; the site's config executes them.

A lab runs in a fresh kernel whose working directory and TMPDIR are empty folders, with
a probe cell before and after it that lists the kernel's threads, listening sockets,
child processes and open files: whatever the lab started must be gone at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import psutil
import pytest
from mkdocs.config import load_config
from nbclient import NotebookClient

from tests.support import ROOT

LABS = ROOT / "docs" / "labs"
CELL_TIMEOUT = 120  # seconds for one cell; a lab takes well under 20 s in all
FIGURES = {  # lab -> how many figures (image/png outputs) it draws
    "what-waiting-costs": 1,
    "chunk-size-and-resume": 2,
    "what-durability-costs": 1,
}
PROBE = """
import json as _json, sys as _sys, threading as _threading, psutil as _psutil
_me = _psutil.Process()
_kernel = ("ipykernel", "zmq")  # the kernel's own threads (zmq starts one lazily)
print(_json.dumps({
    "threads": sorted(
        t.name for t in _threading.enumerate() if not type(t).__module__.startswith(_kernel)
    ),
    "listening": sorted(
        f"{c.laddr.ip}:{c.laddr.port}" for c in _me.net_connections("inet")
        if c.status == _psutil.CONN_LISTEN
    ),
    "children": sorted(c.pid for c in _me.children(recursive=True)),
    "files": sorted(  # not the installed packages' data (matplotlib keeps its fonts open)
        f.path for f in _me.open_files() if not f.path.startswith(_sys.prefix)
    ),
}))
"""


def run_lab(name: str, workdir: Path, **env: str) -> tuple[nbformat.NotebookNode, float]:
    """Execute a lab between two probe cells, in `workdir`; return it and its seconds."""
    notebook = jupytext.read(LABS / f"{name}.py")
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PROBE))
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,  # a failing cell raises CellExecutionError here
        resources={"metadata": {"path": str(workdir)}},
    )
    start = time.perf_counter()
    client.execute(env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    return notebook, time.perf_counter() - start


def probe(cell: nbformat.NotebookNode) -> dict[str, list[Any]]:
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    found: dict[str, list[Any]] = json.loads(text)
    return found


def lab_names() -> list[str]:
    return sorted(path.stem for path in LABS.glob("*.py"))


def test_every_lab_is_known() -> None:
    assert lab_names() == sorted(FIGURES)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_lab_runs_alone(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    workdir, tmpdir = tmp_path / "cwd", tmp_path / "tmp"
    workdir.mkdir()
    tmpdir.mkdir()
    env = {"TMPDIR": str(tmpdir)}
    if name == "what-durability-costs":  # measure PostgreSQL too, where one can be started
        try:
            pg = request.getfixturevalue("postgres")
        except pytest.skip.Exception:
            pass
        else:
            env |= {"PGHOST": pg.host, "PGPORT": str(pg.port), "PGUSER": pg.user}
            env |= {"PGDATABASE": pg.dbname}
    children = {c.pid for c in psutil.Process().children(recursive=True)}

    notebook, seconds = run_lab(name, workdir, **env)
    print(f"{name}: executed in {seconds:.1f} s")

    lab_cells = notebook.cells[1:-1]
    outputs = [o for cell in lab_cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) == FIGURES[name]
    text = "".join(o.get("text", "") for o in outputs)
    assert "measured on: Python " in text and " CPUs" in text
    if "PGHOST" in env:  # the lab found the server it was pointed at, and measured it
        assert "PostgreSQL: synchronous_commit=on " in text

    before, after = probe(notebook.cells[0]), probe(notebook.cells[-1])
    for kind in before:
        assert set(after[kind]) <= set(before[kind]), f"left behind ({kind})"
    assert list(workdir.iterdir()) == [], "files left in the working directory"
    assert list(tmpdir.iterdir()) == [], "temporary files left behind"
    assert {c.pid for c in psutil.Process().children(recursive=True)} <= children


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
    assert list(config.plugins)[-1] == "print-site"
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
