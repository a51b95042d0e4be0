"""Does the instructor's report (autograder/report.py) tell the right story about a class?

The gradebooks are filled directly through nbgrader's API with known scores (no autograding),
so every number in the report is known in advance.
"""

import os
import pathlib
import shutil
import subprocess
import sys

import matplotlib.image
import nbformat
import nbformat.v4
import pandas as pd
import pytest
from nbgrader.api import Gradebook

from autograder.__main__ import main as cli
from autograder.report import main, write_report

ROOT = pathlib.Path(__file__).resolve().parents[1]

# Notebook order on purpose not alphabetical: the report must keep it.
CELLS = {"zeros_tests": 1, "add_tests": 2, "mean_tests": 3}
# {student: {grade_id: auto_score}}; None = never graded.
CLASS = {
    "s1": {"zeros_tests": 1, "add_tests": 2, "mean_tests": 3},  # 6
    "s2": {"zeros_tests": 1, "add_tests": 0, "mean_tests": 3},  # 4
    "s3": {"zeros_tests": 1, "add_tests": 1, "mean_tests": 1},  # 3
    "s4": {"zeros_tests": 1, "add_tests": 0, "mean_tests": 0},  # 1
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# nbgrader's own add_submission() trips this SQLAlchemy warning; it is harmless.
pytestmark = pytest.mark.filterwarnings("ignore:Object of type:sqlalchemy.exc.SAWarning")


@pytest.fixture(scope="session")
def empty_gradebook(tmp_path_factory) -> pathlib.Path:
    """An empty gradebook file: creating one runs `alembic` (2 s), copying one does not."""
    path = tmp_path_factory.mktemp("gradebook") / "empty.db"
    with pytest.MonkeyPatch.context() as mp:  # nbgrader runs `alembic` by name (see Makefile)
        mp.setenv("PATH", str(pathlib.Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
        Gradebook(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def gradebook(tmp_path, empty_gradebook):
    """make(students, notebooks) -> URL of a new gradebook holding assignment `demo`.

    Each notebook has the grade cells CELLS; `students` ({student: {grade_id: auto_score}})
    get a submission scored so, the same in every notebook.
    """
    def make(students: dict, notebooks=("demo",), name="gradebook.db") -> str:
        path = tmp_path / name
        shutil.copy(empty_gradebook, path)
        url = f"sqlite:///{path}"
        with Gradebook(url) as gb:
            gb.add_assignment("demo")
            for nb in notebooks:
                gb.add_notebook(nb, "demo")
                for grade_id, points in CELLS.items():
                    gb.add_grade_cell(grade_id, nb, "demo", max_score=points, cell_type="code")
            for student, got in students.items():
                gb.add_student(student)
                gb.update_or_create_submission("demo", student)
                for nb in notebooks:
                    for grade_id, score in got.items():
                        grade = gb.find_grade(grade_id, nb, "demo", student)
                        grade.auto_score = score
                        grade.needs_manual_grade = score is None
            gb.db.commit()
        return url
    return make


def section(md: str, heading: str) -> list[str]:
    """The non-empty lines under `## heading` up to the next heading."""
    lines = md.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"## {heading}"))
    body = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.strip():
            body.append(line)
    return body


def assert_png(path: pathlib.Path) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 1000
    height, width, _ = matplotlib.image.imread(path).shape
    assert width > 500 and height > 300


@pytest.fixture
def class_report(tmp_path, gradebook):
    url = gradebook(CLASS)
    flags = {"s2": ["kernel died"], "s1": [], "s4": ["wrote a | file", "timed out"]}
    paths = write_report("demo", url, tmp_path / "out", flags=flags)
    return paths


def test_exercise_table_has_exact_pass_rates(class_report):
    table = pd.read_csv(class_report["csv"])
    assert list(table["grade_id"]) == ["zeros_tests", "add_tests", "mean_tests"]
    assert list(table["points"]) == [1, 2, 3]
    assert list(table["pass_rate_pct"]) == [100.0, 25.0, 50.0]
    assert list(table["mean_points"]) == [1.0, 0.75, 1.75]
    assert list(table["ungraded"]) == [0, 0, 0]


def test_markdown_summary_and_lowest_pass_rate_first(class_report):
    md = class_report["md"].read_text()
    assert md.startswith("# demo")
    assert "**Submissions:** 4" in md
    assert "Not fully graded" not in md
    assert "| mean | 3.5 |" in md and "| median | 3.5 |" in md
    assert "| min | 1 |" in md and "| max | 6 |" in md
    assert "out of 6" in md
    ranked = section(md, "What confused the class")
    assert [line.split("`")[1] for line in ranked] == ["add_tests", "mean_tests", "zeros_tests"]
    assert ranked[0] == "1. `add_tests`: 25.0% passed, mean 0.75 / 2"
    assert "| demo | `mean_tests` | 3 | 50.0% | 1.75 | 0 |" in section(md, "Exercises")
    assert "![](report.png)" in md


def test_flagged_table_omits_students_without_reasons(class_report):
    rows = section(class_report["md"].read_text(), "Flagged submissions")
    assert rows[2:] == ["| s2 | kernel died |", "| s4 | wrote a \\| file; timed out |"]


def test_figure_is_a_png(class_report):
    assert_png(class_report["png"])
    assert class_report["png"].parent == class_report["md"].parent == class_report["csv"].parent


def test_no_flags_no_flag_section(tmp_path, gradebook):
    url = gradebook(CLASS)
    paths = write_report("demo", url, tmp_path / "out")
    assert "Flagged" not in paths["md"].read_text()
    paths = write_report("demo", url, tmp_path / "out2", flags={"s1": []})
    assert section(paths["md"].read_text(), "Flagged submissions") == ["No submission was flagged."]


def test_zero_submissions(tmp_path, gradebook):
    paths = write_report("demo", gradebook({}), tmp_path / "out")
    md = paths["md"].read_text()
    assert "No submissions" in md
    assert "What confused the class" not in md
    table = pd.read_csv(paths["csv"])
    assert list(table["grade_id"]) == list(CELLS)
    assert table["pass_rate_pct"].isna().all() and table["mean_points"].isna().all()
    assert_png(paths["png"])


def test_ungraded_cell_counts_as_zero_and_not_passed(tmp_path, gradebook):
    students = {
        "s1": {"zeros_tests": 1, "add_tests": 2, "mean_tests": 3},
        "s2": {"zeros_tests": 1, "add_tests": 2, "mean_tests": None},
    }
    paths = write_report("demo", gradebook(students), tmp_path / "out")
    table = pd.read_csv(paths["csv"]).set_index("grade_id")
    assert table.loc["mean_tests", "pass_rate_pct"] == 50.0
    assert table.loc["mean_tests", "mean_points"] == 1.5
    assert table.loc["mean_tests", "ungraded"] == 1
    assert table.loc["add_tests", "pass_rate_pct"] == 100.0
    md = paths["md"].read_text()
    assert "**Not fully graded:** 1 submission(s)" in md and "(s2)" in md
    assert "| min | 3 |" in md
    assert_png(paths["png"])


def test_two_notebooks_are_grouped(tmp_path, gradebook):
    url = gradebook(CLASS, notebooks=("part1", "part2"))
    paths = write_report("demo", url, tmp_path / "out")
    table = pd.read_csv(paths["csv"])
    assert list(table["notebook"]) == ["part1"] * 3 + ["part2"] * 3
    assert list(table["pass_rate_pct"]) == [100.0, 25.0, 50.0] * 2
    md = paths["md"].read_text()
    assert "| max | 12 |" in md
    assert section(md, "What confused the class")[0].startswith("1. `part1/add_tests`")
    assert_png(paths["png"])


def test_command_line_defaults(tmp_path, gradebook, monkeypatch, capsys):
    gradebook(CLASS)
    monkeypatch.chdir(tmp_path)
    main(["demo"])
    out = tmp_path / "reports" / "demo"
    assert sorted(p.name for p in out.iterdir()) == ["exercises.csv", "report.md", "report.png"]
    assert "report.md" in capsys.readouterr().out


def test_command_line_errors_create_nothing(tmp_path, gradebook):
    missing = tmp_path / "nowhere.db"
    with pytest.raises(SystemExit, match="no gradebook"):
        main(["demo", "--db", f"sqlite:///{missing}", "--out", str(tmp_path / "a")])
    assert not missing.exists() and not (tmp_path / "a").exists()
    url = gradebook(CLASS)
    with pytest.raises(SystemExit, match="No such assignment: nope"):
        main(["nope", "--db", url, "--out", str(tmp_path / "b")])
    assert not (tmp_path / "b").exists()


def _course(tmp_path, gradebook) -> pathlib.Path:
    """A course whose nbgrader_config.py names its gradebook `marks.sqlite`, beside a decoy
    `gradebook.db` (nbgrader's default name) that holds another class."""
    course = tmp_path / "course"
    course.mkdir()
    url = gradebook(CLASS, name="course/marks.sqlite")
    gradebook({"decoy": {"zeros_tests": 0, "add_tests": 0, "mean_tests": 0}},
              name="course/gradebook.db")
    (course / "nbgrader_config.py").write_text(
        "import os\nc = get_config()  # noqa: F821\n"
        "c.CourseDirectory.db_url = 'sqlite:///' + os.path.join(os.path.dirname("
        "os.path.abspath(__file__)), 'marks.sqlite')\n")
    assert url.endswith("marks.sqlite")
    return course


def _flag(course: pathlib.Path, student: str, flags: list[str], notebook="demo") -> None:
    """An autograded notebook holding the flags the grader kept (RecordFlags)."""
    folder = course / "autograded" / student / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["autograder"] = {"flags": flags}
    nbformat.write(nb, folder / f"{notebook}.ipynb")


def test_report_subcommand_reads_the_configured_gradebook(tmp_path, gradebook):
    """`python -m autograder report` finds the gradebook as `grade` does: nbgrader_config.py's
    `CourseDirectory.db_url`, not a `gradebook.db` in the current folder."""
    course = _course(tmp_path, gradebook)
    _flag(course, "s4", ["timed out"])
    done = subprocess.run([sys.executable, "-m", "autograder", "report", "demo"], cwd=course,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    md = (course / "reports" / "demo" / "report.md").read_text()
    assert "**Submissions:** 4" in md and "decoy" not in md
    assert section(md, "Flagged submissions")[2:] == ["| s4 | timed out |"]
    assert sorted(p.name for p in (course / "reports" / "demo").iterdir()) == [
        "exercises.csv", "report.md", "report.png"]


def test_report_alias_and_root_option_read_the_configured_gradebook(tmp_path, gradebook,
                                                                     monkeypatch, capsys):
    course = _course(tmp_path, gradebook)
    _flag(course, "s2", ["kernel died"])
    _flag(course, "s2", ["kernel died"], notebook="part2")  # every notebook keeps them all
    _flag(course, "s1", [])
    monkeypatch.chdir(course)
    assert main(["demo"]) == 0  # python -m autograder.report demo
    md = (course / "reports" / "demo" / "report.md").read_text()
    assert "**Submissions:** 4" in md and "decoy" not in md
    assert section(md, "Flagged submissions")[2:] == ["| s2 | kernel died |"]
    monkeypatch.chdir(tmp_path)
    assert cli(["report", "demo", "--root", "course", "--out", "elsewhere"]) == 0
    assert "**Submissions:** 4" in (tmp_path / "elsewhere" / "report.md").read_text()
    assert "report.md" in capsys.readouterr().out
    # --db still overrides the configuration
    decoy = f"sqlite:///{course / 'gradebook.db'}"
    assert cli(["report", "demo", "--root", "course", "--db", decoy, "--out", "d"]) == 0
    assert "**Submissions:** 1" in (tmp_path / "d" / "report.md").read_text()
