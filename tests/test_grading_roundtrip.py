"""Does every known submission get the score it deserves, graded the way a class is graded?

For each chapter one temporary course is graded once by `python -m autograder grade` (the
sandboxed, warm, parallel grader an instructor runs), with these students, each a release
notebook with answers typed in, as a student hands it in:
- `solution`: the instructor's answers -> full marks;
- `blank`: the untouched release -> 0 on every autograded test cell;
- `right_answers`: every correct alternative in tests/submissions/CHAPTER/right/ -> full marks;
- one student per plausible mistake in tests/submissions/CHAPTER/wrong/ -> loses the points
  of that exercise and only those.
None of them may be flagged: they are honest.

Fidelity to nbgrader itself: a second course per chapter gets `solution`, `blank`,
`right_answers` and one wrong answer, graded by plain `nbgrader autograde`, which must give
every grade cell exactly the score this grader is held to above.

Each chapter's tests form two xdist groups (`CHAPTER roundtrip`, `CHAPTER plain`; see
tests/plugins/groups.py): each course is graded once, on one worker, and the chapters spread
over the workers.
"""

import functools
import json
import os
import pathlib

import nbformat
import pytest
from coursedir import (
    answer_cells,
    chapters,
    fixture_answers,
    grade_cells,
    make_course,
    notebooks,
    replace_answers,
    require_sandbox,
    run_grader,
    run_nbgrader,
    scores,
    submit,
)

require_sandbox()


CHAPTERS = chapters()
PLAIN_SAMPLE = ["solution", "blank", "right_answers", "wrong_00"]
WRONG = [(ch, gid, scenario) for ch in CHAPTERS for gid, scenario, _ in fixture_answers(ch, "wrong")]


def _class(chapter: str, root: pathlib.Path) -> tuple[dict, dict]:
    """{student: {file name: notebook}} and {(grade_id, scenario): student} of the wrong ones."""
    sources = {p.name: nbformat.read(p, 4) for p in notebooks(chapter, root / "source")}
    releases = {p.name: nbformat.read(p, 4) for p in notebooks(chapter, root / "release")}
    solutions = {name: {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(nb)}
                 for name, nb in sources.items()}

    def answered(changes: dict[str, str]) -> dict:
        known = set().union(*solutions.values())
        assert set(changes) <= known, f"fixtures name unknown answer cells: {set(changes) - known}"
        return {name: replace_answers(nb, {**solutions[name], **{
            k: v for k, v in changes.items() if k in solutions[name]}})
            for name, nb in releases.items()}

    students = {"solution": answered({}), "blank": releases}
    right = {gid: src for gid, _, src in fixture_answers(chapter, "right")}
    assert len(right) == len(fixture_answers(chapter, "right")), (
        "one correct alternative per exercise: `right_answers` holds them all at once")
    if right:
        students["right_answers"] = answered(right)
    wrong = {}
    for i, (gid, scenario, src) in enumerate(fixture_answers(chapter, "wrong")):
        wrong[(gid, scenario)] = f"wrong_{i:02d}"
        students[f"wrong_{i:02d}"] = answered({gid: src})
    return students, wrong


@functools.cache
def _graded(chapter: str, base: pathlib.Path) -> tuple[pathlib.Path, dict, dict, str]:
    """(root, wrong students, {student: summary row}, grader output) of the graded class."""
    root = make_course(base / chapter, chapter)
    students, wrong = _class(chapter, root)
    for student, nbs in students.items():
        submit(root, student, chapter, nbs)
    # One job: the suite's xdist workers already keep every core busy (`make test CHAPTER=`
    # grades one chapter and sets 2).
    done = run_grader(root, chapter, "--jobs", os.environ.get("COURSE_TEST_GRADER_JOBS", "1"))
    summary = json.loads((root / "reports" / chapter / "summary.json").read_text())
    return root, wrong, {r["student"]: r for r in summary}, done.stdout


@functools.cache
def _plain(chapter: str, base: pathlib.Path) -> pathlib.Path:
    """A second course with a sample of the class, graded by plain `nbgrader autograde`."""
    root = make_course(base / f"{chapter}-plain", chapter)
    students, _ = _class(chapter, root)
    for student in PLAIN_SAMPLE:  # a KeyError if the chapter lacks one: no silent gap
        submit(root, student, chapter, students[student])
    run_nbgrader(root, "autograde", chapter)
    return root


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("courses")
    return lambda chapter: _graded(chapter, base)


