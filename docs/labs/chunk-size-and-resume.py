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
# > only), so that the site rebuilds at once on every save. To run it yourself, see the
# > *Labs* page, or open [chunk-size-and-resume.py](chunk-size-and-resume.py) (a
# > [jupytext](https://jupytext.readthedocs.io/) notebook) from a clone of the project.
#
# *Building an upload image service with request response*: send the image as one large
# request (simple, not resumable), or chunk it and send a request per chunk (resumable,
# with a unique identifier). The chunk size decides the trade between the two:
#
# - every chunk is one more request, with its round trip, its headers, its checksum and
#   the server's `fsync()`: small chunks upload slowly;
# - when the connection drops, the chunk in flight is lost: large chunks lose more.
#
# The lab uploads one file with the tus server and client of
# [the resumable upload](../communication-patterns/request-response/resumable-upload.md)
# (`examples/request_response/resumable_upload/`), once per chunk size, then again with
# the connection cut at random points; and with
# [the single-request upload](../communication-patterns/request-response/upload-single.md)
# (`examples/request_response/upload_single.py`), for comparison.

# %% Parameters: turn them up on your own machine.
KiB, MiB = 1 << 10, 1 << 20
FILE_SIZE = 16 * MiB  # bytes uploaded each time
CHUNK_SIZES = [64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 16 * MiB]
DROPS = 3  # uploads cut at a random point, per chunk size
SEED = 6  # the random drop points are the same on every run

# %%
import hashlib
import os
import platform
import random
import sys
import tempfile
import time
from base64 import b64encode
from html import escape
from io import BytesIO
from pathlib import Path
from statistics import mean
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

from examples.request_response import upload_single
from examples.request_response.resumable_upload import TusClient, TusServer

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


def size(n: float) -> str:
    """A byte count, to three digits: 64 KiB, 1.5 MiB, 812 bytes."""
    if n >= MiB:
        return f"{n / MiB:.3g} MiB"
    return f"{n / KiB:.3g} KiB" if n >= KiB else f"{n:.0f} bytes"


print(
    f"measured on: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
    f"{platform.system()} {platform.machine()}; a {size(FILE_SIZE)} file over 127.0.0.1"
)

# %% [markdown]
# ## Upload, and upload again with a drop
#
# For each chunk size the client uploads the file once on a clean connection (its
# throughput), then `DROPS` times with the connection cut once, after a random number of
# bytes (what it sent again). The client counts every body byte it writes to the
# network, retries included (`TusClient.sent`); each chunk carries its SHA-1, so the
# server keeps a chunk whole or not at all and the client resumes from the last whole
# chunk. The single-request upload, cut at the same points, starts again from zero.

# %%
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
            seconds, again = upload(chunk)
            assert again == 0, again
            throughput[chunk] = FILE_SIZE / MiB / seconds
            resent[chunk] = [upload(chunk, drop_at)[1] for drop_at in drop_points]

    stored = Path(scratch, "single")
    stored.mkdir()
    with upload_single.UploadServer(stored) as single:
        start = time.perf_counter()
        status, sent = upload_single.put(single.address, image)
        single_throughput = FILE_SIZE / MiB / (time.perf_counter() - start)
        assert (status, sent) == (201, FILE_SIZE), (status, sent)
        single_resent = []
        for drop_at in drop_points:  # cut, then the whole file again
            _, first = upload_single.put(single.address, image, drop_at=drop_at)
            status, second = upload_single.put(single.address, image)
            assert status == 201, status
            single_resent.append(first + second - FILE_SIZE)
print(f"{(1 + DROPS) * (len(CHUNK_SIZES) + 1)} uploads in {time.perf_counter() - started:.1f} s")

# %% [markdown]
# ## Throughput against chunk size

