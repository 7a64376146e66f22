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
# > only), so that the site rebuilds at once on every save. To run it yourself, see
# > [Labs](index.md#how-a-lab-runs).
# >
# > **Where is the rest of the code?** This page shows the code that measures. The code
# > that sets up the plot, draws it and writes the table and the finding is hidden here
# > (its cells are tagged `remove-input`); every line of it is in
# > [what-durability-costs.py](what-durability-costs.py), the one file this page runs
# > (a [jupytext](https://jupytext.readthedocs.io/) notebook: run it from a clone of the
# > project).
#
# ## The question
#
# *Asynchronous commits in postgres* and *asynchronous OS fsync (fs cache)*, say
# [the notes](../communication-patterns/sync-vs-async/index.md#asynchronous-workload-is-everywhere):
# a write that returns once the operating system has the bytes in its page cache is
# quick; a write that returns once the disk has them waits for the disk. The notes
# predict that waiting costs, and the example pages put a floor under the price, each
# checked by its test on every run of the suite:
#
# - [fsync and the page cache](../communication-patterns/sync-vs-async/fsync-cost.md):
#   `write()` + `fsync()` is at least a few times slower than `write()` alone;
# - [commits in SQLite](../communication-patterns/sync-vs-async/async-commit-sqlite.md):
#   `synchronous=OFF` and `NORMAL` each commit at least a few times as fast as `FULL`;
# - [commits in PostgreSQL](../communication-patterns/sync-vs-async/async-commit-postgres.md):
#   with `on` each commit from one session waits for a WAL flush of its own, and 8
#   sessions at once share WAL flushes (group commit); how much faster `off` commits is
#   measured here, not asserted.
#
# The cell below copies those floors from the tests (`tests/labs/test_labs.py` checks
# that the copies are still the tests' figures). This lab measures all three layers on
# one machine, in one run, and sets each price beside its floor.

# %% tags=["remove-input"]
# Setup, the same in every lab (tests/labs/test_labs.py checks it): the imports, the style
# of the plots, and the helpers that show a figure, a table, a finding and the machine.
import html
import io
import itertools
import os
import platform
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no window: every figure becomes SVG markup in the page
import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import display

try:  # the project's examples: importable when run from a clone of the project
    import examples  # noqa: F401
except ImportError:
    here = Path.cwd().resolve()
    root = next((p for p in [here, *here.parents] if (p / "examples").is_dir()), None)
    if root is None:
        raise RuntimeError("run this notebook from a clone of the project") from None
    sys.path.insert(0, str(root))

# Stand-ins for the page's text and background colours: show_figure() swaps them for
# CSS, so one drawing reads in the light and the dark palette. The colours of the data
# have at least 3:1 contrast on both white and Material's dark background.
INK, PAPER = "#010101", "#fefefe"
COLOURS = ["#2f80c0", "#d55e00", "#009e73", "#8e6cd1", "#b07800", "#cc79a7"]
CSS_COLOURS = {INK: "currentColor", PAPER: "var(--md-default-bg-color, Canvas)"}
plt.rcParams.update(
    {
        "figure.figsize": (7.5, 4.2),
        "figure.facecolor": "none",  # transparent: the page shows through
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "axes.prop_cycle": plt.cycler(color=COLOURS),
        **dict.fromkeys(["text.color", "axes.labelcolor", "axes.edgecolor"], INK),
        **dict.fromkeys(["xtick.color", "ytick.color", "grid.color"], INK),
        "axes.grid": True,
        "grid.alpha": 0.2,
        "legend.facecolor": PAPER,
        "legend.edgecolor": INK,
        "legend.framealpha": 1,
        "font.family": "sans-serif",  # Arial's metrics, as the site's diagrams
        "font.sans-serif": ["Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"],
        "font.size": 10,
        "svg.fonttype": "none",  # text as text, in the page's font: small, selectable
        "svg.hashsalt": "lab",  # the same figure gives the same markup
    }
)
SVG, XLINK = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)
figure_numbers = itertools.count(1)


def show(plain: str, **rich: str) -> None:
    """Rich output in a notebook (and on the site); its plain text when run as a script."""
    if get_ipython() is None:
        print(plain, end="\n\n")
    else:
        display({**rich, "text/plain": plain}, raw=True)


