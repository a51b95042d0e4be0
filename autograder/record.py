"""Steps 2 and 4 of grading a submission, *sanitize* and *record*: nbgrader's own code.

nbgrader's ``autograde`` sanitizes a submission, executes it and records the grades, in one
converter. The grader runs the execution itself, in a sandbox (``autograder/execute.py``),
and hands the rest back to nbgrader:

* :func:`sanitize` runs ``Autograde``'s sanitize preprocessors (:func:`sanitizers`, as
  configured) on the staged notebook and writes it back sanitized;
* :func:`record` runs nbgrader's real ``Autograde`` converter on the staged submission, with
  its ``Execute`` step replaced by :class:`Replay` (the outputs of the sandboxed run, put in
  :data:`EXECUTED` by the grader) and its sanitize pass left empty (:func:`sanitize` did it,
  on the same files). Students, submissions, timestamps, late penalties, ``autograded/`` and
  the grades are nbgrader's; :class:`RecordFlags` keeps the grader's flags in the autograded
  notebooks, where :func:`kept_flags` reads them back;
* :func:`should_grade` is nbgrader's own rule for skipping what is already autograded.

Only the grader's main thread calls these (only it writes to the gradebook).
"""

import logging
import pathlib

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    SaveAutoGrades,
)
from traitlets.config import Config

#: (student, notebook) -> (executed notebook, flags): what :class:`Replay` hands over.
EXECUTED: dict[tuple[str, str], tuple] = {}


class RecordError(Exception):
    """nbgrader refused to record a submission; the message is what it logged, in one line."""


class Replay(NbGraderPreprocessor):
    """nbgrader's Execute step for this grader: the outputs of the sandboxed run.

    It refuses a notebook whose cells differ from the one that was executed, so the
    grades nbgrader records are always those of the code that ran.
    """

    def preprocess(self, nb, resources):
        key = (resources["nbgrader"]["student"], resources["nbgrader"]["notebook"])
        executed, flags = EXECUTED.pop(key)
        if [c.source for c in nb.cells] != [c.source for c in executed.cells]:
            raise NbGraderException(f"sanitized notebook of {key} differs from the executed one")
        for cell, done in zip(nb.cells, executed.cells, strict=True):
            if cell.cell_type == "code":
                cell.outputs = done.outputs
                cell.execution_count = done.get("execution_count")
        resources["autograder_flags"] = flags
        return nb, resources


class RecordFlags(NbGraderPreprocessor):
    """Last step: keep the flags in the autograded notebook (feedback shows them)."""

    def preprocess(self, nb, resources):
        nb.metadata["autograder"] = {"flags": resources.get("autograder_flags", [])}
        return nb, resources


#: What :func:`record` runs instead of ``Autograde.autograde_preprocessors``: nbgrader's own
#: list with :class:`Replay` for ``Execute`` and :class:`RecordFlags` last.
RECORD_PREPROCESSORS = [Replay, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                        SaveAutoGrades, AssignLatePenalties, CheckCellMetadata, RecordFlags]


def kept_flags(folder: pathlib.Path) -> list[str]:
    """The flags :class:`RecordFlags` kept in the autograded notebooks of one submission
    (``autograded/<student>/<assignment>/``), each once, in notebook order."""
    found: list[str] = []
    for path in sorted(pathlib.Path(folder).glob("*.ipynb")):
        flags = nbformat.read(path, 4).metadata.get("autograder", {}).get("flags", [])
        found += [f for f in flags if f not in found]
    return found


def sanitizers(config: Config, coursedir: CourseDirectory) -> list:
    """nbgrader's sanitize preprocessors (``Autograde.sanitize_preprocessors``), as configured."""
    return list(Autograde(coursedir=coursedir, config=config).sanitize_preprocessors)


def sanitize(path: pathlib.Path, resources: dict, config: Config, preprocessors: list):
    """Sanitize the notebook at ``path`` in place with ``preprocessors`` (:func:`sanitizers`);
    the sanitized notebook. ``resources["nbgrader"]`` names the student, assignment, notebook
    and db_url, as nbgrader's converter would. Raises what nbgrader raises on a notebook it
    refuses (a test cell turned into an answer, say)."""
    nb = nbformat.read(path, 4)
    for cls in preprocessors:
        nb, resources = cls(config=config)(nb, resources)
    nbformat.write(nb, path)
    return nb


def converter_config(config: Config, submitted: str, **course) -> Config:
    """A copy of the course's ``config`` whose ``submitted_directory`` is ``submitted`` (the
    staging folder, relative to the root) and whose other ``CourseDirectory`` traits are
    ``course`` (``student_id``, ``assignment_id``)."""
    config = Config(config)
    config.CourseDirectory.submitted_directory = submitted
    for name, value in course.items():
        setattr(config.CourseDirectory, name, value)
    return config


def record(config: Config, submitted: str, student: str, assignment: str, db_url: str,
           course_id: str) -> tuple[float, float]:
    """Record one staged, executed submission with nbgrader's ``Autograde`` converter
    (:data:`EXECUTED` must hold its notebooks); its (score, max_score) from the gradebook.
    Raises :class:`RecordError` with nbgrader's logged reason when the converter fails."""
    config = converter_config(config, submitted, student_id=student, assignment_id=assignment)
    config.Autograde.force = True
    config.Autograde.sanitize_preprocessors = []  # done by sanitize(), on the same file
    config.Autograde.autograde_preprocessors = list(RECORD_PREPROCESSORS)
    errors = _Errors()
    converter = Autograde(coursedir=CourseDirectory(config=config), config=config,
                          log=_quiet_logger(errors))
    try:
        converter.start()
    except NbGraderException:
        raise RecordError(" ".join(errors.messages)[:500] or "nbgrader failed") from None
    with Gradebook(db_url, course_id) as gb:
        submission = gb.find_submission(assignment, student)
        return submission.score, submission.max_score


def should_grade(config: Config, submitted: str, student: str, assignment: str,
                 force: bool) -> bool:
    """nbgrader's own rule: skip what is already autograded unless forced or resubmitted
    (``timestamp.txt`` newer than the autograded copy)."""
    config = converter_config(config, submitted)
    config.Autograde.force = force
    converter = Autograde(coursedir=CourseDirectory(config=config), config=config,
                          log=_quiet_logger(_Errors()))
    converter.notebooks = []
    return converter.init_destination(assignment, student)


class _Errors(logging.Handler):
    """Collects what nbgrader logs as errors while it records one submission."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        lines = record.getMessage().strip().splitlines() or [""]
        # a logged traceback: its last line names the error
        self.messages.append(lines[-1] if lines[0].startswith("Traceback") else lines[0])


def _quiet_logger(handler: logging.Handler) -> logging.Logger:
    """A logger of nbgrader's own for one converter: errors are kept, nothing is printed."""
    logger = logging.getLogger(f"autograder.nbgrader.{id(handler)}")
    logger.propagate = False
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    return logger
