"""One server, three payload styles; bad payloads get a 400, not a crash."""

from __future__ import annotations

import http.client
import json

import pytest

from examples.request_response import api_payloads as api


def post(path: str, content_type: str, body: bytes) -> tuple[int, bytes]:
    with api.api_server() as (host, port):
        connection = http.client.HTTPConnection(host, port, timeout=5)
        try:
            connection.request("POST", path, body, {"Content-Type": content_type})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def test_graphql_returns_only_the_fields_asked_for() -> None:
    query = json.dumps({"query": "{ book(id: 1) { author } }"}).encode()
    status, body = post("/graphql", "application/json", query)
    assert status == 200
    assert json.loads(body) == {"data": {"book": {"author": "Frank Herbert"}}}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/soap", b"<not-xml"),
        ("/soap", api.SOAP_CALL.replace("<id>1</id>", "<id>99</id>").encode()),
        ("/graphql", b'{"query": "{ everything }"}'),
        ("/graphql", b"not json"),
    ],
)
def test_bad_requests_get_400(path: str, body: bytes) -> None:
    status, _ = post(path, "application/json", body)
    assert status == 400


def test_each_style_is_one_request_one_response() -> None:
    for style in api.REQUESTS:
        lines: list[str] = []
        api.demo([style], lines.append)
        assert sum(line.startswith("< 200 ") for line in lines) == 1
