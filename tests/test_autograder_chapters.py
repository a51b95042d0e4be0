"""The batch grader on every chapter: honest work is graded right and never flagged.

tests/test_autograder.py attacks the grader with one chapter; this file makes sure its
guard does not mistake what the chapters' own code does (training loops, `forbid` in
from-scratch exercises, matplotlib, data loading) for tampering. For each chapter, the
solution typed into the release notebook must score full marks and the blank release 0,
with no flags, through `python -m autograder grade` (warm kernels, sandbox and all).
"""

import json
import os
import subprocess
import sys

import nbformat
import pytest
from coursedir import (
    answer_cells,
    chapters,
    make_course,
    notebooks,
    replace_answers,
    require_sandbox,
    submit,
)

require_sandbox()


@pytest.mark.parametrize("chapter", chapters())
def test_solution_full_marks_blank_zero_nothing_flagged(chapter, tmp_path):
    root = make_course(tmp_path / "course", chapter)
    solved = {}
    for path in notebooks(chapter, root / "release"):
        source = nbformat.read(root / "source" / chapter / path.name, 4)
        answers = {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(source)}
        solved[path.name] = replace_answers(nbformat.read(path, 4), answers)
    submit(root, "solution", chapter, solved)
    submit(root, "blank", chapter, {p.name: nbformat.read(p, 4)
                                    for p in notebooks(chapter, root / "release")})
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", chapter, "--jobs", "2"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = {r["student"]: r for r in
               json.loads((root / "reports" / chapter / "summary.json").read_text())}
    solution, blank = summary["solution"], summary["blank"]
    assert (solution["flags"], blank["flags"]) == ([], []), done.stdout
    assert solution["score"] == solution["max_score"] > 0, done.stdout
    assert blank["score"] == 0, done.stdout
