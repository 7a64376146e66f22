"""The console sessions of the pages: every page is collected, and a server started with
``<!-- console-background: CMD -->`` is ready, or fails the page saying why.

Each test writes a small page into a temporary folder and runs it through the same
Sybil parsers as the real pages (tests/support/console.py), example by example, as
pytest would, then tears the page down.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from sybil import Document
from sybil.example import SybilFailure

from tests.support import ROOT
from tests.support.console import READY_TIMEOUT, parse_background, parse_console, stop_page

# A server as the examples write them: it binds 127.0.0.1 on --port (0: a free one),
# says where it listens as its first line, then logs each request on stderr.
SERVER = """\
import argparse
import http.server


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from the background\\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--chatter", type=int, default=0, help="bytes to print once ready")
args = parser.parse_args()
with http.server.HTTPServer(("127.0.0.1", args.port), Hello) as server:
    print(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    print("x" * args.chatter, flush=True)
    server.serve_forever()
"""


def run_page(
    folder: Path, markdown: str, ready_timeout: float = READY_TIMEOUT
) -> tuple[list[str | None], dict[str, Any]]:
    """Each example's failure (None if it passed), and the page's namespace, torn down."""
    page = folder / "page.md"
    page.write_text(textwrap.dedent(markdown), encoding="utf-8")
    background = functools.partial(parse_background, ready_timeout=ready_timeout)
    document = Document.parse(str(page), background, parse_console)
    results: list[str | None] = []
    try:
        for example in document.examples():
            try:
                example.evaluate()
            except SybilFailure as failure:
                results.append(failure.result)
            else:
                results.append(None)
    finally:
        stop_page(document.namespace)
    return results, document.namespace


def server_command(folder: Path, *args: str) -> str:
    script = folder / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    return shlex.join(["python", str(script), *args])


def assert_all_stopped(namespace: dict[str, Any]) -> None:
    for server in namespace["_console_servers"]:
        assert server.process.poll() is not None
        assert not any(reader.is_alive() for reader in server._readers)
    assert not namespace["_console_dir"].exists()


def test_a_ready_server_is_port_in_the_later_commands(tmp_path: Path) -> None:
    # 1 MB printed after the ready line: more than a pipe holds, so it is read on.
    command = server_command(tmp_path, "--port", "0", "--chatter", "1000000")
    results, namespace = run_page(
        tmp_path,
        f"""
        <!-- console-background: {command} -->

        ```console
        $ curl -s --max-time 5 http://127.0.0.1:$PORT/
        hello from the background
        ```
        """,
    )
    assert results == [None, None]
    [server] = namespace["_console_servers"]
    assert f"http://127.0.0.1:{namespace['_console_env']['PORT']}/" in server.stdout[0]
    assert '"GET / HTTP/1.1" 200' in "".join(server.stderr)  # its log, read after the ready line
    assert_all_stopped(namespace)


def test_with_two_servers_on_a_page_the_latest_is_port(tmp_path: Path) -> None:
    # Servers in name only: what they print is all that makes them ready.
    says = "import time; print('at http://127.0.0.1:{}/'); time.sleep(30)"
    results, namespace = run_page(
        tmp_path,
        f"""
        <!-- console-background: python -c "{says.format(1111)}" -->

        ```console
        $ echo "PORT=$PORT"
        PORT=1111
        ```

        <!-- console-background: python -c "{says.format(2222)}" -->

        ```console
        $ echo "PORT=$PORT"
        PORT=2222
        ```
        """,
    )
    assert results == [None, None, None, None]
    assert_all_stopped(namespace)


def test_a_server_that_cannot_bind_fails_the_page_with_its_traceback(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        command = server_command(tmp_path, "--port", str(taken.getsockname()[1]))
        results, namespace = run_page(
            tmp_path,
            f"""
            <!-- console-background: {command} -->

            ```console
            $ echo "PORT=${{PORT-unset}}"
            PORT=unset
            ```
            """,
        )
    failure = results[0]
    assert failure is not None
    assert f"console-background: {command}\n" in failure
    assert "exited before printing its ready line; exit code 1" in failure
    assert "stdout:\n(nothing)" in failure
    assert "Traceback (most recent call last):" in failure
    assert "OSError: [Errno 98] Address already in use" in failure
    assert results[1] is None  # the page's later commands still run, without a $PORT
    assert_all_stopped(namespace)


def test_a_server_whose_first_line_is_not_its_address_fails_the_page(tmp_path: Path) -> None:
    results, namespace = run_page(
        tmp_path,
        """
        <!-- console-background: python -c "print('starting up'); raise SystemExit(3)" -->
        """,
    )
    [failure] = results
    assert failure is not None
    assert "printed 'starting up' first, not its address (http://127.0.0.1:<port>)" in failure
    assert "; exit code 3" in failure
    assert "stdout:\nstarting up\n" in failure
    assert_all_stopped(namespace)


def test_a_server_that_says_nothing_in_time_fails_the_page_and_is_stopped(
    tmp_path: Path,
) -> None:
    results, namespace = run_page(
        tmp_path,
        """
        <!-- console-background: python -c "import time; time.sleep(30)" -->
        """,
        ready_timeout=0.5,
    )
    [failure] = results
    assert failure is not None
    assert 'console-background: python -c "import time; time.sleep(30)"\n' in failure
    assert "printed no line within 0.5 s; still running, so stopped" in failure
    assert_all_stopped(namespace)


def test_every_page_is_collected() -> None:
    """Sybil's `**` spans one folder only: a page at a depth no pattern spells out would
    silently run nothing. Pytest says `not found` for a named file nothing collects."""
    pages = sorted(str(page.relative_to(ROOT)) for page in (ROOT / "docs").rglob("*.md"))
    assert any(page.count("/") == 4 for page in pages)  # docs/<section>/<topic>/<example>/<page>
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *pages],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert re.findall(r"ERROR: not found: (\S+)", output) == []
    assert result.returncode in (0, 5), output  # 5: the pages have no examples at all
