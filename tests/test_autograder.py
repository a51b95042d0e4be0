"""The batch grader against hostile submissions: `python -m autograder grade` (issue 7).

One temporary course (chapter 01, 10 points) is graded once by the real command, with honest
students and one student per kind of attack. Each attack starts from answers that deserve a
known score (usually one exercise wrong) and adds a trick that would earn more under plain
nbgrader; the grader must give exactly the deserved score and flag the student.
`test_plain_nbgrader_is_fooled` proves the tricks work against plain `nbgrader autograde`,
and that honest students get the same scores from both.
"""

import hashlib
import json
import pathlib
import re
import subprocess
import sys
import textwrap

import nbformat
import pytest
from coursedir import (
    answer_cells,
    fixture_answers,
    make_course,
    require_sandbox,
    run_grader,
    run_nbgrader,
    scores,
    submit,
)

CHAPTER = "01_tensors"
WRONG = {gid: src for gid, scenario, src in fixture_answers(CHAPTER, "wrong")
         if (gid, scenario) in {("describe", "len_as_numel"), ("checkerboard", "one_slice_only"),
                                ("sample_normal", "variance_as_std")}}
RIGHT = {gid: src for gid, _, src in fixture_answers(CHAPTER, "right")}
WALL = 40  # seconds per notebook in this test (the default is 300; honest ones need ~3)
GUESS = "/srv/course"  # a course root a student might guess (the audit hook ignores /tmp)


require_sandbox()

