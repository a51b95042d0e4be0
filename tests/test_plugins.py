"""The test suite's own plugins (tests/plugins/): groups, timeline, shared executions."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tests.plugins import executions, groups, timeline


def test_groups_keep_a_chapter_together_and_split_chapters():
    assert groups.group_of("source/05_x/05_x.ipynb::Cell 3") == "05_x nbval"
    assert groups.group_of("tests/test_release.py::test_source_validates[05_x]") == "05_x nbval"
    assert groups.group_of("tests/test_release.py::test_release_fails_every_test[05_x]") == \
        "tests/test_release.py"
    roundtrip = "tests/test_grading_roundtrip.py::"
    assert groups.group_of(roundtrip + "test_wrong_answer_loses_only_its_exercise[09_cnn-pool-x]") \
        == groups.group_of(roundtrip + "test_solution_scores_full_marks[09_cnn]") == "09_cnn roundtrip"
    assert groups.group_of(roundtrip + "test_solution_scores_full_marks[10_rnn]") == "10_rnn roundtrip"
    assert groups.group_of(roundtrip + "test_plain_nbgrader_scores_the_same[09_cnn]") == "09_cnn plain"
    assert groups.group_of("tests/test_checks.py::test_close[1]") == "tests/test_checks.py"


def test_timeline_counts_busy_time_per_worker_and_overlap():
    rows = [
        {"worker": "gw0", "group": "a", "start": 0.0, "stop": 4.0},
        {"worker": "gw0", "group": "a", "start": 3.0, "stop": 6.0},  # overlaps: counted once
        {"worker": "gw1", "group": "b", "start": 1.0, "stop": 2.0},
        {"worker": "gw1", "group": "c", "start": 5.0, "stop": 10.0},
    ]
    s = timeline.summarize(rows)
    assert s["wall"] == 10.0
    assert s["busy"] == {"gw0": 6.0, "gw1": 6.0}
    assert s["all_busy"] == 2.0  # [1, 2] and [5, 6]
    assert s["groups"] == {"a": 7.0, "b": 1.0, "c": 5.0}


def _graded_notebook(test_outputs):
    answer = new_code_cell("def f():\n    return 1", metadata={"nbgrader": {
        "grade": False, "solution": True, "locked": False, "grade_id": "f", "schema_version": 3}})
    test = new_code_cell("assert f() == 1", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": "f_tests", "points": 1,
        "schema_version": 3}})
    nb = new_notebook(cells=[answer, test])
    executed = nbformat.from_dict(nb)
    executed.cells[1].outputs = test_outputs
    return nb, executed


def test_replayed_validation_judges_the_outputs_it_is_given(tmp_path):
    nb, passed = _graded_notebook([])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert executions.replaying_validator(passed).validate(str(path)) == {}
    _, failed = _graded_notebook([new_output("error", ename="AssertionError", evalue="",
                                             traceback=["AssertionError"])])
    result = executions.replaying_validator(failed).validate(str(path))
    assert [c["source"] for c in result["failed"]] == ["assert f() == 1"]
    inverted = executions.replaying_validator(passed, invert=True).validate(str(path))
    assert [c["source"] for c in inverted["passed"]] == ["assert f() == 1"]


def test_no_shared_execution_without_every_cell(tmp_path):
    nb, _ = _graded_notebook([])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert executions.executed(path) is None
    executions._OUTPUTS[path.resolve()] = {0: []}  # one of two code cells ran
    try:
        assert executions.executed(path) is None
        executions._OUTPUTS[path.resolve()][1] = [new_output("stream", name="stdout", text="x")]
        assert executions.executed(path).cells[1].outputs[0].text == "x"
    finally:
        del executions._OUTPUTS[path.resolve()]
