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
# > only), so that the site rebuilds at once on every save. To run it yourself, see the
# > *Labs* page, or open [what-waiting-costs.py](what-waiting-costs.py) (a
# > [jupytext](https://jupytext.readthedocs.io/) notebook) from a clone of the project.
#
# *Can I do work while waiting?* Here the work is more waiting: **N calls to a server
# that takes L to answer each one**. A synchronous client makes them one after another
# and waits about N·L. A client that does not block on each call (threads, asyncio,
# or one thread asking a selector which socket is ready) sends them all and waits about
# L, whatever N is, until something else starts to cost.
#
# The server and two clients are the ones of the example
# [a client property](../communication-patterns/sync-vs-async/client-property.md)
# (`examples/sync_vs_async/client_property.py`): `sync_client` (urllib, one call after
# another) and `async_client` (httpx on asyncio). The thread client runs `sync_client`
# for one call on each of N threads; the plain asyncio client and the selectors client
# are written below, in a few lines each, on the standard library.

# %% Parameters: turn them up on your own machine.
LATENCY = 0.01  # seconds the server takes to answer each call (L)
CALLS = [1, 3, 10, 30, 100, 200]  # values of N
REPEATS = 3  # each client keeps its best of this many runs, where one run is short
BACKLOG = 256  # the server's listen() backlog: try 64, the example's own value
HTTPX_UP_TO = 100  # the httpx client runs up to this N: its pool holds 100 connections

# %%
import asyncio
import os
import platform
import selectors
import socket
import sys
import time
from base64 import b64encode
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from html import escape
from io import BytesIO
from math import isnan
from math import nan as NAN
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import matplotlib

matplotlib.use("Agg")  # static PNG images, drawn here; no GUI, no interactive widget
import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.ticker import FuncFormatter

try:  # the project's examples: importable when run from a clone of the project
    import examples  # noqa: F401
except ImportError:
    here = Path.cwd().resolve()
    root = next((p for p in [here, *here.parents] if (p / "examples").is_dir()), None)
    if root is None:
        raise RuntimeError("run this notebook from a clone of the project") from None
    sys.path.insert(0, str(root))

from examples.sync_vs_async import client_property

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


print(
    f"measured on: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
    f"{platform.system()} {platform.machine()}"
)

# %% [markdown]
# ## Five clients, one server
#
# The example's server answers every call after `DELAY` seconds on a thread of its own
# (`ThreadingHTTPServer`), so calls made together are answered together: how long the N
# calls take is the client's doing. Its `DELAY` and its listen backlog are set from the parameters
# above. With the example's backlog of 64, a burst of 200 connections overflows the
# queue of connections waiting for `accept()`: Linux drops the extra SYNs and the
# clients send them again a second later, a cost of concurrency of its own.
#
# The example's httpx client runs up to `HTTPX_UP_TO` calls: httpx keeps at most 100
# connections by default and queues the other requests, and its pool is slow with many
# requests queued ([encode/httpx#3215](https://github.com/encode/httpx/issues/3215));
# past 100 calls, what it measures is that queue, not waiting.


# %%
def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """asyncio.run on a fresh thread: Jupyter's own event loop already runs on this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sequential(url: str, n: int) -> tuple[list[int], float]:
    start = time.perf_counter()
    statuses = client_property.sync_client(url, n)
    return statuses, time.perf_counter() - start


def threads(url: str, n: int) -> tuple[list[int], float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:  # one thread per call, each blocks
        answers = list(pool.map(lambda _: client_property.sync_client(url, 1), range(n)))
    return [status for one in answers for status in one], time.perf_counter() - start


def with_httpx(url: str, n: int) -> tuple[list[int], float]:
    """The example's own clock: from the first call, not from creating the httpx client."""
    statuses, _work, seconds = run_async(client_property.async_client(url, n))
    return list(statuses), seconds


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


CLIENTS: dict[str, Callable[[str, int], tuple[list[int], float]]] = {
    "sequential (urllib)": sequential,
    "threads (urllib)": threads,
    "asyncio (streams)": with_asyncio,
    "selectors (one thread)": with_selectors,
    "asyncio (httpx)": with_httpx,
}


