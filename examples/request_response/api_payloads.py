"""REST, SOAP and GraphQL: three API styles, each one request and one response.

One tiny HTTP server answers the same question ("which book has id 1?") in three
styles: a REST resource as JSON, a SOAP 1.2 envelope, and a GraphQL query. The method,
the URL, the media type and the body differ, and so does the answer for a missing book.

Run it: ``python api_payloads.py`` (all three), or name the styles:
``python api_payloads.py rest graphql``. Its page shows what it prints.

>>> graphql("/graphql", b'{"query": "{ book(id: 1) { author } }"}')
(200, 'application/json', b'{"data": {"book": {"author": "Frank Herbert"}}}')
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.sax.saxutils import escape

TIMEOUT = 5.0  # seconds, for every request
BOOKS = {1: {"id": 1, "title": "Dune", "author": "Frank Herbert"}}
SOAP_NS = "http://www.w3.org/2003/05/soap-envelope"  # SOAP 1.2
ENVELOPE = (
    f'<soap:Envelope xmlns:soap="{SOAP_NS}">\n  <soap:Body>\n{{}}\n  </soap:Body>\n</soap:Envelope>'
)
FAULT = (  # SOAP 1.2 Part 1 §5.4: a Code and a Reason; Sender: the request is at fault
    "    <soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason>"
    '<soap:Text xml:lang="en">no such book</soap:Text></soap:Reason></soap:Fault>'
)


# --8<-- [start:server]
def rest(path: str, _body: bytes) -> tuple[int, str, bytes]:
    book_id = path.removeprefix("/books/")  # the resource is in the URL
    book = BOOKS.get(int(book_id)) if book_id.isdecimal() else None
    if book is None:
        return 404, "application/json", b'{"error": "no such book"}'  # RFC 9110 §15.5.5
    return 200, "application/json", json.dumps(book).encode()


def soap(_path: str, body: bytes) -> tuple[int, str, bytes]:
    call = ET.fromstring(body).find(f"{{{SOAP_NS}}}Body/{{urn:example:books}}GetBook")
    if call is None:
        raise ValueError("not a GetBook call")
    if (book := BOOKS.get(int(call.findtext("{urn:example:books}id", "0")))) is None:
        return 400, "application/soap+xml", ENVELOPE.format(FAULT).encode()  # Part 2, Table 20
    result = "".join(f"<{key}>{escape(str(book[key]))}</{key}>" for key in ("title", "author"))
    reply = ENVELOPE.format(
        f'    <GetBookResponse xmlns="urn:example:books">\n      {result}\n    </GetBookResponse>'
    )
    return 200, "application/soap+xml", reply.encode()


def graphql(_path: str, body: bytes) -> tuple[int, str, bytes]:
    # A real server parses the whole GraphQL language; this one knows one query shape.
    query = json.loads(body)["query"]
    match = re.fullmatch(r"\{\s*book\(id:\s*(\d+)\)\s*\{([\w\s]+)\}\s*\}", query)
    if match is None:
        raise ValueError("unsupported query")
    book = BOOKS.get(int(match[1]))  # none: the field is null, and the request still succeeded
    fields = None if book is None else {field: book[field] for field in match[2].split()}
    return 200, "application/json", json.dumps({"data": {"book": fields}}).encode()


ROUTES = {("GET", "/books/"): rest, ("POST", "/soap"): soap, ("POST", "/graphql"): graphql}


class Handler(BaseHTTPRequestHandler):
    def answer(self) -> None:
        if "Transfer-Encoding" in self.headers:  # http.server cannot decode it: RFC 9112 §6.1
            return self.send_error(400, "Transfer-Encoding not supported")
        lengths = set(self.headers.get_all("Content-Length", ["0"]))
        length = lengths.pop() if len(lengths) == 1 else ""  # two that differ: §6.3 rule 5
        if self.headers.defects or not (length.isascii() and length.isdigit()):
            return self.send_error(400, "malformed header section")  # RFC 9112 §5.1, §6.3
        body = self.rfile.read(int(length))
        for (method, prefix), route in ROUTES.items():
            if self.command == method and self.path.startswith(prefix):
                try:
                    status, content_type, reply = route(self.path, body)
                except (KeyError, ValueError, ET.ParseError):  # a payload it cannot read
                    self.send_error(400)
                    return
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
                return
        self.send_error(404)

    do_GET = do_POST = answer

    def log_message(self, format: str, *args: object) -> None:  # keep the output quiet
        pass
        # --8<-- [end:server]


@contextmanager
def api_server() -> Iterator[tuple[str, int]]:
    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield str(host), int(port)
    finally:
        server.shutdown()
        thread.join(TIMEOUT)
        server.server_close()


# --8<-- [start:requests]
SOAP_CALL = ENVELOPE.format('    <GetBook xmlns="urn:example:books"><id>1</id></GetBook>')
REQUESTS = {
    "rest": ("REST: the URL names the resource, the method says what to do",
             "GET", "/books/1", None, b""),
    "soap": ("SOAP: an XML envelope whose body names the operation",
             "POST", "/soap", "application/soap+xml", SOAP_CALL.encode()),
    "graphql": ("GraphQL: one endpoint, the query picks the fields",
                "POST", "/graphql", "application/json",
                json.dumps({"query": "{ book(id: 1) { title } }"}).encode()),
}  # fmt: skip
# --8<-- [end:requests]


def lines(direction: str, body: bytes) -> str:
    return "\n".join(f"{direction} {line}".rstrip() for line in body.decode().splitlines())


def demo(
    styles: Sequence[str] = ("rest", "soap", "graphql"), say: Callable[[str], None] = print
) -> None:
    with api_server() as (host, port):
        for style in styles:
            title, method, path, content_type, body = REQUESTS[style]
            say(f"--- {title}")
            say(f"> {method} {path}" + (f"  ({content_type})" if content_type else ""))
            if body:
                say(lines(">", body))
            connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
            try:
                headers = {"Content-Type": content_type} if content_type else {}
                connection.request(method, path, body or None, headers)
                response = connection.getresponse()
                say(f"< {response.status} {response.getheader('Content-Type')}")
                say(lines("<", response.read()))
            finally:
                connection.close()


if __name__ == "__main__":
    chosen = sys.argv[1:] or list(REQUESTS)  # the styles named on the command line, or all
    if unknown := sorted(set(chosen) - set(REQUESTS)):
        sys.exit(f"unknown style {unknown[0]!r}: choose from {', '.join(REQUESTS)}")
    demo(chosen)
