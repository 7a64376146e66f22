"""Asynchronous backend processing: 202 Accepted now, the work later, the status by polling.

``POST /jobs`` does not do the job: it records it, queues it for a worker thread and
answers at once with ``202 Accepted`` and a body that points to a status monitor,
``/jobs/<id>`` (RFC 9110 §15.3.3). The client then polls it and sees the status change:
queued, running, done. The worker takes ``WORK`` seconds per job; the client polls
every ``POLL`` seconds.

Run it: ``python backend_jobs.py``. Its page shows what it prints. A job nobody
submitted is not found:

>>> with Jobs() as server:
...     request(server.server_port, "GET", "/jobs/7")[0]
404
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

# --8<-- [start:timing]
WORK = 0.2  # seconds the worker spends on one job
POLL = 0.02  # seconds between two status requests
# --8<-- [end:timing]
TIMEOUT = 5.0  # seconds; no request or wait here lasts longer


class Jobs(ThreadingHTTPServer):
    """The server keeps the jobs, a queue of ids, and one worker thread."""

    daemon_threads = False  # server_close() joins the request threads

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), JobHandler)
        self.jobs: dict[int, dict[str, object]] = {}
        self.lock = threading.Lock()
        self.todo: queue.Queue[int | None] = queue.Queue()
        self.finished: dict[int, float] = {}  # job id: when the worker finished it (monotonic)
        self.worker = threading.Thread(target=self.work)
        self.serving = threading.Thread(target=self.serve_forever, args=(0.05,))

    # --8<-- [start:worker]
    def work(self) -> None:
        """The worker: take a job id, mark it running, do the job, mark it done."""
        while (job_id := self.todo.get()) is not None:
            with self.lock:
                self.jobs[job_id]["status"] = "running"
            time.sleep(WORK)  # the slow part: a report, a transcode, a payment...
            with self.lock:
                self.jobs[job_id].update(status="done", result=f"report for {job_id}")
                self.finished[job_id] = time.monotonic()
                # --8<-- [end:worker]

    def __enter__(self) -> Jobs:
        self.worker.start()
        self.serving.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.shutdown()
        self.serving.join(TIMEOUT)
        self.todo.put(None)  # tell the worker to stop
        self.worker.join(TIMEOUT)
        self.server_close()


# --8<-- [start:handler]
class JobHandler(BaseHTTPRequestHandler):
    server: Jobs

    def do_POST(self) -> None:  # accept the job, do not do it
        with self.server.lock:
            job_id = len(self.server.jobs) + 1
            self.server.jobs[job_id] = {"id": job_id, "status": "queued"}
            monitor = f"/jobs/{job_id}"  # where to ask: in the body, as RFC 9110 says for 202
            body = json.dumps({**self.server.jobs[job_id], "monitor": monitor}).encode()
        self.server.todo.put(job_id)
        self.reply(202, body, {"Location": monitor})  # a common convention besides

    def do_GET(self) -> None:  # report the job's status
        job_id = int(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/jobs/") else 0
        with self.server.lock:
            job = self.server.jobs.get(job_id)
            body = json.dumps(job).encode() if job else b'{"error": "no such job"}'
        self.reply(200 if job else 404, body)
        # --8<-- [end:handler]

    def reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def request(port: int, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# --8<-- [start:client]
def submit_and_poll(port: int) -> tuple[int, bytes, float, list[str], bytes]:
    """POST a job, then poll its status monitor until it is done; note every status seen."""
    start = time.monotonic()
    status, _, body = request(port, "POST", "/jobs")
    answered_at = time.monotonic()
    monitor, seen = json.loads(body)["monitor"], [json.loads(body)["status"]]
    while seen[-1] != "done" and time.monotonic() - start < TIMEOUT:
        time.sleep(POLL)  # polling: the client asks again and again
        _, _, latest = request(port, "GET", monitor)
        if (now := json.loads(latest)["status"]) != seen[-1]:
            seen.append(now)
    return status, body, answered_at, seen, latest
    # --8<-- [end:client]


def demo(say: Callable[[str], None] = print) -> None:
    """Submit one job and print what the client sees."""
    with Jobs() as server:
        status, body, answered_at, seen, final = submit_and_poll(server.server_port)
        finished_at = server.finished[1]
    say(f"POST /jobs -> {status} Accepted, body: {body.decode()}")
    say(f"the client had its answer before the job finished: {answered_at < finished_at}")
    say(f"client polled GET {json.loads(body)['monitor']} and saw: {' -> '.join(seen)}")
    say(f"result: {final.decode()}")


if __name__ == "__main__":
    demo()
