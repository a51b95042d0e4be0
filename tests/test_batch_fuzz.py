"""autograder/batch.py against a generated corpus of mangled notebooks (issue 13).

Nothing a submission contains may stop the batch: each mangled copy of chapter 01's release
notebook (answers filled in, or left blank) is graded, in one batch with two honest
submissions, by the real command. A mangled submission ends *graded* (what nbgrader makes of
it, or the blank notebook, flagged) or *failed* with a reason; it never scores more than the
right answers deserve, and the honest students get exactly what plain ``nbgrader autograde``
gives them, unflagged, in both runs.

The corpus is derived with ``random.Random(SEED)``: every mutation kind below is used at least
once. Kinds that leave a readable notebook are combined, two or three to a member; a kind that
makes the file unreadable or may fail the submission is used alone, since it would hide the
others. The notebooks are written as raw bytes: nbformat refuses to write most of them.
"""

import base64
import json
import os
import pathlib
import random
import shutil
import subprocess
import sys

import nbformat
import pytest
from coursedir import (
    answer_cells,
    fixture_answers,
    make_course,
    require_sandbox,
    run_nbgrader,
    scores,
    submit,
)
from nbgrader.api import Gradebook

CHAPTER = "01_tensors"
NOTEBOOK = f"{CHAPTER}.ipynb"
SEED = 13
MEMBERS = 17  # mangled submissions; with the 2 honest ones ~30 s of grading on 2 cores
WALL = 40
FULL = 10  # chapter 01's points: what the all-right submission earns
WRONG_DESCRIBE = next(src for gid, scenario, src in fixture_answers(CHAPTER, "wrong")
                      if (gid, scenario) == ("describe", "len_as_numel"))

require_sandbox()


# -- the mutations: each changes a notebook's JSON (a dict) in place ---------------------------
def _meta(cell) -> dict:
    return cell["metadata"].get("nbgrader", {})


def _test_cells(nb) -> list[dict]:
    return [c for c in nb["cells"] if isinstance(_meta(c), dict)
            and _meta(c).get("grade") and not _meta(c).get("solution")]


def _a_test_cell(nb, rng) -> dict:
    return rng.choice(_test_cells(nb) or [c for c in nb["cells"] if c["cell_type"] == "code"])


def grade_false(nb, rng):
    _a_test_cell(nb, rng)["metadata"]["nbgrader"]["grade"] = False


def solution_true(nb, rng):
    _a_test_cell(nb, rng)["metadata"]["nbgrader"]["solution"] = True


def unlocked(nb, rng):
    cell = _a_test_cell(nb, rng)
    cell["metadata"]["nbgrader"]["locked"] = False
    cell["source"] = "pass  # the checks were in the way"


def cell_type_changed(nb, rng):
    cell = _a_test_cell(nb, rng)
    cell["cell_type"] = rng.choice(["markdown", "raw"])
    cell.pop("outputs", None)
    cell.pop("execution_count", None)


def grade_id_duplicated(nb, rng):
    first, second = rng.sample(_test_cells(nb), 2)
    second["metadata"]["nbgrader"]["grade_id"] = first["metadata"]["nbgrader"]["grade_id"]


def grade_id_removed(nb, rng):
    del _a_test_cell(nb, rng)["metadata"]["nbgrader"]["grade_id"]


def grade_id_renamed(nb, rng):
    _a_test_cell(nb, rng)["metadata"]["nbgrader"]["grade_id"] = rng.choice(["bonus_tests", "", "describe tests!"])


def grade_id_not_a_string(nb, rng):
    _a_test_cell(nb, rng)["metadata"]["nbgrader"]["grade_id"] = rng.choice(
        [["describe_tests"], {"id": "describe_tests"}, 7])


def nbgrader_not_a_dict(nb, rng):
    _a_test_cell(nb, rng)["metadata"]["nbgrader"] = rng.choice(["grade", ["grade"], 1, None])


def cell_ids_duplicated(nb, rng):
    first, second = rng.sample(nb["cells"], 2)
    second["id"] = first["id"]


def cell_id_removed(nb, rng):
    del rng.choice(nb["cells"])["id"]


def cells_moved(nb, rng):
    cell = nb["cells"].pop(rng.randrange(len(nb["cells"])))
    nb["cells"].insert(rng.randrange(len(nb["cells"]) + 1), cell)


