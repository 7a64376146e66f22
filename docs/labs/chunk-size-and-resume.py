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
# # Lab: Chunk size, throughput and the price of a resume
#
# > **Executed or not?** `make build`, `make test` and the hosted site run this notebook
# > and show what it measured. Under `make serve` the page is shown unexecuted (code
# > only), so that the site rebuilds at once on every save. To run it yourself, see
# > [Labs](index.md#how-a-lab-runs).
# >
# > **Where is the rest of the code?** This page shows the code that measures. The code
# > that sets up the plots, draws them and writes the table and the finding is hidden
# > here (its cells are tagged `remove-input`); every line of it is in
# > [chunk-size-and-resume.py](chunk-size-and-resume.py), the one file this page runs
# > (a [jupytext](https://jupytext.readthedocs.io/) notebook: run it from a clone of the
# > project).
#
# ## The question
#
# *Building an upload image service with request response*, say
# [the notes](../communication-patterns/request-response/index.md#examples): send the
# image as one large request (simple, not resumable), or chunk it and send a request per
# chunk (resumable, with a unique identifier). The chunk size decides the
# trade between the two, and the notes predict both sides of it:
#
# - every chunk is one more request, with its round trip, its headers and the server's
#   `fsync()`: small chunks upload slowly (the checksum of each chunk, on each side,
#   grows with the bytes, not with the requests);
# - when the connection drops, the chunk in flight is lost: large chunks lose more.
#
# Two example pages make claims this lab can check.
# [A resumable upload (tus)](../communication-patterns/request-response/resumable-upload/index.md)
# says that after a drop the client re-sends only part of one chunk, and sets a goal for
# its speed, which `benchmarks/upload_throughput.py` checks: at 4 MiB chunks, at least a
# share `GOAL` of the throughput of
# [one large upload](../communication-patterns/request-response/upload-single.md).
# The cell below takes that goal from the benchmark itself.

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
from benchmarks.upload_throughput import GOAL  # tus at 4 MiB chunks, against one request

GOAL_CHUNK_MIB = 4  # the chunk size of the goal, in MiB: the benchmark's `results.ratio(4)`
MiB = 1 << 20
GOAL_CHUNK = GOAL_CHUNK_MIB * MiB

# %% [markdown]
# ## How it is measured
#
# The lab uploads one file with the tus server and client of the resumable upload
# (`examples/request_response/resumable_upload/`), once per chunk size on a clean
# connection (its throughput), then `DROPS` times with the connection cut once, after a
# random number of bytes (what it sent again). The client counts every body byte it
# writes to the network, retries included (`TusClient.sent`); each chunk carries its
# SHA-1, so the server keeps a chunk whole or not at all and the client resumes from
# the last whole chunk. The single-request upload (`examples/request_response/upload_single.py`),
# cut at the same points, starts again from zero. Servers and client run in this one
# process, on 127.0.0.1, and the servers store the file on disk, with an `fsync()` before
# each answer.

# %%
# Parameters: turn them up on your own machine.
KiB = 1 << 10
FILE_SIZE = 16 * MiB  # bytes uploaded each time
CHUNK_SIZES = [64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 16 * MiB]
REPEATS = 2  # clean uploads per chunk size (and of the single request): the best counts
DROPS = 3  # uploads cut at a random point, per chunk size
SEED = 6  # the random drop points are the same on every run

# %%
import hashlib
import random
import time
from statistics import mean
from urllib.parse import urlsplit

from examples.request_response import upload_single
from examples.request_response.resumable_upload import TusClient, TusServer

rng = random.Random(SEED)
drop_points = [rng.randrange(1, FILE_SIZE) for _ in range(DROPS)]
throughput: dict[int, float] = {}  # chunk size -> MiB/s on a clean connection
resent: dict[int, list[int]] = {}  # chunk size -> bytes sent again, one per drop
started = time.perf_counter()
with tempfile.TemporaryDirectory() as scratch:
    image = Path(scratch, "photo.jpg")
    image.write_bytes(hashlib.shake_256(b"photo").digest(FILE_SIZE))
    with TusServer(Path(scratch, "uploads")) as server:

        def upload(chunk: int, drop_at: int | None = None) -> tuple[float, int]:
            """Upload the image; return the seconds it took and the bytes sent again."""
            client = TusClient(server.url, chunk_size=chunk)
            client.drop_at = drop_at
            try:
                start = time.perf_counter()
                url = client.upload(image)
                seconds = time.perf_counter() - start
                status, _, _ = client.request("DELETE", urlsplit(url).path, {})  # tidy up
                assert status == 204, status
            finally:
                client.close()
            return seconds, client.sent - FILE_SIZE

        upload(CHUNK_SIZES[0])  # warm up
        for chunk in CHUNK_SIZES:
            clean = [upload(chunk) for _ in range(REPEATS)]
            assert all(again == 0 for _, again in clean), clean
            throughput[chunk] = FILE_SIZE / MiB / min(seconds for seconds, _ in clean)
            resent[chunk] = [upload(chunk, drop_at)[1] for drop_at in drop_points]

    stored = Path(scratch, "single")
    stored.mkdir()
    with upload_single.UploadServer(stored) as single:
        upload_single.put(single.address, image)  # warm up
        best = float("inf")
        for _ in range(REPEATS):
            start = time.perf_counter()
            status, sent = upload_single.put(single.address, image)
            best = min(best, time.perf_counter() - start)
            assert (status, sent) == (201, FILE_SIZE), (status, sent)
        single_throughput = FILE_SIZE / MiB / best
        single_resent = []
        for drop_at in drop_points:  # cut, then the whole file again
            _, first = upload_single.put(single.address, image, drop_at=drop_at)
            status, second = upload_single.put(single.address, image)
            assert status == 201, status
            single_resent.append(first + second - FILE_SIZE)
