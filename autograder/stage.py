"""Step 1 of grading a submission, *stage*: a copy the grader may change, and what to flag.

``submitted/<student>/<assignment>/`` is never modified. :func:`stage` copies it twice:

* the *staged* copy, which nbgrader sanitizes and records (``autograder/record.py``); a
  notebook there that is missing, a folder, not JSON or not a valid notebook is replaced by the
  blank release notebook, so it earns what a blank earns (normally 0);
* the *handed-in* copy, made before anything is sanitized, which is what the kernel finds in
  its folder: nbgrader puts the hidden tests back into the notebooks it sanitizes, and a
  kernel that could read them there could answer only what they check.

Symbolic links and oversized files are left out of both. Everything odd becomes a
human-readable *flag*: edited, deleted or added test cells (nbgrader restores the originals)
and answers that use what no answer needs (``autograder/review.py``).

Functions only: what they need (folders, the gradebook, nbgrader's ``ignore`` patterns and
file-size cap) is passed in, so each can be tested on a folder of small notebooks.
"""

import pathlib
import shutil

import nbformat
from nbgrader.api import MissingEntry

from autograder import review
from autograder.limits import NOTEBOOK_BYTES


def one_line(error: BaseException, limit: int = 300) -> str:
    """``Type: first line of the message``, at most ``limit`` characters (some have none)."""
    lines = str(error).strip().splitlines()
    return (type(error).__name__ + (f": {lines[0]}" if lines else ""))[:limit]


def copy_plain_files(src: pathlib.Path, dest: pathlib.Path, ignore: list[str],
                     max_bytes: int) -> list[str]:
    """Copy a submission folder without links or oversized files; notes on what was left out.

    A symbolic link could point at the gradebook or another student's work, and the grader
    (unlike the sandbox) can read those; a huge file would be copied for every kernel.
    Notebooks may be larger (plots; their outputs are cleared), up to ``NOTEBOOK_BYTES``.
    """
    notes = []

    def limit(path: pathlib.Path) -> int:
        return max(max_bytes, NOTEBOOK_BYTES) if path.suffix == ".ipynb" else max_bytes

    def skip(folder, names):
        left_out = set(shutil.ignore_patterns(*ignore)(folder, names))
        for name in names:
            path = pathlib.Path(folder, name)
            if path.is_symlink():
                notes.append(f"{path.relative_to(src)} is a symbolic link; it was left out.")
                left_out.add(name)
            elif path.is_file() and path.stat().st_size > limit(path):
                notes.append(f"{path.relative_to(src)} is larger than {limit(path) // 1000} kB; "
                             "it was left out.")
                left_out.add(name)
        return left_out

    shutil.copytree(src, dest, symlinks=True, ignore=skip)
    return notes


def read_notebook(path: pathlib.Path):
    """``(notebook, "")``, or ``(None, reason)`` when it cannot be graded as a notebook.

    nbformat's schema leaves cell metadata free; nbgrader's part of it must still have the
    types nbgrader expects, or its steps would raise on this student's notebook alone.
    """
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the student's
        return None, one_line(error, 200)
    for number, cell in enumerate(nb.cells, start=1):
        problem = _nbgrader_metadata_problem(cell.get("metadata", {}).get("nbgrader"))
        if problem:
            return None, f"cell {number}: nbgrader metadata {problem}"
    return nb, ""


def _nbgrader_metadata_problem(meta) -> str:
    """What is wrong with one cell's ``metadata.nbgrader`` ("" if nothing, or it is absent)."""
    if meta is None:
        return ""
    if not isinstance(meta, dict):
        return f"is a {type(meta).__name__}, not a mapping"
    grade_id = meta.get("grade_id")
    if grade_id is not None and not (isinstance(grade_id, str) and len(grade_id) <= 100):
        return "has a grade_id that is not a short string"
    points = meta.get("points")
    if points is not None and (isinstance(points, bool) or not isinstance(points, (int, float))):
        return "has points that are not a number"
    for flag in ("grade", "solution", "locked", "task"):
        if flag in meta and not isinstance(meta[flag], bool):
            return f"has a {flag} that is not true or false"
    return ""


