"""Serve tus uploads: ``python -m examples.request_response.resumable_upload``.

With ``--port 0`` the system picks a free port; the first line on stdout names the real
one, as ``http://127.0.0.1:<port>/files/``, once the server accepts connections.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from .server import TusServer


def main() -> None:
    parser = argparse.ArgumentParser(description="a tus 1.0.0 upload server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (the default) picks a free port")
    parser.add_argument("--dir", type=Path, default=Path("uploads"), help="where uploads live")
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with TusServer(args.dir, args.host, args.port) as server:
        print(f"tus server listening on {server.url} (storing in {args.dir})", flush=True)
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