# %%
print(f"{'chunk size':>10}  {'requests':>8}  {'throughput':>12}  {'re-sent after a drop':>30}")
for chunk in CHUNK_SIZES:
    requests = -(-FILE_SIZE // chunk) + 1  # PATCHes and the POST
    drops = ", ".join(size(b) if b else "0" for b in resent[chunk])
    print(f"{size(chunk):>10}  {requests:>8}  {throughput[chunk]:>7.1f} MiB/s  {drops:>30}")
single_drops = ", ".join(size(b) for b in single_resent)
print(f"{'one PUT':>10}  {1:>8}  {single_throughput:>7.1f} MiB/s  {single_drops:>30}")
print(f"drops after: {', '.join(f'{d:,}' for d in drop_points)} bytes of {FILE_SIZE:,}")

# %%
bytes_axis = FuncFormatter(lambda value, _: size(value) if value else "0")
fig, ax = plt.subplots(layout="constrained", linewidth=1.5)  # linewidth: the border
ax.plot(CHUNK_SIZES, [throughput[c] for c in CHUNK_SIZES], "o-", label="tus, chunked")
ax.axhline(single_throughput, linestyle="--", color="#666666", label="one request (PUT)")
ax.set_xscale("log", base=2)
ax.set_xticks(CHUNK_SIZES)
ax.xaxis.set_major_formatter(bytes_axis)
ax.xaxis.set_minor_formatter(FuncFormatter(lambda value, _: ""))
ax.set_ylim(bottom=0)
ax.set_xlabel("chunk size (log scale)")
ax.set_ylabel("throughput, MiB/s")
ax.set_title(f"Uploading {size(FILE_SIZE)} over 127.0.0.1: throughput against chunk size")
ax.legend(loc="lower right")
smallest, largest = CHUNK_SIZES[0], CHUNK_SIZES[-1]
show(
    fig,
    f"Throughput against chunk size: {throughput[smallest]:.1f} MiB/s with {size(smallest)} "
    f"chunks, {throughput[largest]:.1f} MiB/s with {size(largest)} chunks; one request: "
    f"{single_throughput:.1f} MiB/s. The table above has every value.",
)

# %% [markdown]
# ## Bytes sent again after a drop, against chunk size
#
# A drop at a random point loses the part of the chunk in flight that was already sent:
# never more than one chunk (the solid grey line), on average half a chunk (the dashed
# line; with a few drops the mean wanders around it). The single request loses
# everything sent before the drop: on average half the file.

# %%
fig, ax = plt.subplots(layout="constrained", linewidth=1.5)  # linewidth: the border
for i in range(DROPS):
    points = [max(resent[c][i], 1) for c in CHUNK_SIZES]  # 1 byte: a log axis has no 0
    label = "tus, one drop" if i == 0 else None
    ax.plot(CHUNK_SIZES, points, "o", color="C0", alpha=0.6, label=label)
ax.plot(CHUNK_SIZES, [mean(resent[c]) for c in CHUNK_SIZES], "-", color="C0", label="tus, mean")
ax.plot(CHUNK_SIZES, CHUNK_SIZES, "-", color="#999999", label="one chunk (the most)")
half = [c / 2 for c in CHUNK_SIZES]
ax.plot(CHUNK_SIZES, half, "--", color="#666666", label="half a chunk (expected mean)")
ax.axhline(mean(single_resent), linestyle=":", color="C3", label="one request, mean")
ax.set_xscale("log", base=2)
ax.set_yscale("log", base=2)
ax.set_xticks(CHUNK_SIZES)
ax.xaxis.set_major_formatter(bytes_axis)
ax.xaxis.set_minor_formatter(FuncFormatter(lambda value, _: ""))
ax.yaxis.set_major_formatter(bytes_axis)
ax.set_xlabel("chunk size (log scale)")
ax.set_ylabel("bytes sent again after one drop (log scale)")
ax.set_title(f"The price of a resume: {DROPS} random drops per chunk size")
ax.legend(loc="lower right", fontsize=9)
show(
    fig,
    f"Bytes sent again after a drop against chunk size: on average "
    f"{size(mean(resent[smallest]))} with {size(smallest)} chunks, "
    f"{size(mean(resent[largest]))} with {size(largest)} chunks, and "
    f"{size(mean(single_resent))} for the single request. The table above has every value.",
)

# %% [markdown]
# ## What this shows
#
# When the pattern holds, the first plot rises with the chunk size towards the dashed
# line of the single request: each chunk pays for a request of its own (a round trip,
# headers, a SHA-1 pass over the chunk, and on the server a write aside, a check, an
# append and an `fsync()`), so the fewer the chunks, the closer the upload gets to one
# request's throughput; it may stay below it even with one chunk, since that chunk is
# still read twice and written twice. The second plot rises with the chunk size too,
# every point under the one-chunk line: what a drop costs is the chunk in flight, up to
# the single request's loss when one chunk is the whole file. The chunk size buys
# throughput with the risk of sending bytes again; where the first curve flattens,
# bigger chunks buy little speed and only add risk. The lines below give the numbers.

# %%
for chunk in CHUNK_SIZES:
    print(
        f"{size(chunk):>8} chunks: {throughput[chunk] / single_throughput:4.0%} of the single "
        f"request's throughput; a drop re-sent {mean(resent[chunk]) / (chunk / 2):4.2f} x half "
        f"a chunk on average, {mean(resent[chunk]) / mean(single_resent):6.1%} of its loss"
    )
worst = max(max(resent[chunk]) / chunk for chunk in CHUNK_SIZES)
print(f"every drop re-sent less than one chunk: {worst < 1} (at most {worst:.2f} chunk)")

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
