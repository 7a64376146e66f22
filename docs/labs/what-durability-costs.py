# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: What durability costs
#
# > **Executed or not?** `make build`, `make test` and the hosted site run this notebook
# > and show what it measured. Under `make serve` the page is shown unexecuted (code
# > only), so that the site rebuilds at once on every save. To run it yourself, see the
# > *Labs* page, or open [what-durability-costs.py](what-durability-costs.py) (a
# > [jupytext](https://jupytext.readthedocs.io/) notebook) from a clone of the project.
#
# *Asynchronous commits in postgres* and *asynchronous OS fsync (fs cache)*: a write
# that returns once the operating system has the bytes in its page cache is quick; a
# write that returns once the disk has them waits for the disk. Here is what each
# level of waiting costs, in operations per second, on three layers:
#
# - a file: `write()` alone, then `write()` followed by `fsync()`, with the measuring
#   function of `examples/sync_vs_async/fsync_cost.py` (appends of 64 KiB), the example
#   [fsync and the page cache](../communication-patterns/sync-vs-async/fsync-cost.md);
# - SQLite in WAL mode: `PRAGMA synchronous` = `OFF`, `NORMAL`, `FULL`, with the
#   measuring function of `examples/sync_vs_async/async_commit_sqlite.py`, the example
#   [commits in SQLite](../communication-patterns/sync-vs-async/async-commit-sqlite.md);
# - PostgreSQL: `synchronous_commit` = `off`, `on`, with
#   `examples/sync_vs_async/async_commit_postgres.py`, where a server is reachable, the
#   example
#   [commits in PostgreSQL](../communication-patterns/sync-vs-async/async-commit-postgres.md).

# %% Parameters: turn them up on your own machine.
OPERATIONS = 500  # commits per SQLite level
PG_COMMITS = 200  # commits per setting in PostgreSQL
# PostgreSQL: a libpq connection string, e.g. "host=127.0.0.1 port=5432 user=postgres";
# left empty, the lab connects only if PGHOST, PGPORT or PGSERVICE is set.
PG_DSN = ""

# %%
import os
import platform
import sqlite3
import sys
import tempfile
from base64 import b64encode
from html import escape
from io import BytesIO
from math import floor, log10
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # static PNG images, drawn here; no GUI, no interactive widget
import matplotlib.pyplot as plt
import psycopg
from IPython.display import display

try:  # the project's examples: importable when run from a clone of the project
    import examples  # noqa: F401
except ImportError:
    here = Path.cwd().resolve()
    root = next((p for p in [here, *here.parents] if (p / "examples").is_dir()), None)
    if root is None:
        raise RuntimeError("run this notebook from a clone of the project") from None
    sys.path.insert(0, str(root))

from examples.sync_vs_async import async_commit_postgres, async_commit_sqlite, fsync_cost

plt.rcParams.update(
    {
        "figure.figsize": (7.5, 4.5),
        "figure.dpi": 110,
        "figure.facecolor": "white",  # a white card with a grey border: readable in both
        "figure.edgecolor": "#888888",  # the light and the dark palette of the site
        "axes.facecolor": "white",
        "axes.edgecolor": "#555555",
        "axes.labelcolor": "#333333",
        "axes.titlecolor": "#222222",
        "text.color": "#333333",
        "xtick.color": "#555555",
        "ytick.color": "#555555",
        "axes.grid": True,
        "grid.color": "#dddddd",
        "font.size": 10,
    }
)


def show(fig: Any, alt: str) -> None:
    """Display a figure as a PNG image, with a text alternative for screen readers."""
    buffer = BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    png = b64encode(buffer.getvalue()).decode()
    html = f'<img src="data:image/png;base64,{png}" alt="{escape(alt)}">'
    display({"image/png": png, "text/html": html, "text/plain": alt}, raw=True)


folder = async_commit_sqlite.disk_backed_temp_dir()  # not tmpfs: fsync must reach a disk
print(
    f"measured on: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
    f"{platform.system()} {platform.machine()}; files in {folder} "
    f"({fsync_cost.file_system(Path(folder))} file system)"
)

# %% [markdown]
# ## A file: write, then write and fsync
#
# `write()` returns once the kernel has copied the bytes into its page cache; the
# kernel writes them to the disk later, by itself. `fsync()` returns once they are on
# the disk ([fsync(2)](https://man7.org/linux/man-pages/man2/fsync.2.html)). The
# example's `append_times` appends 64 KiB `ROUNDS` times each way, to a temporary file
# that has no name, and returns the median time of one append.

# %%
rates: dict[str, float] = {}  # operation -> operations per second
waits_for_disk: dict[str, bool] = {}
fsync_cost.append_times(Path(folder))  # warm up
cached, synced = fsync_cost.append_times(Path(folder))
rates["file: write()"], waits_for_disk["file: write()"] = 1 / cached, False
rates["file: write() + fsync()"], waits_for_disk["file: write() + fsync()"] = 1 / synced, True
for name in rates:
    print(f"{name:<28} {rates[name]:>12,.0f} writes/s")

# %% [markdown]
# ## SQLite: PRAGMA synchronous
#
# In WAL mode, `FULL` syncs the log at every commit; `NORMAL` syncs it only at
# checkpoints (a commit can be lost on power loss, the database stays consistent);
# `OFF` never syncs ([PRAGMA synchronous](https://www.sqlite.org/pragma.html#pragma_synchronous)).
# Each level runs the example's `commit_seconds`: one-row transactions, each committed.

