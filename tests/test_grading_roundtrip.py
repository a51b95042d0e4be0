"""Does real `nbgrader autograde` give every known submission the score it deserves?

For each chapter one temporary course is graded once, with these students:
- `solution`: the instructor notebook itself -> full marks;
- `blank`: the untouched release -> 0 on every autograded test cell;
- `right_answers`: every correct alternative in tests/submissions/CHAPTER/right/ -> full marks;
- one student per plausible mistake in tests/submissions/CHAPTER/wrong/ -> loses the points
  of that exercise and only those.
"""

import functools
import pathlib

import nbformat
import pytest
from coursedir import (
    chapters,
    fixture_answers,
    grade_cells,
    make_course,
    notebooks,
    replace_answers,
    run_nbgrader,
    scores,
    submit,
)

WRONG = [(ch, gid, scenario) for ch in chapters() for gid, scenario, _ in fixture_answers(ch, "wrong")]


def _with_answers(chapter: str, root: pathlib.Path, answers: dict[str, str]) -> dict:
    """The chapter's release notebooks with `answers` put in, {file name: notebook}."""
    nbs, used = {}, set()
    for path in notebooks(chapter, root / "source"):
        nb = nbformat.read(path, as_version=4)
        ids = {c.metadata.nbgrader.grade_id for c in nb.cells if "nbgrader" in c.metadata}
        mine = {k: v for k, v in answers.items() if k in ids}
        used |= set(mine)
        nbs[path.name] = replace_answers(nb, mine)
    assert used == set(answers), f"fixtures name unknown answer cells: {set(answers) - used}"
    return nbs


@functools.cache
def _graded(chapter: str, base: pathlib.Path) -> tuple[pathlib.Path, dict]:
    root = make_course(base / chapter, chapter)
    source = {p.name: nbformat.read(p, as_version=4) for p in notebooks(chapter, root / "source")}
    release = {p.name: nbformat.read(p, as_version=4) for p in notebooks(chapter, root / "release")}
    submit(root, "solution", chapter, source)
    submit(root, "blank", chapter, release)
    right = {gid: src for gid, _, src in fixture_answers(chapter, "right")}
    if right:
        submit(root, "right_answers", chapter, _with_answers(chapter, root, right))
    students = {}
    for i, (gid, scenario, src) in enumerate(fixture_answers(chapter, "wrong")):
        student = f"wrong_{i:02d}"
        students[(gid, scenario)] = student
        submit(root, student, chapter, _with_answers(chapter, root, {gid: src}))
    run_nbgrader(root, "autograde", chapter, "--force")
    return root, students


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("courses")
    return lambda chapter: _graded(chapter, base)


@pytest.mark.parametrize("chapter", chapters())
def test_solution_scores_full_marks(graded, chapter):
    root, _ = graded(chapter)
    got = scores(root, chapter, "solution")
    lost = {k: v for k, v in got.items() if v[0] != v[1]}
    assert got and not lost, f"the instructor solution lost points in {lost}"


@pytest.mark.parametrize("chapter", chapters())
def test_blank_release_scores_zero(graded, chapter):
    root, _ = graded(chapter)
    got = scores(root, chapter, "blank")
    earned = {k: v for k, v in got.items() if v[0] != 0}
    assert got and not earned, f"the untouched release earned points in {earned}"


@pytest.mark.parametrize("chapter", chapters())
def test_correct_alternatives_score_full_marks(graded, chapter):
    if not fixture_answers(chapter, "right"):
        pytest.skip(f"no correct alternatives under tests/submissions/{chapter}/right/")
    root, _ = graded(chapter)
    got = scores(root, chapter, "right_answers")
    lost = {k: v for k, v in got.items() if v[0] != v[1]}
    assert not lost, f"a correct alternative solution lost points in {lost}"


@pytest.mark.parametrize(("chapter", "grade_id", "scenario"), WRONG)
def test_wrong_answer_loses_only_its_exercise(graded, chapter, grade_id, scenario):
    root, students = graded(chapter)
    got = scores(root, chapter, students[(grade_id, scenario)])
    target = f"{grade_id}_tests"
    assert got[target][0] == 0, f"{scenario}: {target} still scored {got[target]}"
    others = {k: v for k, v in got.items() if k != target and v[0] != v[1]}
    assert not others, f"{scenario}: other exercises lost points too: {others}"


@pytest.mark.parametrize("chapter", chapters())
def test_test_cells_write_nothing_to_stderr(graded, chapter):
    """nbgrader scores a test cell 0 when it writes to stderr: the solution's must stay silent."""
    root, _ = graded(chapter)
    noisy = []
    for path in sorted((root / "autograded" / "solution" / chapter).glob("*.ipynb")):
        for cell in grade_cells(nbformat.read(path, as_version=4)):
            if any(o.get("name") == "stderr" for o in cell.get("outputs", [])):
                noisy.append(cell.metadata.nbgrader.grade_id)
    assert not noisy, f"test cells writing to stderr: {noisy}"


@pytest.mark.parametrize("chapter", chapters())
def test_feedback_and_grade_export(graded, chapter):
    """Do nbgrader's own feedback and CSV export work on the graded course?"""
    root, _ = graded(chapter)
    run_nbgrader(root, "generate_feedback", chapter, "--force")
    html = list((root / "feedback" / "solution" / chapter).glob("*.html"))
    assert html, "generate_feedback wrote no HTML for the solution"
    run_nbgrader(root, "export", "--to", str(root / "grades.csv"))
    csv = (root / "grades.csv").read_text()
    assert "solution" in csv and "blank" in csv, csv[:500]