def edits(nb, release_nb, gb, notebook: str, assignment: str) -> list[str]:
    """Notes on test cells the student changed, deleted or added (compared with the release
    notebook and the gradebook's grade cells); nbgrader's sanitize restores them all."""
    released = {c.metadata.nbgrader["grade_id"]: c for c in release_nb.cells
                if "nbgrader" in c.metadata and c.metadata.nbgrader.get("grade_id")}
    notes, seen = [], set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if not grade_id or not (meta.get("grade") and not meta.get("solution")):
            continue
        seen.add(grade_id)
        try:
            points = gb.find_grade_cell(grade_id, notebook, assignment).max_score
        except MissingEntry:
            notes.append(f"Added a test cell {grade_id!r} that is not in the assignment; "
                         "it earns nothing.")
            continue
        original = released.get(grade_id)
        if original is not None and cell.source != original.source:
            notes.append(f"Edited test cell {grade_id!r}; the original was restored.")
        if float(meta.get("points", points)) != float(points):
            notes.append(f"Changed the points of {grade_id!r}; the original was restored.")
    for cell in gb.find_notebook(notebook, assignment).grade_cells:
        if cell.cell_type == "code" and cell.name not in seen and not _is_solution(gb, cell):
            notes.append(f"Deleted test cell {cell.name!r}; it scores 0.")
    return notes


def _is_solution(gb, grade_cell) -> bool:
    """A grade cell that is also a solution cell (manually graded answer), not a test."""
    try:
        gb.find_solution_cell(grade_cell.name, grade_cell.notebook.name,
                              grade_cell.notebook.assignment.name)
    except MissingEntry:
        return False
    return True


def stage(src: pathlib.Path, dest: pathlib.Path, handed_in: pathlib.Path,
          release: pathlib.Path, notebooks: list[str], gb, assignment: str, *,
          ignore: list[str], max_bytes: int, flags: list[str] | None = None) -> list[str]:
    """Stage one submission: ``src`` (``submitted/<student>/<assignment>/``) copied to
    ``dest`` (what nbgrader sanitizes and records) and, before anything is sanitized, to
    ``handed_in`` (what the kernel's folder holds); the flags, in the order found.

    ``release`` is the assignment's release folder (the blank notebooks), ``notebooks`` the
    gradebook's notebook names, ``ignore`` and ``max_bytes`` nbgrader's
    ``CourseDirectory.ignore`` and ``max_file_size`` (in bytes). Raises whatever nbgrader or
    the gradebook raise on metadata they cannot read; the caller makes that a failed student.
    The flags are appended to ``flags`` as they are found (so a caller that passed its list
    keeps those found before such an error) and that list is returned.
    """
    flags = [] if flags is None else flags
    shutil.rmtree(dest, ignore_errors=True)
    flags.extend(copy_plain_files(src, dest, ignore, max_bytes))
    for name in notebooks:
        path = dest / f"{name}.ipynb"
        if path.is_dir():  # a folder by the notebook's name: graded as a missing notebook
            shutil.rmtree(path)
        nb, problem = read_notebook(path) if path.is_file() else (None, "")
        if nb is None:
            what = f"could not be read ({problem})" if problem else "was not submitted"
            flags.append(f"{name}.ipynb {what}; it was graded as the blank notebook.")
            shutil.copy(release / f"{name}.ipynb", path)
        else:
            release_nb = nbformat.read(release / f"{name}.ipynb", 4)
            flags.extend(edits(nb, release_nb, gb, name, assignment))
            flags.extend(review.findings(nb, release_nb))
    shutil.rmtree(handed_in, ignore_errors=True)
    shutil.copytree(dest, handed_in, symlinks=True)
    return flags
