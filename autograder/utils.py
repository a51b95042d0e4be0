"""Cell predicates the grader's steps share, beside nbgrader's own (``nbgrader.utils``).

nbgrader tells cells apart by their metadata (``is_grade``, ``is_solution``, ``is_locked``);
the autograder's steps (execution, release, feedback) all need one more question answered the
same way: is this a test cell, whose outcome is a grade and whose code is the instructor's?
"""

from nbgrader import utils


def is_test_cell(cell) -> bool:
    """An autograder test cell: graded code that is not the student's answer."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)
