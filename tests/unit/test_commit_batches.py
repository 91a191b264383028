"""Commits made at the same moment are projected together, each exactly once, and nobody's
answer leaves before its own commit was projected (queueapp.commit_batches)."""
from __future__ import annotations

import threading

import gevent
import gevent.event
import pytest

from queueapp.commit_batches import CommitBatches


class Recorder:
    """A projector that remembers its batches; `during` runs inside each batch (a
    broadcast yields while it writes to the screens' sockets)."""

    def __init__(self, during=lambda: None):
        self.batches: list[list] = []
        self.during = during
        self.running = 0
        self.overlapped = False

    def __call__(self, commits: list) -> None:
        self.running += 1
        self.overlapped |= self.running > 1
        self.batches.append([c[0] for c in commits])
        self.during()
        self.running -= 1

    def projected(self) -> list:
        return [commit for batch in self.batches for commit in batch]


def test_one_commit_at_a_time_is_projected_alone_and_at_once():
    recorder = Recorder()
    batches = CommitBatches(recorder, threading.Event, lambda: None)
    for n in range(3):
        batches.submit([n])
        assert recorder.projected() == list(range(n + 1))   # before submit returned
    assert recorder.batches == [[0], [1], [2]]


def test_greenlets_ready_together_share_one_projection_and_each_returns_after_its_own():
    recorder = Recorder(during=lambda: gevent.sleep(0))
    batches = CommitBatches(recorder, gevent.event.Event, lambda: gevent.sleep(0))
    returned_after_projection = []

    def request(n):
        batches.submit([n])
        returned_after_projection.append(n in recorder.projected())

    gevent.joinall([gevent.spawn(request, n) for n in range(50)], raise_error=True)
    assert sorted(recorder.projected()) == list(range(50))           # each exactly once
    assert all(returned_after_projection) and len(returned_after_projection) == 50
    assert len(recorder.batches) < 50 and max(len(b) for b in recorder.batches) > 1
    assert recorder.batches[0] == list(range(50))[:len(recorder.batches[0])]   # in the order they came
    assert not recorder.overlapped                                   # one batch at a time


def test_commits_arriving_during_a_projection_go_in_the_next_batch_led_by_one_of_them():
    started, release = gevent.event.Event(), gevent.event.Event()
    leaders = []

    def during():
        leaders.append(gevent.getcurrent())
        if len(leaders) == 1:
            started.set()
            release.wait()

    recorder = Recorder(during=during)
    batches = CommitBatches(recorder, gevent.event.Event, lambda: gevent.sleep(0))
    first = gevent.spawn(batches.submit, ["first"])
    started.wait()
    later = [gevent.spawn(batches.submit, [n]) for n in range(5)]
    gevent.sleep(0)
    release.set()
    gevent.joinall([first, *later], raise_error=True)
    assert recorder.batches == [["first"], [0, 1, 2, 3, 4]]
    assert leaders[1] is later[0]      # the first commit of the next batch projected it


def test_a_failing_projection_still_wakes_every_waiter_and_the_next_batch_runs():
    calls = []

    def run(commits):
        calls.append([c[0] for c in commits])
        gevent.sleep(0)
        if len(calls) == 1:
            raise RuntimeError("broadcast failed")

    batches = CommitBatches(run, gevent.event.Event, lambda: gevent.sleep(0))
    jobs = [gevent.spawn(batches.submit, [n]) for n in range(4)]
    gevent.joinall(jobs)
    assert isinstance(jobs[0].exception, RuntimeError)   # the leader's own request sees it
    assert all(job.dead for job in jobs)
    batches.submit(["after"])
    assert calls[-1] == ["after"]


def test_threads_submitting_together_are_each_projected_once():
    recorder = Recorder()
    lock = threading.Lock()

    def run(commits):
        with lock:
            recorder(commits)

    batches = CommitBatches(run, threading.Event, lambda: None)
    threads = [threading.Thread(target=batches.submit, args=([n],)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(recorder.projected()) == list(range(40))


@pytest.mark.parametrize("n", [1, 3])
def test_a_waiter_whose_leader_never_finishes_projects_its_own_batch(n, monkeypatch):
    stuck = gevent.event.Event()
    runs = []

    def run(commits):
        runs.append([c[0] for c in commits])
        if len(runs) == 1:
            stuck.wait()       # a leader that never comes back

    batches = CommitBatches(run, gevent.event.Event, lambda: gevent.sleep(0))
    monkeypatch.setattr(batches, "WAIT", 0.05)
    leader = gevent.spawn(batches.submit, ["stuck"])
    gevent.sleep(0.01)
    waiting = [gevent.spawn(batches.submit, [k]) for k in range(n)]
    gevent.joinall(waiting, timeout=5, raise_error=True)
    assert sorted(c for r in runs[1:] for c in r) == list(range(n))
    leader.kill()