@pytest.fixture(scope="session")
def plain(tmp_path_factory):
    base = tmp_path_factory.mktemp("plain")
    return lambda chapter: _plain(chapter, base)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_scores_full_marks(graded, chapter):
    root, _, _, _ = graded(chapter)
    got = scores(root, chapter, "solution")
    lost = {k: v for k, v in got.items() if v[0] != v[1]}
    assert got and not lost, f"the instructor solution lost points in {lost}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_blank_release_scores_zero(graded, chapter):
    root, _, _, _ = graded(chapter)
    got = scores(root, chapter, "blank")
    earned = {k: v for k, v in got.items() if v[0] != 0}
    assert got and not earned, f"the untouched release earned points in {earned}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_correct_alternatives_score_full_marks(graded, chapter):
    assert fixture_answers(chapter, "right"), (
        f"no correct alternatives under tests/submissions/{chapter}/right/")
    root, _, _, _ = graded(chapter)
    got = scores(root, chapter, "right_answers")
    lost = {k: v for k, v in got.items() if v[0] != v[1]}
    assert not lost, f"a correct alternative solution lost points in {lost}"


@pytest.mark.parametrize(("chapter", "grade_id", "scenario"), WRONG)
def test_wrong_answer_loses_only_its_exercise(graded, chapter, grade_id, scenario):
    root, students, _, _ = graded(chapter)
    got = scores(root, chapter, students[(grade_id, scenario)])
    target = f"{grade_id}_tests"
    assert got[target][0] == 0, f"{scenario}: {target} still scored {got[target]}"
    others = {k: v for k, v in got.items() if k != target and v[0] != v[1]}
    assert not others, f"{scenario}: other exercises lost points too: {others}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_honest_submissions_are_not_flagged(graded, chapter):
    """The guard must not mistake a chapter's own code (training loops, `forbid`, plots,
    data loading) for tampering: every student of this class is honest."""
    _, _, summary, output = graded(chapter)
    flagged = {student: row["flags"] for student, row in summary.items() if row["flags"]}
    assert not flagged, output
    assert {row["status"] for row in summary.values()} == {"graded"}, output


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_test_cells_write_nothing_to_stderr(graded, chapter):
    """nbgrader scores a test cell 0 when it writes to stderr: the solution's must stay silent."""
    root, _, _, _ = graded(chapter)
    noisy = []
    for path in sorted((root / "autograded" / "solution" / chapter).glob("*.ipynb")):
        for cell in grade_cells(nbformat.read(path, as_version=4)):
            if any(o.get("name") == "stderr" for o in cell.get("outputs", [])):
                noisy.append(cell.metadata.nbgrader.grade_id)
    assert not noisy, f"test cells writing to stderr: {noisy}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_feedback_and_grade_export(graded, chapter):
    """Do nbgrader's own feedback and CSV export work on the graded course?"""
    root, _, _, _ = graded(chapter)
    run_nbgrader(root, "generate_feedback", chapter, "--force", "--student", "solution")
    html = list((root / "feedback" / "solution" / chapter).glob("*.html"))
    assert html, "generate_feedback wrote no HTML for the solution"
    run_nbgrader(root, "export", "--to", str(root / "grades.csv"))
    csv = (root / "grades.csv").read_text()
    assert "solution" in csv and "blank" in csv, csv[:500]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_plain_nbgrader_scores_the_same(plain, chapter):
    """Plain `nbgrader autograde` gives a sample of the class exactly the grades the tests above
    require of this grader, cell by cell (a test cell scores 0 or its points): full marks for
    `solution` and `right_answers`, 0 for `blank`, and for `wrong_00` 0 on its exercise only."""
    root = plain(chapter)
    gid, scenario, _ = fixture_answers(chapter, "wrong")[0]
    deserved = {"solution": lambda cell, top: top, "right_answers": lambda cell, top: top,
                "blank": lambda cell, top: 0.0,
                "wrong_00": lambda cell, top: 0.0 if cell == f"{gid}_tests" else top}
    for student in PLAIN_SAMPLE:
        got = scores(root, chapter, student)
        want = {cell: (deserved[student](cell, top), top) for cell, (_, top) in got.items()}
        assert got and got == want, f"{student} ({scenario if student == 'wrong_00' else ''}): " \
            f"plain nbgrader gave {got}"
