"""Feedback step: tell students what failed without showing them the hidden tests.

nbgrader's ``generate_feedback`` renders the autograded notebook as it is, so students would
see the hidden tests (the graded notebook has them back in) and, in the tracebacks of failing
checks, hidden code and the expected values in its messages. :class:`TeachingFeedback` runs
before the HTML export (``nbgrader_config.py``) and, in every autograder test cell:

* replaces each hidden-test section by one comment line;
* replaces each error by one line without traceback: ``ename: evalue`` when a visible line
  raised it (its message is the lesson); "A hidden test failed (ename) ..." when a hidden
  line raised it or that cannot be told (hidden messages name expected values);
* drops every other output (a passing test shows nothing).

Answer cells keep their outputs: the student wrote that code. The flags the batch grader
keeps in ``metadata["autograder"]["flags"]`` become a note at the top of the notebook.
"""

import re

from nbformat.v4 import new_markdown_cell, new_output
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import List, Unicode

from autograder.execute import is_test_cell

HIDDEN_FAILED = "A hidden test failed ({}). Check your answer against the exercise's description."
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The header of one traceback frame, as IPython 8/9 prints it (ANSI codes removed); only a
# cell's frames ("Cell In[12], line 7") have the groups.
FRAME = re.compile(r"\s*(?:Cell In\[(\d+)\], line (\d+)|File |Input In )")


def hidden_lines(source: str, begin: str, end: str) -> set[int]:
    """Numbers (from 1) of the lines of `source` that nbgrader hides from students.

    The rule of nbgrader's ClearHiddenTests: a line holding `begin` opens a hidden section,
    a line holding `end` closes it, both marker lines are hidden. Where ClearHiddenTests
    would refuse (a section never closed) everything after `begin` counts as hidden.
    """
    hidden, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif not inside:
            continue
        hidden.add(number)
    return hidden


def strip_hidden(source: str, hidden: set[int], placeholder: str) -> str:
    """`source` with each run of `hidden` lines replaced by `placeholder`, same indentation."""
    lines = []
    for number, line in enumerate(source.split("\n"), start=1):
        if number not in hidden:
            lines.append(line)
        elif number - 1 not in hidden:
            lines.append(line[: len(line) - len(line.lstrip())] + placeholder)
    return "\n".join(lines)


def raised_from(traceback: list[str], hidden: set[int]) -> str:
    """Where a test cell's error came from: 'visible', 'hidden', 'unknown' or 'grader'.

    The first frame of an IPython traceback is the cell that ran; every frame of that same
    cell (a lambda defined in it, say) counts, and one hidden line makes the error hidden.
    A traceback with no frame at all was made by the grader (or by IPython's Minimal mode);
    one whose first frame is not a cell cannot be placed.
    """
    frames = [m for m in (FRAME.match(ANSI.sub("", entry)) for entry in traceback) if m]
    if not frames:
        return "grader"
    cell = frames[0].group(1)
    if cell is None:
        return "unknown"
    lines = {int(m.group(2)) for m in frames if m.group(1) == cell}
    return "hidden" if lines & hidden else "visible"


def teaching_error(output, hidden: set[int], grader_errors: list[str]):
    """The error output a student sees instead of `output` (an error of a test cell)."""
    ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
    where = raised_from(output.get("traceback", []), hidden)
    if ename in grader_errors:  # the grader stopped the test: its reason is worth showing,
        if where == "hidden":  # but student code called from a hidden line can raise these too
            evalue = ""
    elif where != "visible" and hidden:
        return new_output("error", ename=ename, evalue="", traceback=[HIDDEN_FAILED.format(ename)])
    text = f"\x1b[31m{ename}\x1b[39m" + (f": {evalue}" if evalue else "")
    return new_output("error", ename=ename, evalue=evalue, traceback=[text])


def notes_cell(flags: list[str], heading: str):
    """A markdown cell listing the autograder's flags, escaped so they render as written."""
    items = "\n".join(
        "- " + re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", " ".join(str(flag).split()))
        for flag in flags
    )
    return new_markdown_cell(f"### {heading}\n\n{items}")


class TeachingFeedback(NbGraderPreprocessor):
    """Hide hidden tests and their failure details from the feedback; show the flags."""

    placeholder = Unicode(
        "# (hidden tests are not shown)",
        help="The line that stands in for each hidden-test section of a test cell",
    ).tag(config=True)

    notes_heading = Unicode(
        "Notes from the autograder",
        help="Heading of the cell that lists metadata['autograder']['flags']",
    ).tag(config=True)

    grader_errors = List(
        Unicode(),
        # nbgrader's and nbclient's, then those autograder/execute.py adds.
        ["CellTimeoutError", "DeadKernelError", "KeyboardInterrupt",
         "GradingStopped", "IntegrityError"],
        help="Errors that stop a test rather than fail a check: name and message are shown",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        # The hidden-test markers are ClearHiddenTests' settings (c.ClearHiddenTests.*).
        markers = ClearHiddenTests(parent=self)
        self._markers = (markers.begin_test_delimeter, markers.end_test_delimeter)
        nb, resources = super().preprocess(nb, resources)
        flags = nb.metadata.get("autograder", {}).get("flags")
        if flags:
            cell = notes_cell(flags, self.notes_heading)
            if nb.nbformat_minor < 5:
                del cell["id"]
            nb.cells.insert(0, cell)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if is_test_cell(cell):
            hidden = hidden_lines(cell.source, *self._markers)
            cell.outputs = [
                teaching_error(output, hidden, self.grader_errors)
                for output in cell.outputs if output.output_type == "error"
            ]
            cell.source = strip_hidden(cell.source, hidden, self.placeholder)
        return cell, resources
