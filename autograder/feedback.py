"""Feedback for one student, released to the exchange where ``nbgrader fetch_feedback`` finds it.

``release`` runs nbgrader's own ``generate_feedback`` (with the course's preprocessors:
``TeachingFeedback`` leaves hidden tests out) and ``release_feedback`` for one student and
assignment. ``notice`` releases a short page instead, for a submission that is not graded yet
(queued behind the rate limit), never will be (superseded by a newer one) or could not be.

``fetch_feedback`` looks for each notebook of each submission the student made at
``{Exchange.root}/{course_id}/feedback/{hash}.html``, the hash being
``nbgrader.utils.notebook_hash(secret=<the submission's submission_secret.txt>,
notebook_id=<the notebook's name>)``: a notice is written under that name, and the graded
feedback of the same submission, released later, replaces it.
"""

import html
import os
import pathlib
import tempfile

from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import Exchange
from nbgrader.utils import notebook_hash
from traitlets.config import Config


class FeedbackError(RuntimeError):
    """nbgrader's generate_feedback or release_feedback failed (its last log line)."""


def _outcome(result: dict, step: str) -> None:
    if not result.get("success"):
        lines = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise FeedbackError(f"{step}: {lines[-1] if lines else 'failed'}")


def release(config: Config, assignment: str, student: str) -> None:
    """``nbgrader generate_feedback`` + ``release_feedback`` for one student (nbgrader's API,
    which logs to its captured log, not to our output)."""
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    _outcome(api.generate_feedback(assignment, student, force=True), "generate_feedback")
    _outcome(api.release_feedback(assignment, student), "release_feedback")


def feedback_dir(config: Config) -> pathlib.Path:
    """``{Exchange.root}/{course_id}/feedback``: where released feedback waits to be fetched."""
    root = Exchange(config=config, coursedir=CourseDirectory(config=config)).root
    return pathlib.Path(root) / CourseDirectory(config=config).course_id / "feedback"


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>{title}</h1>
<p>{text}</p>
<p><small>Submitted at {timestamp}. This page is replaced by your feedback once the
submission is graded.</small></p>
</body></html>
"""


def notice(config: Config, inbound_folder: pathlib.Path, timestamp: str, title: str,
           text: str) -> list[pathlib.Path]:
    """Release a short page as the feedback of every notebook in one inbound submission
    (nothing if it has no ``submission_secret.txt``: its feedback could not be found);
    the pages written."""
    secret_path = inbound_folder / "submission_secret.txt"
    if not secret_path.is_file():
        return []
    secret = secret_path.read_text()
    out = feedback_dir(config)
    out.mkdir(parents=True, exist_ok=True)
    page = PAGE.format(title=html.escape(title), text=html.escape(text),
                       timestamp=html.escape(timestamp))
    written = []
    for notebook in sorted(inbound_folder.glob("*.ipynb")):
        dest = out / f"{notebook_hash(secret=secret, notebook_id=notebook.stem)}.html"
        with tempfile.NamedTemporaryFile("w", dir=out, suffix=".tmp", delete=False) as tmp:
            tmp.write(page)
        os.chmod(tmp.name, 0o644)
        os.replace(tmp.name, dest)  # as release_feedback: whole or not at all
        written.append(dest)
    return written
