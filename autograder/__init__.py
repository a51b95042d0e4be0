"""Grading pipeline around nbgrader."""
