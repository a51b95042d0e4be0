"""Seconds from `nbgrader submit` to feedback a student can fetch, through the grading service.

    python bench/service_latency.py [--jobs N] [--class-size K] [--poll S] [--postgres]

A throw-away chapter 01 course is released to its own exchange and `python -m autograder
serve` runs on it. Then (1) one student hands in, alone (the service's warm kernels boot);
(2) K students (default 20) hand in at once (K `nbgrader submit` processes started
together); (3) one more hands in alone (the kernels are warm). For each submission the latency is
from the start of its `nbgrader submit` to the moment its feedback is in the exchange's
feedback folder as graded feedback (the file `nbgrader fetch_feedback` copies, with nbgrader's
score line: not the "received" notice), checked every 0.1 s; one `nbgrader fetch_feedback`
at the end confirms each student gets it. Prints the latencies (median, max) and the
service's time per batch. Not a test: nothing asserts a time.
"""

import argparse
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from classroom import (  # noqa: E402 - the tests' helpers build the course and the students
    CHAPTER,
    Student,
    answers,
    env,
    released_course,
    start_service,
    stop,
)
from nbgrader.utils import notebook_hash  # noqa: E402


def feedback_path(student: Student, exchange: pathlib.Path, timestamp: str) -> pathlib.Path:
    """Where the service releases the feedback of this submission (nbgrader's naming)."""
    cache = student.home / ".local/share/jupyter/nbgrader_cache/pytorch-hands-on"
    secret = (cache / f"{student.name}+{CHAPTER}+{timestamp}" / "submission_secret.txt").read_text()
    return exchange / "pytorch-hands-on" / "feedback" / \
        f"{notebook_hash(secret=secret, notebook_id=CHAPTER)}.html"


def submit_all(students: list[Student], nbs) -> list[tuple[float, str]]:
    """Start every student's `nbgrader submit` at once; (start time, timestamp) of each."""
    import nbformat

    procs = []
    for student in students:
        folder = student.work / CHAPTER
        folder.mkdir(exist_ok=True)
        for name, nb in nbs.items():
            nbformat.write(nb, folder / name)
    for student in students:
        start = time.monotonic()
        procs.append((start, subprocess.Popen(
            [sys.executable, "-m", "nbgrader", "submit", CHAPTER], cwd=student.work,
            env=env(student.home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
    stamps = []
    for start, proc in procs:
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, out
        stamps.append((start, out.split(f"Submitted as: pytorch-hands-on {CHAPTER} ")[1]
                       .splitlines()[0].strip()))
    return stamps


def wait_graded(paths: list[pathlib.Path], starts: list[float], timeout: float) -> list[float]:
    """Latency of each path: seconds from its start until it holds graded feedback."""
    latency = [None] * len(paths)
    deadline = time.monotonic() + timeout
    while None in latency:
        if time.monotonic() > deadline:
            raise SystemExit(f"feedback missing after {timeout} s for "
                             f"{sum(x is None for x in latency)} submission(s)")
        for i, path in enumerate(paths):
            if latency[i] is None and path.is_file() and "(Score:" in path.read_text():
                latency[i] = time.monotonic() - starts[i]
        time.sleep(0.1)
    return latency


def run(jobs: int, class_size: int, poll: float, postgres: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="service-latency-") as tmp:
        base = pathlib.Path(tmp)
        server = None
        if postgres:
            from tools import postgres as pg

            server = pg.start(base / "postgres")
        try:
            root = released_course(base / "course", server.url if server else None)
            exchange = root / "exchange"
            nbs = answers(("describe", "len_as_numel"))
            service = start_service(root, base / "service.log", "--jobs", str(jobs),
                                    "--poll", str(poll))
            try:
                rounds = (("1 submission, the first (kernels boot)", 1),
                          (f"{class_size} at once", class_size),
                          ("1 submission, later (warm kernels)", 1))
                for number, (label, size) in enumerate(rounds):
                    students = [Student(f"r{number}s{i:02d}", base / f"r{number}s{i:02d}",
                                        exchange) for i in range(size)]
                    began = time.monotonic()
                    stamps = submit_all(students, nbs)
                    paths = [feedback_path(s, exchange, ts) for s, (_, ts) in
                             zip(students, stamps, strict=True)]
                    latency = wait_graded(paths, [start for start, _ in stamps], 600)
                    total = time.monotonic() - began
                    for student in students:  # what a student does: it must find the page
                        assert "(Score:" in next(iter(student.fetch_feedback().values()))
                    print(f"{label}: latency median {statistics.median(latency):.1f} s, "
                          f"max {max(latency):.1f} s; all feedback {total:.1f} s after the "
                          f"first submit ({jobs} job(s), poll {poll:g} s, "
                          f"{'PostgreSQL' if server else 'SQLite'})", flush=True)
            finally:
                stop(service)
            log = (base / "service.log").read_text()
            batches = [line for line in log.splitlines() if f" {CHAPTER}: " in line]
            print("service batches:\n  " + "\n  ".join(batches))
        finally:
            if server:
                server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--class-size", type=int, default=20)
    parser.add_argument("--poll", type=float, default=1.0)
    parser.add_argument("--postgres", action="store_true", help="gradebook on PostgreSQL")
    args = parser.parse_args()
    run(args.jobs, args.class_size, args.poll, args.postgres)


if __name__ == "__main__":
    main()
