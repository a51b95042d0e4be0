"""The autograder's nbgrader preprocessors, one per module as in ``nbgrader.preprocessors``.

``nbgrader_config.py`` appends them to nbgrader's own converters: :class:`TagTestCells` to
``GenerateAssignment`` (the release), :class:`TeachingFeedback` to ``GenerateFeedback``.
"""

from autograder.preprocessors.tagtestcells import TagTestCells
from autograder.preprocessors.teachingfeedback import TeachingFeedback

__all__ = ["TagTestCells", "TeachingFeedback"]
