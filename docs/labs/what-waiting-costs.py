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
# # Lab: What waiting costs
#
# > **Executed or not?** `make build`, `make test` and the hosted site run this notebook
# > and show what it measured. Under `make serve` the page is shown unexecuted (code
# > only), so that the site rebuilds at once on every save. To run it yourself, see
# > [Labs](index.md#how-a-lab-runs).
# >
# > **Where is the rest of the code?** This page shows the code that measures. The code
# > that sets up the plots, draws them and writes the table and the finding is hidden
# > here (its cells are tagged `remove-input`); every line of it is in
# > [what-waiting-costs.py](what-waiting-costs.py), the one file this page runs
# > (a [jupytext](https://jupytext.readthedocs.io/) notebook: run it from a clone of the
# > project).
#
# ## The question
#
# [*Can I do work while waiting?*](../communication-patterns/sync-vs-async/index.md)
# Here the work is more waiting: **N calls to a server that takes L to answer each one**.
# The pattern predicts two curves. A sequential client makes the calls one after another,
# so its waits add up: about N·L. A concurrent client sends them all and overlaps the
# waits: about L, whatever N is, until something else starts to cost.
#
# The example [a client property](../communication-patterns/sync-vs-async/client-property.md)
# measures one point of those curves (its own N and L) and claims that every concurrent
# client finishes at least a few times sooner than every sequential one. Its demo checks
# that ratio, and the cell below copies it (`tests/labs/test_labs.py` checks that the
# copy is still the example's figure). This lab draws the whole curves, for five clients.

# %%
# The claim of the example page, as its demo checks it:
# examples/sync_vs_async/client_property/report.py, "at least 3x sooner"
CLAIMED_SOONER = 3  # each concurrent client against each sequential one, at the example's N

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


# %% [markdown]
# ## How it is measured
#
# One server, the example's `SlowServer`: the standard library's `ThreadingHTTPServer`,
# answering every call after `LATENCY` seconds on a thread of its own, so calls made
# together are answered together, and what N calls take beyond their waits is overhead:
# the client's, and the server's too, since it runs in the lab's own process, on the same
# CPUs and under the same interpreter lock. Five
# clients make N calls to it, for each N in `CALLS`, and the lab keeps each client's
# best time of `REPEATS` runs (one run where one takes long enough):
#
# - **sequential (urllib)**: the example's `sync_in_turn`, one call after another;
# - **threads (urllib)**: `sync_in_turn` for one call on each of N threads, each thread
#   blocked in its call, the waits overlapping because the threads run at once;
# - **asyncio (streams)** and **selectors (one thread)**: written below in a few lines
#   each on the standard library, one thread, no call blocking it: each waits on all its
#   sockets at once;
# - **httpx (asyncio)**: the example's `async_at_once`, all calls at once with
#   `asyncio.gather`. It runs up to `HTTPX_UP_TO` calls: httpx keeps at most 100
#   connections by default and queues the other requests, and its pool is slow with many
#   queued ([encode/httpx#3215](https://github.com/encode/httpx/issues/3215)); past 100
#   calls, what it would measure is that queue, not waiting.
#
# The server's listen backlog is `BACKLOG`. With the example's own, 64, a burst of 200
# connections overflows the queue of connections waiting for `accept()`: Linux drops the
# extra SYNs and the clients send them again a second later, a cost of concurrency of its
# own (try it).

# %%
# Parameters: turn them up on your own machine.
LATENCY = 0.01  # seconds the server takes to answer each call (L)
CALLS = [1, 3, 10, 30, 100, 200]  # values of N
REPEATS = 3  # each client keeps its best of this many runs, where one run is short
BACKLOG = 256  # the server's listen() backlog: try 64, the example's own value
HTTPX_UP_TO = 100  # the httpx client runs up to this N: its pool holds 100 connections

