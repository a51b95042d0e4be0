"""Release step: let JupyterLab's *Run All* go on past a failing test cell.

JupyterLab stops *Run All Cells* at the first cell that raises, so a student who has not yet
solved exercise 1 could not run the rest of a chapter in one go. A code cell tagged
``raises-exception`` may raise without stopping the run; the error is still shown. The tag
is added to the autograder test cells of the *student* notebooks only (`make release`
runs this after nbgrader's own steps): in `source/` a raising test cell must still fail
nbval. Grading is unaffected: nbgrader runs every cell whatever the tags say.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.utils import is_test_cell

TAG = "raises-exception"


class TagTestCells(NbGraderPreprocessor):
    """Add the ``raises-exception`` tag to every autograder test cell."""

    def preprocess_cell(self, cell, resources, cell_index):
        if is_test_cell(cell):
            tags = cell.metadata.setdefault("tags", [])
            if TAG not in tags:
                tags.append(TAG)
        return cell, resources