def show_markdown(text: str) -> None:
    show(text, **{"text/markdown": text})


def show_table(header: list[str], rows: list[list[Any]], caption: str) -> None:
    """A table, every column but the first aligned right, and a caption under it."""
    lines = [header, ["---", *["---:"] * (len(header) - 1)], *rows]
    markdown = "\n".join("| " + " | ".join(map(str, line)) + " |" for line in lines)

    def row(cells: list[Any], tag: str) -> str:
        # Columns as narrow as their figures: the site's tables give each at least 5rem.
        aligned = ["min-width: 0", *["min-width: 0; text-align: right"] * (len(cells) - 1)]
        return "".join(
            f'<{tag} style="{style}">{html.escape(str(cell))}</{tag}>'
            for style, cell in zip(aligned, cells, strict=True)
        )

    body = "".join(f"<tr>{row(cells, 'td')}</tr>" for cells in rows)
    table = f"<table><thead><tr>{row(header, 'th')}</tr></thead><tbody>{body}</tbody></table>"
    show(markdown, **{"text/html": table})
    show_markdown(f"*{caption}*")


def show_figure(fig: Any, alt: str) -> None:
    """A figure as inline SVG in the page's colours; `alt` is its text for screen readers."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg_text = buffer.getvalue().decode()
    root = ET.fromstring(svg_text)
    prefix = f"figure-{next(figure_numbers)}-"  # ids unique on a page of several figures
    referenced = set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg_text))
    referenced = {name for pair in referenced for name in pair if name}

    def tidy(value: str) -> str:
        value = re.sub(r"\s+", " ", value).strip()
        value = re.sub(r"(\d\.\d\d)\d+", r"\1", value)  # to a hundredth of a point
        value = re.sub(
            r"#([\w.-]+)", lambda m: f"#{prefix}{m[1]}" if m[1] in referenced else m[0], value
        )
        for stand_in, css in CSS_COLOURS.items():
            value = value.replace(stand_in, css)
        return value

    def clean(element: ET.Element) -> None:
        for child in list(element):
            clean(child)
            if child.tag in (f"{{{SVG}}}metadata", f"{{{SVG}}}style"):
                element.remove(child)  # the style is set on the root below
            elif child.tag == f"{{{SVG}}}g" and set(child.attrib) <= {"id"}:
                at = list(element).index(child)  # a bare group: keep what it holds
                element[at : at + 1] = list(child)
        if element.get("id") not in referenced:
            element.attrib.pop("id", None)
        for name, value in list(element.attrib.items()):
            element.set(name, prefix + value if name == "id" else tidy(value))
        for end in ("text", "tail"):
            if not (getattr(element, end) or "").strip():
                setattr(element, end, None)

    clean(root)
    for name in ("width", "height"):
        del root.attrib[name]
    root.attrib.update(
        {"role": "img", "aria-label": alt, "stroke-linejoin": "round", "stroke-linecap": "butt"}
    )
    root.set("style", "width: 100%; max-width: 48rem; height: auto; fill: currentColor")
    show(alt, **{"text/html": ET.tostring(root, encoding="unicode")})


def file_system(folder: Path) -> str:
    """The type of the file system that holds `folder`, from /proc/mounts (Linux)."""
    mounts = Path("/proc/mounts")
    best, kind = "", "unknown"
    for line in mounts.read_text().splitlines() if mounts.exists() else []:
        _device, point, fstype, *_ = line.split()
        inside = folder.as_posix().startswith(point.rstrip("/") + "/") or str(folder) == point
        if inside and len(point) > len(best):
            best, kind = point, fstype
    return kind


def machine(folder: str | Path | None = None) -> str:
    """What ran this lab: Python, cores, system, and the file system it wrote to."""
    where = Path(folder or tempfile.gettempdir()).resolve()
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.machine()}, files in {where} ({file_system(where)} file system)"
    )


# %%
# The floors of the example pages, as their tests assert them (ratios of medians):
FSYNC_SLOWER = 3  # tests/sync_vs_async/test_fsync_cost.py: fsync'd append vs write()
SQLITE_FASTER = 3  # tests/sync_vs_async/test_async_commit_sqlite.py: OFF, NORMAL vs FULL
PG_GROUP = 1.2  # the same file: commits per WAL flush with `on`, 8 sessions vs 1

# %% [markdown]
# ## How it is measured
#
# Three layers, each with the measuring function of its example, each figure the median
# of rounds that alternate the settings, so that a busy moment of the machine hurts them
# all alike (the table gives the spread, min to max, beside it):
#
# - a file: `write()` alone, then `write()` followed by `fsync()`, appends of 64 KiB
#   (`fsync_cost.trial`);
# - SQLite in WAL mode: one-row transactions, each committed, with `PRAGMA synchronous`
#   = `OFF`, `NORMAL`, `FULL` (`async_commit_sqlite.measure`);
# - PostgreSQL: one-row INSERT transactions with `synchronous_commit` = `off`, `on`,
#   from 1 session and from 8 at once (`async_commit_postgres.measure`), on the server
#   you point the lab at or, where PostgreSQL is installed, on a throwaway one that the
#   lab starts and stops (`tests/pg_server.py`, as the tests do).
#
# The files go to a folder on a disk, not in memory (`disk_backed_temp_dir`): on tmpfs an
# `fsync()` has no disk to wait for.

# %%
# Parameters: turn them up on your own machine.
ROUNDS = 5  # rounds of every SQLite and PostgreSQL case; each figure is their median
SQLITE_COMMITS = 100  # commits per SQLite level and round
PG_COMMITS = 50  # commits per PostgreSQL session and round
# PostgreSQL: a libpq connection string, e.g. "host=127.0.0.1 port=5432 user=postgres";
# left empty, the lab uses the PG* environment variables if PGHOST, PGPORT or PGSERVICE
# is set, and otherwise starts a throwaway server where PostgreSQL is installed.
PG_DSN = ""

# %%
import statistics

import psycopg

from examples.sync_vs_async import async_commit_postgres, async_commit_sqlite, fsync_cost
from tests.pg_server import PostgresUnavailable, running_postgres

folder = async_commit_sqlite.disk_backed_temp_dir()  # not tmpfs: fsync must reach a disk
measured: dict[str, list[float]] = {}  # what was measured -> operations per second, rounds
waits_for_disk: dict[str, bool] = {}  # -> whether it returns only once the disk has it


def record(name: str, per_second: list[float], durable: bool) -> None:
    measured[name], waits_for_disk[name] = per_second, durable


# %% [markdown]
# ### A file: write, then write and fsync
#
# `write()` returns once the kernel has copied the bytes into its page cache; the
# kernel writes them to the disk later, by itself. `fsync()` returns once they are on
# the disk ([fsync(2)](https://man7.org/linux/man-pages/man2/fsync.2.html)). The
# example's `trial` appends 64 KiB `fsync_cost.ROUNDS` times each way, to a temporary
# file that has no name, and returns the time of each append.

# %%
fsync_cost.trial(Path(folder), sync=True)  # warm up
for name, sync in [("file: write()", False), ("file: write() + fsync()", True)]:
    times, _ = fsync_cost.trial(Path(folder), sync)
    record(name, [1 / t for t in times], sync)

# %% [markdown]
# ### SQLite: PRAGMA synchronous
#
# In WAL mode, `FULL` syncs the log at every commit; `NORMAL` syncs it only at
# checkpoints (a commit can be lost on power loss, the database stays consistent);
# `OFF` never syncs, and an OS crash or a power loss can leave a corrupt database file
# ([PRAGMA synchronous](https://www.sqlite.org/pragma.html#pragma_synchronous)). The
# example's `measure` runs one-row transactions, each committed, every level in turn.

# %%
sqlite_rates = async_commit_sqlite.measure(SQLITE_COMMITS, ROUNDS)
for level in ["OFF", "NORMAL", "FULL"]:
    record(f"SQLite: synchronous={level}", sqlite_rates[level], level == "FULL")

# %% [markdown]
# ### PostgreSQL: synchronous_commit
#
# With `on` (the default) COMMIT returns once its WAL record is flushed to disk; with
# `off` it returns at once and the WAL writer flushes a moment later
# ([Asynchronous Commit](https://www.postgresql.org/docs/current/wal-async-commit.html)).
# With 8 sessions committing at once, one flush can carry the commits of several (group
# commit, [WAL Configuration](https://www.postgresql.org/docs/current/wal-configuration.html)):
# the server's count of WAL flushes per commit says how many. The lab uses the server you
# point it at (`PG_DSN` above, or the `PG*` environment variables libpq reads); if none,
# it starts a throwaway one where PostgreSQL is installed, and stops it at the end.

# %%
pg_conninfo = PG_DSN or (
    "" if {"PGHOST", "PGPORT", "PGSERVICE"} & set(os.environ) else None
)  # "" lets libpq read the PG* variables
pg_figures: async_commit_postgres.Figures = {}
pg_missing = ""  # why PostgreSQL was not measured, if it was not
try:
    if pg_conninfo is None:
        with running_postgres() as server:
            print(f"PostgreSQL: a throwaway server, fsync=on, port {server.port}")
            pg_figures, delay_ms = async_commit_postgres.measure(server.dsn, PG_COMMITS, ROUNDS)
    else:
        pg_figures, delay_ms = async_commit_postgres.measure(pg_conninfo, PG_COMMITS, ROUNDS)
except PostgresUnavailable:
    pg_missing = "no PG_DSN, no PG* variables, and no PostgreSQL installed here"
except psycopg.OperationalError as error:
    pg_missing = f"no server reachable ({str(error).strip()})"

# %% tags=["remove-input"]
flushes_per_commit: dict[tuple[int, str], float] = {}  # (sessions, setting) -> median
flushes_per_row: dict[str, float] = {}
for (sessions, setting), rounds in pg_figures.items():
    name = f"PostgreSQL: synchronous_commit={setting} ({sessions} at once)"
    record(name, [rate for rate, _ in rounds], setting == "on")
    counts = [count for _, count in rounds if count is not None]
    if counts:
        flushes_per_commit[sessions, setting] = statistics.median(counts)
        flushes_per_row[name] = flushes_per_commit[sessions, setting]
if pg_missing:
    print(f"PostgreSQL: not measured, {pg_missing}")
else:
    print(async_commit_postgres.window(delay_ms))

# %% [markdown]
# ## What was measured
#
# Operations per second, the median of the rounds, with their spread; the plot draws the
# medians on a log scale, red where the call returns only once the disk has the bytes.

# %% tags=["remove-input"]
rates = {name: statistics.median(values) for name, values in measured.items()}
header = ["what", "per second", "spread"] + (["WAL flushes / commit"] if flushes_per_row else [])
rows = []
for name, values in measured.items():
    row = [name, f"{rates[name]:,.0f}", f"{min(values):,.0f} to {max(values):,.0f}"]
    if flushes_per_row:
        row.append(f"{flushes_per_row[name]:.2f}" if name in flushes_per_row else "-")
    rows.append(row)
durable = ", ".join(name for name in measured if waits_for_disk[name])
show_table(
    header,
    rows,
    f"Appends of 64 KiB or one-row commits. Returns only once the disk has the bytes (red in"
    f" the plot): {durable}. Measured on {machine(folder)}.",
)

# %% tags=["remove-input"]
from math import floor, log10

names = list(rates)
fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(names) + 1.6), layout="constrained")
colours = [COLOURS[1] if waits_for_disk[name] else COLOURS[0] for name in names]
bars = ax.barh(names, [rates[name] for name in names], color=colours)
ax.bar_label(bars, labels=[f"{rates[name]:,.0f}" for name in names], padding=3, fontsize=9)
ax.set_xscale("log")
lowest = 10 ** (floor(log10(min(rates.values()))) - 1)  # a decade below the least
ax.set_xlim(lowest, max(rates.values()) * 8)  # and room for the labels
ax.invert_yaxis()  # first measured on top
ax.set_xlabel("operations per second, median (log scale)")
ax.set_title("What durability costs: waiting for the disk, or not")
ax.grid(axis="y", visible=False)
fig.legend(
    handles=[
        plt.Rectangle((0, 0), 1, 1, color=COLOURS[1], label="returns once the disk has it"),
        plt.Rectangle((0, 0), 1, 1, color=COLOURS[0], label="returns before the disk has it"),
    ],
    loc="outside lower center",  # under the plot: no bar or label is hidden
    ncols=2,
    fontsize=9,
)
show_figure(
    fig,
    "Horizontal bars, log scale, operations per second: "
    + "; ".join(f"{name} {rates[name]:,.0f}" for name in names),
)

# %% [markdown]
# ## What this shows


# %% tags=["remove-input", "finding"]
def ratio(fast: str, slow: str) -> float:
    return rates[fast] / rates[slow]


pg = "PostgreSQL: synchronous_commit={} ({} at once)"
one, many = min(async_commit_postgres.COMMITTERS), max(async_commit_postgres.COMMITTERS)
finding: dict[str, Any] = {
    "fsync_slower": ratio("file: write()", "file: write() + fsync()"),
    "fsync_floor": FSYNC_SLOWER,
    "off_faster": ratio("SQLite: synchronous=OFF", "SQLite: synchronous=FULL"),
    "normal_faster": ratio("SQLite: synchronous=NORMAL", "SQLite: synchronous=FULL"),
    "sqlite_floor": SQLITE_FASTER,
    "file_system": fsync_cost.file_system(Path(folder).resolve()),
}
if pg_figures:
    finding |= {
        "pg_faster_1": ratio(pg.format("off", one), pg.format("on", one)),
        "pg_sessions": many,
        "pg_faster_n": ratio(pg.format("off", many), pg.format("on", many)),
    }
    if flushes_per_commit.get((one, "on")) and flushes_per_commit.get((many, "on")):
        finding |= {
            "group": flushes_per_commit[one, "on"] / flushes_per_commit[many, "on"],
            "group_floor": PG_GROUP,
            "commits_per_flush": 1 / flushes_per_commit[many, "on"],
        }
f = finding


def against(measured_ratio: float, floor: float) -> str:
    verdict = "above" if measured_ratio >= floor else "**below**"
    return f"{verdict} the floor of {floor:g}x that its page claims"


text = [
    f"""**A file.** Here `write()` + `fsync()` managed {f["fsync_slower"]:.1f}x fewer appends
