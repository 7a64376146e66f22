"""The scenarios: what a read on the standby sees after each kind of commit, and its cost.

The stories hold a record on the wire, pause the standby's replay, or cut the standby
off, so that what a bad day would show happens on every run; then each mode is timed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from .model import CANCEL_AFTER, Mode, replicated

COMMITS = 5  # commits timed in each mode


# --8<-- [start:stories]
def stories(say: Callable[[str], None]) -> None:
    with replicated() as (primary, standby):
        say(f"start: primary and standby both have balance = {standby.data['balance']}")
        standby.link.clear()  # the record takes its time on the way
        primary.commit("balance", 150, "local")
        seen = standby.data["balance"]  # a read on the standby right after the commit
        say(f"local (async ack): committed; standby reads {seen} (stale: {seen != 150})")
        standby.lost = True  # the primary dies with the record still on the way
        standby.link.set()
        kept = standby.data["balance"]
        say(f"  then the primary dies: the promoted standby has {kept} (lost: {kept != 150})")
    with replicated() as (primary, standby):
        standby.replaying.clear()  # replay lags behind the flush
        primary.commit("balance", 150, "on")
        flushed, seen = standby.log[-1].value == 150, standby.data["balance"]
        say(
            f"on (flush ack), replay behind: committed; in the standby's log: {flushed}; "
            f"standby reads {seen} (stale: {seen != 150})"
        )
        standby.replaying.set()
        primary.commit("balance", 200, "remote_apply")
        seen = standby.data["balance"]
        say(f"remote_apply (apply ack): committed; standby reads {seen} (stale: {seen != 200})")
    with replicated() as (primary, standby):
        standby.lost = True  # the standby is unreachable: no ack will come
        warning = primary.commit("balance", 150, "on", cancel_after=CANCEL_AFTER)
        say(f"on, standby unreachable, the client cancels: WARNING: {warning}")
        say(
            f"  primary reads {primary.data['balance']}, standby reads "
            f"{standby.data['balance']}: committed, not replicated"
        )
        # --8<-- [end:stories]


def commit_times(mode: Mode, commits: int = COMMITS) -> list[float]:
    """Seconds each of `commits` commits took to return, waiting as `mode` says."""
    with replicated() as (primary, _):
        times = []
        for value in range(commits):
            start = time.perf_counter()
            primary.commit("balance", value, mode)
            times.append(time.perf_counter() - start)
    return times


def demo(say: Callable[[str], None] = print) -> None:
    """Tell the stories, then time the three modes."""
    stories(say)
    ms = {
        mode: 1000 * statistics.median(commit_times(mode))
        for mode in ("local", "on", "remote_apply")
    }
    say(f"median of {COMMITS} commits: " + ", ".join(f"{mode} {ms[mode]:.1f} ms" for mode in ms))
    slower = min(ms["on"], ms["remote_apply"]) >= 10 * ms["local"]
    say(f"on and remote_apply at least 10x slower than local (a round trip each): {slower}")
