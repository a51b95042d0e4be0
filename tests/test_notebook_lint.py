"""Do the instructor notebooks follow the conventions of CONTRIBUTING.md?"""

import re
import subprocess
import sys

import nbformat
import pytest
from coursedir import REPO, answer_cells, chapters, fixture_answers, grade_cells, notebooks

NOTEBOOKS = [pytest.param(p, id=f"{p.parent.name}/{p.name}") for ch in chapters() for p in notebooks(ch)]


def _read(path):
    return nbformat.read(path, as_version=4)


def test_there_are_chapters():
    assert chapters(), "source/ holds no chapter"


@pytest.mark.parametrize("chapter", chapters())
def test_chapter_folder_name(chapter):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+", chapter), f"{chapter}: name chapters NN_slug"


@pytest.mark.parametrize("chapter", chapters())
def test_grade_ids_unique_in_chapter(chapter):
    seen = []
    for path in notebooks(chapter):
        seen += [c.metadata.nbgrader.grade_id for c in _read(path).cells if "nbgrader" in c.metadata]
    duplicates = sorted({g for g in seen if seen.count(g) > 1})
    assert not duplicates, f"grade_ids used twice: {duplicates}"
    bad = [g for g in seen if not re.fullmatch(r"[a-z][a-z0-9_]*", g)]
    assert not bad, f"grade_ids should be descriptive snake_case: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_no_stored_outputs(path):
    stored = [i for i, c in enumerate(_read(path).cells)
              if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not stored, f"cells {stored} have outputs: strip them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_opens_with_title_and_locked_setup(path):
    nb = _read(path)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), (
        "the first cell is a markdown title"
    )
    code = [c for c in nb.cells if c.cell_type == "code"]
    setup = code[0].metadata.get("nbgrader", {})
    assert setup.get("grade_id") == "setup" and setup.get("locked"), "first code cell: locked 'setup'"
    assert "course.setup(" in code[0].source, "the setup cell calls course.setup()"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_answer_cell_is_followed_by_its_tests(path):
    nb = _read(path)
    assert len(answer_cells(nb)) >= 1
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("solution"):
            continue
        gid = meta["grade_id"]
        assert not meta.get("grade"), f"{gid}: answer and tests belong in separate cells"
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, gid
        following = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        assert following is not None and following.metadata.get("nbgrader", {}).get("grade_id") == f"{gid}_tests", (
            f"{gid}: the next cell must be its test cell '{gid}_tests'"
        )
        assert nb.cells[i - 1].cell_type == "markdown", f"{gid}: a markdown prompt comes first"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_test_cells_are_locked_with_hidden_tests(path):
    for cell in grade_cells(_read(path)):
        meta = cell.metadata.nbgrader
        gid = meta.grade_id
        assert meta.get("locked") and not meta.get("solution"), f"{gid}: test cells are locked"
        assert meta.get("points", 0) > 0, f"{gid}: a test cell is worth points"
        assert cell.source.startswith('"""'), f"{gid}: open with a one-line docstring"
        src = cell.source
        assert "### BEGIN HIDDEN TESTS" in src and "### END HIDDEN TESTS" in src, f"{gid}: no hidden tests"
        visible = src.split("### BEGIN HIDDEN TESTS")[0]
        assert re.search(r"\bassert\b|check_\w+\(", visible), f"{gid}: no visible check"


@pytest.mark.parametrize("chapter", chapters())
def test_every_exercise_has_a_wrong_answer_fixture(chapter):
    """Each exercise is proven to fail a plausible wrong answer (tests/submissions/)."""
    exercises = {c.metadata.nbgrader.grade_id for p in notebooks(chapter) for c in answer_cells(_read(p))}
    covered = {gid for gid, _, _ in fixture_answers(chapter, "wrong")}
    assert exercises - covered == set(), f"exercises without a wrong answer: {sorted(exercises - covered)}"
    assert covered - exercises == set(), f"fixtures for unknown exercises: {sorted(covered - exercises)}"


def test_ruff_is_clean():
    """ruff lints the package, the tests and the instructor notebooks."""
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "course", "autograder", "tests", "tools", "bench", "source", "conftest.py", "nbgrader_config.py", "etc/hub"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
