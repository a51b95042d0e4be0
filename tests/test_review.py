"""autograder/review.py: what it flags for review, and that no honest answer of the course is flagged."""

import nbformat
import pytest
from coursedir import RELEASE, answer_cells, chapters, fixture_answers, notebooks
from nbformat.v4 import new_code_cell, new_notebook

from autograder.review import findings, uses

ATTACKS = {
    "import ctypes\nctypes.cast(id(x), ctypes.py_object)": "import ctypes",
    "import gc\ngc.get_referrers(f)": "import gc",
    "from inspect import currentframe": "import inspect",
    "import signal\nsignal.setitimer(signal.ITIMER_REAL, 0.001)": "import signal",
    "import threading as t": "import threading",
    "f = g.__closure__[0].cell_contents": ".cell_contents",
    "caller = frame.f_back.f_locals['expected']": ".f_back",
    "getattr(f, '__clo' + 'sure__')": "getattr with a computed name",
    "getattr(f, '__code__')": "getattr(..., '__code__')",
    "mod = __import__('sys')": "__import__",
    "exec(source)": "exec",
    "globals()['check_close'] = None": "globals",
    "get_ipython().events.register('pre_run_cell', f)": "get_ipython",
    "class Liar:\n    def __eq__(self, other):\n        return True": "def __eq__",
    "class T(torch.Tensor):\n    @classmethod\n    def __torch_function__(cls, *a):\n        pass":
        "def __torch_function__",
    "x = ().__class__.__base__.__subclasses__()": ".__subclasses__",
    "torch._C.DisableTorchFunction()": "._C",
}


@pytest.mark.parametrize("source", ATTACKS)
def test_tricks_are_found(source):
    assert ATTACKS[source] in uses(source)


def test_plain_answers_and_cells_that_cannot_parse_are_not_flagged():
    assert uses("def f(x):\n    return torch.relu(x) @ w.T + x.__len__()\n") == set()
    assert uses("%timeit f(x)\nclass D(Dataset):\n    def __getitem__(self, i):\n"
                "        return self.x[i]\n") == set()
    assert uses("def f(:\n") == set()


def test_every_solution_and_fixture_of_the_course_is_clean():
    for chapter in chapters():
        for path in notebooks(chapter):
            for cell in answer_cells(nbformat.read(path, 4)):
                assert uses(cell.source) == set(), (chapter, cell.metadata.nbgrader.grade_id)
        for kind in ("right", "wrong"):
            for grade_id, scenario, source in fixture_answers(chapter, kind):
                assert uses(source) == set(), (chapter, kind, grade_id, scenario)


def test_instructor_notebooks_submitted_as_they_are_are_not_flagged():
    for chapter in chapters():
        for path in notebooks(chapter):
            release = nbformat.read(RELEASE / chapter / path.name, 4)
            assert findings(nbformat.read(path, 4), release) == [], chapter


def test_only_cells_the_student_wrote_or_changed_are_read():
    demo = new_code_cell("print(getattr(torch, name)(x))")  # the instructor's own cell
    test = new_code_cell("assert globals()['x'] == 1")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    answer = new_code_cell("import gc\ny = 1")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "a"}
    added = new_code_cell("import signal")
    release = new_notebook(cells=[demo, new_code_cell("y = None"), test])
    submitted = new_notebook(cells=[demo, answer, test, added])
    flags = findings(submitted, release)
    assert len(flags) == 2
    assert "answer 'a' uses import gc" in flags[0]
    assert "cell 4 uses import signal" in flags[1]


def test_odd_metadata_is_read_without_error():
    cell = new_code_cell("import gc")
    cell.metadata["nbgrader"] = ["not", "a", "dict"]
    other = new_code_cell("import ctypes")
    other.metadata["nbgrader"] = {"solution": True, "grade_id": 7}
    flags = findings(new_notebook(cells=[cell, other]), new_notebook())
    assert [f.split(" uses ")[0] for f in flags] == ["For review: cell 1", "For review: cell 2"]