# %% tags=["remove-input"]
# The example's clients, timed (client_property is imported below, where the page shows
# it); and a helper that runs a coroutine beside Jupyter's own event loop.
import asyncio
import selectors
import socket
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from math import isnan
from math import nan as NAN
from urllib.parse import urlsplit


def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """asyncio.run on a fresh thread: Jupyter's own event loop already runs on this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sequential(url: str, n: int) -> tuple[list[int], float]:
    start = time.perf_counter()
    statuses = client_property.sync_in_turn(url, n)
    return statuses, time.perf_counter() - start


def threads(url: str, n: int) -> tuple[list[int], float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:  # one thread per call, each blocks
        answers = list(pool.map(lambda _: client_property.sync_in_turn(url, 1), range(n)))
    return [status for one in answers for status in one], time.perf_counter() - start


def with_httpx(url: str, n: int) -> tuple[list[int], float]:
    """Timed on the event loop: not the thread and the loop that run_async starts."""

    async def all_calls() -> tuple[list[int], float]:
        start = time.perf_counter()
        statuses = await client_property.async_at_once(url, n)
        return statuses, time.perf_counter() - start

    result: tuple[list[int], float] = run_async(all_calls())
    return result


# %% [markdown]
# The example's two clients, and the thread client built on the first, are timed as they
# are (the code that times them is hidden here, and in the download). The two clients
# written here, on the standard library: each makes all its calls on one thread.


# %%
from examples.sync_vs_async import client_property


def request_for(url: str) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    request = f"GET {parts.path} HTTP/1.0\r\nHost: {parts.netloc}\r\n\r\n".encode()
    return parts.hostname, parts.port, request


def with_asyncio(url: str, n: int) -> tuple[list[int], float]:
    """n coroutines on one event loop, each one connection: asyncio's streams, no library."""
    host, port, request = request_for(url)

    async def one_call() -> int:
        connecting = asyncio.open_connection(host, port)
        reader, writer = await asyncio.wait_for(connecting, client_property.TIMEOUT)
        try:
            writer.write(request)
            answer = await asyncio.wait_for(reader.read(), client_property.TIMEOUT)
        finally:  # HTTP/1.0: the server closes once it has answered
            writer.close()
            await writer.wait_closed()
        return int(answer.split()[1])

    async def all_calls() -> tuple[list[int], float]:
        start = time.perf_counter()
        statuses = await asyncio.gather(*(one_call() for _ in range(n)))
        return statuses, time.perf_counter() - start

    result: tuple[list[int], float] = run_async(all_calls())
    return result


def with_selectors(url: str, n: int) -> tuple[list[int], float]:
    """One thread, n non-blocking sockets; the selector says which one is ready."""
    host, port, request = request_for(url)
    start = time.perf_counter()
    answers: dict[socket.socket, bytearray] = {}
    statuses: list[int] = []
    with selectors.DefaultSelector() as selector:
        try:
            for _ in range(n):  # connect them all, without waiting for any
                sock = socket.socket()
                sock.setblocking(False)
                answers[sock] = bytearray()
                sock.connect_ex((host, port))
                selector.register(sock, selectors.EVENT_WRITE)
            deadline = time.monotonic() + client_property.TIMEOUT
            while len(statuses) < n:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{n - len(statuses)} answers missing")
                for key, events in selector.select(timeout=1.0):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    if events & selectors.EVENT_WRITE:  # connected: send the request
                        sock.sendall(request)
                        selector.modify(sock, selectors.EVENT_READ)
                    elif data := sock.recv(65536):  # part of the answer
                        answers[sock] += data
                    else:  # HTTP/1.0: the server closes once it has answered
                        selector.unregister(sock)
                        statuses.append(int(answers[sock].split()[1]))
        finally:
            for sock in answers:
                sock.close()
    return statuses, time.perf_counter() - start


