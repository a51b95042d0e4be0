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

It also prints how close the grader is to the physical limit: *compute* is the seconds the
kernels themselves spent in the submissions' cells (from the kernels' message timestamps, as
the grader's ``profile:`` line reports them), *limit* that work spread over the jobs, and
*efficiency* limit / wall. *start* is the fixed cost, from the command to the first cell
running. ``--profile`` adds each chapter's seconds per submission by step: stage, sanitize,
record (the main thread), and inside execute: kernel start, checkpoints, cells (the grader
waiting on them; their compute is part of it), the grader's work between cells, and stop.
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


def timed(command: list[str], root: pathlib.Path) -> tuple[float, int, dict]:
    """Seconds the grader took, how many submissions it flagged (honest ones: none), and its
    ``profile:`` line as {step: seconds} (with "first cell" counted from the launch)."""
    env = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}:{os.environ['PATH']}"}
    launched = time.time()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    seconds = time.perf_counter() - start
    flagged = re.search(r"(\d+) flagged", done.stdout)
    if flagged is None or flagged.group(1) != "0":
        print(done.stdout, flush=True)
    line = re.search(r"^profile: (.*)$", done.stdout, re.MULTILINE)
    profile = {k: float(v) for k, v in (item.split("=") for item in line.group(1).split())} \
        if line else {}
    if "first_cell_epoch" in profile:
        profile["first cell"] = profile.pop("first_cell_epoch") - launched
    return seconds, int(flagged.group(1)) if flagged else -1, profile


STEPS = [("setup", "setup (once)"), ("stage", "stage"), ("sanitize", "sanitize"), ("record", "record"),
         ("execute.start", "kernel start"), ("execute.checkpoints", "checkpoints"),
         ("execute.cells", "cells"), ("execute.compute", "of which compute"),
         ("execute.grader", "between cells"), ("execute.stop", "stop")]


def print_profile(chapter: str, n: int, profile: dict) -> None:
    """One chapter's seconds per submission, by step."""
    print(f"  {chapter} per submission: " + ", ".join(
        f"{label} {profile.get(key, 0.0) / (1 if key == 'setup' else n):.3f}"
        for key, label in STEPS) + " s", flush=True)


def bench(chapter: str, k: int, jobs: int, tmp: pathlib.Path, repeat: int = 1,
          extra: tuple = (), plain_too: bool = True) -> tuple:
    kinds = ("plain", "ours") if plain_too else ("ours",)
    roots = {kind: make_course(tmp / chapter / kind, chapter) for kind in kinds}
    kinds = submissions(chapter, roots[kinds[0]], k)
    students = {f"{name}-{r}" if repeat > 1 else name: nbs
                for r in range(repeat) for name, nbs in kinds.items()}
    for root in roots.values():
        for student, nbs in students.items():
            submit(root, student, chapter, nbs)
    start = time.perf_counter()
    if plain_too:
        run_nbgrader(roots["plain"], "autograde", chapter)
    plain = time.perf_counter() - start if plain_too else float("nan")
    ours, flagged, profile = timed([sys.executable, "-m", "autograder", "grade", chapter,
                                    "--jobs", str(jobs), "--no-report", *extra], roots["ours"])
    same = not plain_too or all(
        scores(roots["plain"], chapter, s) == scores(roots["ours"], chapter, s) for s in students)
    return len(students), plain, ours, same and flagged == 0, profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*")
    parser.add_argument("--per-chapter", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="hand in each submission this many times (a bigger class)")
    parser.add_argument("--cold", action="store_true", help="grade with --cold kernels")
    parser.add_argument("--no-plain", action="store_true",
                        help="grade with this grader only (profiling; scores are not compared)")
    parser.add_argument("--profile", action="store_true",
                        help="also print each chapter's seconds per submission by step")
    args = parser.parse_args()
    extra = ("--cold",) if args.cold else ()
    print(f"{'chapter':28} {'subs':>4} {'plain s':>8} {'ours s':>8} {'ratio':>6} "
          f"{'plain/min':>9} {'ours/min':>9} {'compute':>8} {'limit':>6} {'effic.':>6} "
          f"{'start':>5} {'overhead/sub':>12}  scores", flush=True)
    totals = [0, 0.0, 0.0, 0.0, 0.0]
    all_same = True

    def row(name, n, plain, ours, compute, start, same):
        bound = compute / args.jobs
        overhead = args.jobs * (ours - start - bound) / n
        print(f"{name:28} {n:4d} {plain:8.1f} {ours:8.1f} {plain / ours:6.2f} "
              f"{60 * n / plain:9.1f} {60 * n / ours:9.1f} {compute:8.1f} {bound:6.1f} "
              f"{bound / ours:6.0%} {start:5.1f} {overhead:10.2f} s  "
              f"{'not compared' if args.no_plain else 'identical' if same else 'DIFFERENT'}",
              flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        for chapter in args.chapters or chapters():
            n, plain, ours, same, profile = bench(chapter, args.per_chapter, args.jobs,
                                                  pathlib.Path(tmp), args.repeat, extra,
                                                  not args.no_plain)
            compute = profile.get("execute.compute", 0.0)
            start = profile.get("first cell", 0.0)
            totals = [a + b for a, b in zip(totals, (n, plain, ours, compute, start), strict=True)]
            all_same &= same
            row(chapter, n, plain, ours, compute, start, same)
            if args.profile:
                print_profile(chapter, n, profile)
    n, plain, ours, compute, start = totals
    row("all", n, plain, ours, compute, start, all_same)
    print(f"(jobs={args.jobs}, {os.cpu_count()} cores{', cold kernels' if args.cold else ''}; "
          "compute: the kernels' seconds in the cells; limit: compute / jobs; efficiency: "
          "limit / ours; start: command to first cell; overhead/sub: jobs x (ours - start - "
          "limit) / subs)")
    sys.exit(0 if all_same else 1)


if __name__ == "__main__":
    main()
