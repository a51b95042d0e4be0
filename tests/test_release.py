"""Is release/ exactly what nbgrader generates from source/, and does it fail as it should?"""

import nbformat
import pytest
from coursedir import RELEASE, REPO, chapters, grade_cells, make_course, notebooks
from nbgrader.validator import Validator
from traitlets.config.loader import PyFileConfigLoader

from autograder.preprocessors import TagTestCells
from autograder.preprocessors.tagtestcells import TAG
from tests.plugins.executions import executed, replaying_validator


def _cells(path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.metadata.get("nbgrader"), c.metadata.get("tags")) for c in nb.cells]


@pytest.mark.parametrize("chapter", chapters())
def test_release_matches_source(tmp_path, chapter):
    """Generating the release afresh gives the committed release/ (run `make release`)."""
    root = make_course(tmp_path, chapter)
    fresh = sorted(p.relative_to(root / "release") for p in (root / "release" / chapter).rglob("*") if p.is_file())
    committed = sorted(p.relative_to(RELEASE) for p in (RELEASE / chapter).rglob("*") if p.is_file())
    assert fresh == committed, "release/ has different files than a fresh release: run `make release`"
    for path in notebooks(chapter, root / "release"):
        assert _cells(path) == _cells(RELEASE / chapter / path.name), (
            f"release/{chapter}/{path.name} differs from a fresh release: run `make release`"
        )


def test_release_index_is_current():
    """release/README.md, the students' table of contents, is generated from source/."""
    from tools.release_index import index

    assert (RELEASE / "README.md").read_text(encoding="utf-8") == index(), "run `make release`"


def test_every_chapter_is_released():
    released = sorted(p.name for p in RELEASE.iterdir() if p.is_dir())
    assert released == chapters(), "release/ and source/ hold different chapters: run `make release`"


@pytest.mark.parametrize("chapter", chapters())
def test_release_fails_every_test(chapter, monkeypatch):
    """`nbgrader validate --invert`: no test cell passes on the untouched student notebook."""
    monkeypatch.chdir(REPO)
    for path in notebooks(chapter, RELEASE):
        result = Validator(invert=True).validate(str(path))
        assert not result, f"{path.name}: tests that pass without any answer: {result}"


@pytest.mark.parametrize("chapter", chapters())
def test_source_validates(chapter, monkeypatch):
    """`nbgrader validate`: the instructor notebook passes every test.

    nbgrader's Validator judges the execution nbval made of the notebook in this run (one
    execution, two checks: tests/plugins/executions.py); it runs the notebook itself when
    nbval did not (a test run without source/).
    """
    monkeypatch.chdir(REPO)
    for path in notebooks(chapter):
        nb = executed(path)
        validator = Validator() if nb is None else replaying_validator(nb)
        result = validator.validate(str(path))
        assert not result, f"{path.name}: {result}"


def test_nbgrader_config_loads():
    """nbgrader only logs an error for a broken nbgrader_config.py and goes on without it."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    assert config.CourseDirectory.course_id and config.ExecutePreprocessor.timeout >= 30
    assert TagTestCells in config.GenerateAssignment.preprocessors


@pytest.mark.parametrize("chapter", chapters())
def test_student_test_cells_do_not_stop_run_all(chapter):
    """Release test cells carry `raises-exception` (Run All goes on); source cells do not (nbval)."""
    for path in notebooks(chapter, RELEASE):
        assert all(TAG in c.metadata.get("tags", []) for c in grade_cells(nbformat.read(path, as_version=4)))
    for path in notebooks(chapter):
        assert not any(TAG in c.metadata.get("tags", []) for c in nbformat.read(path, as_version=4).cells)
