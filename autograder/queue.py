"""The grading service's queue: one table (``autograder_jobs``) in the gradebook's database.

Every submission the service finds in the exchange becomes one row, keyed by its inbound folder
(UNIQUE: a folder is queued once, whatever happens), and goes through

    queued -> running -> done | failed          (or queued -> superseded)

``claim`` moves ready rows to *running* and counts the attempt; ``finish`` records the outcome.
Rows left *running* by a service that died are queued again by ``recover`` (the service
calls it at start, holding the course's lock, so no other service can be grading them), so
a crash loses nothing and a submission's grade is recorded once: nbgrader replaces a
submission's grades when it is graded again. A newer submission of the same student and
assignment supersedes a queued one (the newest is graded), and ``max_per_hour`` holds a
student's extra submissions back: each queued row has ``not_before``. Regrades
(``enqueue_regrade``) are rows without an inbound folder.

``autograder_settings`` holds the instructor's switches (``paused``). Both tables live in the
gradebook's database (SQLite by default, PostgreSQL when ``db_url`` says so), created next to
nbgrader's after its own (nbgrader stamps its schema version only in an empty database).
Times are naive UTC.
"""

import dataclasses
import datetime

import sqlalchemy as sa

QUEUED, RUNNING, DONE, FAILED, SUPERSEDED = "queued", "running", "done", "failed", "superseded"
SUBMISSION, REGRADE = "submission", "regrade"
MAX_ATTEMPTS = 3  # a job that was running when the service died this many times fails
HOUR = datetime.timedelta(hours=1)

