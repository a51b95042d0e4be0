"""Does the grading service (`python -m autograder serve`, autograder/serve.py) grade each
submission handed in with `nbgrader submit` once, and does the student's `nbgrader
fetch_feedback` then show the score and what lost points, without the hidden tests? Across a
kill -9, within the rate limit, paused, regraded; one service per course.

Every piece is the real one: the nbgrader CLI for students and instructor, the service as a
process, the gradebook on PostgreSQL (tests/conftest.py's server) or SQLite.
"""

import html
import re
import shutil
import signal

import nbformat
import pytest
import sqlalchemy as sa
from classroom import (
    CHAPTER,
    Student,
    answers,
    autograder,
    released_course,
    serve_once,
    start_service,
    stop,
    wait_for,
)
from coursedir import SOURCE, grade_cells, notebooks, require_sandbox
from nbgrader.api import Gradebook

from autograder import queue

require_sandbox()

#: Fails describe's visible check and center_crop's hidden one (tests/test_teachingfeedback.py).
TWO_MISTAKES = (("describe", "len_as_numel"), ("center_crop", "height_width_swapped"))
VISIBLE_MESSAGE = "describe(torch.zeros(2, 3)): expected {'shape': (2, 3), 'ndim': 2, "


def text_of(page: str) -> str:
    """The HTML's text as a reader sees it."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", page)))


def hidden_lines() -> set[str]:
    """Lines of chapter 01's hidden tests."""
    found = set()
    for cell in grade_cells(nbformat.read(notebooks(CHAPTER, SOURCE)[0], 4)):
        inside = False
        for line in cell.source.split("\n"):
            inside = inside or "BEGIN HIDDEN TESTS" in line
            if inside and "HIDDEN TESTS" not in line and len(line.strip()) > 12:
                found.add(line.strip())
            inside = inside and "END HIDDEN TESTS" not in line
    return found


def jobs_of(root, student: str, db_url: str | None = None) -> list[queue.Job]:
    engine = sa.create_engine(db_url or f"sqlite:///{root / 'gradebook.db'}")
    try:
        return [job for job in queue.jobs(engine) if job.student == student]
    finally:
        engine.dispose()


def submissions_in_gradebook(db_url: str, student: str) -> int:
    with Gradebook(db_url, "pytorch-hands-on") as gb:
        return sum(1 for s in gb.assignment_submissions(CHAPTER) if s.student.id == student)


