"""Plain `nbgrader autograde` against `python -m autograder grade`, on the same submissions.

    python bench/grading.py [--jobs N] [--per-chapter K] [--repeat R] [--cold] [CHAPTER ...]

All chapters by default; ``--repeat R`` hands each submission in R times (a bigger class),
``--cold`` grades without warm kernels.

For each chapter, two throw-away copies of the course get the same K submissions: the
instructor's solution, the blank release notebook and K-2 of the chapter's wrong-answer
fixtures (tests/submissions/CHAPTER/wrong/). One copy is graded by plain nbgrader, the other
by this grader; the script checks that every grade cell got the same score from both and
prints seconds, submissions per minute and the speed ratio. These submissions are honest, so
the grader must flag none of them ("identical" means same scores and no flags). Not a test:
nothing asserts a time.
"""

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import nbformat

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from coursedir import (  # noqa: E402 - the test suite's helpers build the courses
    answer_cells,
    chapters,
    fixture_answers,
    make_course,
    notebooks,
    replace_answers,
    run_nbgrader,
    scores,
    submit,
)


def submissions(chapter: str, root: pathlib.Path, k: int) -> dict[str, dict]:
    """{student: {file name: notebook}}: solution, blank, then wrong answers.

    Every one is the release notebook with answers typed in, as a student hands it in.
    """
    sources = {p.name: nbformat.read(p, 4) for p in notebooks(chapter, root / "source")}
    releases = {p.name: nbformat.read(p, 4) for p in notebooks(chapter, root / "release")}
    solutions = {name: {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(nb)}
                 for name, nb in sources.items()}

    def answered(changes: dict[str, str]) -> dict:
        return {name: replace_answers(nb, {**solutions[name], **{
            k: v for k, v in changes.items() if k in solutions[name]}})
            for name, nb in releases.items()}

    found = {"solution": answered({}), "blank": releases}
    for grade_id, scenario, source in fixture_answers(chapter, "wrong")[: max(k - 2, 0)]:
        found[f"{grade_id}.{scenario}"] = answered({grade_id: source})
    return dict(list(found.items())[:k])


def timed(command: list[str], root: pathlib.Path) -> tuple[float, int]:
    """Seconds the grader took, and how many submissions it flagged (honest ones: none)."""
    env = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}:{os.environ['PATH']}"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    seconds = time.perf_counter() - start
    flagged = re.search(r"(\d+) flagged", done.stdout)
    if flagged is None or flagged.group(1) != "0":
        print(done.stdout, flush=True)
    return seconds, int(flagged.group(1)) if flagged else -1


def bench(chapter: str, k: int, jobs: int, tmp: pathlib.Path, repeat: int = 1,
          extra: tuple = ()) -> tuple:
    roots = {kind: make_course(tmp / chapter / kind, chapter) for kind in ("plain", "ours")}
    kinds = submissions(chapter, roots["plain"], k)
    students = {f"{name}-{r}" if repeat > 1 else name: nbs
                for r in range(repeat) for name, nbs in kinds.items()}
    for root in roots.values():
        for student, nbs in students.items():
            submit(root, student, chapter, nbs)
    start = time.perf_counter()
    run_nbgrader(roots["plain"], "autograde", chapter)
    plain = time.perf_counter() - start
    ours, flagged = timed([sys.executable, "-m", "autograder", "grade", chapter,
                           "--jobs", str(jobs), "--no-report", *extra], roots["ours"])
    same = all(scores(roots["plain"], chapter, s) == scores(roots["ours"], chapter, s)
               for s in students)
    return len(students), plain, ours, same and flagged == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*")
    parser.add_argument("--per-chapter", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="hand in each submission this many times (a bigger class)")
    parser.add_argument("--cold", action="store_true", help="grade with --cold kernels")
    args = parser.parse_args()
    extra = ("--cold",) if args.cold else ()
    print(f"{'chapter':28} {'subs':>4} {'plain s':>8} {'ours s':>8} {'ratio':>6} "
          f"{'plain/min':>9} {'ours/min':>9}  scores", flush=True)
    totals = [0, 0.0, 0.0]
    all_same = True
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        for chapter in args.chapters or chapters():
            n, plain, ours, same = bench(chapter, args.per_chapter, args.jobs, pathlib.Path(tmp),
                                         args.repeat, extra)
            totals = [totals[0] + n, totals[1] + plain, totals[2] + ours]
            all_same &= same
            print(f"{chapter:28} {n:4d} {plain:8.1f} {ours:8.1f} {plain / ours:6.2f} "
                  f"{60 * n / plain:9.1f} {60 * n / ours:9.1f}  "
                  f"{'identical' if same else 'DIFFERENT'}", flush=True)
    n, plain, ours = totals
    print(f"{'all':28} {n:4d} {plain:8.1f} {ours:8.1f} {plain / ours:6.2f} "
          f"{60 * n / plain:9.1f} {60 * n / ours:9.1f}  "
          f"{'identical' if all_same else 'DIFFERENT'}  (jobs={args.jobs}, {os.cpu_count()} cores"
          f"{', cold kernels' if args.cold else ''})")
    sys.exit(0 if all_same else 1)


if __name__ == "__main__":
    main()
