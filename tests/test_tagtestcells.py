"""The release step's tag (autograder/preprocessors/tagtestcells.py): test cells only."""

import nbformat

from autograder.preprocessors import TagTestCells
from autograder.preprocessors.tagtestcells import TAG


def test_tag_test_cells_tags_only_test_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade": False, "solution": True}}),
        nbformat.v4.new_code_cell("assert x", metadata={"nbgrader": {"grade": True, "solution": False,
                                                                      "points": 1}}),
        nbformat.v4.new_code_cell("y = 2", metadata={"nbgrader": {"grade": True, "solution": True,
                                                                   "points": 1}}),
        nbformat.v4.new_code_cell("print(x)"),
    ])
    nb, _ = TagTestCells().preprocess(nb, {})
    assert [c.metadata.get("tags", []) for c in nb.cells] == [[], [TAG], [], []]


def test_tag_is_added_once():
    cell = nbformat.v4.new_code_cell("assert x", metadata={
        "nbgrader": {"grade": True, "solution": False, "points": 1}, "tags": [TAG, "slow"]})
    nb, _ = TagTestCells().preprocess(nbformat.v4.new_notebook(cells=[cell]), {})
    assert nb.cells[0].metadata.tags == [TAG, "slow"]