@pytest.fixture(scope="module")
def pg_course(tmp_path_factory, postgres):
    base = tmp_path_factory.mktemp("serve-pg")
    url = postgres.create_database("serve_course")
    return released_course(base / "course", url), url, base


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A SQLite course shared by the tests below, one student each (they are independent)."""
    base = tmp_path_factory.mktemp("serve")
    root = released_course(base / "course")
    return root, f"sqlite:///{root / 'gradebook.db'}", base


def student(course, name: str) -> Student:
    root, _, base = course
    return Student(name, base / name, root / "exchange")


def test_feedback_shows_the_score_and_what_lost_points_on_postgresql(pg_course):
    """Two students hand in while the service runs; each fetches feedback with the score the
    gradebook holds, the failing exercises marked, no hidden test; a second service is
    refused; SIGTERM stops the service cleanly."""
    root, url, base = pg_course
    alice, bob = student(pg_course, "alice"), student(pg_course, "bob")
    log = base / "service.log"
    service = start_service(root, log)
    try:
        second = autograder(root, "serve", "--once")
        assert second.returncode == 3, second.stdout + second.stderr
        assert "another grading service is running" in second.stderr
        alice.submit(answers(*TWO_MISTAKES))
        bob.submit(answers())
        wait_for(lambda: [j.state for j in jobs_of(root, "alice", url) + jobs_of(root, "bob", url)]
                 == ["done", "done"], 240, "both jobs done", step=0.2)
    finally:
        status = stop(service)
    output = log.read_text()
    assert status == 0 and "SIGTERM: stopping after the current job" in output, output
    assert "grading service stopped" in output
    hidden = hidden_lines()
    assert len(hidden) > 20
    for who, lost in ((alice, 2), (bob, 0)):
        with Gradebook(url, "pytorch-hands-on") as gb:
            graded = gb.find_submission(CHAPTER, who.name)
            score, max_score = graded.score, graded.max_score
            zero = sum(1 for nb in graded.notebooks for g in nb.grades if g.score == 0)
        assert zero == lost, f"{who.name}: {zero} exercises scored 0"
        (page,) = who.fetch_feedback().values()
        text = text_of(page)
        assert f"{CHAPTER} (Score: {score:.1f} / {max_score:.1f})" in text, text[:300]
        assert text.count("Test cell (Score: 0.0 /") == lost
        assert (VISIBLE_MESSAGE in text) == (who is alice)
        leaked = sorted(line for line in hidden if line in text)
        assert not leaked, f"hidden test code in {who.name}'s feedback: {leaked}"
        (job,) = jobs_of(root, who.name, url)
        assert (job.score, job.max_score, job.attempts) == (score, max_score, 1)
        assert submissions_in_gradebook(url, who.name) == 1


def stopped_mid_grade(course, name: str, sig):
    """`name` hands in; a service starts and gets `sig` while grading it: (student, status)."""
    root, _, base = course
    who = student(course, name)
    who.submit(answers())
    service = start_service(root, base / f"{name}.log")
    try:
        wait_for(lambda: [j.state for j in jobs_of(root, name)] == ["running"], 120,
                 f"{name}'s job running")
    finally:
        status = stop(service, sig)
    return who, status


def test_kill_9_mid_grade_then_restart_grades_it_once(course):
    root, url, _ = course
    carol, _ = stopped_mid_grade(course, "carol", signal.SIGKILL)
    (job,) = jobs_of(root, "carol")
    assert (job.state, job.attempts) == ("running", 1)
    output = serve_once(root)
    assert "1 job(s) queued again" in output, output
    (job,) = jobs_of(root, "carol")
    assert (job.state, job.attempts, job.score) == ("done", 2, job.max_score), output
    assert submissions_in_gradebook(url, "carol") == 1
    again = serve_once(root)
    assert "Grading" not in again and "queued again" not in again, again
    assert jobs_of(root, "carol") == [job]
    (page,) = carol.fetch_feedback().values()
    assert f"(Score: {job.score:.1f} / {job.max_score:.1f})" in text_of(page)


def test_sigterm_mid_grade_finishes_the_job_then_stops(course):
    root, _, base = course
    _, status = stopped_mid_grade(course, "ivan", signal.SIGTERM)
    assert status == 0, (base / "ivan.log").read_text()
    (job,) = jobs_of(root, "ivan")
    assert (job.state, job.attempts) == ("done", 1)


def test_one_service_per_course(course):
    """While a service runs, a second one and `grade` (both would stage in .grading/) are
    refused with the reason; once it stopped, the lock is free."""
    root, _, base = course
    service = start_service(root, base / "lock.log")
    try:
        second = autograder(root, "serve", "--once")
        assert second.returncode == 3, second.stdout + second.stderr
        assert f"pid {service.pid} holds" in second.stderr
        grade = autograder(root, "grade", CHAPTER, "--jobs", "1")
        assert grade.returncode == 3 and "regrade" in grade.stderr, grade.stdout + grade.stderr
    finally:
        assert stop(service) == 0
    assert "grading service stopped" in serve_once(root)


def test_past_the_rate_limit_the_student_is_told_when(course):
    root, _, _ = course
    dave = student(course, "dave")
    dave.submit(answers(("describe", "len_as_numel")))
    serve_once(root, "--max-per-hour", "1")
    second = dave.submit(answers())
    serve_once(root, "--max-per-hour", "1")
    first, waiting = jobs_of(root, "dave")
    assert first.state == "done" and waiting.state == "queued"
    assert waiting.not_before == first.started + queue.HOUR
    told = text_of(dave.fetch_feedback()[second])
    assert "Queued" in told and f"graded at {waiting.not_before:%Y-%m-%d %H:%M} UTC" in told
    third = dave.submit(answers())
    serve_once(root, "--max-per-hour", "1")
    _, superseded, newest = jobs_of(root, "dave")
    assert (superseded.id, superseded.state) == (waiting.id, "superseded")
    assert (newest.state, newest.not_before) == ("queued", waiting.not_before)
    pages = dave.fetch_feedback()
    assert "Superseded" in text_of(pages[second]) and "is the one graded" in text_of(pages[second])
    assert "Queued" in text_of(pages[third])


def test_paused_queue_grades_nothing_until_resumed(course):
    root, _, _ = course
    erin = student(course, "erin")
    assert "grading paused" in autograder(root, "queue", "pause").stdout
    try:
        erin.submit(answers())
        output = serve_once(root)
        assert "Grading" not in output, output
        assert [j.state for j in jobs_of(root, "erin")] == ["queued"]
        listing = autograder(root, "queue").stdout
        assert "PAUSED" in listing and "erin" in listing
    finally:
        autograder(root, "queue", "resume")
    serve_once(root)
    assert [j.state for j in jobs_of(root, "erin")] == ["done"]


def test_regrade_grades_the_collected_submission_again(course):
    root, url, _ = course
    frank = student(course, "frank")
    frank.submit(answers(("describe", "len_as_numel")))
    serve_once(root)
    queued = autograder(root, "regrade", CHAPTER, "--student", "frank")
    assert queued.returncode == 0 and "regrade frank" in queued.stdout, queued.stderr
    assert "already queued" in autograder(root, "regrade", CHAPTER, "--student", "frank").stdout
    missing = autograder(root, "regrade", CHAPTER, "--student", "nobody")
    assert missing.returncode == 1 and "no submission" in missing.stderr
    serve_once(root)
    graded, regraded = jobs_of(root, "frank")
    assert (graded.kind, regraded.kind) == ("submission", "regrade")
    assert regraded.state == "done" and regraded.score == graded.score < graded.max_score
    assert regraded.started > graded.finished
    assert submissions_in_gradebook(url, "frank") == 1


def test_a_submission_that_cannot_be_graded_fails_alone(course):
    """Its folder vanished from the exchange before grading: failed with the reason, and the
    next student is graded."""
    root, _, _ = course
    grace, heidi = student(course, "grace"), student(course, "heidi")
    autograder(root, "queue", "pause")
    try:
        grace.submit(answers())
        heidi.submit(answers())
        serve_once(root)
    finally:
        autograder(root, "queue", "resume")
    (job,) = jobs_of(root, "grace")
    shutil.rmtree(root / "exchange" / "pytorch-hands-on" / "inbound" / job.inbound_folder)
    serve_once(root)
    (failed,) = jobs_of(root, "grace")
    assert failed.state == "failed" and "is gone from the exchange" in failed.error
    assert [j.state for j in jobs_of(root, "heidi")] == ["done"]


def test_rate_limit_comes_from_the_command_line_else_nbgrader_config():
    from traitlets.config import Config

    from autograder.serve import max_per_hour_from

    config = Config()
    assert max_per_hour_from(config, None) is None
    config.GradingService.max_per_hour = 3
    assert max_per_hour_from(config, None) == 3
    assert max_per_hour_from(config, 5) == 5
    assert max_per_hour_from(config, 0) is None  # --max-per-hour 0: no limit
