"""Backend jobs: 202 Accepted at once, the work later, the status by polling the monitor."""

from __future__ import annotations

import json

from examples.sync_vs_async import backend_jobs


def test_a_job_is_accepted_at_once_then_polled_to_done() -> None:
    with backend_jobs.Jobs() as server:
        port = server.server_port
        status, _body, answered_at, seen, final = backend_jobs.submit_and_poll(port)
        finished_at = server.finished[1]
        missing, _, _ = backend_jobs.request(port, "GET", "/jobs/99")
    assert status == 202
    assert answered_at < finished_at  # the answer came before the job was done
    assert seen == ["queued", "running", "done"]
    assert json.loads(final) == {"id": 1, "status": "done", "result": "report for 1"}
    assert missing == 404


def test_the_202_body_points_to_the_status_monitor_and_location_says_the_same() -> None:
    with backend_jobs.Jobs() as server:
        port = server.server_port
        first, headers, body = backend_jobs.request(port, "POST", "/jobs")
        second, _, again = backend_jobs.request(port, "POST", "/jobs")
        monitor = json.loads(again)["monitor"]
        polled, _, job = backend_jobs.request(port, "GET", monitor)
    assert (first, second) == (202, 202)
    assert json.loads(body)["monitor"] == headers["Location"] == "/jobs/1"  # RFC 9110 §15.3.3
    assert (monitor, polled, json.loads(job)["id"]) == ("/jobs/2", 200, 2)
