"""A course released to its own nbgrader exchange, and students who use it, for the tests of
the grading service: every step is the real `nbgrader` command a student or instructor runs.

Each student has a home (nbgrader's cache of their submissions lives there) and a working
folder whose nbgrader_config.py names the exchange, the course and the student's id.
"""

import dataclasses
import os
import pathlib
import signal
import subprocess
import sys
import time

import nbformat
from coursedir import (
    answer_cells,
    fixture_answers,
    make_course,
    notebooks,
    replace_answers,
    run_nbgrader,
)

CHAPTER = "01_tensors"
COURSE_ID = "pytorch-hands-on"  # the repository's nbgrader_config.py


def env(home: pathlib.Path | None = None) -> dict[str, str]:
    """The environment of an nbgrader or autograder command: this venv's bin/ first (nbgrader
    runs `alembic` by name), no Jupyter folders inherited, HOME as given."""
    result = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
    result["PATH"] = str(pathlib.Path(sys.executable).parent) + os.pathsep + result["PATH"]
    if home is not None:
        result["HOME"] = str(home)
    return result


def released_course(root: pathlib.Path, db_url: str | None = None) -> pathlib.Path:
    """A course of chapter 01 (tests/coursedir.py), its gradebook at ``db_url`` if given,
    released to its exchange (``root/exchange``, as the course's config says)."""
    make_course(root, CHAPTER)
    with open(root / "nbgrader_config.py", "a") as config:
        # Every test student is this process's user: the folders cannot be theirs.
        config.write("\nc.ExchangeCollect.check_owner = False\n")
    if db_url:
        with open(root / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
        run_nbgrader(root, "generate_assignment", CHAPTER, "--force")
    run_nbgrader(root, "release_assignment", CHAPTER)
    return root


def answers(*wrong: tuple[str, str]) -> dict:
    """Chapter 01's notebooks {file name: notebook} answered with the instructor's solution,
    except the fixture answers named by (grade_id, scenario) in ``wrong``."""
    from coursedir import SOURCE

    source = nbformat.read(notebooks(CHAPTER, SOURCE)[0], 4)
    solution = {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(source)}
    mistakes = {(gid, scenario): src for gid, scenario, src in fixture_answers(CHAPTER, "wrong")}
    solution.update({gid: mistakes[(gid, scenario)] for gid, scenario in wrong})
    (release,) = notebooks(CHAPTER, pathlib.Path(__file__).parent.parent / "release")
    return {release.name: replace_answers(nbformat.read(release, 4), solution)}


@dataclasses.dataclass
class Student:
    """One student of a course's exchange, at home in ``home``."""

    name: str
    home: pathlib.Path
    exchange: pathlib.Path

    def __post_init__(self):
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f"c.Exchange.root = {str(self.exchange)!r}\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
            f"c.CourseDirectory.student_id = {self.name!r}\n")

    @property
    def work(self) -> pathlib.Path:
        return self.home / "work"

    def nbgrader(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.work,
                              env=env(self.home), capture_output=True, text=True, timeout=300)
        log = done.stdout + done.stderr
        assert done.returncode == 0, f"{self.name}: nbgrader {' '.join(args)}:\n{log}"
        return log

    def submit(self, nbs: dict) -> str:
        """Hand in ``nbs`` {file name: notebook} with `nbgrader submit`; the timestamp."""
        folder = self.work / CHAPTER
        folder.mkdir(exist_ok=True)
        for name, nb in nbs.items():
            nbformat.write(nb, folder / name)
        log = self.nbgrader("submit", CHAPTER)
        return log.split(f"Submitted as: {COURSE_ID} {CHAPTER} ")[1].splitlines()[0].strip()

    def fetch_feedback(self) -> dict[str, str]:
        """`nbgrader fetch_feedback`: {submission timestamp: the notebook's feedback HTML}."""
        self.nbgrader("fetch_feedback", CHAPTER)
        folder = self.work / CHAPTER / "feedback"
        return {path.parent.name: path.read_text() for path in folder.glob("*/*.html")}


def autograder(root: pathlib.Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """`python -m autograder ARGS` in the course root (exit status not checked)."""
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=root, env=env(),
                          capture_output=True, text=True, timeout=timeout)


def serve_once(root: pathlib.Path, *args: str) -> str:
    """`python -m autograder serve --once --jobs 1 ARGS`, which must succeed; its output."""
    done = autograder(root, "serve", "--once", "--jobs", "1", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def start_service(root: pathlib.Path, log: pathlib.Path, *args: str) -> subprocess.Popen:
    """`python -m autograder serve --jobs 1 --poll 0.2 ARGS` in the background, once it has
    taken the course's lock (its first line); output to ``log``."""
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "autograder", "serve", "--jobs", "1",
                                 "--poll", "0.2", *args], cwd=root, env=env(), stdout=out,
                                stderr=subprocess.STDOUT)
    wait_for(lambda: "grading service for" in log.read_text() or proc.poll() is not None,
             60, "the service's first line")
    assert proc.poll() is None, log.read_text()
    return proc


def stop(proc: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 60) -> int:
    """Send ``sig`` and wait (bounded) for the process to exit; its status."""
    if proc.poll() is None:
        proc.send_signal(sig)
    return proc.wait(timeout=timeout)


def wait_for(condition, seconds: float, what: str, step: float = 0.05):
    """Poll ``condition()`` until it is true (its value) or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(step)
