"""autograder/stage.py without a sandbox or a gradebook file: what a submission's staged and
handed-in copies hold, and what is flagged. Small notebooks made with nbformat.v4 in tmp_path;
the gradebook is a stand-in with the three look-ups staging makes."""

import json
import os
import types

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import MissingEntry

from autograder import stage
from autograder.limits import NOTEBOOK_BYTES

ASSIGNMENT = "demo"
TESTS = {"t1": 1.0, "t2": 2.0}  # the assignment's test cells and their points


def _answer(source="def f():\n    return 1"):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "answer"}
    return cell


def _test(grade_id, source=None, points=None):
    cell = new_code_cell(source or f"assert f() == 1  # {grade_id}")
    cell.metadata["nbgrader"] = {"solution": False, "grade": True, "grade_id": grade_id,
                                 "points": TESTS[grade_id] if points is None else points}
    return cell


def _release():
    return new_notebook(cells=[new_markdown_cell("# demo"), _answer("# YOUR CODE HERE"),
                               _test("t1"), _test("t2")])


RELEASE = _release()


class _Gradebook:
    """The gradebook's answers about assignment ``demo``, notebook ``nb`` (TESTS)."""

    def find_grade_cell(self, grade_id, notebook, assignment):
        if grade_id == "explodes":
            raise RuntimeError("the gradebook went away")
        if grade_id not in TESTS:
            raise MissingEntry()
        return types.SimpleNamespace(max_score=TESTS[grade_id])

    def find_notebook(self, notebook, assignment):
        parent = types.SimpleNamespace(name=notebook,
                                       assignment=types.SimpleNamespace(name=assignment))
        return types.SimpleNamespace(grade_cells=[
            types.SimpleNamespace(name=name, cell_type="code", notebook=parent) for name in TESTS])

    def find_solution_cell(self, name, notebook, assignment):
        raise MissingEntry()


@pytest.fixture
def course(tmp_path):
    """stage_it(files) -> (flags, staged folder, handed-in folder) for a submission holding
    ``files`` ({name: notebook, bytes, or a callable that makes the file at a path})."""
    release = tmp_path / "release"
    release.mkdir()
    nbformat.write(RELEASE, release / "nb.ipynb")

    def stage_it(files, max_bytes=10_000_000, flags=None):
        src = tmp_path / "submitted" / "s1" / ASSIGNMENT
        src.mkdir(parents=True)
        for name, content in files.items():
            if callable(content):
                content(src / name)
            elif isinstance(content, bytes):
                (src / name).write_bytes(content)
            else:
                nbformat.write(content, src / name)
        before = sorted((p.relative_to(src), p.is_symlink()) for p in src.rglob("*"))
        staged, handed_in = tmp_path / "staged", tmp_path / "handed-in"
        found = stage.stage(src, staged, handed_in, release, ["nb"], _Gradebook(), ASSIGNMENT,
                            ignore=["*.pyc"], max_bytes=max_bytes, flags=flags)
        assert sorted((p.relative_to(src), p.is_symlink()) for p in src.rglob("*")) == before
        return found, staged, handed_in
    return stage_it


def _honest():
    return new_notebook(cells=[new_markdown_cell("# demo"), _answer(), _test("t1"), _test("t2")])


def test_an_honest_submission_is_copied_twice_unflagged(course):
    flags, staged, handed_in = course({"nb.ipynb": _honest(), "data.csv": b"1,2\n",
                                       "cache.pyc": b"x"})
    assert flags == []
    for folder in (staged, handed_in):
        assert sorted(p.name for p in folder.iterdir()) == ["data.csv", "nb.ipynb"]
        assert nbformat.read(folder / "nb.ipynb", 4).cells[1].source == _answer().source


def _odd(metadata):
    """A notebook whose first cell carries ``metadata`` (nbformat's schema allows anything)."""
    cell = new_code_cell("x = 1")
    cell.metadata.update(metadata)
    return new_notebook(cells=[cell])


@pytest.mark.parametrize(("files", "says"), [
    ({}, "nb.ipynb was not submitted"),
    ({"nb.ipynb": lambda path: (path / "inner").mkdir(parents=True)}, "nb.ipynb was not submitted"),
    ({"nb.ipynb": b"{not json"}, "nb.ipynb could not be read (NotJSONError"),
    ({"nb.ipynb": json.dumps({"cells": 3}).encode()}, "nb.ipynb could not be read ("),
    ({"nb.ipynb": b"\xff\xfe\x00"}, "nb.ipynb could not be read ("),
    ({"nb.ipynb": nbformat.writes(_odd({"nbgrader": ["grade", True]})).encode()},
     "nb.ipynb could not be read (cell 1: nbgrader metadata is a list"),
    ({"nb.ipynb": nbformat.writes(_odd({"nbgrader": {"grade": True, "grade_id": {"x": 1}}}))
      .encode()}, "nb.ipynb could not be read (cell 1: nbgrader metadata has a grade_id"),
    ({"nb.ipynb": nbformat.writes(_odd({"nbgrader": {"grade_id": "t" * 5_000}})).encode()},
     "nb.ipynb could not be read (cell 1: nbgrader metadata has a grade_id"),
    ({"nb.ipynb": nbformat.writes(_odd({"nbgrader": {"grade": True, "grade_id": "t",
                                                     "points": "lots"}})).encode()},
     "nb.ipynb could not be read (cell 1: nbgrader metadata has points"),
    ({"nb.ipynb": nbformat.writes(_odd({"nbgrader": {"grade": "yes", "grade_id": "t"}}))
      .encode()}, "nb.ipynb could not be read (cell 1: nbgrader metadata has a grade"),
], ids=["missing", "folder", "not-json", "not-a-notebook", "invalid-bytes", "metadata-a-list",
        "grade-id-a-dict", "grade-id-huge", "points-a-string", "grade-a-string"])
