"""Which cells are test cells (autograder/utils.py): one answer for every grader step."""

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from autograder.utils import is_test_cell


def _meta(grade, solution):
    return {"nbgrader": {"grade": grade, "solution": solution, "locked": grade and not solution,
                         "grade_id": "x", "points": 1 if grade else 0}}


@pytest.mark.parametrize(("cell", "expected"), [
    (new_code_cell("assert f() == 1", metadata=_meta(True, False)), True),      # autograder test
    (new_code_cell("def f(): ...", metadata=_meta(False, True)), False),        # autograded answer
    (new_code_cell("def f(): ...", metadata=_meta(True, True)), False),         # manually graded answer
    (new_code_cell("import torch", metadata={"nbgrader": {"grade": False, "solution": False,
                                                           "locked": True}}), False),  # read-only
    (new_code_cell("print(1)"), False),                                         # ordinary cell
    (new_markdown_cell("Explain.", metadata=_meta(True, False)), False),        # graded markdown
])
def test_is_test_cell(cell, expected):
    assert is_test_cell(cell) is expected
