"""``python -m autograder grade|report|serve|queue|regrade``: see autograder/README.md.

Every command reads the course's ``nbgrader_config.py`` the same way
(:func:`autograder.batch.load_config`): ``--root`` is the course root, ``--db`` overrides its
``CourseDirectory.db_url``.
"""

import argparse
import os
import pathlib
import sys
import warnings

from autograder.limits import MEMORY_GIB, WALL_SECONDS, GiB


def _course_options(parser) -> None:
    parser.add_argument("--db", dest="db_url", default=None,
                        help="gradebook URL (default: the course's nbgrader_config.py, else "
                             "sqlite:///gradebook.db in the course root; postgresql://... lets "
                             "several graders share one)")
    parser.add_argument("--root", default=".", help="course root (default: current folder)")


def _grading_options(parser, jobs_default: int, jobs_help: str) -> None:
    parser.add_argument("--jobs", "-j", type=int, default=jobs_default,
                        help=f"submissions graded at once (default: {jobs_help})")
    parser.add_argument("--memory-gib", type=float, default=float(MEMORY_GIB),
                        help=f"address-space cap of each kernel (default {MEMORY_GIB})")
    parser.add_argument("--wall", type=int, default=WALL_SECONDS,
                        help=f"seconds one notebook may run in all (default {WALL_SECONDS})")
    parser.add_argument("--cold", action="store_true",
                        help="start every kernel from scratch instead of forking warm ones")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Sandboxed, parallel grading on nbgrader.")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade every submission of an assignment")
    grade.add_argument("assignment", help="e.g. 01_tensors")
    _course_options(grade)
    _grading_options(grade, os.cpu_count() or 1, "number of cores")
    grade.add_argument("--force", action="store_true",
                       help="regrade submissions that are already autograded")
    grade.add_argument("--no-report", action="store_true",
                       help="skip reports/ASSIGNMENT/ (score histogram, pass rates)")
    report = sub.add_parser("report", help="rewrite reports/ASSIGNMENT/ from the gradebook")
    report.add_argument("assignment", help="e.g. 01_tensors")
    _course_options(report)
    report.add_argument("--out", default=None,
                        help="output folder (default: reports/ASSIGNMENT in the course root)")
    serve = sub.add_parser("serve", help="grade submissions as they arrive in the exchange, "
                                         "and release their feedback")
    _course_options(serve)
    _grading_options(serve, 1, "1")
    serve.add_argument("--once", action="store_true",
                       help="grade what is ready, then exit (tests, cron)")
    serve.add_argument("--poll", type=float, default=2.0,
                       help="seconds between looks at the exchange (default 2)")
    serve.add_argument("--max-per-hour", type=int, default=None,
                       help="submissions graded per student and assignment per hour; more "
                            "wait (default: c.GradingService.max_per_hour, else no limit)")
    serve.add_argument("--batch", type=int, default=8,
                       help="most submissions graded in one run of the grader (default 8)")
    queue_cmd = sub.add_parser("queue", help="list the grading service's jobs; pause/resume")
    queue_cmd.add_argument("action", nargs="?", choices=["list", "pause", "resume"],
                           default="list")
    queue_cmd.add_argument("--assignment", default=None, help="only this assignment's jobs")
    _course_options(queue_cmd)
    regrade = sub.add_parser("regrade", help="queue regrades of an assignment's submissions "
                                             "(the running service grades them)")
    regrade.add_argument("assignment", help="e.g. 01_tensors")
    regrade.add_argument("--student", action="append", default=None,
                         help="only this student (repeatable; default: every submission)")
    _course_options(regrade)
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "report":
        from autograder.report import report_course

        paths = report_course(args.assignment, args.root, args.db_url, args.out)
        for path in paths.values():
            print(path)
        return 0
    # nbgrader runs `alembic` by name when it creates a gradebook: use this environment's.
    bin_dir = os.path.dirname(sys.executable)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")

    from sqlalchemy.exc import SAWarning

    # nbgrader 0.9's add_submission triggers SQLAlchemy autoflush warnings for every new
    # submission (plain `nbgrader autograde` prints them too); they are noise here.
    warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader.api")
    if args.command == "grade":
        return _grade(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "queue":
        return _queue(args)
    return _regrade(args)


def _grade(args) -> int:
    from autograder.batch import Grader
    from autograder.sandbox import SandboxUnavailable
    from autograder.serve import ServiceRunning, check_no_service

    coursedir = _coursedir(args)
    try:
        check_no_service(coursedir.db_url, pathlib.Path(coursedir.root), coursedir.course_id)
    except ServiceRunning as error:
        print(f"error: {error}: it grades what students hand in; queue regrades with "
              "`python -m autograder regrade`, or stop it first", file=sys.stderr)
        return 3
    grader = Grader(args.assignment, args.root, db_url=args.db_url, jobs=args.jobs,
                    force=args.force, memory=int(args.memory_gib * GiB), wall=args.wall,
                    warm=not args.cold)
    try:
        results = grader.run()
    except SandboxUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not args.no_report:
        grader.write_reports(results)
    return 1 if any(r.status == "failed" for r in results) else 0


def _log(line: str) -> None:
    """The service's log: one line per event, with the time (UTC)."""
    import time

    print(f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} {line}", flush=True)


def _serve(args) -> int:
    from autograder import sandbox
    from autograder.serve import Service, ServiceRunning

    try:
        sandbox.check()
    except sandbox.SandboxUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    service = Service(args.root, db_url=args.db_url, jobs=args.jobs, batch=args.batch,
                      poll=args.poll, once=args.once, max_per_hour=args.max_per_hour,
                      memory=int(args.memory_gib * GiB), wall=args.wall, warm=not args.cold,
                      log=_log)
    try:
        return service.run()
    except ServiceRunning as error:
        print(f"error: {error}", file=sys.stderr)
        return 3


def _coursedir(args):
    """nbgrader's CourseDirectory of ``--root``, ``--db`` applied."""
    from nbgrader.coursedir import CourseDirectory

    from autograder.batch import load_config

    return CourseDirectory(config=load_config(pathlib.Path(args.root).resolve(), args.db_url))


def _engine(args):
    """The queue's database (the gradebook's) and the course directory."""
    from autograder import queue

    coursedir = _coursedir(args)
    return queue.connect(coursedir.db_url, coursedir.course_id), coursedir


def _queue(args) -> int:
    from autograder import queue

    engine, _ = _engine(args)
    if args.action in ("pause", "resume"):
        queue.set_paused(engine, args.action == "pause")
        print("grading paused: the service grades nothing until `queue resume`"
              if args.action == "pause" else "grading resumed")
        return 0
    rows = queue.jobs(engine, args.assignment)
    print(f"{'id':>5} {'student':<16} {'assignment':<24} {'kind':<10} {'state':<10} "
          f"{'tries':>5} {'score':>9}  not before / finished  error")
    for job in rows:
        score = f"{job.score:g}/{job.max_score:g}" if job.score is not None else ""
        moment = job.finished if job.finished else job.not_before
        print(f"{job.id:>5} {job.student:<16} {job.assignment:<24} {job.kind:<10} "
              f"{job.state:<10} {job.attempts:>5} {score:>9}  "
              f"{moment:%Y-%m-%d %H:%M:%S}    {job.error or ''}")
    counts = {state: sum(1 for job in rows if job.state == state) for state in
              (queue.QUEUED, queue.RUNNING, queue.DONE, queue.FAILED, queue.SUPERSEDED)}
    print(", ".join(f"{n} {state}" for state, n in counts.items())
          + ("; PAUSED" if queue.paused(engine) else ""))
    return 0


def _regrade(args) -> int:
    from autograder import queue

    engine, coursedir = _engine(args)
    submitted = pathlib.Path(coursedir.root) / coursedir.submitted_directory
    found = sorted(p.parent.name for p in submitted.glob(f"*/{args.assignment}") if p.is_dir())
    students = args.student or found
    missing = sorted(set(students) - set(found))
    if missing:
        print(f"error: no submission of {args.assignment} in {submitted} for: "
              f"{', '.join(missing)}", file=sys.stderr)
        return 1
    for student in students:
        job = queue.enqueue_regrade(engine, student, args.assignment)
        print(f"job {job.id}: regrade {student} {args.assignment}" if job else
              f"{student} {args.assignment}: already queued, not queued again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
