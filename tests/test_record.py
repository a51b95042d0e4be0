"""autograder/record.py's pieces that need no sandbox and no gradebook: Replay hands over the
outputs of the sandboxed run and refuses other code; the flags kept in autograded notebooks
are read back."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.converters.base import NbGraderException

from autograder import record


def _resources(student="s1", notebook="nb"):
    return {"nbgrader": {"student": student, "notebook": notebook}}


def _notebook():
    return new_notebook(cells=[new_markdown_cell("# demo"), new_code_cell("print(1)")])


def test_replay_hands_over_the_executed_outputs_and_flags():
    executed = _notebook()
    executed.cells[1].outputs = [new_output("stream", name="stdout", text="1\n")]
    executed.cells[1].execution_count = 1
    record.EXECUTED[("s1", "nb")] = (executed, ["a flag"])
    nb, resources = record.Replay()(_notebook(), _resources())
    assert nb.cells[1].outputs == executed.cells[1].outputs
    assert nb.cells[1].execution_count == 1
    assert resources["autograder_flags"] == ["a flag"]
    assert ("s1", "nb") not in record.EXECUTED  # handed over once
    nb, _ = record.RecordFlags()(nb, resources)
    assert nb.metadata["autograder"] == {"flags": ["a flag"]}


def test_replay_refuses_a_notebook_that_is_not_the_executed_one():
    executed = _notebook()
    executed.cells[1].source = "print(2)"
    record.EXECUTED[("s1", "nb")] = (executed, [])
    with pytest.raises(NbGraderException, match="differs from the executed one"):
        record.Replay()(_notebook(), _resources())


def test_kept_flags_are_read_back_once_in_notebook_order(tmp_path):
    for name, flags in [("b", ["second", "first"]), ("a", ["first"]), ("c", [])]:
        nb = _notebook()
        nb.metadata["autograder"] = {"flags": flags}
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    nbformat.write(_notebook(), tmp_path / "d.ipynb")  # graded before flags were kept
    assert record.kept_flags(tmp_path) == ["first", "second"]
    assert record.kept_flags(tmp_path / "nowhere") == []


def test_record_runs_nbgraders_own_steps_with_replay_first_and_flags_last():
    names = [cls.__name__ for cls in record.RECORD_PREPROCESSORS]
    assert names[0] == "Replay" and names[-1] == "RecordFlags"
    assert "SaveAutoGrades" in names and "AssignLatePenalties" in names
