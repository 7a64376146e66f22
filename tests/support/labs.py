"""The labs (docs/labs/*.py), each executed once per test run: by tests/labs, which look at
what a run printed and left behind, and by the site's build, which renders the same runs
(hooks/executed_labs.py) instead of executing the labs a second time.

A lab runs in a fresh kernel whose working directory and TMPDIR are empty folders, with a
probe cell before and after it that lists the kernel's threads, listening sockets, child
processes and open files, and a cell that prints, as JSON, the lab's `finding` (the figures
its finding states) and the raw measurements they come from.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import jupytext
import nbformat
import psutil
import pytest
from nbclient import NotebookClient

from tests.support import ROOT

LABS = ROOT / "docs" / "labs"
CELL_TIMEOUT = 120  # seconds for one cell; a lab takes well under a minute in all
SITE = "site"  # the subfolder of the executed labs that the build renders: the labs' cells only
# lab -> the raw measurements the test reads from the kernel, to compute key figures itself
RAW = {
    "what-waiting-costs": (
        "{'seconds': seconds, 'calls': CALLS, 'latency': LATENCY,"
        " 'n_example': client_property.CALLS, 'sequential': SEQUENTIAL}"
    ),
    "chunk-size-and-resume": (
        "{'throughput': list(throughput.items()), 'single': single_throughput,"
        " 'resent': list(resent.items()), 'goal_chunk': GOAL_CHUNK}"
    ),
    "what-durability-costs": "{'measured': measured}",
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
    "files": sorted(  # not the installed packages' data, nor fonts: matplotlib keeps them open
        f.path for f in _me.open_files()
        if not f.path.startswith(_sys.prefix) and not f.path.endswith((".ttf", ".otf", ".ttc"))
    ),
}))
"""
READ = "import json as _json\nprint(_json.dumps({{'finding': finding, 'raw': {raw}}}))"


@dataclass
class Run:
    """A lab executed between two probes, and what it left."""

    name: str
    seconds: float
    left_in_workdir: list[str]
    left_in_tmpdir: list[str]
    children_before: list[int]
    children_after: list[int]
    env: dict[str, str]
    notebook: nbformat.NotebookNode | None = None  # in <name>.ipynb beside the rest

    @property
    def lab_cells(self) -> list[nbformat.NotebookNode]:
        assert self.notebook is not None
        return list(self.notebook.cells[1:-2])

    def outputs(self) -> list[nbformat.NotebookNode]:
        return [o for c in self.lab_cells if c.cell_type == "code" for o in c.outputs]

    def printed(self, index: int) -> str:
        assert self.notebook is not None
        cell = self.notebook.cells[index]
        return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")

    def save(self, folder: Path) -> None:
        assert self.notebook is not None
        nbformat.write(self.notebook, folder / f"{self.name}.ipynb")
        site = nbformat.from_dict({**self.notebook, "cells": self.lab_cells})
        (folder / SITE).mkdir(exist_ok=True)
        nbformat.write(site, folder / SITE / f"{self.name}.ipynb")
        fields = {k: v for k, v in asdict(self).items() if k != "notebook"}
        (folder / f"{self.name}.json").write_text(json.dumps(fields), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, name: str) -> Run:
        run = cls(**json.loads((folder / f"{name}.json").read_text(encoding="utf-8")))
        run.notebook = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        return run


def children() -> list[int]:
    return sorted(c.pid for c in psutil.Process().children(recursive=True))


def execute(name: str, folder: Path, env: dict[str, str]) -> Run:
    """Run the lab `name` between two probes, in empty working and temporary folders."""
    workdir, tmpdir = folder / f"{name}.cwd", folder / f"{name}.tmp"
    workdir.mkdir()
    tmpdir.mkdir()
    env = {**env, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT)}
    before = children()
    notebook = jupytext.read(LABS / f"{name}.py")
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PROBE))
    notebook.cells.append(nbformat.v4.new_code_cell(READ.format(raw=RAW[name])))
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,  # a failing cell raises CellExecutionError here
        resources={"metadata": {"path": str(workdir)}},
    )
    start = time.perf_counter()
    client.execute(env={**os.environ, **env})
    seconds = time.perf_counter() - start
    print(f"{name}: executed in {seconds:.1f} s")
    left = [sorted(str(p) for p in d.iterdir()) for d in (workdir, tmpdir)]
    return Run(name, seconds, left[0], left[1], before, children(), env, notebook)


def execute_labs(folder: Path, request: pytest.FixtureRequest) -> None:
    """Every lab, into folder: <name>.ipynb (probes included) and <name>.json for the tests,
    site/<name>.ipynb (the lab's own cells) for the build."""
    for name in sorted(RAW):
        env = {}
        if name == "what-durability-costs":  # measure PostgreSQL too, where one can be started
            try:
                pg = request.getfixturevalue("postgres")
            except pytest.skip.Exception:
                pass
            else:
                env |= {"PGHOST": pg.host, "PGPORT": str(pg.port), "PGUSER": pg.user}
                env |= {"PGDATABASE": pg.dbname}
        execute(name, folder, env).save(folder)
