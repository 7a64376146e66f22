"""Completion (io_uring's model): the caller reaps completions, in completion order, and
finds the data already in its own buffers."""

from __future__ import annotations

import socket

import pytest

from examples.sync_vs_async import completion


def test_completions_are_reaped_in_completion_order() -> None:
    reaped, work = completion.submit_and_work({"X": 0.2, "Y": 0.1})
    # X is submitted first: a receiver that found both sockets ready at once would report
    # X first. Submissions taken before any answer, and X answering only once Y's
    # completion was reaped, are what make the order certain on a loaded machine.
    assert reaped == [("Y", b"Y"), ("X", b"X")]
    assert work > 0


def test_the_receiver_reads_into_the_callers_buffer_and_posts_a_completion() -> None:
    """Not "you may now read" (readiness) but "the read is done": the bytes are in the
    buffer the caller submitted, and the caller's end of the socket has nothing left."""
    buffer = bytearray(16)
    mine, theirs = socket.socketpair()
    with mine, theirs, completion.Receiver() as receiver:
        receiver.submit(mine, buffer, "tag")
        theirs.sendall(b"hello")
        done = receiver.completions.get(timeout=completion.TIMEOUT)
        assert done == completion.Completion(user_data="tag", res=5)
        assert bytes(buffer[: done.res]) == b"hello"
        mine.setblocking(False)
        with pytest.raises(BlockingIOError):  # nothing left for the caller to read itself
            mine.recv(16)
