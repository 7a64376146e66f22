"""curl against the example server: -v vs --trace, and the Python dump in curl's format."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from examples.request_response import curl_trace


@pytest.fixture(autouse=True)
def curl_installed() -> None:
    """The page's curl sessions need it too: a missing curl is a failure, not a skip."""
    assert shutil.which("curl"), "curl is needed: apt-get install curl (as .ci/run does)"


def curl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["curl", "--no-progress-meter", *args], cwd=cwd, capture_output=True, text=True, timeout=30
    )


def test_trace_after_verbose_wins_and_matches_our_dump(tmp_path: Path) -> None:
    with curl_trace.page_server() as url:
        result = curl("-v", "--trace", "out.txt", url, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.encode() == curl_trace.PAGE
    assert "--trace overrides an earlier trace/verbose option" in result.stderr
    assert "> GET / HTTP/1.1" not in result.stderr  # no verbose output
    trace = (tmp_path / "out.txt").read_text()
    body = re.search(r"<= Recv data, .*?(?=\n==|\Z)", trace, re.S)
    assert body is not None
    assert body.group(0).strip() == curl_trace.dump("<= Recv data", curl_trace.PAGE)


def test_verbose_after_trace_wins_and_writes_no_file(tmp_path: Path) -> None:
    with curl_trace.page_server() as url:
        result = curl("--trace", "out.txt", "-v", "-o", "/dev/null", url, cwd=tmp_path)
    assert result.returncode == 0
    assert "-v, --verbose overrides an earlier trace/verbose option" in result.stderr
    assert "> GET / HTTP/1.1" in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_python_trace_shows_both_directions() -> None:
    lines: list[str] = []
    with curl_trace.page_server() as url:
        assert curl_trace.fetch(url, lines.append) == 200
    text = "\n".join(lines)
    assert "=> Send, " in text and "GET / HTTP/1.1.." in text
    assert "<= Recv, " in text and "HTTP/1.1 200 OK." in text