def cell_deleted(nb, rng):
    answers = [c for c in nb["cells"] if isinstance(_meta(c), dict) and _meta(c).get("solution")]
    nb["cells"].remove(rng.choice(_test_cells(nb) + answers))


def cell_doubled(nb, rng):
    cell = _a_test_cell(nb, rng)
    twin = json.loads(json.dumps(cell))
    twin["id"] = f"{cell.get('id', 'x')}-twin"
    nb["cells"].insert(nb["cells"].index(cell) + 1, twin)


def output_forged(nb, rng):
    for cell in rng.sample(_test_cells(nb), 3):
        cell["execution_count"] = rng.randrange(1, 99)
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "All tests passed!\n"},
                           {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                            "data": {"text/plain": "True"}}]


def attachment_forged(nb, rng):
    cell = rng.choice([c for c in nb["cells"] if c["cell_type"] == "markdown"])
    cell["attachments"] = {"x.png": {"image/png": "!!not base64!!"},
                           "y.gif": {"image/gif": base64.b64encode(b"GIF89a\0\0").decode()[:-3]}}
    cell["source"] += "\n![](attachment:x.png)"


def nbformat_changed(nb, rng):
    nb["nbformat"] = rng.choice([3, 5, 99, "4"])


def nbformat_minor_changed(nb, rng):
    nb["nbformat_minor"] = rng.choice([0, 99, "5", -1])


def points_changed(nb, rng):
    _a_test_cell(nb, rng)["metadata"]["nbgrader"]["points"] = rng.choice([100, -5, 0, 1.5])


def points_not_a_number(nb, rng):
    _a_test_cell(nb, rng)["metadata"]["nbgrader"]["points"] = rng.choice(["lots", [1], None])


def huge_metadata(nb, rng):
    nb["metadata"]["padding"] = "x" * rng.randrange(4_000_000, 6_000_000)


DEEP = "@@DEEP@@"  # replaced by 10,000 nested lists when the notebook is written


def deep_metadata(nb, rng):
    nb["metadata"]["nested"] = DEEP


