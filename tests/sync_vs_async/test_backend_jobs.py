"""Backend jobs: 202 Accepted at once, the work later, the status by polling."""

from __future__ import annotations

from examples.sync_vs_async import backend_jobs


def test_a_job_is_accepted_at_once_then_polled_to_done() -> None:
    with backend_jobs.Jobs() as server:
        port = server.server_port
        status, location, _body, answered_in, seen, final = backend_jobs.submit_and_poll(port)
        missing, _, _ = backend_jobs.request(port, "GET", "/jobs/99")
        second, headers, _ = backend_jobs.request(port, "POST", "/jobs")
    assert (status, location) == (202, "/jobs/1")
    assert answered_in * 2 < backend_jobs.WORK
    assert seen == ["queued", "running", "done"]
    assert b'"done"' in final
    assert missing == 404
    assert (second, headers["Location"]) == (202, "/jobs/2")