SEQUENTIAL = "sequential (urllib)"
CLIENTS: dict[str, Callable[[str, int], tuple[list[int], float]]] = {
    SEQUENTIAL: sequential,
    "threads (urllib)": threads,
    "asyncio (streams)": with_asyncio,
    "selectors (one thread)": with_selectors,
    "httpx (asyncio)": with_httpx,
}


# %% [markdown]
# The measurement: every client, for every N, against the one server, each call checked
# for its `200`.


# %%
def runs(name: str, n: int) -> int:
    """How many times to make n calls with a client: once, where once takes long enough."""
    if name == "httpx (asyncio)":
        return 1 if n <= HTTPX_UP_TO else 0
    if name == SEQUENTIAL and n * LATENCY > 0.5:
        return 1
    return REPEATS


client_property.server.DELAY = LATENCY  # the handler reads it on every call
client_property.SlowServer.request_queue_size = BACKLOG
seconds: dict[str, list[float]] = {name: [] for name in CLIENTS}  # NAN: not measured
started, calls = time.perf_counter(), 0
with client_property.SlowServer() as server:
    for client in CLIENTS.values():  # warm up: the first call of each pays for imports
        client(server.url, 1)
    for n in CALLS:
        for name, client in CLIENTS.items():
            times = []
            for _ in range(runs(name, n)):
                statuses, took = client(server.url, n)
                assert statuses == [200] * n, (name, n, statuses)
                times.append(took)
                calls += n
            seconds[name].append(min(times, default=NAN))
took = time.perf_counter() - started
print(f"{calls} calls of {LATENCY * 1000:.0f} ms each, measured in {took:.1f} s")

# %% [markdown]
# ## What was measured
#
# Wall time for all N calls, each client's best run, beside the two predictions: N·L for
# the sequential client, L for the concurrent ones (the dotted line of the plot).

# %% tags=["remove-input"]
rows = [
    [name, *("-" if isnan(s) else f"{s * 1000:,.0f}" for s in times)]
    for name, times in seconds.items()
]
rows.append(["ideal sequential: N·L", *(f"{n * LATENCY * 1000:,.0f}" for n in CALLS)])
show_table(
    ["N =", *map(str, CALLS)],
    rows,
    f"Wall time for N calls, in ms; each call takes L = {LATENCY * 1000:.0f} ms to answer;"
    f" - : not measured. Measured on {machine()}.",
)

# %% tags=["remove-input"]
fig, ax = plt.subplots(layout="constrained")
for (name, times), marker in zip(seconds.items(), "os^Dv", strict=True):
    ax.plot(CALLS, [t * 1000 for t in times], marker=marker, markersize=5, label=name)
ax.plot(CALLS, [n * LATENCY * 1000 for n in CALLS], "--", color=INK, label="N·L")
ax.axhline(LATENCY * 1000, linestyle=":", color=INK, label="L")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xticks(CALLS, [str(n) for n in CALLS])
ax.xaxis.set_minor_formatter(lambda value, _: "")
ax.yaxis.set_major_formatter(lambda value, _: f"{value:g}")
ax.set_xlabel("N, calls made (log scale)")
ax.set_ylabel("wall time for all N calls, ms (log scale)")
ax.set_title(f"N calls that each take L = {LATENCY * 1000:.0f} ms to answer")
ax.legend(fontsize=9)
show_figure(
    fig,
    f"Log-log plot of wall time against N, for five clients, beside N·L and L = "
    f"{LATENCY * 1000:.0f} ms. The sequential client's line follows N·L; the concurrent "
    "clients' lines stay far below it, near L. The table above has every value.",
)

# %% [markdown]
# ## What this shows