# The tricks, each added to an answer cell. Keys: student ids.
REBIND_ASSERT_CLOSE = "\nimport torch\ntorch.testing.assert_close = lambda *a, **k: None\n"
TRICKS = {
    # student: (answers replaced, {answer cell: code appended}, deserved score, flag text)
    "rebinds_torch": ({"checkerboard"}, {"checkerboard": REBIND_ASSERT_CLOSE},
                      9, "torch.testing.assert_close"),
    "rebinds_builtin": ({"sample_normal"},
                        {"sample_normal": "\nimport builtins\nbuiltins.abs = lambda x: 0\n"},
                        9, "builtins.abs"),
    "rebinds_notebook_name": ({"describe"},
                              {"describe": "\ncheck_equal = lambda *a, **k: None\n"},
                              9, "the notebook's name 'check_equal'"),
    "rebinds_tensor_method": ({"checkerboard"}, {"checkerboard": (
        "\nimport torch\n_sub = torch.Tensor.__sub__\n"
        "torch.Tensor.__sub__ = lambda a, b: _sub(a, a)\n"
        "torch.testing.assert_close = lambda a, b, **k: None if (a - b).abs().max() == 0 "
        "else 1 / 0\n")}, 9, "torch.Tensor.__sub__"),
    "swallows_errors": ({"checkerboard"}, {"checkerboard": (
        "\nget_ipython().set_custom_exc((Exception,), lambda *a, **k: None)\n")},
        9, "set_custom_exc"),
    "rewrites_tests": ({"checkerboard"}, {"checkerboard": (
        "\nimport ast\nclass Quiet(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        guard = ast.parse('try:\\n    pass\\nexcept BaseException:\\n    pass').body[0]\n"
        "        guard.body = node.body\n"
        "        node.body = [guard]\n"
        "        return node\n"
        "get_ipython().ast_transformers.append(Quiet())\n")}, 9, "ast_transformers"),
    "hides_stderr": ({"checkerboard"}, {"checkerboard": (
        "\nimport sys, io\nsys.stderr = io.StringIO()\n")}, 9, "sys.stderr"),
    "forges_guard": ({"checkerboard"}, {"describe": (
        "\nfor _k in [k for k in globals() if k.startswith('_autograder')]:\n"
        "    globals()[_k] = lambda: '{\"changed\": [], \"notes\": []}'\n")},
        0, "integrity check was removed"),
    "tampers_during_test": ({"checkerboard"}, {"checkerboard": (
        "\nimport torch\n_board = checkerboard\n"
        "def checkerboard(n):\n"
        "    torch.testing.assert_close = lambda *a, **k: None\n"
        "    return _board(n)\n")}, 9, "while test 'checkerboard_tests' ran"),
    # the five exercises before true_class_score keep their 5 points
    "exits_kernel": (set(), {"true_class_score": "\nimport os\nos._exit(0)\n"},
                     5, "kernel stopped"),
    "segfaults": (set(), {"true_class_score": "\nimport ctypes\nctypes.string_at(0)\n"},
                  5, "kernel stopped"),
    # kills every process it may: with warm kernels that includes the zygote it was forked
    # from, so the submission is graded again in a cold sandbox of its own (where it can
    # kill nothing but itself, which kill(-1) spares): its right answers keep their points
    "kills_everything": (set(), {"true_class_score": (
        "\nimport os, signal\nos.kill(-1, signal.SIGKILL)\n")}, 10, "graded again from scratch"),
    # swallows the interrupt, so only the wall cap ends it (it sleeps: the cap is about time,
    # and a spinning loop would take a core from the rest of the test suite for WALL seconds)
    "loops_forever": (set(), {"add_into": (
        "\nimport time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
        "    except BaseException:\n        pass\n")},
        9, f"longer than its {WALL} s limit"),
    "floods_output": (set(), {"describe": "\nfor _ in range(200_000):\n    print('x' * 100)\n"},
                      10, "output"),
    "allocates_unbounded": (set(), {"describe": "\nhog = bytearray(64 * 1024**3)\n"},
                            10, "memory"),
    "touches_files": (set(), {"describe": "\n".join([
        "", "import pathlib, sqlite3",
        "for p in ['{root}/gradebook.db', '{root}/source/01_tensors/01_tensors.ipynb', "
        "'{guess}/gradebook.db', '../../../other/01_tensors/01_tensors.ipynb']:",
        "    try:", "        print(open(p).read()[:10])", "    except OSError as e:", "        print(e)",
        "try:", "    pathlib.Path('{root}/pwned.txt').write_text('x')", "except OSError as e:",
        "    print(e)", "try:",
        "    sqlite3.connect('{root}/gradebook.db').execute('delete from grade')",
        "except Exception as e:", "    print(e)", ""])}, 10, "outside its folder: {guess}/gradebook.db"),
    # Patches the tests' tools just before every cell and puts them back just after, so both
    # checkpoints (which run outside cells) see the originals.
    "patches_in_callbacks": ({"checkerboard"}, {"describe": (
        "\n_saved = {}\n"
        "def _patch(info):\n"
        "    if 'checkerboard(' in info.raw_cell:\n"
        "        _saved['check_close'] = check_close\n"
        "        globals()['check_close'] = lambda *a, **k: None\n"
        "def _restore(*a):\n"
        "    globals().update(_saved)\n"
        "get_ipython().events.register('pre_run_cell', _patch)\n"
        "get_ipython().events.register('post_run_cell', _restore)\n")},
        9, "IPython pre_run_cell callbacks"),
    # The checkpoint the grader calls, read and forged as a student who has read guard.py
    # would: take anything secret-looking from its closure (the nonce once lived there) and
    # answer "nothing changed" with it, signed the way execute.py checks if a key was found.
    "reads_checkpoint_closure": ({"checkerboard"}, {"describe": (
        "\nimport hashlib, hmac as _hmac, torch\n"
        "_name = [k for k in globals() if k.startswith('_autograder')][0]\n"
        "_found = [c.cell_contents for c in (globals()[_name].__closure__ or ())]\n"
        "_keys = [v for v in _found if isinstance(v, (bytes, str))]\n"
        "def _forged(challenge, phase=''):\n"
        "    report = repr(((), ()))\n"
        "    key = _keys[0] if _keys else b''\n"
        "    key = key if isinstance(key, bytes) else key.encode()\n"
        "    return _hmac.new(key, (challenge + report).encode(), hashlib.sha256).hexdigest() + report\n"
        "globals()[_name] = _forged\n"
        "torch.testing.assert_close = lambda *a, **k: None\n")}, 0, "integrity check was removed"),
    # Wraps the real checkpoint: undoes its patch, asks, patches again.
    "wraps_checkpoint": ({"checkerboard"}, {"checkerboard": (
        "\nimport torch\n"
        "_name = [k for k in globals() if k.startswith('_autograder')][0]\n"
        "_real, _orig = globals()[_name], torch.testing.assert_close\n"
        "def _wrapped(challenge, phase=''):\n"
        "    torch.testing.assert_close = _orig\n"
        "    try:\n"
        "        return _real(challenge, phase)\n"
        "    finally:\n"
        "        torch.testing.assert_close = lambda *a, **k: None\n"
        "globals()[_name] = _wrapped\n"
        "torch.testing.assert_close = lambda *a, **k: None\n")}, 9, "called by other code"),
    # A wrong board in a Tensor subclass whose __torch_function__ says every value matches.
    "lies_in_torch_function": ({"checkerboard"}, {"checkerboard": (
        "\nimport torch\n"
        "class _Liar(torch.Tensor):\n"
        "    @classmethod\n"
        "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
        "        if func in (torch.isclose, torch.eq, torch.Tensor.eq, torch.Tensor.__eq__):\n"
        "            with torch._C.DisableTorchFunctionSubclass():\n"
        "                shape = torch.broadcast_shapes(args[0].shape, torch.as_tensor(args[1]).shape)\n"
        "                return torch.ones(shape, dtype=torch.bool)\n"
        "        if func in (torch.equal, torch.allclose):\n"
        "            return True\n"
        "        return super().__torch_function__(func, types, args, kwargs or {})\n"
        "_board = checkerboard\n"
        "def checkerboard(n):\n"
        "    return _board(n).as_subclass(_Liar)\n")}, 9, "__torch_function__"),
    # An answer that is "equal" to whatever a check compares it with.
    "always_equal": ({"describe"}, {"describe": (
        "\nclass _Yes:\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __ne__(self, other):\n        return False\n"
        "    def __bool__(self):\n        return True\n"
        "    def __getattr__(self, name):\n        return self\n"
        "def describe(t):\n    return _Yes()\n")}, 9, "def __eq__"),
    # A right answer that reads its caller's frame (where a test keeps what it expects).
    "inspects_frames": (set(), {"describe": (
        "\nimport inspect\n_describe = describe\n"
        "def describe(t):\n"
        "    _seen = inspect.currentframe().f_back.f_globals.get('expected')\n"
        "    return _describe(t)\n")}, 9, "Inspected the call stack"),
    # Walks the garbage collector's objects (where the guard's state would be found): the
    # guard destroys its key, so the next checkpoint cannot be verified and grading stops.
    "walks_gc": (set(), {"true_class_score": "\nimport gc\n_all = gc.get_objects()\n"},
                 5, "tampered with (the kernel says: gc.get_objects"),
    "sets_a_tracer": (set(), {"true_class_score": "\nimport sys\nsys.settrace(lambda *a: None)\n"},
                      5, "tampered with (the kernel says: sys.settrace"),
    "starts_processes": (set(), {"describe": (
        "\nimport subprocess, socket\nsubprocess.Popen(['sleep', '1000'])\n"
        "try:\n    socket.create_connection(('127.0.0.1', 80), timeout=1)\nexcept OSError:\n"
        "    pass\n")}, 10, "start a process"),
}