per second than `write()` alone, on the {f["file_system"]} file system here:
{against(f["fsync_slower"], f["fsync_floor"])}
([fsync and the page cache](../communication-patterns/sync-vs-async/fsync-cost.md)).""",
    f"""**SQLite.** `OFF` committed {f["off_faster"]:.1f}x and `NORMAL` {f["normal_faster"]:.1f}x
as many transactions per second as `FULL`:
{against(min(f["off_faster"], f["normal_faster"]), f["sqlite_floor"])} for each
([commits in SQLite](../communication-patterns/sync-vs-async/async-commit-sqlite.md)).""",
]
if pg_figures:
    text.append(
        f"""**PostgreSQL.** `off` committed {f["pg_faster_1"]:.1f}x as many transactions per
second as `on` from one session
([commits in PostgreSQL](../communication-patterns/sync-vs-async/async-commit-postgres.md)),
and {f["pg_faster_n"]:.1f}x from {f["pg_sessions"]} at once."""
    )
    if "group" in f:
        text[-1] += f""" With {f["pg_sessions"]} sessions one WAL flush carried
{f["commits_per_flush"]:.1f} commits of `on`, {f["group"]:.1f}x as many as with one
session: group commit, {against(f["group"], f["group_floor"])}."""
else:
    finding["pg_missing"] = pg_missing
    text.append(f"**PostgreSQL** was not measured: {pg_missing}.")
survives = "../communication-patterns/sync-vs-async/fsync-cost.md#what-survives-a-crash"
text.append(
    f"""Each price is durability, not speed of code: what returned before the disk had it
can be lost in an OS crash or a power failure (for PostgreSQL, in a server crash too),
as the table [what survives a crash]({survives}) says for each level. A disk with a fast
or volatile write cache, or a virtual disk that does not flush, brings the bars closer:
the ratios above are this machine's price."""
)
show_markdown("\n\n".join(text))