uploads = (1 + REPEATS + DROPS) * (len(CHUNK_SIZES) + 1)
print(f"{uploads} uploads of {FILE_SIZE // MiB} MiB in {time.perf_counter() - started:.1f} s")

# %% [markdown]
# ## What was measured
#
# Throughput on a clean connection, and the bytes sent again after each drop, per chunk
# size; the last row is the single request.


# %% tags=["remove-input"]
def size(n: float) -> str:
    """A byte count, to three digits: 64 KiB, 1.5 MiB, 812 bytes."""
    if n >= MiB:
        return f"{n / MiB:.3g} MiB"
    return f"{n / KiB:.3g} KiB" if n >= KiB else f"{n:.0f} bytes"


def requests(chunk: int) -> int:
    return -(-FILE_SIZE // chunk) + 1  # the PATCHes and the POST


rows = []
for chunk in CHUNK_SIZES:
    drops = ", ".join(size(b) if b else "0" for b in resent[chunk])
    rows.append([size(chunk), requests(chunk), f"{throughput[chunk]:.1f}", drops])
rows.append(["one PUT", 1, f"{single_throughput:.1f}", ", ".join(size(b) for b in single_resent)])
show_table(
    ["chunk size", "requests", "MiB/s", "re-sent after each drop"],
    rows,
    f"A {size(FILE_SIZE)} file over 127.0.0.1; drops after "
    f"{', '.join(f'{d:,}' for d in drop_points)} bytes. Measured on {machine()}.",
)

# %% tags=["remove-input"]
bytes_axis = lambda value, _: size(value) if value else "0"  # noqa: E731
fig, ax = plt.subplots(layout="constrained")
ax.plot(CHUNK_SIZES, [throughput[c] for c in CHUNK_SIZES], "o-", label="tus, chunked")
ax.axhline(single_throughput, linestyle="--", color=INK, label="one request (PUT)")
ax.set_xscale("log", base=2)
ax.set_xticks(CHUNK_SIZES)
ax.xaxis.set_major_formatter(bytes_axis)
ax.xaxis.set_minor_formatter(lambda value, _: "")
ax.set_ylim(bottom=0)
ax.set_xlabel("chunk size (log scale)")
ax.set_ylabel("throughput, MiB/s")
ax.set_title(f"Uploading {size(FILE_SIZE)} over 127.0.0.1: throughput against chunk size")
ax.legend(loc="lower right")
smallest, largest = CHUNK_SIZES[0], CHUNK_SIZES[-1]
show_figure(
    fig,
    f"Throughput against chunk size: {throughput[smallest]:.1f} MiB/s with {size(smallest)} "
    f"chunks, {throughput[largest]:.1f} MiB/s with {size(largest)} chunks; one request: "
    f"{single_throughput:.1f} MiB/s. The table above has every value.",
)

# %% [markdown]
# A drop at a random point loses the part of the chunk in flight that was already sent:
# never more than one chunk (the solid line), on average half a chunk (the dashed line;
# with a few drops the mean wanders around it). The single request loses everything sent
# before the drop: on average half the file.

# %% tags=["remove-input"]
fig, ax = plt.subplots(layout="constrained")
for i in range(DROPS):
    points = [max(resent[c][i], 1) for c in CHUNK_SIZES]  # 1 byte: a log axis has no 0
    label = "tus, one drop" if i == 0 else None
    ax.plot(CHUNK_SIZES, points, "o", color=COLOURS[0], alpha=0.6, label=label)
ax.plot(CHUNK_SIZES, [mean(resent[c]) for c in CHUNK_SIZES], "-", label="tus, mean")
ax.plot(CHUNK_SIZES, CHUNK_SIZES, "-", color=INK, label="one chunk (the most)")
half = [c / 2 for c in CHUNK_SIZES]
ax.plot(CHUNK_SIZES, half, "--", color=INK, label="half a chunk (expected mean)")
ax.axhline(mean(single_resent), linestyle=":", color=COLOURS[1], label="one request, mean")
ax.set_xscale("log", base=2)
ax.set_yscale("log", base=2)
ax.set_xticks(CHUNK_SIZES)
ax.xaxis.set_major_formatter(bytes_axis)
ax.xaxis.set_minor_formatter(lambda value, _: "")
ax.yaxis.set_major_formatter(bytes_axis)
ax.set_xlabel("chunk size (log scale)")
ax.set_ylabel("bytes sent again after one drop (log scale)")
ax.set_title(f"The price of a resume: {DROPS} random drops per chunk size")
ax.legend(loc="lower right", fontsize=9)
show_figure(
    fig,
    f"Bytes sent again after a drop against chunk size: on average "
    f"{size(mean(resent[smallest]))} with {size(smallest)} chunks, "
    f"{size(mean(resent[largest]))} with {size(largest)} chunks, and "
    f"{size(mean(single_resent))} for the single request. The table above has every value.",
)

# %% [markdown]
# ## What this shows


# %% tags=["remove-input", "finding"]
def cost_ms(chunk: int) -> float:
    """Per request: the chunked upload's time beyond the single request's, for the file."""
    extra = FILE_SIZE / MiB * (1 / throughput[chunk] - 1 / single_throughput)
    return extra / requests(chunk) * 1000


def ms(cost: float) -> str:
    return f"{cost:.1f} ms" if cost > 0 else "no time we could measure"


disk = file_system(Path(tempfile.gettempdir()).resolve())
tus_page = (
    "../communication-patterns/request-response/resumable-upload/index.md"
    "#how-fast-and-what-it-costs"
)
finding = {
    "goal_chunk": size(GOAL_CHUNK),
    "goal_share": throughput[GOAL_CHUNK] / single_throughput * 100,
    "goal": GOAL * 100,
    "smallest": size(smallest),
    "smallest_share": throughput[smallest] / single_throughput * 100,
    "largest": size(largest),
    "largest_share": throughput[largest] / single_throughput * 100,
    "smallest_requests": requests(smallest),
    "smallest_cost": ms(cost_ms(smallest)),
    "goal_cost": ms(cost_ms(GOAL_CHUNK)),
    "file": size(FILE_SIZE),
    "file_system": disk,
    "worst_chunks": max(max(resent[c]) / c for c in CHUNK_SIZES),
    "mean_per_half_smallest": mean(resent[smallest]) / (smallest / 2),
    "mean_per_half_largest": mean(resent[largest]) / (largest / 2),
    "single_resent": size(mean(single_resent)),
    "single_share": mean(single_resent) / FILE_SIZE * 100,
    "speed_gain": throughput[largest] / throughput[smallest],
    "loss_gain": mean(resent[largest]) / max(mean(resent[smallest]), 1),
}
f = finding
met = "meets the goal" if f["goal_share"] >= f["goal"] else "falls **short** of the goal"
where = "in memory" if disk in {"tmpfs", "ramfs"} else "where each `fsync()` waits for a disk"
less = "less than one chunk" if f["worst_chunks"] < 1 else "**more** than one chunk"
show_markdown(
    f"""**Throughput.** {f["goal_chunk"]} chunks reached **{f["goal_share"]:.0f} %** of the
single request's throughput here: this run {met} that
[a resumable upload (tus)]({tus_page}) sets, at least {f["goal"]:.0f} % at
{f["goal_chunk"]}. Each chunk is a request, which costs time beyond its bytes (its round
trip, its headers and the server's `fsync()`; the chunked upload also checksums every
byte on each side, which the single request does not, and that cost is counted here
too): here
{f["goal_cost"]} per request with {f["goal_chunk"]} chunks, and
{f["smallest_cost"]} with {f["smallest"]} chunks, where the
{f["smallest_requests"]} requests held the upload to {f["smallest_share"]:.0f} %;
{f["largest"]} chunks reached {f["largest_share"]:.0f} %. The benchmark behind the goal
uploads a larger file, with each server in a process of its own. This lab uploads a
{f["file"]} file, with client and servers in one Python process, and stores it on the
{f["file_system"]} file system here, {where}: its figures can stray from the benchmark's.

**The price of a resume.** Every drop re-sent {less}, at most {f["worst_chunks"]:.2f} of
a chunk, as the page says: the client resumes from the last whole chunk. On average a
drop re-sent {f["mean_per_half_smallest"]:.2f} times half a chunk with {f["smallest"]}
chunks and {f["mean_per_half_largest"]:.2f} times with {f["largest"]} chunks; the single
request re-sent {f["single_resent"]} on average, {f["single_share"]:.0f} % of the file.

**The trade.** From {f["smallest"]} to {f["largest"]} chunks, the throughput grew
{f["speed_gain"]:.1f}x and the bytes a drop costs {f["loss_gain"]:.0f}x. Where the first
curve flattens, bigger chunks buy little speed and only add to what a drop costs."""
)