# %%
def runs(name: str, n: int) -> int:
    """How many times to make n calls with a client: once, where once takes long enough."""
    if name == "asyncio (httpx)":
        return 1 if n <= HTTPX_UP_TO else 0
    if name == "sequential (urllib)" and n * LATENCY > 0.5:
        return 1
    return REPEATS


client_property.DELAY = LATENCY  # the handler reads it on every call
client_property.Server.request_queue_size = BACKLOG
seconds: dict[str, list[float]] = {name: [] for name in CLIENTS}
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
            seconds[name].append(min(times, default=NAN))  # NAN: not measured
print(f"{calls} calls of {LATENCY * 1000:.0f} ms measured in {time.perf_counter() - started:.1f} s")

# %% [markdown]
# ## Wall time against N

# %%
print(f"{'N':>4}" + "".join(f"{name:>24}" for name in CLIENTS) + f"{'ideal: N·L':>15}")
for i, n in enumerate(CALLS):
    cells = [seconds[name][i] * 1000 for name in CLIENTS]
    row = "".join(f"{'-':>24}" if isnan(ms) else f"{ms:>21.1f} ms" for ms in cells)
    print(f"{n:>4}{row}{n * LATENCY * 1000:>12.1f} ms")
print(f"ideal for the concurrent clients: L = {LATENCY * 1000:.1f} ms, whatever N is")

# %%
fig, ax = plt.subplots(layout="constrained", linewidth=1.5)  # linewidth: the border
markers = ["o", "s", "^", "D", "v"]
for name, marker in zip(CLIENTS, markers, strict=True):
    ms = [s * 1000 for s in seconds[name]]
    ax.plot(CALLS, ms, marker=marker, label=name, markersize=5)
ax.plot(CALLS, [n * LATENCY * 1000 for n in CALLS], "--", color="#666666", label="ideal: N·L")
ax.axhline(LATENCY * 1000, linestyle=":", color="#666666", label="ideal: L")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xticks(CALLS)
for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
ax.set_xlabel("N, calls made (log scale)")
ax.set_ylabel("wall time for all N calls, ms (log scale)")
ax.set_title(f"What waiting costs: N calls that each take L = {LATENCY * 1000:.0f} ms to answer")
ax.legend(fontsize=9)
n_max, seq = CALLS[-1], seconds["sequential (urllib)"]
concurrent = [(seconds[name][-1], name) for name in CLIENTS if name != "sequential (urllib)"]
best, best_name = min((t, name) for t, name in concurrent if not isnan(t))
show(
    fig,
    f"Log-log plot of wall time against N calls of {LATENCY * 1000:.0f} ms each, for five "
    f"clients. At N = {n_max} the sequential client took {seq[-1]:.2f} s and the fastest "
    f"concurrent one, {best_name}, {best * 1000:.0f} ms. The table above has every value.",
)

# %% [markdown]
# ## What this shows
#
# When the pattern holds, the sequential client's points lie on the dashed N·L line:
# each call waits for the one before it, so the waits add up, and its time grows as N
# does (the first ratio below is close to the number of calls). The concurrent clients'
# waits overlap, so their time grows far less than N: they stay near the dotted line L
# as long as their own cost per call is small. That cost (a thread to start, a
# coroutine, a connection, a response to parse) is work for the CPU, not waiting, and
# it is what lifts their lines above L as N grows, more so on a busy machine (here the
# server, which starts a thread per call, shares the same CPUs).

# %%
print(f"from N = {CALLS[0]} to N = {n_max}, {n_max // CALLS[0]}x as many calls:")
for name in CLIENTS:
    measured = [(n, t) for n, t in zip(CALLS, seconds[name], strict=True) if not isnan(t)]
    (n0, t0), (n1, t1) = measured[0], measured[-1]
    print(f"  {name:<24} took {t1 / t0:6.1f}x as long (N = {n0} to {n1})")
print(f"at N = {n_max}: sequential took {seq[-1] / (n_max * LATENCY):.2f} x N·L")
for t, name in concurrent:
    if not isnan(t):
        print(f"at N = {n_max}: {name:<24} took {t / LATENCY:5.1f} x L")
print(f"at N = {n_max}: the sequential client waited {seq[-1] / best:.0f}x as long as {best_name}")

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
