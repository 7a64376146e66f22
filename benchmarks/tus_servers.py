"""Three tus servers, one client: the project's, tuspyserver (FastAPI) and @tus/server (Node).

    python benchmarks/tus_servers.py                   # 128 MiB in 4 MiB chunks, 5 rounds
    python benchmarks/tus_servers.py --repeat 15 --baseline HEAD   # and the last commit's

The client is tuspy (``Uploader.upload()``: one POST, then one PATCH per chunk), the same
for every server, in this process; each server runs in its own process on 127.0.0.1 and
stores into its own folder of one temporary directory, on one disk (not in memory). The
rounds are interleaved (project, FastAPI, Node, then again, each round starting with the
next one) so the machine's noise lands on every server. It prints MiB/s for each (the
median, and min-max over the rounds), the ratios of the medians, and how busy the machine
was (load, and the share of time tasks waited for a CPU): on a shared machine the figures
move with it, the ratios much less.

The references are installed into ``benchmarks/.cache/tus_servers/`` (git-ignored), never
into the project's dependencies: tuspyserver with uvicorn in a venv of its own, and
@tus/server with @tus/file-store by ``npm install --prefix``, at the pins below.

What each has done when it answers a PATCH, read in their sources at these pins, and
counted by the untimed warm-up upload, under ``strace`` when it is installed:

- the project's server: ``fsync`` of the data file, then ``204``;
- tuspyserver, as ``create_tus_router`` sets it up by default: ``write`` and ``flush`` of
  the data (into the kernel, not onto the disk), an ``fsync`` of its ``.info`` file only;
  its opt-in ``LocalFileStorage`` fsyncs the data too (``--durable`` runs that);
- @tus/file-store: the data through ``fs.createWriteStream``, no ``fsync`` at all.

So against both references as they ship, the project's is the only durable server.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import requests
from tusclient import client as tus

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "tus_servers"
MiB = 1 << 20
GOALS = {"tuspyserver": 2.0, "@tus/server": 1.5}  # the project's median over theirs
PIP_PINS = [
    "tuspyserver==4.4.3",
    "fastapi==0.165.0",
    "starlette==1.10.0",
    "uvicorn[standard]==0.54.0",  # with httptools and uvloop: uvicorn at its fastest
]
NPM_PINS = ["@tus/server@2.4.5", "@tus/file-store@2.1.1"]
FASTAPI_SERVER = """
import socket, sys, uvicorn
from fastapi import FastAPI
from tuspyserver import create_tus_router
app, options = FastAPI(), {}
if sys.argv[2] == "durable":
    from tuspyserver.storage.local import LocalFileStorage
    options["storage"] = LocalFileStorage(sys.argv[1])
