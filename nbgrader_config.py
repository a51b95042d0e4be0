"""nbgrader configuration: the repository root is the course root.

Run every nbgrader command from here (nbgrader reads ./nbgrader_config.py only):
``nbgrader generate_assignment 01_tensors``, ``nbgrader autograde 01_tensors``, ...
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "pytorch-hands-on"
c.CourseDirectory.root = HERE
# source/NN_slug/ -> release/NN_slug/ ; submitted/<student>/NN_slug/ -> autograded/...
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
# What a release contains: every file of the chapter folder except these.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.egg-info", ".DS_Store"]
c.CourseDirectory.max_file_size = 10_000  # kB per file copied into a release or submission

# Per-cell limit while validating and autograding; a cell that runs longer is interrupted,
# its test scores 0 and grading goes on with the next cell.
c.ExecutePreprocessor.timeout = 60
# A student's stray prints do not bloat the gradebook or the feedback.
c.LimitOutput.max_lines = 200

# The exchange nbgrader's Assignments tab uses on a single machine (a JupyterHub course sets
# a shared folder instead, see README).
c.Exchange.root = os.path.join(HERE, "exchange")

# Student notebooks: after nbgrader's own steps, tag test cells so that JupyterLab's
# "Run All Cells" goes on past a failing test (autograder/preprocessors/tagtestcells.py).
from nbgrader.converters import GenerateAssignment  # noqa: E402

from autograder.preprocessors import TagTestCells, TeachingFeedback  # noqa: E402

c.GenerateAssignment.preprocessors = [
    *GenerateAssignment.class_traits()["preprocessors"].default(),
    TagTestCells,
]

# Student feedback: after nbgrader's GetGrades has read the scores, hide the hidden tests and
# the details of their failures, and list the autograder's flags
# (autograder/preprocessors/teachingfeedback.py).
from nbgrader.converters import GenerateFeedback  # noqa: E402

c.GenerateFeedback.preprocessors = [
    *GenerateFeedback.class_traits()["preprocessors"].default(),
    TeachingFeedback,
]
