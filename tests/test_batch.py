"""autograder/batch.py's helpers that need no sandbox: what a warm kernel imports in advance."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.batch import warm_modules


def _notebook(*cells):
    return new_notebook(cells=list(cells))


def test_warm_modules_are_the_instructors_imports_and_the_loaders_needs():
    setup = new_code_cell("import torch.nn as nn\nimport numpy\nfrom course.checks import check_close\n"
                          "frame = course.data.breast_cancer()")
    answer = new_code_cell("import scipy\n### BEGIN SOLUTION\n### END SOLUTION")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "a"}
    nb = _notebook(setup, answer)
    text = nbformat.writes(nb)
    assert warm_modules([nb], text) == ["course.checks", "numpy", "sklearn.datasets", "torch.nn"]


def test_warm_modules_leave_out_loaders_a_chapter_does_not_call():
    nb = _notebook(new_code_cell("import torch"))
    assert warm_modules([nb], nbformat.writes(nb)) == ["torch"]