def _solutions(source) -> dict[str, str]:
    return {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(source)}


def _notebook(release, answers: dict[str, str]):
    nb = nbformat.from_dict(release)
    for cell in answer_cells(nb):
        cell.source = answers.get(cell.metadata.nbgrader.grade_id, cell.source)
    return nb


def _honest(release, solutions) -> dict:
    """student: (notebook, deserved score)."""
    return {
        "solution": (_notebook(release, solutions), 10),
        "blank": (_notebook(release, {}), 0),
        "right_alternatives": (_notebook(release, {**solutions, **RIGHT}), 10),
        "one_wrong": (_notebook(release, {**solutions, "describe": WRONG["describe"]}), 9),
    }


def _hostile(release, solutions, root) -> dict:
    """student: (notebook, deserved score, flag)."""
    found = {}
    for student, (wrong, extra, deserved, flag) in TRICKS.items():
        answers = {**solutions, **{gid: WRONG[gid] for gid in wrong}}
        for gid, code in extra.items():
            answers[gid] = answers[gid] + code.replace("{root}", str(root)).replace("{guess}", GUESS)
        found[student] = (_notebook(release, answers), deserved, flag.replace("{guess}", GUESS))
    nb = _notebook(release, {**solutions, "describe": WRONG["describe"]})
    for cell in nb.cells:  # the wrong describe's test, made harmless and worth 100
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "describe_tests":
            cell.source = "pass"
            cell.metadata.nbgrader["points"] = 100
    found["edits_test_cell"] = (nb, 9, "Edited test cell 'describe_tests'")
    nb = _notebook(release, solutions)
    for cell in nb.cells:  # a test cell turned into an answer: nbgrader's sanitize raises
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "describe_tests":
            cell.source = "pass"
            cell.metadata.nbgrader.update(grade=False, solution=True, locked=False)
    found["test_cell_made_answer"] = (nb, 0, "could not be graded as submitted")
    # Reads the notebook files in its folder for hidden tests and answers right only if it
    # finds them (under plain nbgrader the kernel's folder holds the sanitized notebook).
    peek = ("\nimport glob as _glob\nif any(('BEGIN ' + 'HIDDEN TESTS') in open(_p).read() "
            "for _p in _glob.glob('*.ipynb')):\n" + textwrap.indent(solutions["describe"], "    "))
    found["reads_hidden_tests"] = (
        _notebook(release, {**solutions, "describe": WRONG["describe"] + peek}), 9, None)
    # Carries the running test cell's source (hidden tests included; IPython keeps it for
    # tracebacks) out in the exception a visible check gets, and again in a later answer's
    # output: test_feedback_shows_flags_and_no_hidden_tests reads what the student sees.
    # Also through a display it updates while the test runs, a warning and a markdown display.
    smuggle = {
        "describe": ("import linecache as _lc, sys as _sys, warnings as _w\n"
                     "from IPython.display import display as _display\n"
                     "_shown = _display('nothing yet', display_id=True)\n\n\n"
                     "def describe(t):\n"
                     "    global _stash\n"
                     "    _stash = ''.join(_lc.getlines(_sys._getframe(1).f_code.co_filename))\n"
                     "    _shown.update(_stash)\n"
                     "    raise ValueError(_stash)\n"),
        "add_into": solutions["add_into"] + (
            "\nprint(globals().get('_stash'))\n_w.warn(str(globals().get('_stash')))\n"
            "_display({'text/markdown': str(globals().get('_stash'))}, raw=True)\n")}
    found["smuggles_hidden_tests"] = (_notebook(release, {**solutions, **smuggle}), 9,
                                      "Inspected the call stack")
    return found


