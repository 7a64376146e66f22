"""XML-RPC: the call by hand and through a proxy reach the same function."""

from __future__ import annotations

import xmlrpc.client

from examples.request_response import rpc_call


def test_by_hand_and_proxy_agree() -> None:
    lines: list[str] = []
    with rpc_call.rpc_server() as (host, port):
        assert rpc_call.call_by_hand(host, port, lines.append) == 5
        proxy = xmlrpc.client.ServerProxy(f"http://{host}:{port}/RPC2", rpc_call.Transport())
        with proxy:
            assert proxy.add(40, 2) == 42
    wire = "\n".join(lines)
    assert "> <methodName>add</methodName>" in wire
    assert "< <value><int>5</int></value>" in wire


def test_request_body_is_the_xml_rpc_method_call() -> None:
    body = xmlrpc.client.dumps((2, 3), methodname="add")
    assert xmlrpc.client.loads(body) == ((2, 3), "add")
