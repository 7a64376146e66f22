"""Replication: a local ack can be stale or lost, a flush ack can still be stale, only an
apply ack is visible on the standby, and a cancelled wait leaves a commit not replicated."""

from __future__ import annotations

import statistics
import time

from examples.sync_vs_async import replication as rep
from examples.sync_vs_async.replication import scenarios


def test_a_local_commit_answers_before_the_standby_has_it_and_dies_with_the_primary() -> None:
    with rep.replicated() as (primary, standby):
        standby.link.clear()  # the record is still on its way
        assert primary.commit("balance", 150, "local") is None
        assert (primary.data["balance"], standby.data["balance"]) == (150, 100)
        assert [record.value for record in standby.log] == [100]  # not even flushed there
        standby.lost = True  # the primary dies
        standby.link.set()
    assert standby.data["balance"] == 100  # the acknowledged commit is lost


def test_a_flush_ack_answers_before_the_standby_applied_the_commit() -> None:
    with rep.replicated() as (primary, standby):
        standby.replaying.clear()  # replay lags behind the flush
        assert primary.commit("balance", 150, "on") is None
        assert standby.log[-1].value == 150  # flushed on the standby: it survives the primary
        assert standby.data["balance"] == 100  # but a read there is stale


def test_an_apply_ack_waits_for_the_replay_and_then_the_standby_reads_it() -> None:
    with rep.replicated() as (primary, standby):
        standby.replaying.clear()
        warning = primary.commit("balance", 150, "remote_apply", cancel_after=rep.CANCEL_AFTER)
        assert warning is not None  # it did wait for the apply, which did not come
        standby.replaying.set()
        assert primary.commit("balance", 200, "remote_apply") is None
        assert standby.data["balance"] == 200  # returned only once visible on the standby


def test_a_cancelled_wait_leaves_a_commit_that_is_not_replicated() -> None:
    with rep.replicated() as (primary, standby):
        standby.lost = True  # the standby is unreachable
        start = time.perf_counter()
        warning = primary.commit("balance", 150, "on", cancel_after=rep.CANCEL_AFTER)
        waited = time.perf_counter() - start
        assert warning == "canceling wait for synchronous replication due to user request"
        assert waited >= rep.CANCEL_AFTER
        assert primary.log[-1].value == 150  # committed in the primary's own log first
        assert primary.data["balance"] == 150  # and visible there once the wait ended
        assert (standby.log[-1].value, standby.data["balance"]) == (100, 100)


def test_a_synchronous_commit_pays_a_round_trip_and_a_local_one_does_not() -> None:
    local, on, apply = (
        statistics.median(scenarios.commit_times(mode)) for mode in ("local", "on", "remote_apply")
    )
    assert min(on, apply) >= 2 * rep.LATENCY
    assert min(on, apply) >= 10 * local


def test_the_stories_tell_stale_lost_stale_fresh_and_not_replicated() -> None:
    lines: list[str] = []
    rep.stories(lines.append)
    assert "(stale: True)" in lines[1]
    assert "(lost: True)" in lines[2]
    assert "in the standby's log: True" in lines[3] and "(stale: True)" in lines[3]
    assert "(stale: False)" in lines[4]
    assert lines[5].endswith(
        "WARNING: canceling wait for synchronous replication due to user request"
    )
    assert lines[6] == "  primary reads 150, standby reads 100: committed, not replicated"