def invalid_json(nb, rng):
    text = json.dumps(nb)
    return rng.choice([text[: len(text) // 2], text.replace('"cells"', "cells", 1)]).encode() \
        + b"\xff\xfe"


def empty_file(nb, rng):
    return b""


def directory(nb, rng):
    return directory  # the notebook's path becomes a folder (with a notebook inside)


def timestamp_garbage(nb, rng):
    return "timestamp.txt", rng.choice(["yesterday", "2026-13-45 25:61:00", "\0\0"])


COMBINABLE = [grade_false, solution_true, unlocked, cell_type_changed, grade_id_duplicated,
              grade_id_removed, grade_id_renamed, cell_ids_duplicated,
              cell_id_removed, cells_moved, cell_deleted, cell_doubled, output_forged,
              attachment_forged, points_changed, huge_metadata]
#: Kinds used alone: each makes the file unreadable or (odd nbgrader metadata, timestamp.txt)
#: may fail the submission, which would hide the effect of any other kind combined with it.
SOLO = [nbgrader_not_a_dict, grade_id_not_a_string, points_not_a_number, nbformat_changed,
        nbformat_minor_changed, deep_metadata, timestamp_garbage, invalid_json, empty_file,
        directory]
#: Kinds the grader must notice: the student is flagged or failed.
NOTICED = {grade_false, solution_true, unlocked, grade_id_duplicated, grade_id_removed,
           grade_id_renamed, nbgrader_not_a_dict, grade_id_not_a_string, points_not_a_number,
           nbformat_changed, deep_metadata, timestamp_garbage, invalid_json, empty_file,
           directory}
#: Kinds after which nothing of the submission can be graded: it scores what a blank does.
UNREADABLE = {nbformat_changed, deep_metadata, invalid_json, empty_file, directory}
UNREAD_FLAGS = ("could not be read", "was not submitted")


def corpus(rng: random.Random) -> list[tuple[str, str, list]]:
    """[(student, base: "right" or "blank", mutation kinds)]: every kind at least once."""
    kinds = COMBINABLE[:]
    rng.shuffle(kinds)
    combos = MEMBERS - len(SOLO)
    groups = [kinds[i::combos] for i in range(combos)]
    for group in groups:
        extra = rng.choice(COMBINABLE)
        if rng.random() < 0.5 and extra not in group:
            group.append(extra)
    groups += [[kind] for kind in SOLO]
    members = []
    for i, group in enumerate(groups):
        base = "blank" if i % 4 == 1 else "right"
        members.append((f"m{i:02d}_{base}_{'+'.join(k.__name__ for k in group)}", base, group))
    return members


def mangle(nb: dict, kinds, rng) -> tuple[bytes | None, dict[str, str]]:
    """(the notebook file's bytes, or None for a folder in its place; other files to write)."""
    nb = json.loads(json.dumps(nb))
    extra, raw = {}, None
    for kind in kinds:
        done = kind(nb, rng)
        if isinstance(done, tuple):
            extra[done[0]] = done[1]
        elif done is directory:
            return None, extra
        elif isinstance(done, bytes):
            raw = done
    if raw is None:
        raw = json.dumps(nb, indent=1).replace(json.dumps(DEEP), "[" * 10_000 + "]" * 10_000)
        raw = raw.encode()
    return raw, extra


# -- the graded course --------------------------------------------------------------------------
def _grader(root) -> subprocess.CompletedProcess:
    """`python -m autograder grade 01_tensors`, whatever its exit status (1: one failed)."""
    return subprocess.run([sys.executable, "-m", "autograder", "grade", CHAPTER, "--jobs", "2",
                           "--wall", str(WALL)], cwd=root, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "PATH": os.pathsep.join(
                              [str(pathlib.Path(sys.executable).parent), os.environ["PATH"]])})


def _summary(root) -> dict[str, dict]:
    rows = json.loads((root / "reports" / CHAPTER / "summary.json").read_text())
    return {r["student"]: r for r in rows}


def _rows(root, student) -> list:
    """Everything the gradebook holds of one student's submission of chapter 01."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(CHAPTER, student)
        found = [submission.id, str(submission.timestamp), submission.score]
        for notebook in submission.notebooks:
            found += [(g.id, g.name, g.auto_score, g.manual_score, g.extra_credit)
                      for g in notebook.grades]
            found += [(c.id, c.name, c.manual_comment, c.auto_comment) for c in notebook.comments]
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The course, graded twice: (root, members, honest {student: deserved}, outputs...)."""
    root = make_course(tmp_path_factory.mktemp("fuzz") / "course", CHAPTER)
    source = nbformat.read(root / "source" / CHAPTER / NOTEBOOK, 4)
    release = nbformat.read(root / "release" / CHAPTER / NOTEBOOK, 4)
    solutions = {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(source)}

    def filled(answers):
        nb = nbformat.from_dict(release)
        for cell in answer_cells(nb):
            cell.source = answers.get(cell.metadata.nbgrader.grade_id, cell.source)
        return nb

    honest = {"honest_right": (filled(solutions), FULL),
              "honest_one_wrong": (filled({**solutions, "describe": WRONG_DESCRIBE}), FULL - 1)}
    for student, (nb, _) in honest.items():
        submit(root, student, CHAPTER, {NOTEBOOK: nb})
    bases = {"right": json.loads(nbformat.writes(filled(solutions))),
             "blank": json.loads(nbformat.writes(release))}
    rng = random.Random(SEED)
    members = corpus(rng)
    changed = {}
    for student, base, kinds in members:
        raw, extra = mangle(bases[base], kinds, rng)
        folder = root / "submitted" / student / CHAPTER
        folder.mkdir(parents=True)
        if raw is None:
            (folder / NOTEBOOK).mkdir()
            (folder / NOTEBOOK / NOTEBOOK).write_text(json.dumps(bases[base]))
        else:
            (folder / NOTEBOOK).write_bytes(raw)
        for name, text in extra.items():
            (folder / name).write_text(text)
        changed[student] = bool(extra) or raw != json.dumps(bases[base], indent=1).encode()
    first = _grader(root)
    assert (root / "reports" / CHAPTER / "summary.json").is_file(), \
        f"the batch stopped:\n{first.stdout[-3000:]}\n{first.stderr[-3000:]}"
    summary = _summary(root)
    rows = {s: _rows(root, s) for s in honest}
    got = {s: sum(x for x, _ in scores(root, CHAPTER, s).values())
           for s, r in summary.items() if r["status"] == "graded"}
    second = _grader(root)
    return root, members, changed, honest, first, summary, rows, got, second


# -- the tests ----------------------------------------------------------------------------------
def test_the_corpus_holds_every_mutation_each_changing_its_notebook(graded):
    _, members, changed, _, _, _, _, _, _ = graded
    used = {kind for _, _, kinds in members for kind in kinds}
    assert used == set(COMBINABLE) | set(SOLO)
    assert all(len(kinds) >= 2 for _, _, kinds in members if kinds[0] in COMBINABLE)
    assert all(changed.values()), [s for s, c in changed.items() if not c]


def test_every_combined_mutation_reaches_the_grader_in_a_readable_notebook(graded):
    """Each kind is in some member whose notebook was read as submitted (not replaced by the
    blank at stage) and graded: its effect got as far as nbgrader's sanitize and the kernel."""
    _, members, _, _, _, summary, _, _, _ = graded
    read = {kind for student, _, kinds in members for kind in kinds
            if summary[student]["status"] == "graded"
            and not any(text in f for f in summary[student]["flags"] for text in UNREAD_FLAGS)}
    assert read >= set(COMBINABLE), set(COMBINABLE) - read


def test_the_batch_finishes_with_every_student_in_the_summary(graded):
    root, members, _, honest, first, summary, _, _, _ = graded
    assert "Traceback" not in first.stderr, first.stderr[-3000:]
    failed = [s for s, r in summary.items() if r["status"] == "failed"]
    assert first.returncode == (1 if failed else 0), first.stdout[-3000:] + first.stderr[-3000:]
    assert set(summary) == {s for s, _, _ in members} | set(honest)
    for student, r in summary.items():
        assert r["status"] in {"graded", "failed"}, (student, r)
        if r["status"] == "failed":
            assert r["error"].strip() and "\n" not in r["error"], (student, r)
            assert "Traceback" not in r["error"], (student, r)


def test_mangled_students_are_flagged_or_failed_where_the_grader_can_tell(graded):
    _, members, _, _, _, summary, _, _, _ = graded
    for student, _, kinds in members:
        r = summary[student]
        if NOTICED & set(kinds):
            assert r["status"] == "failed" or r["flags"], (student, r)
        if UNREADABLE & set(kinds) and r["status"] == "graded":
            assert any("graded as the blank notebook" in f for f in r["flags"]), (student, r)


def test_no_mangled_student_scores_more_than_its_answers_deserve(graded):
    _, members, _, _, _, summary, _, got, _ = graded
    blanks_graded = 0
    for student, base, kinds in members:
        if summary[student]["status"] != "graded":
            continue
        if base == "blank" or UNREADABLE & set(kinds):
            assert got[student] == 0, (student, got[student], summary[student])
            blanks_graded += base == "blank"
        else:
            assert 0 <= got[student] <= FULL, (student, got[student], summary[student])
    assert blanks_graded, "no mangled blank notebook was graded: the corpus proves nothing"


def test_honest_students_score_as_under_plain_nbgrader_unflagged(graded, tmp_path):
    root, _, _, honest, _, summary, _, got, _ = graded
    plain = make_course(tmp_path / "plain", CHAPTER)
    for student in honest:
        shutil.copytree(root / "submitted" / student, plain / "submitted" / student)
    run_nbgrader(plain, "autograde", CHAPTER)
    for student, (_, deserved) in honest.items():
        assert summary[student]["status"] == "graded" and summary[student]["flags"] == []
        assert scores(root, CHAPTER, student) == scores(plain, CHAPTER, student), student
        assert got[student] == deserved, student


def test_a_second_run_changes_nothing(graded):
    root, _, _, honest, first, summary, rows, got, second = graded
    assert "Traceback" not in second.stderr, second.stderr[-3000:]
    again = _summary(root)
    assert set(again) == set(summary)
    for student, r in summary.items():
        expected = "skipped" if r["status"] == "graded" else "failed"
        assert again[student]["status"] == expected, (student, r, again[student])
        if r["status"] == "graded":
            assert again[student]["score"] == r["score"], student
    assert second.returncode == first.returncode
    assert {s: _rows(root, s) for s in honest} == rows
    assert {s: sum(x for x, _ in scores(root, CHAPTER, s).values()) for s in got} == got
