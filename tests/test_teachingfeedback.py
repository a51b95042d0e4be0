"""Does student feedback teach without leaking the hidden tests (autograder/preprocessors/teachingfeedback.py)?

The unit tests run the preprocessor on hand-built notebooks whose error outputs are shaped
like IPython 9's; the end-to-end test runs the real `nbgrader autograde` and
`nbgrader generate_feedback` on a chapter 01 submission and reads the HTML a student gets.
"""

import copy
import html
import pathlib
import re

import nbformat
import pytest
from coursedir import (
    SOURCE,
    fixture_answers,
    grade_cells,
    make_course,
    notebooks,
    replace_answers,
    run_nbgrader,
    submit,
)
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.preprocessors import ClearHiddenTests
from traitlets.config import Config

from autograder.preprocessors.teachingfeedback import (
    HIDDEN_FAILED,
    QUOTES_HIDDEN,
    RAISED_INSIDE,
    TeachingFeedback,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TEST_SOURCE = """\
\"\"\"shape() returns a column.\"\"\"
out = shape(x)
check_shape(out, (7, 1), "shape(x)")
### BEGIN HIDDEN TESTS
secret = torch.rand(3, 4)
check_close(shape(secret), secret.T, "shape of the secret 3x4 input")
### END HIDDEN TESTS
assert out.sum() == 7, "every element should be one\""""
HIDDEN_CODE = ["secret = torch.rand(3, 4)", 'check_close(shape(secret), secret.T, "shape of the secret']


def frame(count: int, line: int, code: str = "code") -> str:
    """One traceback frame of cell In[count], coloured as IPython 9 prints it."""
    return (f"\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[{count}]\x1b[39m\x1b[32m, line "
            f"{line}\x1b[39m\n\x1b[32m----> \x1b[39m\x1b[32m{line}\x1b[39m {code}\n")


def error(ename: str, evalue: str, *frames: str):
    """An error output with IPython 9's traceback around `frames`."""
    return new_output("error", ename=ename, evalue=evalue, traceback=[
        "\x1b[31m" + "-" * 75 + "\x1b[39m",
        f"\x1b[31m{ename}\x1b[39m                            Traceback (most recent call last)",
        *frames,
        f"\x1b[31m{ename}\x1b[39m: {evalue}",
    ])


def graded_test_cell(*outputs):
    cell = new_code_cell(TEST_SOURCE, execution_count=12, outputs=list(outputs))
    cell.metadata.nbgrader = {"grade": True, "solution": False, "locked": True,
                              "grade_id": "shape_tests", "points": 1}
    return cell


def answer_cell(*outputs):
    cell = new_code_cell("def shape(x):\n    return x.reshape(1, -1)\nshape(1)", outputs=list(outputs))
    cell.metadata.nbgrader = {"grade": False, "solution": True, "locked": False,
                              "grade_id": "shape", "points": 0}
    return cell


def feedback(*cells, config=None, **metadata):
    """The notebook of `cells` after TeachingFeedback."""
    nb = new_notebook(cells=list(cells), metadata=metadata)
    nb, _ = TeachingFeedback(config=config or Config()).preprocess(nb, {})
    return nb


def shown(cell) -> str:
    """What the student reads in a cell's outputs (colours removed)."""
    return "\n".join(ANSI.sub("", "\n".join(o.get("traceback", []))) for o in cell.outputs)


def test_hidden_code_is_replaced_by_one_comment():
    cell = feedback(graded_test_cell()).cells[0]
    assert cell.source.split("\n") == [
        '"""shape() returns a column."""',
        "out = shape(x)",
        'check_shape(out, (7, 1), "shape(x)")',
        "# (hidden tests are not shown)",
        'assert out.sum() == 7, "every element should be one"',
    ]


def test_what_stays_visible_is_what_nbgrader_releases():
    """The same lines as nbgrader's ClearHiddenTests keeps, in every chapter's test cells."""
    clear = ClearHiddenTests()
    for path in sorted(SOURCE.glob("*/*.ipynb")):
        for cell in grade_cells(nbformat.read(path, as_version=4)):
            released = copy.deepcopy(cell)
            clear._remove_hidden_test_region(released)
            ours = feedback(copy.deepcopy(cell)).cells[0].source.split("\n")
            kept = [line for line in ours if line.strip() != "# (hidden tests are not shown)"]
            assert kept == released.source.split("\n"), (path.name, cell.metadata.nbgrader)


def test_markers_follow_the_clear_hidden_tests_config():
    config = Config()
    config.ClearHiddenTests.begin_test_delimeter = "BEGIN SECRET"
    config.ClearHiddenTests.end_test_delimeter = "END SECRET"
    source = TEST_SOURCE.replace("HIDDEN TESTS", "SECRET")
    cell = graded_test_cell()
    cell.source = source
    assert "secret" not in feedback(cell, config=config).cells[0].source


def test_visible_failure_shows_its_message_only():
    out = error("AssertionError", "shape(x): expected shape (7, 1), got (1, 7)",
                frame(12, 3, 'check_shape(out, (7, 1), "shape(x)")'),
                "\x1b[36mFile /course/checks.py:48\x1b[39m, in check_shape\n raise ...\n")
    cell = feedback(graded_test_cell(out)).cells[0]
    assert shown(cell) == "AssertionError: shape(x): expected shape (7, 1), got (1, 7)"


def test_hidden_failure_shows_no_message():
    out = error("AssertionError", "shape of the secret 3x4 input: expected [[0.1, 0.2]]",
                frame(12, 6, HIDDEN_CODE[1]))
    cell = feedback(graded_test_cell(out)).cells[0]
    assert shown(cell) == HIDDEN_FAILED.format("AssertionError")
    assert "secret" not in str(cell)  # not in the source, traceback nor evalue


def test_hidden_line_in_any_frame_of_the_cell_hides_the_error():
    """A visible line calling a function defined on a hidden line (In[12] twice)."""
    out = error("ValueError", "secret 42", frame(12, 3), frame(12, 5), frame(11, 2))
    assert "secret" not in str(feedback(graded_test_cell(out)).cells[0].outputs)


@pytest.mark.parametrize("traceback", [
    ["\x1b[31mAssertionError\x1b[39m\x1b[31m:\x1b[39m secret 42\n"],  # %xmode Minimal
    ["\x1b[36mFile /usr/lib/python3/ast.py:50\x1b[39m\n", "AssertionError: secret 42"],
])
def test_failure_that_cannot_be_placed_is_hidden(traceback):
    out = new_output("error", ename="AssertionError", evalue="secret 42", traceback=traceback)
    cell = feedback(graded_test_cell(out)).cells[0]
    assert shown(cell) == HIDDEN_FAILED.format("AssertionError")
    assert "secret" not in str(cell.outputs)  # (the cell id is random hex: not str(cell))


def test_grader_errors_keep_their_reason_without_traceback():
    timeout = new_output("error", ename="CellTimeoutError", evalue="", traceback=[
        "\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"])
    stopped = new_output("error", ename="GradingStopped", evalue="the kernel stopped",
                         traceback=["GradingStopped: the kernel stopped"])
    interrupted = error("KeyboardInterrupt", "", frame(12, 2), "File torch/x.py:3\n")
    cell = feedback(graded_test_cell(timeout, stopped, interrupted)).cells[0]
    assert shown(cell) == "CellTimeoutError\nGradingStopped: the kernel stopped\nKeyboardInterrupt"


def test_grader_error_names_raised_from_hidden_lines_show_no_message():
    out = error("KeyboardInterrupt", "secret 42", frame(12, 5))
    assert shown(feedback(graded_test_cell(out)).cells[0]) == "KeyboardInterrupt"


def test_passing_test_cell_shows_no_output():
    prints = new_output("stream", name="stdout", text="secret 42\n")
    plot = new_output("display_data", data={"text/plain": "<Figure>"})
    assert feedback(graded_test_cell(prints, plot)).cells[0].outputs == []


def test_answer_cell_keeps_outputs_and_traceback():
    out = error("TypeError", "'int' object has no attribute 'reshape'", frame(11, 3, "shape(1)"))
    printed = new_output("stream", name="stdout", text="debugging 42\n")
    cell = answer_cell(printed, out)
    before = copy.deepcopy(cell)
    assert feedback(cell).cells[0] == before


@pytest.mark.parametrize(("ename", "shown_as"), [("ValueError", "ValueError"),
                                                 ("ShapeOfTheSecret", "An exception")])
def test_error_raised_inside_student_code_shows_no_message(ename, shown_as):
    """A visible line calls the answer (In[11]), which raises a message of its choosing:
    the text of the running cell, hidden tests included. Only a built-in name is shown."""
    out = error(ename, "check_close(shape(secret), secret.T, 'shape of the secret 3x4 input')",
                frame(12, 2, "out = shape(x)"), frame(11, 2, "raise ValueError(...)"))
    answer = answer_cell()
    answer.execution_count = 11
    cell = feedback(answer, graded_test_cell(out)).cells[1]
    assert shown(cell) == RAISED_INSIDE.format(shown_as)
    assert "secret" not in str(cell.outputs)


def test_visible_message_quoting_a_hidden_test_is_not_shown():
    """A check's message names the value the answer returned: here, hidden-test text."""
    out = error("AssertionError", "shape(x): expected (7, 1), got 'secret = torch.rand(3, 4)'",
                frame(12, 3, 'check_shape(out, (7, 1), "shape(x)")'),
                "\x1b[36mFile /course/checks.py:48\x1b[39m, in check_shape\n raise ...\n")
    cell = feedback(graded_test_cell(out)).cells[0]
    assert shown(cell) == QUOTES_HIDDEN


@pytest.mark.parametrize("leak", [
    new_output("stream", name="stdout", text="captured:   secret = torch.rand(3,  4)\n"),
    new_output("display_data", data={"text/html": "<b>shape of the secret 3x4 input</b>"}),
    new_output("execute_result", execution_count=11, data={"text/plain": "'...secret.T, \"shape"
                                                           " of the secret 3x4 input\")'"}),

    # a warning the answer raised (it is printed on stderr)
    new_output("stream", name="stderr", text="UserWarning: secret = torch.rand(3, 4)\n"),
    # a display the answer made and then updated from a test (update_display): nbclient
    # writes the update into the answer cell's output, as a display_data like any other
    new_output("display_data", data={"text/markdown": "`secret = torch.rand(3, 4)`"}),
])
def test_answer_output_quoting_a_hidden_test_is_not_shown(leak):
    """Hidden text a callback captured during a test cell, shown by a later answer cell."""
    honest = new_output("stream", name="stdout", text="shape: torch.Size([7, 1])\n")
    nb = feedback(graded_test_cell(), answer_cell(honest, leak))
    assert nb.cells[1].outputs[0] == honest
    assert nb.cells[1].outputs[1].text == QUOTES_HIDDEN + "\n"
    assert "secret" not in str(nb.cells[1].outputs)


def test_flags_become_a_note_at_the_top():
    flags = ["01_tensors.ipynb could not be read; it was graded as the blank notebook.",
             "Changed <b>torch</b> before a test; the original was put back."]
    nb = feedback(graded_test_cell(), autograder={"flags": flags})
    note = nb.cells[0]
    assert note.cell_type == "markdown" and len(nb.cells) == 2
    assert note.source.startswith("### Notes from the autograder\n")
    assert "- Changed \\<b\\>torch\\</b\\> before a test" in note.source  # shown, not rendered
    nbformat.validate(nb)


@pytest.mark.parametrize("metadata", [{}, {"autograder": {"flags": []}}])
def test_no_flags_no_note(metadata):
    assert len(feedback(graded_test_cell(), **metadata).cells) == 1


# -- end to end -------------------------------------------------------------------------------
CHAPTER = "01_tensors"
VISIBLE_FAILURE = ("describe", "len_as_numel")  # fails the visible check_equal
HIDDEN_FAILURE = ("center_crop", "height_width_swapped")  # squares pass, hidden 10x16 fails
VISIBLE_MESSAGE = (
    "AssertionError: describe(torch.zeros(2, 3)): expected {'shape': (2, 3), 'ndim': 2, "
    "'numel': 6, 'dtype': torch.float32}, got {'shape': (2, 3), 'ndim': 2, 'numel': 2, "
    "'dtype': torch.float32}"
)


@pytest.fixture(scope="module")
def feedback_page(tmp_path_factory) -> tuple[str, pathlib.Path]:
    """(the feedback HTML, course root) for a submission right but for those two mistakes."""
    root = make_course(tmp_path_factory.mktemp("feedback") / "course", CHAPTER)
    answers = {gid: src for gid, _, src in fixture_answers(CHAPTER, "right")}
    wrong = {(gid, scenario): src for gid, scenario, src in fixture_answers(CHAPTER, "wrong")}
    answers.update({gid: wrong[(gid, scenario)] for gid, scenario in (VISIBLE_FAILURE, HIDDEN_FAILURE)})
    (path,) = notebooks(CHAPTER, root / "release")
    submit(root, "alice", CHAPTER, {path.name: replace_answers(nbformat.read(path, 4), answers)})
    run_nbgrader(root, "autograde", CHAPTER, "--force")
    graded = nbformat.read(root / "autograded" / "alice" / CHAPTER / path.name, 4)
    assert "BEGIN HIDDEN TESTS" in str(graded), "autograde no longer restores the hidden tests"
    run_nbgrader(root, "generate_feedback", CHAPTER, "--force")
    page = (root / "feedback" / "alice" / CHAPTER / path.with_suffix(".html").name).read_text()
    return page, root


def text_of(page: str) -> str:
    """The HTML's text as a reader sees it: tags (syntax highlighting too) removed."""
    return html.unescape(re.sub(r"<[^>]*>", "", page))


def test_feedback_shows_no_hidden_test_code(feedback_page):
    page, root = feedback_page
    assert "BEGIN HIDDEN TESTS" not in page
    source = nbformat.read(notebooks(CHAPTER, root / "source")[0], 4)
    release = nbformat.read(notebooks(CHAPTER, root / "release")[0], 4)
    released = "\n".join(cell.source for cell in release.cells)
    hidden = set()
    for cell in grade_cells(source):
        inside = False
        for line in cell.source.split("\n"):
            inside = inside or "BEGIN HIDDEN TESTS" in line
            if inside and "HIDDEN TESTS" not in line and line.strip() not in released:
                hidden.add(line.strip())
            inside = inside and "END HIDDEN TESTS" not in line
    assert len(hidden) > 30, "too few hidden lines: is the chapter still using hidden tests?"
    text = text_of(page)
    leaked = sorted(line for line in hidden if line in text)
    assert not leaked, f"hidden test code in the feedback: {leaked}"
    assert "(hidden tests are not shown)" in text


def test_feedback_teaches_with_the_visible_failure(feedback_page):
    page, _ = feedback_page
    text = text_of(page)
    assert VISIBLE_MESSAGE in text
    assert text.count(HIDDEN_FAILED.format("AssertionError")) == 1  # center_crop only
    assert "Traceback (most recent call last)" not in text
    assert re.search(r"Score: \d+(\.\d+)? / \d+", text), "nbgrader's score line is gone"
