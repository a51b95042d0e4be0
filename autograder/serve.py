"""``python -m autograder serve``: grade each submission as it arrives in nbgrader's exchange.

One loop, one step per module:

1. **Scan** (``collect.pending``): complete folders in ``{Exchange.root}/{course_id}/inbound``
   not yet queued become jobs (``queue.enqueue_submission``). A newer submission of the same
   student and assignment supersedes a queued one; past ``max_per_hour`` a job waits
   (``not_before``). The student is told either way (``feedback.notice``): ``fetch_feedback``
   shows "received", "queued until HH:MM" or "superseded" until the real feedback replaces it.
2. **Claim** (``queue.claim``): the ready jobs of one assignment, up to ``batch``, unless the
   instructor paused the queue.
3. **Collect** (``collect.collect``): each submission into ``submitted/<student>/<assignment>/``.
4. **Grade**: :class:`autograder.batch.Grader` on those students only, ``force`` (the job is
   the decision to grade): the sandboxed pipeline of ``python -m autograder grade``.
5. **Feedback** (``feedback.release``): nbgrader's generate_feedback + release_feedback for
   each graded student; the job is *done* with its score, or *failed* with the reason.

The state is the queue table, in the gradebook's database, so a restart, even after
``kill -9``, goes on where the last service stopped (``queue.recover``). One service per
course (:func:`service_lock`); SIGTERM or SIGINT stops it after the current batch.
"""

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import pathlib
import signal
import time

import sqlalchemy as sa
from nbgrader.coursedir import CourseDirectory

from autograder import collect, feedback, queue
from autograder.batch import Grader, load_config
from autograder.limits import MEMORY_BYTES, WALL_SECONDS
from autograder.stage import one_line

LOCK_FILE = ".autograder-serve.lock"  # in the course root, for a SQLite gradebook


class ServiceRunning(RuntimeError):
    """Another grading service holds this course's lock."""


