"""A throw-away nbgrader course built from this repository, for tests that run nbgrader.

The tests never touch the repository's own gradebook, release/ or submitted/: they copy
nbgrader_config.py and the chapters they need into a temporary course root and run the
real `nbgrader` commands there, exactly as an instructor would from the repository root.
"""

import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
from nbgrader.api import Gradebook

from autograder.utils import is_test_cell

REPO = pathlib.Path(__file__).resolve().parent.parent
SOURCE = REPO / "source"
RELEASE = REPO / "release"
SUBMISSIONS = REPO / "tests" / "submissions"


def chapters() -> list[str]:
    """Names of the chapters (nbgrader assignments) in source/, in order."""
    return sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def notebooks(chapter: str, root: pathlib.Path = SOURCE) -> list[pathlib.Path]:
    """The notebooks of one chapter under `root` (source/ or release/)."""
    return sorted((root / chapter).glob("*.ipynb"))


def nbgrader_cells(nb) -> list:
    """Cells that carry nbgrader metadata, in notebook order."""
    return [c for c in nb.cells if "nbgrader" in c.metadata]


def answer_cells(nb) -> list:
    """Autograded answer cells: code cells holding a solution."""
    return [
        c for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]


def grade_cells(nb) -> list:
    """Autograder test cells (graded code that is not an answer), as every grader step tells them."""
    return [c for c in nb.cells if is_test_cell(c)]


def run_nbgrader(root: pathlib.Path, *args: str, timeout: int = 2400) -> str:
    """Run `nbgrader ARGS` in course root `root`; fail the test with its log if it fails."""
    env = dict(os.environ)
    env["PATH"] = str(pathlib.Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=timeout,
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{log}")
    return log


def run_grader(root: pathlib.Path, chapter: str, *args: str) -> subprocess.CompletedProcess:
    """`python -m autograder grade CHAPTER ARGS` in course root `root`; fails on an error."""
    env = dict(os.environ)
    env["PATH"] = str(pathlib.Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", chapter, *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=2400)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


#: Where make_course keeps the courses it generated, for the rest of the test session
#: (tests/conftest.py sets it; None: generate every time).
GENERATED: pathlib.Path | None = None


def _generate(root: pathlib.Path, chapter: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(SOURCE / chapter, root / "source" / chapter)
    run_nbgrader(root, "generate_assignment", chapter, "--force")


def make_course(root: pathlib.Path, chapter: str) -> pathlib.Path:
    """A course root holding the repository's config and one chapter's source, released.

    Within a test session each chapter is generated once (by whichever xdist worker needs it
    first, the others wait on a lock) and copied: the gradebook, source/ and release/ are
    exactly what `nbgrader generate_assignment` made from the current source/ in this run.
    """
    if GENERATED is None:
        _generate(root, chapter)
        return root
    import fcntl

    GENERATED.mkdir(parents=True, exist_ok=True)
    done = GENERATED / chapter
    with open(GENERATED / f"{chapter}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_dir():
            partial = GENERATED / f"{chapter}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            _generate(partial, chapter)
            partial.rename(done)
    shutil.copytree(done, root, dirs_exist_ok=True)
    return root


def submit(root: pathlib.Path, student: str, chapter: str, nbs: dict[str, object]) -> None:
    """Place notebooks {file name: notebook} as `student`'s submission of `chapter`."""
    folder = root / "submitted" / student / chapter
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in nbs.items():
        nbformat.write(nb, folder / name)


def scores(root: pathlib.Path, chapter: str, student: str) -> dict[str, tuple[float, float]]:
    """{grade_id: (score, max_score)} of every graded cell of a student's submission."""
    result = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(chapter, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                result[grade.name] = (grade.score, grade.max_score)
    return result


def replace_answers(nb, answers: dict[str, str]):
    """A copy of `nb` whose answer cells named in `answers` ({grade_id: source}) are replaced."""
    nb = nbformat.from_dict(nb)
    found = set()
    for cell in answer_cells(nb):
        grade_id = cell.metadata.nbgrader.grade_id
        if grade_id in answers:
            cell.source = answers[grade_id]
            found.add(grade_id)
    missing = set(answers) - found
    if missing:
        raise KeyError(f"no answer cell with grade_id {sorted(missing)}")
    return nb


def fixture_answers(chapter: str, kind: str) -> list[tuple[str, str, str]]:
    """(grade_id, scenario, source) of each fixture in tests/submissions/CHAPTER/KIND/.

    A fixture file `GRADE_ID.SCENARIO.py` is the whole source of one answer cell:
    kind `wrong` holds plausible mistakes, kind `right` correct alternatives.
    """
    folder = SUBMISSIONS / chapter / kind
    items = []
    for path in sorted(folder.glob("*.py")):
        grade_id, scenario = path.stem.split(".", 1)
        items.append((grade_id, scenario, path.read_text(encoding="utf-8")))
    return items


def require_sandbox() -> None:
    """Skip the calling test module when no grading sandbox can run here, unless
    COURSE_REQUIRE_SANDBOX is set (CI): then that is an error."""
    import pytest

    from autograder import sandbox

    try:
        sandbox.check()
    except sandbox.SandboxUnavailable as problem:
        if os.environ.get("COURSE_REQUIRE_SANDBOX"):
            raise RuntimeError(f"COURSE_REQUIRE_SANDBOX is set but: {problem}") from None
        pytest.skip(f"no sandbox here (apt-get install bubblewrap): {problem}",
                    allow_module_level=True)
