"""Run the timing-sensitive part of the suite many times and count failures per test.

    python benchmarks/soak.py --runs 10               # quiet machine
    python benchmarks/soak.py --runs 5 --busy 2       # beside two busy loops
    python benchmarks/soak.py --runs 5 -- tests/site  # any pytest arguments after --

A flaky test shows up here as a failure count above 0. Each busy loop is a child process
spinning on one core for at most the soak's duration (bounded: it stops by itself, and is
stopped when the soak ends). Exit status 1 if any run failed.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Whatever asserts an order, a count or a ratio that timing produces.
TIMING_SENSITIVE = [
    "examples/sync_vs_async",
    "examples/request_response/polling.py",
    "docs/communication-patterns",
    "tests/sync_vs_async",
    "tests/request_response/test_polling.py",
    "tests/request_response/test_long_request.py",
    "tests/request_response/test_client_disconnect.py",
    "tests/request_response/test_retry_post.py",
    "tests/request_response/test_resumable_upload_benchmark.py",
]
BUSY_LIMIT = 3600.0  # seconds: a busy loop never outlives this, whatever happens


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def failures_in(report: Path) -> list[str]:
    """The ids of the failed or errored test cases in a JUnit XML report."""
    failed = []
    for case in ET.parse(report).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname')}::{case.get('name')}")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="pytest runs in a row")
    parser.add_argument("--busy", type=int, default=0, help="busy loops beside them")
    parser.add_argument("pytest_args", nargs="*", help="paths or options for pytest")
    args = parser.parse_args()
    targets = args.pytest_args or TIMING_SENSITIVE

    loops = [multiprocessing.Process(target=spin, args=(BUSY_LIMIT,)) for _ in range(args.busy)]
    for loop in loops:
        loop.start()
    counts: collections.Counter[str] = collections.Counter()
    failed_runs = 0
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as folder:
            for run in range(1, args.runs + 1):
                report = Path(folder) / f"run-{run}.xml"
                started = time.monotonic()
                result = subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-rfE", "--tb=line",
                     f"--junitxml={report}", *targets],
                    cwd=ROOT, capture_output=True, text=True, env=os.environ,
                )  # fmt: skip
                failed = failures_in(report) if report.exists() else ["(no report)"]
                if result.returncode != 0 and not failed:
                    failed = [f"(pytest exited {result.returncode})"]
                counts.update(failed)
                failed_runs += bool(failed)
                summary = result.stdout.strip().splitlines()[-1:] or ["?"]
                print(f"run {run}/{args.runs}: {summary[0]} "
                      f"({time.monotonic() - started:.0f} s)", flush=True)  # fmt: skip
                if failed:  # pytest's one-line reasons, so a flake can be read, not only counted
                    reasons = [line for line in result.stdout.splitlines() if line.startswith("E ")
                               or line.startswith(("FAILED", "ERROR", "/"))]  # fmt: skip
                    print("\n".join(f"    {line[:200]}" for line in reasons[:20]) or result.stderr)
    finally:
        for loop in loops:
            loop.terminate()
            loop.join()
    print(f"\n{args.runs} runs beside {args.busy} busy loops: {failed_runs} failed")
    for test, count in counts.most_common():
        print(f"  {count}/{args.runs}  {test}")
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
