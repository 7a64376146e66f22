"""SQL is request-response too: the PostgreSQL wire protocol (v3) by hand, on a raw socket.

``python -m examples.request_response.postgres_wire --port 5432 --user postgres`` runs
the conversation against a server that lets that user in with the ``trust`` method;
``--replay`` runs it on the bytes a PostgreSQL 15 server once sent (``recording.py``);
``--listen`` shows the messages a server sends unasked, on two sessions (``unasked.py``).
"""

from __future__ import annotations

import argparse
import socket
import sys

from .protocol import TIMEOUT, WireError, converse
from .recording import replay
from .unasked import listen_and_notify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--dbname", default=None, help="defaults to the user name")
    parser.add_argument("--replay", action="store_true", help="no server: replay a recording")
    parser.add_argument(
        "--listen", action="store_true", help="LISTEN on one session, NOTIFY on another"
    )
    args = parser.parse_args(argv)
    if args.replay:
        replay()
        return 0
    try:
        if args.listen:
            listen_and_notify(args.host, args.port, args.user, args.dbname or args.user)
            return 0
        with socket.create_connection((args.host, args.port), timeout=TIMEOUT) as sock:
            converse(sock, args.user, args.dbname or args.user)
    except OSError as error:
        print(f"no PostgreSQL server at {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    except WireError as error:
        print(f"PostgreSQL at {args.host}:{args.port} refused: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
