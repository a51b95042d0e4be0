"""One execution of each instructor notebook, shared by nbval and `nbgrader validate`.

nbval runs every code cell of source/CHAPTER/*.ipynb in one kernel and keeps each cell's
outputs (`IPyNbCell.test_outputs`). This plugin collects them, so that
tests/test_release.py::test_source_validates can hand that executed notebook to nbgrader's
own `Validator` instead of running the notebook a second time. Both run in fast mode
(COURSE_FAST here, NBGRADER_EXECUTION under nbgrader). The group plugin
(tests/plugins/groups.py) keeps a notebook's cells and that test on one worker, cells first.
"""

import copy
import pathlib

import nbformat
import pytest
from nbgrader.preprocessors import CheckCellMetadata, NbGraderPreprocessor
from nbgrader.validator import Validator

_OUTPUTS: dict[pathlib.Path, dict[int, list]] = {}  # notebook -> {code cell number: outputs}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    if type(item).__name__ == "IPyNbCell" and item.test_outputs is not None:
        path = pathlib.Path(str(item.fspath)).resolve()
        _OUTPUTS.setdefault(path, {})[item.cell_num] = copy.deepcopy(item.test_outputs)


def executed(path: pathlib.Path):
    """The notebook at `path` with the outputs nbval's run gave each code cell, or None when
    nbval did not run all of its cells in this process."""
    outputs = _OUTPUTS.get(path.resolve(), {})
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if set(outputs) != set(range(len(code))):
        return None
    for number, cell in enumerate(code):
        cell.outputs = [nbformat.from_dict(o) for o in outputs[number]]
        cell.execution_count = number + 1
    return nb


def replaying_validator(nb, **options) -> Validator:
    """nbgrader's Validator whose Execute step hands over the outputs in `nb` instead."""

    class Replay(NbGraderPreprocessor):
        def preprocess(self, notebook, resources):
            if [c.source for c in notebook.cells] != [c.source for c in nb.cells]:
                raise ValueError("the notebook changed since nbval ran it")
            return copy.deepcopy(nb), resources

    return Validator(preprocessors=[CheckCellMetadata, Replay], **options)