app.include_router(create_tus_router(prefix="files", files_dir=sys.argv[1], **options))
sock = socket.create_server(("127.0.0.1", 0))
print(f"http://127.0.0.1:{sock.getsockname()[1]}/files/", flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
"""
NODE_SERVER = """
import http from "node:http";
import { Server } from "@tus/server";
import { FileStore } from "@tus/file-store";
const datastore = new FileStore({ directory: process.argv[2] });
const tus = new Server({ path: "/files", datastore });
const server = http.createServer((req, res) => tus.handle(req, res));
server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}/files/`);
});
"""


def install(folder: Path, pins: list[str], command: list[str]) -> None:
    """Run ``command`` unless ``folder`` holds exactly these pins; its output only on failure."""
    stamp = folder / "pins.json"
    if stamp.exists() and json.loads(stamp.read_text()) == pins:
        return
    folder.mkdir(parents=True, exist_ok=True)
    print(f"installing {' '.join(pins)} into {folder}", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if done.returncode:
        sys.exit(f"{' '.join(command[:3])}... failed:\n{done.stdout}{done.stderr}")
    stamp.write_text(json.dumps(pins))


def fastapi_server() -> list[str]:
    folder = CACHE / "fastapi"
    python = folder / "venv" / "bin" / "python"
    if not python.exists():
        venv.create(folder / "venv", with_pip=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    install(folder, PIP_PINS, [*pip, *PIP_PINS])
    (folder / "server.py").write_text(FASTAPI_SERVER)
    return [str(python), str(folder / "server.py")]


def node_server() -> list[str]:
    if not (shutil.which("node") and shutil.which("npm")):
        sys.exit("node and npm are needed for @tus/server")
    folder = CACHE / "node"
    npm = ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund"]
    install(folder, NPM_PINS, [*npm, "--save-exact", *NPM_PINS])
    (folder / "server.mjs").write_text(NODE_SERVER)  # beside node_modules/: imports resolve
    return ["node", str(folder / "server.mjs")]


def checkout(revision: str, folder: Path) -> Path:
    """The example package as it was at ``revision``, extracted into ``folder``."""
    package = "examples/request_response/resumable_upload"
    paths = ["examples/__init__.py", "examples/request_response/__init__.py", package]
    command = ["git", "-C", str(ROOT), "archive", revision, *paths]
    archive = subprocess.run(command, check=True, capture_output=True, timeout=60).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


@contextlib.contextmanager
def serving(command: list[str], home: Path = ROOT) -> Iterator[tuple[str, int]]:
    """Start a server whose first line on stdout holds its files URL; yield it and the pid.

    ``home`` is its working directory and PYTHONPATH: where ``examples`` is imported from.
    """
    env = {**os.environ, "PYTHONPATH": str(home)}
    process = subprocess.Popen(command, cwd=home, env=env, text=True, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/files/", line)
        if not match:
            raise RuntimeError(f"{command[:2]} did not start: {line!r}")
        yield match.group(0), process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


def upload(files_url: str, source: Path, chunk: int) -> tuple[float, str]:
    """MiB/s of one tuspy upload (POST and every PATCH), and its URL; it is deleted after."""
    size = source.stat().st_size
    start = time.perf_counter()
    uploader = tus.TusClient(files_url).uploader(
        file_path=str(source), chunk_size=chunk, metadata={"filename": source.name}
    )  # with metadata: @tus/server refuses the empty Upload-Metadata tuspy sends without
    uploader.upload()
    elapsed = time.perf_counter() - start
    assert uploader.offset == size, (files_url, uploader.offset)
    reply = requests.delete(str(uploader.url), headers={"Tus-Resumable": "1.0.0"}, timeout=30)
    assert reply.status_code == 204, (files_url, reply.status_code)
    return size / MiB / elapsed, str(uploader.url)


def warm_up(files_url: str, pid: int, source: Path, chunk: int) -> str:
    """One upload, not timed, under strace: how often was the upload's data file fsynced?"""
    if not shutil.which("strace"):
        upload(files_url, source, chunk)
        return "fsyncs not counted (no strace)"
    with tempfile.NamedTemporaryFile(suffix=".strace") as log:
        # -f: every thread (Node writes from its pool), -y: each fd with its path
        trace = ["strace", "-f", "-y", "-e", "trace=fsync,fdatasync", "-o", log.name]
        tracer = subprocess.Popen([*trace, "-p", str(pid)], stderr=subprocess.PIPE, text=True)
        assert tracer.stderr is not None
        try:
            attached = tracer.stderr.readline()  # "strace: Process <pid> attached", or why not
            url = upload(files_url, source, chunk)[1]
        finally:
            tracer.send_signal(signal.SIGINT)
            tracer.communicate(timeout=30)
        if "attached" not in attached:
            return f"fsyncs not counted ({attached.strip()})"
        paths = re.findall(r"(?:fsync|fdatasync)\(\d+<([^>]*)>", Path(log.name).read_text())
    upload_id = url.rsplit("/", 1)[1]
    count = sum(Path(path).name in (upload_id, f"{upload_id}.bin") for path in paths)
    return f"data fsynced {count} times in {-(-source.stat().st_size // chunk)} PATCHes"


def filesystem(path: Path) -> str:
    """The type of the file system that holds ``path`` (ext4, xfs, tmpfs...)."""
    best, kind = "", "?"
    for line in Path("/proc/mounts").read_text().splitlines():
        mount, fs_type = line.split()[1:3]
        if f"{path}/".startswith(mount.rstrip("/") + "/") and len(mount) >= len(best):
            best, kind = mount, fs_type
    return kind


def busy() -> str:
    """How busy the machine is: load average, and the share of time tasks waited for a CPU."""
    load = os.getloadavg()[0]
    pressure = Path("/proc/pressure/cpu")
    stall = re.search(r"some avg10=([\d.]+)", pressure.read_text()) if pressure.exists() else None
    return f"load {load:.1f} on {os.cpu_count()} CPUs" + (
        f", CPU pressure {stall.group(1)} %" if stall else ""
    )


def contenders(args: argparse.Namespace, where: Path) -> dict[str, tuple[list[str], Path]]:
    """Each server's name, its command (storing under ``where``) and where it runs from."""
    project = [sys.executable, "-m", "examples.request_response.resumable_upload"]
    servers = {"project": ([*project, "--dir", str(where / "project")], ROOT)}
    if args.baseline:  # the same command, importing the package as it was at that commit
        old = checkout(args.baseline, where / "old")
        servers[f"project@{args.baseline}"] = ([*project, "--dir", str(where / "baseline")], old)
    mode = "durable" if args.durable else "default"  # durable: not the goal's reference
    name = "tuspyserver+fsync" if args.durable else "tuspyserver"
    servers[name] = ([*fastapi_server(), str(where / "fastapi"), mode], ROOT)
    servers["@tus/server"] = ([*node_server(), str(where / "node")], ROOT)
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=128)
    parser.add_argument("--chunk-mib", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--dir", type=Path, default=CACHE, help="where the servers store")
    parser.add_argument("--durable", action="store_true", help="tuspyserver that fsyncs")
    parser.add_argument("--baseline", metavar="REV", help="also the project's server at REV")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    rates: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="tus-servers-", dir=args.dir) as folder:
        where = Path(folder).resolve()
        if filesystem(where) in ("tmpfs", "ramfs"):
            sys.exit(f"{where} is in memory ({filesystem(where)}): give --dir on a disk")
        servers = contenders(args, where)
        source, chunk = where / "source.bin", args.chunk_mib * MiB
        with source.open("wb") as file:
            for i in range(args.size_mib):  # distinct bytes in every MiB
                file.write(i.to_bytes(8, "big") * (MiB // 8))
        print(f"tuspy {args.size_mib} MiB in {args.chunk_mib} MiB chunks, {args.repeat} rounds")
        print(f"stored in {where} ({filesystem(where)}); before: {busy()}")
        with contextlib.ExitStack() as stack:
            running = {name: stack.enter_context(serving(*how)) for name, how in servers.items()}
            fsyncs = {name: warm_up(*server, source, chunk) for name, server in running.items()}
            names = list(running)
            for round_ in range(args.repeat):  # each round, the next server goes first
                for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                    rates.setdefault(name, []).append(upload(running[name][0], source, chunk)[0])
    print(f"after: {busy()}")
    medians = {name: statistics.median(values) for name, values in rates.items()}
    for name, values in rates.items():
        spread = f"({min(values):4.0f}-{max(values):4.0f})"
        print(f"{name:15s} {medians[name]:5.0f} MiB/s {spread:11s}  {fsyncs[name]}")
    for name in medians:
        if name != "project":
            ratio, goal = medians["project"] / medians[name], GOALS.get(name)
            verdict = f"  (goal >= {goal}: {'met' if ratio >= goal else 'NOT met'})" if goal else ""
            print(f"project / {name}: {ratio:.2f}{verdict}")


if __name__ == "__main__":
    main()
