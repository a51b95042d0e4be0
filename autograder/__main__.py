"""``python -m autograder grade ASSIGNMENT [--jobs N]`` and ``python -m autograder report
ASSIGNMENT``: see autograder/README.md. Both read the course's ``nbgrader_config.py`` the same
way (:func:`autograder.batch.load_config`)."""

import argparse
import os
import sys
import warnings

from autograder.limits import MEMORY_GIB, WALL_SECONDS, GiB


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Sandboxed, parallel grading on nbgrader.")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade every submission of an assignment")
    grade.add_argument("assignment", help="e.g. 01_tensors")
    grade.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                       help="submissions graded at once (default: number of cores)")
    grade.add_argument("--db", dest="db_url", default=None,
                       help="gradebook URL (default: sqlite:///gradebook.db in the course root; "
                            "postgresql://... lets several graders share one)")
    grade.add_argument("--root", default=".", help="course root (default: current folder)")
    grade.add_argument("--force", action="store_true",
                       help="regrade submissions that are already autograded")
    grade.add_argument("--memory-gib", type=float, default=float(MEMORY_GIB),
                       help=f"address-space cap of each kernel (default {MEMORY_GIB})")
    grade.add_argument("--wall", type=int, default=WALL_SECONDS,
                       help=f"seconds one notebook may run in all (default {WALL_SECONDS})")
    grade.add_argument("--cold", action="store_true",
                       help="start every kernel from scratch instead of forking warm ones")
    grade.add_argument("--no-report", action="store_true",
                       help="skip reports/ASSIGNMENT/ (score histogram, pass rates)")
    report = sub.add_parser("report", help="rewrite reports/ASSIGNMENT/ from the gradebook")
    report.add_argument("assignment", help="e.g. 01_tensors")
    report.add_argument("--db", dest="db_url", default=None,
                        help="gradebook URL (default: the course's nbgrader_config.py, else "
                             "sqlite:///gradebook.db in the course root)")
    report.add_argument("--root", default=".", help="course root (default: current folder)")
    report.add_argument("--out", default=None,
                        help="output folder (default: reports/ASSIGNMENT in the course root)")
    args = parser.parse_args(argv)
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

    from autograder.batch import Grader
    from autograder.sandbox import SandboxUnavailable

    # nbgrader 0.9's add_submission triggers SQLAlchemy autoflush warnings for every new
    # submission (plain `nbgrader autograde` prints them too); they are noise here.
    warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader.api")

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


if __name__ == "__main__":
    sys.exit(main())