metadata = sa.MetaData()
jobs_table = sa.Table(
    "autograder_jobs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("student", sa.String(128), nullable=False),
    sa.Column("assignment", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False, default=SUBMISSION),
    sa.Column("inbound_folder", sa.String(1024), unique=True),  # NULL for regrades
    sa.Column("timestamp", sa.String(64)),  # nbgrader's submission time, as in timestamp.txt
    sa.Column("state", sa.String(16), nullable=False, default=QUEUED),
    sa.Column("not_before", sa.DateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("error", sa.Text),
    sa.Column("score", sa.Float),
    sa.Column("max_score", sa.Float),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("started", sa.DateTime),
    sa.Column("finished", sa.DateTime),
    sa.Index("autograder_jobs_state", "state", "not_before"),
    sa.Index("autograder_jobs_student", "student", "assignment"),
)
settings_table = sa.Table(
    "autograder_settings", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)


@dataclasses.dataclass
class Job:
    """One row of ``autograder_jobs``."""

    id: int
    student: str
    assignment: str
    kind: str
    inbound_folder: str | None
    timestamp: str | None
    state: str
    not_before: datetime.datetime
    attempts: int
    error: str | None
    score: float | None
    max_score: float | None
    created: datetime.datetime
    started: datetime.datetime | None
    finished: datetime.datetime | None


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def connect(db_url: str, course_id: str) -> sa.Engine:
    """An engine on the gradebook's database with the queue's tables in it (made if missing),
    after nbgrader's own: a database nbgrader finds not empty is one it never stamps."""
    from nbgrader.api import Gradebook

    Gradebook(db_url, course_id).close()
    engine = sa.create_engine(db_url, future=True)
    metadata.create_all(engine)
    return engine


def _job(row) -> Job:
    return Job(**row._mapping)


def jobs(engine: sa.Engine, assignment: str | None = None) -> list[Job]:
    """Every job (of ``assignment``), oldest first."""
    query = sa.select(jobs_table).order_by(jobs_table.c.id)
    if assignment:
        query = query.where(jobs_table.c.assignment == assignment)
    with engine.connect() as db:
        return [_job(row) for row in db.execute(query)]


def get(engine: sa.Engine, job_id: int) -> Job:
    with engine.connect() as db:
        return _job(db.execute(sa.select(jobs_table).where(jobs_table.c.id == job_id)).one())


def known_folders(engine: sa.Engine) -> set[str]:
    """The inbound folders already queued (whatever became of them)."""
    with engine.connect() as db:
        return set(db.scalars(sa.select(jobs_table.c.inbound_folder)
                              .where(jobs_table.c.inbound_folder.is_not(None))))


def _supersede(db, student: str, assignment: str, now, why: str) -> list[Job]:
    """Mark the student's queued jobs of ``assignment`` superseded; those jobs, as they were."""
    where = sa.and_(jobs_table.c.student == student, jobs_table.c.assignment == assignment,
                    jobs_table.c.state == QUEUED)
    old = [_job(row) for row in db.execute(sa.select(jobs_table).where(where))]
    if old:
        db.execute(jobs_table.update().where(where).values(state=SUPERSEDED, finished=now,
                                                            error=why))
    return old


def next_slot(db, student: str, assignment: str, now, max_per_hour: int | None):
    """When the student's next submission of ``assignment`` may be graded: ``now``, or an
    hour after the oldest of the last ``max_per_hour`` gradings within the hour."""
    if not max_per_hour:
        return now
    started = sorted(db.scalars(sa.select(jobs_table.c.started).where(
        jobs_table.c.student == student, jobs_table.c.assignment == assignment,
        jobs_table.c.kind == SUBMISSION, jobs_table.c.started.is_not(None),
        jobs_table.c.started > now - HOUR)))
    if len(started) < max_per_hour:
        return now
    return started[-max_per_hour] + HOUR


def enqueue_submission(engine: sa.Engine, student: str, assignment: str, inbound_folder: str,
                       timestamp: str, *, max_per_hour: int | None = None,
                       now=None) -> tuple[Job, list[Job]] | None:
    """Queue one inbound folder: (the new job, the queued jobs it superseded), or None when
    the folder was queued before."""
    now = now or utcnow()
    with engine.begin() as db:
        known = db.scalar(sa.select(jobs_table.c.id)
                          .where(jobs_table.c.inbound_folder == inbound_folder))
        if known is not None:
            return None
        old = _supersede(db, student, assignment, now,
                         f"superseded by the submission of {timestamp}")
        not_before = next_slot(db, student, assignment, now, max_per_hour)
        job_id = db.execute(jobs_table.insert().values(
            student=student, assignment=assignment, kind=SUBMISSION,
            inbound_folder=inbound_folder, timestamp=timestamp, state=QUEUED,
            not_before=not_before, attempts=0, created=now)).inserted_primary_key[0]
    return get(engine, job_id), old


def enqueue_regrade(engine: sa.Engine, student: str, assignment: str, now=None) -> Job | None:
    """Queue a regrade of what ``submitted/`` holds; None if the student already has a job of
    ``assignment`` queued (it will grade the newest submission anyway)."""
    now = now or utcnow()
    with engine.begin() as db:
        queued = db.scalar(sa.select(jobs_table.c.id).where(
            jobs_table.c.student == student, jobs_table.c.assignment == assignment,
            jobs_table.c.state == QUEUED))
        if queued is not None:
            return None
        job_id = db.execute(jobs_table.insert().values(
            student=student, assignment=assignment, kind=REGRADE, state=QUEUED,
            not_before=now, attempts=0, created=now)).inserted_primary_key[0]
    return get(engine, job_id)


def recover(engine: sa.Engine, now=None) -> tuple[int, list[Job]]:
    """At service start: jobs left *running* by a dead service are queued again, or failed
    once they have been tried :data:`MAX_ATTEMPTS` times; (how many requeued, the failed)."""
    now = now or utcnow()
    running = jobs_table.c.state == RUNNING
    exhausted = sa.and_(running, jobs_table.c.attempts >= MAX_ATTEMPTS)
    with engine.begin() as db:
        ids = list(db.scalars(sa.select(jobs_table.c.id).where(exhausted)))
        db.execute(jobs_table.update().where(jobs_table.c.id.in_(ids)).values(
            state=FAILED, finished=now,
            error=f"the grading service stopped while grading it, {MAX_ATTEMPTS} times"))
        requeued = db.execute(jobs_table.update().where(running).values(state=QUEUED)).rowcount
    return requeued, [get(engine, job_id) for job_id in ids]


def claim(engine: sa.Engine, limit: int, now=None) -> list[Job]:
    """Up to ``limit`` ready jobs of one assignment (queued, ``not_before`` passed; oldest
    first, one per student), now *running*, their attempt counted."""
    now = now or utcnow()
    with engine.begin() as db:
        ready = [_job(row) for row in db.execute(
            sa.select(jobs_table).where(jobs_table.c.state == QUEUED,
                                        jobs_table.c.not_before <= now)
            .order_by(jobs_table.c.not_before, jobs_table.c.id))]
        picked, students = [], set()
        for job in ready:
            if job.assignment != ready[0].assignment or job.student in students:
                continue
            picked.append(job)
            students.add(job.student)
            if len(picked) == limit:
                break
        for job in picked:
            db.execute(jobs_table.update().where(jobs_table.c.id == job.id).values(
                state=RUNNING, started=now, attempts=jobs_table.c.attempts + 1, error=None))
    return [get(engine, job.id) for job in picked]


def finish(engine: sa.Engine, job_id: int, state: str, *, error: str | None = None,
           score: float | None = None, max_score: float | None = None, now=None) -> None:
    """Record a running job's outcome (*done* with its score, or *failed* and why)."""
    with engine.begin() as db:
        db.execute(jobs_table.update().where(jobs_table.c.id == job_id).values(
            state=state, error=error, score=score, max_score=max_score,
            finished=now or utcnow()))


def paused(engine: sa.Engine) -> bool:
    with engine.connect() as db:
        value = db.scalar(sa.select(settings_table.c.value)
                          .where(settings_table.c.name == "paused"))
    return value == "1"


def set_paused(engine: sa.Engine, value: bool) -> None:
    """``queue pause`` / ``queue resume``: the service keeps running but claims nothing."""
    with engine.begin() as db:
        db.execute(settings_table.delete().where(settings_table.c.name == "paused"))
        db.execute(settings_table.insert().values(name="paused", value="1" if value else "0"))