# %% tags=["remove-input", "finding"]
concurrent = [name for name in CLIENTS if name != SEQUENTIAL]
n_example = client_property.CALLS if client_property.CALLS in CALLS else CALLS[len(CALLS) // 2]
at, last = CALLS.index(n_example), len(CALLS) - 1


def measured(i: int) -> dict[str, float]:
    return {name: seconds[name][i] for name in concurrent if not isnan(seconds[name][i])}


slowest = max(measured(at), key=measured(at).__getitem__)
fastest_last = min(measured(last), key=measured(last).__getitem__)
slowest_last = max(measured(last), key=measured(last).__getitem__)
sequential_s, slowest_s = seconds[SEQUENTIAL][at], seconds[slowest][at]
# Each client's own cost: the sequential one's per call, the concurrent one's for all.
own_per_call, own_at_once = sequential_s / n_example - LATENCY, slowest_s - LATENCY
example_latency = client_property.DELAY
finding = {
    "n_example": n_example,
    "sequential_ms": sequential_s * 1000,
    "sequential_per_nl": sequential_s / (n_example * LATENCY),
    "slowest_ms": slowest_s * 1000,
    "slowest_per_l": slowest_s / LATENCY,
    "sooner": sequential_s / slowest_s,
    "claimed_sooner": CLAIMED_SOONER,
    "latency_ms": LATENCY * 1000,
    "example_latency_ms": example_latency * 1000,
    "own_per_call_ms": own_per_call * 1000,
    "own_at_once_ms": own_at_once * 1000,
    "sooner_at_example_latency": (
        n_example * (example_latency + own_per_call) / (example_latency + own_at_once)
    ),
    "n_last": CALLS[last],
    "sequential_last_s": seconds[SEQUENTIAL][last],
    "sequential_last_per_nl": seconds[SEQUENTIAL][last] / (CALLS[last] * LATENCY),
    "last_sooner": seconds[SEQUENTIAL][last] / seconds[fastest_last][last],
    "fastest_last_ms": seconds[fastest_last][last] * 1000,
    "fastest_last_per_l": seconds[fastest_last][last] / LATENCY,
    "slowest_last_per_l": seconds[slowest_last][last] / LATENCY,
}
f = finding
at_example = f["sooner_at_example_latency"] >= CLAIMED_SOONER
if f["sooner"] >= CLAIMED_SOONER:
    verdict = "it holds here too"
elif at_example:
    verdict = "it does **not** hold here, because this lab's answers are shorter"
else:
    verdict = "it does **not** hold here, and would not with the example's answers either"
show_markdown(
    f"""**At N = {f["n_example"]}, the example's own number of calls**, the sequential
client took {f["sequential_ms"]:,.0f} ms, {f["sequential_per_nl"]:.2f} times N·L: its
waits added up. The slowest concurrent client, {slowest}, took {f["slowest_ms"]:,.0f} ms,
{f["slowest_per_l"]:.1f} times L: its waits overlapped. Every concurrent client finished
at least **{f["sooner"]:.1f}x sooner** than the sequential one.
[A client property](../communication-patterns/sync-vs-async/client-property.md) claims at
least {f["claimed_sooner"]}x sooner; {verdict}. Beyond waiting, each call costs overhead
(the client's, and the in-process server's): here {f["own_per_call_ms"]:.1f} ms per call
for the sequential client, and {f["own_at_once_ms"]:.1f} ms over L for the slowest
concurrent one. That overhead weighs
more against this lab's answers of {f["latency_ms"]:.0f} ms than against the example's
{f["example_latency_ms"]:.0f} ms, with which the same costs would give
{f["sooner_at_example_latency"]:.1f}x.

**At N = {f["n_last"]}**, the sequential client took {f["sequential_last_s"]:.2f} s,
{f["sequential_last_per_nl"]:.2f} times N·L, its waits still adding up, and
{f["last_sooner"]:.0f}x as long as the fastest concurrent client, which took
{f["fastest_last_ms"]:,.0f} ms: {fastest_last}. The concurrent clients took from
{f["fastest_last_per_l"]:.1f} to {f["slowest_last_per_l"]:.1f} times L: more than L,
because each call costs work (a thread to start, a coroutine, a connection, a response
to parse, and on the server, which runs in this process, a thread and a request to
parse), and that work, not waiting, is what lifts their lines as N grows."""
)