def _digest(folder: pathlib.Path) -> dict[str, str]:
    """{path: content hash, or link target} of every file under ``folder``."""
    return {str(p.relative_to(folder)): str(p.readlink()) if p.is_symlink()
            else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


def grade(root: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m autograder grade 01_tensors ARGS`; fails the test if the command fails."""
    return run_grader(root, CHAPTER, *args)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The graded course: (root, students' deserved scores and flags, grader output)."""
    root = make_course(tmp_path_factory.mktemp("grader") / "course", CHAPTER)
    source = nbformat.read(root / "source" / CHAPTER / f"{CHAPTER}.ipynb", 4)
    release = nbformat.read(root / "release" / CHAPTER / f"{CHAPTER}.ipynb", 4)
    solutions = _solutions(source)
    expected = {}
    for student, (nb, deserved) in _honest(release, solutions).items():
        submit(root, student, CHAPTER, {f"{CHAPTER}.ipynb": nb})
        expected[student] = (deserved, None)
    for student, (nb, deserved, flag) in _hostile(release, solutions, root).items():
        submit(root, student, CHAPTER, {f"{CHAPTER}.ipynb": nb})
        expected[student] = (deserved, flag)
    for student, content in {"malformed": b"{not json", "empty_file": b"",
                             "no_cells": nbformat.writes(nbformat.v4.new_notebook()).encode()
                             }.items():
        folder = root / "submitted" / student / CHAPTER
        folder.mkdir(parents=True)
        (folder / f"{CHAPTER}.ipynb").write_bytes(content)
        expected[student] = (0, "could not be read" if student != "no_cells" else "Deleted test")
    (root / "submitted" / "no_notebook" / CHAPTER).mkdir(parents=True)
    expected["no_notebook"] = (0, "was not submitted")
    # A link to the gradebook, which the grader (not the sandbox) could read and copy on.
    links = root / "submitted" / "links" / CHAPTER
    answers = {**solutions, "describe": solutions["describe"] + (
        "\ntry:\n    print(open('secret.db', 'rb').read(16))\nexcept OSError as e:\n"
        "    print(e)\n")}
    submit(root, "links", CHAPTER, {f"{CHAPTER}.ipynb": _notebook(release, answers)})
    (links / "secret.db").symlink_to(root / "gradebook.db")
    expected["links"] = (10, "secret.db is a symbolic link")
    before = _digest(root / "submitted")
    done = grade(root, "--jobs", "2", "--wall", str(WALL))
    return root, expected, done.stdout, before


def test_every_submission_gets_the_score_it_deserves(course):
    root, expected, output, _ = course
    got = {student: sum(s for s, _ in scores(root, CHAPTER, student).values())
           for student in expected}
    assert got == {student: deserved for student, (deserved, _) in expected.items()}, output


def test_hostile_submissions_are_flagged_and_honest_ones_are_not(course):
    root, expected, output, _ = course
    summary = json.loads((root / "reports" / CHAPTER / "summary.json").read_text())
    flags = {r["student"]: r["flags"] for r in summary}
    for student, (_, flag) in expected.items():
        if flag is None:
            assert flags[student] == [], f"{student} flagged: {flags[student]}"
        else:
            assert any(flag in f for f in flags[student]), f"{student}: {flags[student]}"
    assert f"{len(expected)} graded, {sum(1 for _, f in expected.values() if f)} flagged, " \
           "0 failed" in output


def test_each_submission_reports_its_own_seconds(course):
    """summary.json's `seconds` is a submission's own time, not the time since the batch began:
    with 2 kernels at a time (and records in between) they add up to at most ~3 batch times."""
    root, expected, output, _ = course
    summary = json.loads((root / "reports" / CHAPTER / "summary.json").read_text())
    batch = float(re.search(r"skipped in ([0-9.]+) s", output).group(1))
    assert sum(r["seconds"] for r in summary) <= 3 * batch, [r["seconds"] for r in summary]


def test_nothing_outside_a_submission_changed(course):
    root, _, _, before = course
    assert _digest(root / "submitted") == before  # the originals are kept as they came
    assert not (root / "pwned.txt").exists()
    assert not list(root.glob("autograded/links/*/secret.db"))
    assert not list(root.glob(".grading*"))  # the staging folder is removed


def test_flags_reach_the_autograded_notebook(course):
    root, _, _, _ = course
    nb = nbformat.read(root / "autograded" / "rebinds_torch" / CHAPTER / f"{CHAPTER}.ipynb", 4)
    assert any("torch.testing.assert_close" in f for f in nb.metadata["autograder"]["flags"])


def test_rerun_skips_what_is_graded_and_keeps_scores(course):
    root, expected, _, _ = course
    before = {s: scores(root, CHAPTER, s) for s in expected}
    again = grade(root, "--jobs", "2")
    assert f"0 graded, {sum(1 for _, f in expected.values() if f)} flagged, 0 failed, " \
           f"{len(expected)} skipped" in again.stdout
    assert {s: scores(root, CHAPTER, s) for s in expected} == before


def test_plain_nbgrader_is_fooled(course, tmp_path):
    """The tricks work on plain nbgrader; honest students score the same under both."""
    root, expected, _, _ = course
    plain = make_course(tmp_path / "plain", CHAPTER)
    honest = ["solution", "blank", "right_alternatives", "one_wrong"]
    students = [*honest, "rebinds_torch", "rebinds_builtin", "rewrites_tests", "edits_test_cell",
                "reads_hidden_tests", "patches_in_callbacks", "lies_in_torch_function"]
    for student in students:
        nb = nbformat.read(root / "submitted" / student / CHAPTER / f"{CHAPTER}.ipynb", 4)
        submit(plain, student, CHAPTER, {f"{CHAPTER}.ipynb": nb})
    run_nbgrader(plain, "autograde", CHAPTER)
    for student in students:
        ours, theirs = scores(root, CHAPTER, student), scores(plain, CHAPTER, student)
        if student in honest:
            assert theirs == ours, student
        elif student != "edits_test_cell":  # nbgrader itself restores test cells
            assert sum(s for s, _ in theirs.values()) > sum(s for s, _ in ours.values()), student


def test_refuses_to_run_without_a_gradebook_entry(tmp_path):
    (tmp_path / "submitted" / "x" / "nope").mkdir(parents=True)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "nope"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "generate_assignment nope" in done.stdout + done.stderr


def test_feedback_shows_flags_and_no_hidden_tests(course):
    """`nbgrader generate_feedback` on this grader's output: the reasons, not the answers."""
    root, _, _, _ = course
    run_nbgrader(root, "generate_feedback", CHAPTER, "--student", "rebinds_torch")
    html = (root / "feedback" / "rebinds_torch" / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "Notes from the autograder" in html
    assert "torch.testing.assert_close" in html
    assert "BEGIN HIDDEN TESTS" not in html
    assert "checkerboard(7)" not in html  # a line of checkerboard's hidden tests


def test_feedback_carries_no_hidden_test_text_out(course):
    """The smuggler's exception and output hold describe's hidden tests (the graded notebook
    shows it); the feedback it gets shows neither."""
    root, _, _, _ = course
    student = "smuggles_hidden_tests"
    graded = (root / "autograded" / student / CHAPTER / f"{CHAPTER}.ipynb").read_text()
    hidden = "describe of a scalar"  # a message in describe's hidden tests
    assert hidden in graded  # the attack works: the text reached the graded notebook
    run_nbgrader(root, "generate_feedback", CHAPTER, "--student", student)
    page = (root / "feedback" / student / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "ValueError raised inside your code" in page
    assert hidden not in page and "BEGIN HIDDEN TESTS" not in page
