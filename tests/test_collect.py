"""Does the grading service collect a submission from the exchange as `nbgrader collect` does
(autograder/collect.py)? Students hand in with the real `nbgrader submit`."""

import filecmp
import pathlib
import shutil

import pytest
from classroom import CHAPTER, Student, answers, released_course
from coursedir import run_nbgrader

from autograder import collect
from autograder.batch import load_config


@pytest.mark.parametrize(("name", "parsed"), [
    ("alice+01_tensors+2026-12-02 18:19:23.733086 UTC+KqUZzxVhzBI6",
     ("alice", "01_tensors", "2026-12-02 18:19:23.733086 UTC")),
    ("a+b+01_tensors+2026-12-02 18:19:23 UTC+xyz", ("a+b", "01_tensors", "2026-12-02 18:19:23 UTC")),
    ("bob+01_tensors+2026-12-02 18:19:23 UTC", ("bob", "01_tensors", "2026-12-02 18:19:23 UTC")),
])
def test_folder_names_split_as_nbgrader_splits_them(name, parsed):
    item = collect.parse(pathlib.Path(name))
    assert (item.student, item.assignment, item.timestamp) == parsed


@pytest.mark.parametrize("name", ["notes", "alice+01_tensors", "+01_tensors+2026+x"])
def test_other_folders_are_not_submissions(name):
    assert collect.parse(pathlib.Path(name)) is None


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A released chapter 01 course, alice's submission in its exchange."""
    base = tmp_path_factory.mktemp("collect")
    root = released_course(base / "course")
    alice = Student("alice", base / "alice", root / "exchange")
    alice.submit(answers())
    return root, alice


def test_a_submission_is_pending_until_nbgrader_wrote_its_secret(course):
    root, _ = course
    config = load_config(root)
    (item,) = collect.pending(config, set())
    assert item.student == "alice" and item.assignment == CHAPTER
    assert collect.pending(config, {item.folder.name}) == []
    half = item.folder.with_name(item.folder.name.replace("alice", "bob"))
    shutil.copytree(item.folder, half)
    (half / "submission_secret.txt").unlink()  # nbgrader submit writes it last
    try:
        assert [i.student for i in collect.pending(config, set())] == ["alice"]
    finally:
        shutil.rmtree(half)


def test_collected_as_nbgrader_collect_collects(course, tmp_path):
    """Same files, same timestamp.txt, as `nbgrader collect` puts in submitted/."""
    root, _ = course
    config = load_config(root)
    (item,) = collect.pending(config, set())
    dest = collect.collect(config, item)
    assert dest == root / "submitted" / "alice" / CHAPTER
    theirs = tmp_path / "theirs"
    shutil.copytree(root, theirs, ignore=shutil.ignore_patterns("submitted"))
    run_nbgrader(theirs, "collect", CHAPTER)
    compared = filecmp.dircmp(dest, theirs / "submitted" / "alice" / CHAPTER)
    assert sorted(compared.common_files) == ["01_tensors.ipynb", "submission_secret.txt",
                                             "timestamp.txt"], compared.report()
    assert not (compared.left_only or compared.right_only or compared.diff_files)
    assert (dest / "timestamp.txt").read_text() == item.timestamp


def test_a_newer_submission_replaces_the_collected_one(course):
    root, alice = course
    config = load_config(root)
    first = collect.collect(config, collect.pending(config, set())[0])
    (first / "stale.txt").write_text("from the previous submission")
    newer = alice.submit(answers(("describe", "len_as_numel")))
    latest = collect.pending(config, set())[-1]
    assert latest.timestamp == newer
    dest = collect.collect(config, latest)
    assert not (dest / "stale.txt").exists()
    assert (dest / "timestamp.txt").read_text() == newer
    assert sorted(p.name for p in dest.parent.iterdir()) == [CHAPTER]  # nothing half-made


def test_a_folder_that_names_another_student_is_refused_where_owners_are_checked(course):
    """Where students are Linux users (c.ExchangeCollect.check_owner, nbgrader's default), a
    submission handed in under another student's id (`nbgrader submit --student bob`, or a
    folder made by hand) is not collected, so it cannot replace bob's grade; the folder of
    the user who owns it is collected as before."""
    import getpass

    root, _ = course
    config = load_config(root)
    config.ExchangeCollect.check_owner = True
    item = [i for i in collect.pending(config, set()) if i.student == "alice"][-1]
    me = getpass.getuser()  # who owns every folder this test makes
    forged = item.folder.with_name(item.folder.name.replace("alice", "bob", 1))
    own = item.folder.with_name(item.folder.name.replace("alice", me, 1))
    shutil.copytree(item.folder, forged)
    shutil.copytree(item.folder, own)
    try:
        with pytest.raises(collect.NotTheOwner, match="names student 'bob' but belongs to"):
            collect.collect(config, collect.parse(forged))
        assert not (root / "submitted" / "bob").exists()
        assert collect.collect(config, collect.parse(own)) == root / "submitted" / me / CHAPTER
    finally:
        shutil.rmtree(forged)
        shutil.rmtree(own)
        shutil.rmtree(root / "submitted" / me, ignore_errors=True)
