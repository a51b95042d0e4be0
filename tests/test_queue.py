"""Does the grading service's queue (autograder/queue.py) grade every submission once, in
order, within the rate limit, across a crash? On SQLite and on PostgreSQL (tests/conftest.py's
throw-away server), through the same functions the service calls."""

import datetime
import itertools
import os
import pathlib
import shutil
import sys

import pytest
import sqlalchemy as sa

from autograder import queue

T0 = datetime.datetime(2026, 12, 2, 12, 0, 0)
MINUTE = datetime.timedelta(minutes=1)
_names = itertools.count()


@pytest.fixture(scope="module")
def path_with_alembic():
    """nbgrader runs `alembic` by name when it makes a gradebook."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{pathlib.Path(sys.executable).parent}{os.pathsep}"
                             f"{os.environ['PATH']}")
        yield


@pytest.fixture(scope="module")
def blank(tmp_path_factory, path_with_alembic):
    """A gradebook with the queue in it, made once (nbgrader asks `alembic` for its schema
    version, a second each time), copied for every test: {kind: maker of a fresh copy}."""
    made = {}

    def sqlite(tmp_path):
        if "sqlite" not in made:
            made["sqlite"] = tmp_path_factory.mktemp("blank") / "gradebook.db"
            queue.connect(f"sqlite:///{made['sqlite']}", "course").dispose()
        shutil.copy(made["sqlite"], tmp_path / "gradebook.db")
        return f"sqlite:///{tmp_path / 'gradebook.db'}"

    def postgresql(server):
        if "postgresql" not in made:
            made["postgresql"] = "queue_blank"
            queue.connect(server.create_database("queue_blank"), "course").dispose()
        return server.create_database(f"queue{next(_names)}", template="queue_blank")

    return {"sqlite": sqlite, "postgresql": postgresql}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, blank):
    if request.param == "sqlite":
        url = blank["sqlite"](tmp_path)
    else:
        url = blank["postgresql"](request.getfixturevalue("postgres"))
    engine = queue.connect(url, "course")
    yield engine
    engine.dispose()


def submit(engine, student="alice", minute=0, assignment="01_tensors", **kw):
    """Queue a submission made ``minute`` minutes after T0 (found at that time)."""
    when = T0 + minute * MINUTE
    return queue.enqueue_submission(engine, student, assignment,
                                    f"{student}+{assignment}+{when}+x", f"{when} UTC",
                                    now=when, **kw)


def test_queue_lives_beside_a_gradebook_nbgrader_still_recognises(engine):
    """nbgrader stamps its schema version only in an empty database: it must come first."""
    tables = set(sa.inspect(engine).get_table_names())
    assert {"autograder_jobs", "autograder_settings", "alembic_version", "submitted_assignment"} \
        <= tables
    with engine.connect() as db:
        assert db.scalar(sa.text("SELECT version_num FROM alembic_version"))


def test_each_inbound_folder_is_queued_once(engine):
    job, superseded = submit(engine)
    assert (job.state, job.attempts, job.not_before, superseded) == ("queued", 0, T0, [])
    assert submit(engine) is None
    assert [j.id for j in queue.jobs(engine)] == [job.id]


def test_claim_runs_ready_jobs_and_finish_records_them(engine):
    job, _ = submit(engine)
    (claimed,) = queue.claim(engine, 8, now=T0)
    assert (claimed.id, claimed.state, claimed.attempts, claimed.started) == \
        (job.id, "running", 1, T0)
    assert queue.claim(engine, 8, now=T0) == []
    queue.finish(engine, job.id, queue.DONE, score=7.0, max_score=10.0, now=T0 + MINUTE)
    done = queue.get(engine, job.id)
    assert (done.state, done.score, done.max_score, done.finished) == \
        ("done", 7.0, 10.0, T0 + MINUTE)


def test_a_newer_submission_supersedes_a_queued_one(engine):
    old, _ = submit(engine, minute=0)
    new, superseded = submit(engine, minute=1)
    assert [j.id for j in superseded] == [old.id]
    assert queue.get(engine, old.id).state == "superseded"
    assert "superseded by the submission of" in queue.get(engine, old.id).error
    assert [j.id for j in queue.claim(engine, 8, now=T0 + MINUTE)] == [new.id]


def test_a_running_job_is_not_superseded(engine):
    first, _ = submit(engine, minute=0)
    queue.claim(engine, 8, now=T0)
    second, superseded = submit(engine, minute=1)
    assert superseded == [] and queue.get(engine, first.id).state == "running"
    assert second.state == "queued"


def test_past_the_hourly_limit_a_submission_waits(engine):
    for minute in (0, 10):
        job, _ = submit(engine, minute=minute, max_per_hour=2)
        assert job.not_before == T0 + minute * MINUTE
        queue.claim(engine, 8, now=T0 + minute * MINUTE)
        queue.finish(engine, job.id, queue.DONE, now=T0 + minute * MINUTE)
    third, _ = submit(engine, minute=20, max_per_hour=2)
    assert third.not_before == T0 + 60 * MINUTE  # an hour after the first grading
    other, _ = submit(engine, student="bob", minute=20, max_per_hour=2)
    assert other.not_before == T0 + 20 * MINUTE  # per student
    assert [j.student for j in queue.claim(engine, 8, now=T0 + 30 * MINUTE)] == ["bob"]
    assert [j.id for j in queue.claim(engine, 8, now=T0 + 60 * MINUTE)] == [third.id]


def test_regrades_do_not_count_against_the_limit(engine):
    job, _ = submit(engine, minute=0, max_per_hour=1)
    queue.claim(engine, 8, now=T0)
    queue.finish(engine, job.id, queue.DONE, now=T0)
    regrade = queue.enqueue_regrade(engine, "alice", "01_tensors", now=T0 + MINUTE)
    assert (regrade.kind, regrade.inbound_folder, regrade.not_before) == \
        ("regrade", None, T0 + MINUTE)
    assert queue.enqueue_regrade(engine, "alice", "01_tensors", now=T0 + MINUTE) is None
    queue.claim(engine, 8, now=T0 + MINUTE)
    later, _ = submit(engine, minute=2, max_per_hour=1)
    assert later.not_before == T0 + 60 * MINUTE


def test_recover_requeues_what_a_dead_service_left_running(engine):
    job, _ = submit(engine)
    queue.claim(engine, 8, now=T0)
    assert queue.recover(engine, now=T0) == (1, [])
    again = queue.get(engine, job.id)
    assert (again.state, again.attempts) == ("queued", 1)
    for _ in range(queue.MAX_ATTEMPTS - 2):
        queue.claim(engine, 8, now=T0)
        queue.recover(engine, now=T0)
    queue.claim(engine, 8, now=T0)
    requeued, failed = queue.recover(engine, now=T0)
    assert (requeued, [j.id for j in failed]) == (0, [job.id])
    gave_up = queue.get(engine, job.id)
    assert (gave_up.state, gave_up.attempts) == ("failed", queue.MAX_ATTEMPTS)
    assert "stopped while grading it" in gave_up.error


def test_a_batch_is_one_assignment_one_job_per_student(engine):
    a, _ = submit(engine, "alice", 0)
    b, _ = submit(engine, "bob", 1)
    submit(engine, "carol", 2, assignment="02_tensor_operations")
    assert [j.id for j in queue.claim(engine, 8, now=T0 + 5 * MINUTE)] == [a.id, b.id]
    assert [j.student for j in queue.claim(engine, 8, now=T0 + 5 * MINUTE)] == ["carol"]


def test_claim_takes_at_most_the_batch_size(engine):
    for minute, student in enumerate("abc"):
        submit(engine, student, minute)
    assert [j.student for j in queue.claim(engine, 2, now=T0 + 5 * MINUTE)] == ["a", "b"]


def test_pause_and_resume(engine):
    assert not queue.paused(engine)
    queue.set_paused(engine, True)
    assert queue.paused(engine)
    queue.set_paused(engine, False)
    assert not queue.paused(engine)