# %%
SQLITE_LEVELS = {"OFF": False, "NORMAL": False, "FULL": True}  # level -> waits for the disk
sqlite_seconds = dict.fromkeys(SQLITE_LEVELS, 0.0)
rounds = 4
with tempfile.TemporaryDirectory(dir=folder) as scratch:
    db = sqlite3.connect(Path(scratch, "commits.db"), isolation_level=None, timeout=5)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE t (setting TEXT, i INTEGER)")
        async_commit_sqlite.commit_seconds(db, "FULL", 10)  # warm up
        for _ in range(rounds):  # alternate, so that a busy moment hurts every level
            for level in SQLITE_LEVELS:
                seconds = async_commit_sqlite.commit_seconds(db, level, OPERATIONS // rounds)
                sqlite_seconds[level] += seconds
    finally:
        db.close()
for level, durable in SQLITE_LEVELS.items():
    name = f"SQLite: synchronous={level}"
    rates[name] = OPERATIONS // rounds * rounds / sqlite_seconds[level]
    waits_for_disk[name] = durable
    print(f"{name:<28} {rates[name]:>12,.0f} commits/s")

# %% [markdown]
# ## PostgreSQL: synchronous_commit
#
# With `on` (the default) COMMIT returns once its WAL record is flushed to disk; with
# `off` it returns at once and the WAL writer flushes a moment later
# ([Asynchronous Commit](https://www.postgresql.org/docs/current/wal-async-commit.html)).
# The lab uses a server only if you point it at one (`PG_DSN` above, or the `PG*`
# environment variables libpq reads); it never starts one.

# %%
pg_conninfo = PG_DSN or (
    "" if {"PGHOST", "PGPORT", "PGSERVICE"} & set(os.environ) else None
)  # "" lets libpq read the PG* variables
if pg_conninfo is None:
    print("PostgreSQL: not measured (no PG_DSN, and none of PGHOST, PGPORT, PGSERVICE is set)")
else:
    try:
        on, off, delay_ms = async_commit_postgres.measure(pg_conninfo, PG_COMMITS, rounds=4)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL: not measured, no server reachable: {str(error).strip()}")
    else:
        rates["PostgreSQL: synchronous_commit=off"] = off
        rates["PostgreSQL: synchronous_commit=on"] = on
        waits_for_disk["PostgreSQL: synchronous_commit=off"] = False
        waits_for_disk["PostgreSQL: synchronous_commit=on"] = True
        print(f"{'PostgreSQL: synchronous_commit=off':<36} {off:>10,.0f} commits/s")
        print(f"{'PostgreSQL: synchronous_commit=on':<36} {on:>10,.0f} commits/s")
        print(f"a crash may lose the last {3 * delay_ms} ms of commits acknowledged with off")

# %% [markdown]
# ## Operations per second, log scale

# %%
names = list(rates)
fig, ax = plt.subplots(
    figsize=(7.5, 0.45 * len(names) + 1.6), layout="constrained", linewidth=1.5
)  # linewidth: the border
colours = ["#c0504d" if waits_for_disk[name] else "#4f81bd" for name in names]
bars = ax.barh(names, [rates[name] for name in names], color=colours)
ax.bar_label(bars, labels=[f"{rates[name]:,.0f}" for name in names], padding=3, fontsize=9)
ax.set_xscale("log")
lowest = 10 ** (floor(log10(min(rates.values()))) - 1)  # bars start a decade below the least
ax.set_xlim(lowest, max(rates.values()) * 8)  # and leave room for the labels
ax.invert_yaxis()  # first measured on top
ax.set_xlabel("operations per second (64 KiB appends or one-row commits), log scale")
ax.set_title("What durability costs: waiting for the disk, or not")
ax.grid(axis="y", visible=False)
fig.legend(
    handles=[
        plt.Rectangle((0, 0), 1, 1, color="#c0504d", label="returns once the disk has it"),
        plt.Rectangle((0, 0), 1, 1, color="#4f81bd", label="returns before the disk has it"),
    ],
    loc="outside lower center",  # under the plot: no bar or label is hidden
    ncols=2,
    fontsize=9,
)
show(
    fig,
    "Horizontal bars, log scale, operations per second: "
    + "; ".join(f"{name} {rates[name]:,.0f}" for name in names),
)

# %% [markdown]
# ## What this shows
#
# When the pattern holds, on each layer the red bar (the call returns once the disk has
# the bytes) is shorter than the blue ones (it returns before), often by one or two
# orders of magnitude on a real disk, since each operation then waits for the device.
# The difference is durability, not speed of the code: what returned before the disk
# had it can be lost in a power failure (or, for PostgreSQL, a server crash), and how
# much is at stake is what the bar's length bought. On a disk with a fast or volatile
# write cache, or a virtual disk that does not flush, the bars come closer: the ratios
# below say how large the price is on this machine.

# %%
pairs = [
    ("file: write()", "file: write() + fsync()"),
    ("SQLite: synchronous=OFF", "SQLite: synchronous=FULL"),
    ("SQLite: synchronous=NORMAL", "SQLite: synchronous=FULL"),
    ("PostgreSQL: synchronous_commit=off", "PostgreSQL: synchronous_commit=on"),
]
for fast, durable in pairs:
    if fast in rates and durable in rates:
        print(f"{fast} / {durable.split(': ')[1]}: {rates[fast] / rates[durable]:,.1f}x")

# %% [markdown]
# <style>
# /* The site's styling of this page: code colours with 4.5:1 contrast in both palettes. */
# .md-typeset .jupyter-wrapper {
#   --jp-mirror-editor-comment-color: #336666;
#   --jp-mirror-editor-number-color: #007700;
# }
# [data-md-color-scheme="slate"] .md-typeset .jupyter-wrapper {
#   --jp-mirror-editor-comment-color: #5fa3a3;
# }
# </style>
