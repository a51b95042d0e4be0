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

A visible line's message is still the student's to shape when their code raised it (their
function was on the stack): then only its name is shown, if it is a built-in exception,
since a submission can read the running cell, hidden tests included, and raise that text.
Answer cells keep their outputs (the student wrote that code), but no output anywhere is
shown if it quotes a hidden test: a hidden line or one of its literal values
(:class:`HiddenText`). The flags the batch grader keeps in
``metadata["autograder"]["flags"]`` become a note at the top of the notebook.
"""

import ast
import builtins
import io
import re
import tokenize

from nbformat.v4 import new_markdown_cell, new_output
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import List, Unicode

from autograder.utils import is_test_cell

HIDDEN_FAILED = "A hidden test failed ({}). Check your answer against the exercise's description."
RAISED_INSIDE = ("{} raised inside your code while a visible check ran; run this test cell in "
                 "your notebook to read the message.")
QUOTES_HIDDEN = "[not shown: this output quotes a hidden test]"
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


def cells_on_stack(traceback: list[str]) -> set[int]:
    """Execution counts of the cells with a frame in `traceback` (``Cell In[12]`` -> 12)."""
    frames = (FRAME.match(ANSI.sub("", entry)) for entry in traceback)
    return {int(m.group(1)) for m in frames if m and m.group(1)}


def builtin_exception(ename: str) -> bool:
    """True for the name of one of Python's own exceptions (a name a student cannot choose)."""
    found = getattr(builtins, ename, None)
    return isinstance(found, type) and issubclass(found, BaseException)


class HiddenText:
    """What the hidden sections of a notebook's test cells say, to keep it out of feedback.

    A text quotes them if it holds one of their lines (16 characters or more, spaces
    collapsed) or one of their literals: strings of 12 characters or more, numbers of 6
    digits or more. Shorter pieces (``"weight"``, ``finally:``, ``1000``) are in honest
    outputs all the time and tell little; an encoded copy (say, base64) is not recognised
    (autograder/README.md, limits). What the student's notebook shows anyway (``visible``:
    prose, visible code) is no secret.
    """

    def __init__(self, sources: list[str], hidden: list[set[int]], visible: str = ""):
        self.pieces: set[str] = set()
        for source, numbers in zip(sources, hidden, strict=True):
            lines = source.split("\n")
            for n in numbers:
                line = " ".join(lines[n - 1].split())
                if len(line) >= 16:
                    self.pieces.add(line)
            self.pieces |= self._literals("\n".join(lines[n - 1] for n in sorted(numbers)))
        visible = " ".join(visible.split())
        self.pieces = {piece for piece in self.pieces if piece not in visible}

    @staticmethod
    def _literals(text: str) -> set[str]:
        found = set()
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            tokens = []
        for token in tokens:
            if token.type == tokenize.STRING:
                try:
                    value = ast.literal_eval(token.string)
                except (ValueError, SyntaxError):  # an f-string: its pieces are code
                    continue
                value = " ".join(str(value).split())
                if len(value) >= 12:
                    found.add(value)
            elif token.type == tokenize.NUMBER and sum(c.isdigit() for c in token.string) >= 6:
                found.add(token.string)
        return found

    def quoted_in(self, text: str) -> bool:
        text = " ".join(str(text).split())
        return any(piece in text for piece in self.pieces)


def output_text(output) -> str:
    """Everything a student could read in one output, colours removed."""
    parts = [output.get("text", ""), output.get("evalue", ""), *output.get("traceback", [])]
    for value in output.get("data", {}).values():
        parts.extend(value if isinstance(value, list) else [str(value)])
    return ANSI.sub("", "\n".join(map(str, parts)))


def teaching_error(output, hidden: set[int], grader_errors: list[str], answers=frozenset(),
                   secret: "HiddenText | None" = None):
    """The error output a student sees instead of `output` (an error of a test cell).

    `answers` are the execution counts of the answer cells: a frame of one of them means
    the student's code raised the error, and chose its message.
    """
    ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
    traceback = output.get("traceback", [])
    where = raised_from(traceback, hidden)
    if where == "visible" and cells_on_stack(traceback) & answers:
        name = ename if builtin_exception(ename) else "An exception"
        return new_output("error", ename=name, evalue="", traceback=[RAISED_INSIDE.format(name)])
    if ename in grader_errors:  # the grader stopped the test: its reason is worth showing,
        if where == "hidden":  # but student code called from a hidden line can raise these too
            evalue = ""
    elif where != "visible" and hidden:
        return new_output("error", ename=ename, evalue="", traceback=[HIDDEN_FAILED.format(ename)])
    if secret is not None and secret.quoted_in(f"{ename} {evalue}"):
        return new_output("error", ename="Error", evalue="", traceback=[QUOTES_HIDDEN])
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
        tests = [cell for cell in nb.cells if is_test_cell(cell)]
        hidden = [hidden_lines(c.source, *self._markers) for c in tests]
        shown = [strip_hidden(c.source, h, "") for c, h in zip(tests, hidden, strict=True)]
        shown += [c.source for c in nb.cells if not is_test_cell(c)]
        self._secret = HiddenText([c.source for c in tests], hidden, "\n".join(shown))
        self._answers = frozenset(
            c.get("execution_count") for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
            and c.get("execution_count") is not None)
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
                teaching_error(output, hidden, self.grader_errors, self._answers, self._secret)
                for output in cell.outputs if output.output_type == "error"
            ]
            cell.source = strip_hidden(cell.source, hidden, self.placeholder)
        elif cell.cell_type == "code":
            cell.outputs = [
                new_output("stream", name="stdout", text=QUOTES_HIDDEN + "\n")
                if self._secret.quoted_in(output_text(output)) else output
                for output in cell.outputs
            ]
        return cell, resources