def test_an_unreadable_notebook_is_graded_as_the_blank_one(course, files, says):
    flags, staged, handed_in = course(files)
    assert len(flags) == 1 and flags[0].startswith(says)
    assert flags[0].endswith("it was graded as the blank notebook.")
    for folder in (staged, handed_in):
        assert (folder / "nb.ipynb").is_file()
        assert nbformat.read(folder / "nb.ipynb", 4) == RELEASE


def test_links_and_oversized_files_are_left_out(course, tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("secret")
    big_notebook = _honest()
    big_notebook.cells[0].source = "x" * 5_000  # over max_bytes, but a notebook may be larger
    flags, staged, handed_in = course({
        "nb.ipynb": big_notebook,
        "link.db": lambda path: os.symlink(secret, path),
        "sub": lambda path: (path.mkdir(), os.symlink(secret, path / "inner.db")),
        "huge.bin": b"x" * 4_001,
        "small.bin": b"x" * 4_000,
    }, max_bytes=4_000)
    assert sorted(flags) == ["huge.bin is larger than 4 kB; it was left out.",
                             "link.db is a symbolic link; it was left out.",
                             "sub/inner.db is a symbolic link; it was left out."]
    for folder in (staged, handed_in):
        assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == [
            "nb.ipynb", "small.bin", "sub"]
        assert not any(p.is_symlink() for p in folder.rglob("*"))


def test_a_notebook_over_the_notebook_limit_is_left_out(course):
    flags, staged, _ = course({"nb.ipynb": lambda path: path.write_bytes(
        b" " * (NOTEBOOK_BYTES + 1))}, max_bytes=1_000)
    assert flags == [f"nb.ipynb is larger than {NOTEBOOK_BYTES // 1000} kB; it was left out.",
                     "nb.ipynb was not submitted; it was graded as the blank notebook."]
    assert nbformat.read(staged / "nb.ipynb", 4) == RELEASE


def test_edited_deleted_and_added_test_cells_are_flagged(course):
    extra = new_code_cell("assert True")
    extra.metadata["nbgrader"] = {"solution": False, "grade": True, "grade_id": "t9",
                                  "points": 5}
    nb = new_notebook(cells=[_answer(), _test("t1", source="pass"), extra])
    nb.cells[1].metadata.nbgrader["points"] = 10
    flags, staged, handed_in = course({"nb.ipynb": nb})
    assert flags == ["Edited test cell 't1'; the original was restored.",
                     "Changed the points of 't1'; the original was restored.",
                     "Added a test cell 't9' that is not in the assignment; it earns nothing.",
                     "Deleted test cell 't2'; it scores 0."]
    # Staging changes nothing in the notebook: nbgrader's sanitize restores the tests later.
    assert nbformat.read(staged / "nb.ipynb", 4) == nbformat.read(handed_in / "nb.ipynb", 4) == nb


def test_answers_that_use_what_no_answer_needs_are_flagged_for_review(course):
    nb = _honest()
    nb.cells[1].source = "import ctypes\ndef f():\n    return 1"
    flags, _, _ = course({"nb.ipynb": nb})
    assert len(flags) == 1 and flags[0].startswith("For review: answer 'answer' uses import ctypes")


def test_flags_found_before_an_error_are_kept(course):
    """An error while staging (the grader makes that student failed): the flags found so far
    are already in the caller's list, so the failed result still shows them."""
    nb = _honest()
    nb.cells[2].metadata.nbgrader["grade_id"] = "explodes"
    kept = []
    with pytest.raises(RuntimeError):
        course({"nb.ipynb": nb, "link": lambda path: os.symlink("/etc/passwd", path)},
               flags=kept)
    assert kept == ["link is a symbolic link; it was left out."]


def test_one_line():
    assert stage.one_line(ValueError("first\nsecond")) == "ValueError: first"
    assert stage.one_line(KeyError()) == "KeyError"
    assert stage.one_line(RuntimeError("x" * 500), 20) == "RuntimeError: xxxxxx"
