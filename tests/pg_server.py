"""A throwaway PostgreSQL server for the tests: initdb in a temp dir, start, stop, remove.

    with running_postgres() as pg:
        psycopg.connect(pg.dsn)

It uses the newest Debian-style install (``/usr/lib/postgresql/<version>/bin``) or,
failing that, ``pg_ctl`` on ``PATH``. PostgreSQL refuses to run as root, so when the
tests run as root, initdb and the server run as the ``postgres`` system user. The
server listens on 127.0.0.1 only, on a free port, with its unix socket in the temp
dir, trust authentication and ``fsync=on`` (commit timings must mean something).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import free_port

INSTALL_HINT = (
    "PostgreSQL is not installed: `apt-get install postgresql` (Debian/Ubuntu) "
    "or `brew install postgresql` (macOS); set REQUIRE_POSTGRES=1 to make this a failure"
)
SYSTEM_USER = "postgres"  # who runs the server when we are root


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries on this machine."""


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    dbname: str
    data_dir: Path

    @property
    def dsn(self) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={self.dbname}"


def find_bin_dir(root: Path = Path("/usr/lib/postgresql")) -> Path:
    """The directory of initdb/pg_ctl: the newest <root>/<version>/bin, else PATH."""
    candidates = [p.parent for p in root.glob("*/bin/initdb")]
    candidates.sort(key=lambda d: [int(x) for x in d.parent.name.split(".") if x.isdigit()])
    if candidates:
        return candidates[-1]
    on_path = shutil.which("pg_ctl")
    if on_path and (Path(on_path).parent / "initdb").exists():
        return Path(on_path).parent
    raise PostgresUnavailable(INSTALL_HINT)


def require_postgres() -> None:
    """Skip the calling test where PostgreSQL is not installed; fail it instead when
    REQUIRE_POSTGRES=1 (CI sets it), so that a missing server cannot pass unseen."""
    try:
        find_bin_dir()
    except PostgresUnavailable as missing:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {missing}")
        pytest.skip(str(missing))


def _base_dir() -> str:
    """A temp base whose every parent the postgres user can traverse."""
    base = Path(tempfile.gettempdir()).resolve()
    for folder in (base, *base.parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return "/tmp"
    return str(base)


def _run(command: list[str], as_other_user: bool, cwd: Path, timeout: float) -> None:
    if as_other_user:
        command = ["runuser", "-u", SYSTEM_USER, "--", *command]
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )


@contextmanager
def running_postgres(timeout: float = 30.0) -> Iterator[PostgresServer]:
    """Start a fresh server, yield how to reach it, then stop it and delete its files."""
    bin_dir = find_bin_dir()
    as_other_user = os.geteuid() == 0
    top = Path(tempfile.mkdtemp(prefix="pg-", dir=_base_dir()))
    data, log = top / "data", top / "server.log"
    port = free_port()
    process: subprocess.Popen[bytes] | None = None
    try:
        if as_other_user:
            account = pwd.getpwnam(SYSTEM_USER)
            os.chown(top, account.pw_uid, account.pw_gid)
        init = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        init += ["--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"]
        _run(init, as_other_user, top, timeout)
        server = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port)]
        server += ["-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={top}"]
        server += ["-c", "fsync=on", "-c", "max_connections=20"]
        if as_other_user:
            server = ["runuser", "-u", SYSTEM_USER, "--", *server]
        # A child of ours (not daemonized by pg_ctl), so that we reap it when it stops.
        with log.open("w") as log_file:
            process = subprocess.Popen(
                server, cwd=top, stdout=log_file, stderr=log_file, start_new_session=True
            )
        ready = [str(bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
        deadline = time.monotonic() + timeout
        while subprocess.run(ready, timeout=timeout, check=False).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start on port {port}:\n{log.read_text()}")
            time.sleep(0.05)
        yield PostgresServer("127.0.0.1", port, "postgres", "postgres", data)
    finally:
        try:
            if process is not None and process.poll() is None:
                stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
                _run(stop, as_other_user, top, timeout)
        finally:
            if process is not None:
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:  # last resort: the whole process group
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            shutil.rmtree(top, ignore_errors=True)


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":  # a server to try the examples by hand; Ctrl-C stops it
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    with running_postgres() as server:
        # A URI, the ready line a page's console-background waits for (tests/support/console.py).
        uri = f"postgresql://{server.user}@{server.host}:{server.port}/{server.dbname}"
        print(f"PostgreSQL ready: {uri}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