def _advisory_key(course_id: str) -> int:
    digest = hashlib.sha256(f"autograder serve {course_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def service_lock(engine: sa.Engine, root: pathlib.Path, course_id: str):
    """Hold the course's service lock for the ``with`` block, or raise :class:`ServiceRunning`.

    PostgreSQL: a session advisory lock (keyed by the course id), which the server drops when
    the service's connection dies, from whatever machine. Otherwise a ``flock`` on
    :data:`LOCK_FILE` in the course root, which the kernel drops when the process dies (even
    by ``kill -9``).
    """
    if engine.dialect.name == "postgresql":
        key = _advisory_key(course_id)
        with engine.connect() as db:
            held = db.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
            db.commit()  # the lock is the session's: no transaction left open meanwhile
            if not held:
                raise ServiceRunning(f"another grading service is running for course "
                                     f"{course_id!r} (it holds PostgreSQL advisory lock {key})")
            try:
                yield
            finally:
                db.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                db.commit()
        return
    path = root / LOCK_FILE
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise ServiceRunning(f"another grading service is running for course {course_id!r} "
                                 f"(pid {handle.read().strip() or '?'} holds {path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


def check_no_service(db_url: str, root: pathlib.Path, course_id: str) -> None:
    """Raise :class:`ServiceRunning` if a grading service runs for this course (for
    ``python -m autograder grade``: both stage in ``.grading/``). Takes the lock and lets go
    at once; makes no lock file where no service ever ran."""
    if not db_url.startswith("postgresql") and not (root / LOCK_FILE).exists():
        return
    engine = sa.create_engine(db_url)
    try:
        with service_lock(engine, root, course_id):
            pass
    finally:
        engine.dispose()


def max_per_hour_from(config, given: int | None) -> int | None:
    """``--max-per-hour``, else ``c.GradingService.max_per_hour``; 0 or None: no limit."""
    if given is not None:
        return given or None
    configured = config.get("GradingService", {}).get("max_per_hour")
    return int(configured) if configured else None


def when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@dataclasses.dataclass
class Service:
    """One grading service of one course (state: its configuration, queue, stop flag)."""

    root: pathlib.Path
    db_url: str | None = None
    jobs: int = 1
    batch: int = 8
    poll: float = 5.0
    once: bool = False
    max_per_hour: int | None = None
    memory: int = MEMORY_BYTES
    wall: int = WALL_SECONDS
    warm: bool = True
    log: object = print

    def __post_init__(self):
        self.root = pathlib.Path(self.root).resolve()
        self.config = load_config(self.root, self.db_url)
        coursedir = CourseDirectory(config=self.config)
        self.db_url, self.course_id = coursedir.db_url, coursedir.course_id
        self.max_per_hour = max_per_hour_from(self.config, self.max_per_hour)
        self.engine = queue.connect(self.db_url, self.course_id)
        self.stopping = False
        # Warm kernel slots per assignment, kept from one batch to the next (closed on stop):
        # after the first batch no zygote has to boot before a submission runs.
        self.workspaces: dict = {}

    # -- the loop -----------------------------------------------------------------------
    def run(self) -> int:
        """Serve until stopped (or, ``once``, until no job is ready); raises
        :class:`ServiceRunning` if another service has the course."""
        with service_lock(self.engine, self.root, self.course_id):
            requeued, failed = queue.recover(self.engine)
            if requeued or failed:
                self.log(f"recovered from a stopped service: {requeued} job(s) queued again, "
                         f"{len(failed)} failed after {queue.MAX_ATTEMPTS} attempts")
            for job in failed:
                self._fail(job, job.error)
            limit = f"{self.max_per_hour} per student per hour" if self.max_per_hour \
                else "no rate limit"
            self.log(f"grading service for {self.course_id}: watching "
                     f"{collect.inbound_dir(self.config)} ({limit}, {self.jobs} job(s))")
            previous = {sig: signal.signal(sig, self._stop)
                        for sig in (signal.SIGTERM, signal.SIGINT)}
            try:
                while not self.stopping:
                    self.scan()
                    batch = [] if queue.paused(self.engine) else \
                        queue.claim(self.engine, self.batch)
                    if batch:
                        self.grade(batch)
                    elif self.once:
                        break
                    else:
                        self._sleep(self.poll)
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
                for kept in self.workspaces.values():
                    kept.close()
                self.workspaces.clear()
        self.log("grading service stopped")
        return 0

    def _stop(self, signum, frame) -> None:
        self.stopping = True
        self.log(f"{signal.Signals(signum).name}: stopping after the current job")

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    # -- steps --------------------------------------------------------------------------
    def scan(self) -> list[queue.Job]:
        """Queue the new complete submissions in the exchange; tell each student."""
        added = []
        for item in collect.pending(self.config, queue.known_folders(self.engine)):
            queued = queue.enqueue_submission(self.engine, item.student, item.assignment,
                                              item.folder.name, item.timestamp,
                                              max_per_hour=self.max_per_hour)
            if queued is None:
                continue
            job, superseded = queued
            for old in superseded:
                self._notice(old, "Superseded",
                             f"You handed in {old.assignment} again at {item.timestamp}: that "
                             "newer submission is the one graded, this one is not.")
                self.log(f"job {old.id} ({old.student} {old.assignment}) superseded by "
                         f"job {job.id}")
            if job.not_before > job.created:
                self._notice(job, "Queued",
                             f"You may have {self.max_per_hour} submission(s) of "
                             f"{job.assignment} graded per hour. This one will be graded at "
                             f"{when(job.not_before)}; hand in again before then and only "
                             "the newest is graded.")
            else:
                self._notice(job, "Received", "Your submission is queued for grading; "
                             "fetch your feedback again in a few minutes.")
            self.log(f"job {job.id}: {job.student} {job.assignment} ({item.timestamp}) queued"
                     + (f" until {when(job.not_before)}" if job.not_before > job.created
                        else ""))
            added.append(job)
        return added

    def grade(self, batch: list[queue.Job]) -> None:
        """Collect, grade and release feedback for one claimed batch (one assignment)."""
        assignment = batch[0].assignment
        ready = []
        for job in batch:
            try:
                if job.kind == queue.SUBMISSION:
                    collect.collect(self.config, self._inbound(job))
                ready.append(job)
            except Exception as error:  # noqa: BLE001 - one submission fails alone
                self._fail(job, f"collect: {one_line(error)}")
        if not ready:
            return
        grader = Grader(assignment, self.root, db_url=self.db_url, jobs=self.jobs, force=True,
                        memory=self.memory, wall=self.wall, warm=self.warm, log=self.log,
                        students=[job.student for job in ready],
                        kept_workspaces=self.workspaces)
        try:
            results = {result.student: result for result in grader.run()}
        except (Exception, SystemExit) as error:  # noqa: BLE001 - the batch fails, not the service
            for job in ready:
                self._fail(job, f"grade: {one_line(error)}")
            return
        for job in ready:
            result = results.get(job.student)
            if result is None:
                self._fail(job, f"no submission in submitted/{job.student}/{assignment}/")
            elif result.status != "graded":
                self._fail(job, result.error or result.status)
            else:
                try:
                    feedback.release(self.config, assignment, job.student)
                except Exception as error:  # noqa: BLE001 - recorded, the service goes on
                    self._fail(job, f"graded {result.score:g}/{result.max_score:g} but "
                               f"feedback: {one_line(error)}")
                    continue
                queue.finish(self.engine, job.id, queue.DONE, score=result.score,
                             max_score=result.max_score)
                self.log(f"job {job.id} done: {job.student} {assignment} "
                         f"{result.score:g}/{result.max_score:g}, feedback released")

    # -- helpers ------------------------------------------------------------------------
    def _inbound(self, job: queue.Job) -> collect.Inbound:
        folder = collect.inbound_dir(self.config) / job.inbound_folder
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is gone from the exchange")
        return collect.Inbound(folder, job.student, job.assignment, job.timestamp)

    def _fail(self, job: queue.Job, reason: str) -> None:
        queue.finish(self.engine, job.id, queue.FAILED, error=reason)
        self.log(f"job {job.id} FAILED: {job.student} {job.assignment}: {reason}")
        self._notice(job, "Not graded", "Your submission could not be graded automatically; "
                     "your instructor sees why in the grading queue and will look at it.")

    def _notice(self, job: queue.Job, title: str, text: str) -> None:
        if job.kind != queue.SUBMISSION:
            return
        folder = collect.inbound_dir(self.config) / job.inbound_folder
        try:
            feedback.notice(self.config, folder, job.timestamp, title, text)
        except OSError as error:
            self.log(f"job {job.id}: could not release the {title.lower()} notice: {error}")
