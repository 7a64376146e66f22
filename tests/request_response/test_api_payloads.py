"""One server, three payload styles; bad payloads get a 400, not a crash; a missing book is
a 404 in REST, a Sender fault in SOAP, and null in GraphQL."""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET

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
        ("/soap", api.SOAP_CALL.replace("<id>1</id>", "<id>one</id>").encode()),
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


def get(path: str) -> tuple[int, str, bytes]:
    with api.api_server() as (host, port):
        connection = http.client.HTTPConnection(host, port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, str(response.getheader("Content-Type")), response.read()
        finally:
            connection.close()


@pytest.mark.parametrize("path", ["/books/99", "/books/one", "/books/1/2", "/books/"])
def test_rest_answers_404_for_a_resource_that_does_not_exist(path: str) -> None:
    """The URL names the resource: none there is 404 Not Found (RFC 9110 §15.5.5)."""
    status, content_type, body = get(path)
    assert (status, content_type) == (404, "application/json")
    assert json.loads(body) == {"error": "no such book"}
    assert get("/books/1")[0] == 200


def test_soap_answers_a_missing_book_with_a_sender_fault_and_400() -> None:
    """SOAP 1.2 Part 2, Table 20: a Sender fault travels as 400 Bad Request."""
    call = api.SOAP_CALL.replace("<id>1</id>", "<id>99</id>").encode()
    status, body = post("/soap", "application/soap+xml", call)
    assert status == 400
    fault = ET.fromstring(body).find(f"{{{api.SOAP_NS}}}Body/{{{api.SOAP_NS}}}Fault")
    assert fault is not None
    code = fault.findtext(f"{{{api.SOAP_NS}}}Code/{{{api.SOAP_NS}}}Value")
    assert code == "soap:Sender"
    assert fault.findtext(f"{{{api.SOAP_NS}}}Reason/{{{api.SOAP_NS}}}Text") == "no such book"


def test_graphql_answers_a_missing_book_with_null_and_200() -> None:
    query = json.dumps({"query": "{ book(id: 99) { title } }"}).encode()
    status, body = post("/graphql", "application/json", query)
    assert (status, json.loads(body)) == (200, {"data": {"book": None}})
