"""Does every command the README shows work, run the way a reader would run it?

The README's ```bash blocks are run line by line in a copy of the repository (the same
virtual environment), with one student's submission in place before grading. Commands that
start a server or the test suite itself are covered elsewhere; the test checks that they are.
"""

import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from coursedir import REPO

# Commands that do not return: where each is exercised instead.
COVERED_ELSEWHERE = {
    "make lab": ("tests/conftest.py", "\"lab\""),
    "make test": (".ci/run", "make test"),
}


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def test_the_readme_shows_the_two_setup_commands_first():
    assert readme_commands()[:2] == ["make lab", "make test"]


@pytest.mark.parametrize("command", sorted(COVERED_ELSEWHERE))
def test_long_running_commands_are_exercised_elsewhere(command):
    path, needle = COVERED_ELSEWHERE[command]
    assert command in readme_commands()
    assert needle in (REPO / path).read_text(), f"{path} no longer runs `{command}`"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the repository's tracked files (mtimes kept), sharing .venv's packages."""
    root = tmp_path_factory.mktemp("readme") / "course"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.split("\0")
    for name in filter(None, files):
        if (REPO / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, root / name)
    # The shared environment, entry by entry, with a stamp of its own: make in the copy must
    # never reinstall (that would point the editable `course` install at the copy).
    venv = root / ".venv"
    venv.mkdir()
    for entry in (REPO / ".venv").iterdir():
        if entry.name != ".installed":
            (venv / entry.name).symlink_to(entry)
    (venv / ".installed").touch()
    return root


def _run(root, command):
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, f"`{command}` failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout + proc.stderr


def test_every_readme_command_works(checkout):
    ran = []
    for command in readme_commands():
        if command in COVERED_ELSEWHERE:
            continue
        if command.startswith(("nbgrader autograde", "make grade")):
            chapter = command.split()[2].removeprefix("ASSIGNMENT=")
            solution = REPO / "source" / chapter / f"{chapter}.ipynb"
            (checkout / "submitted" / "alice" / chapter).mkdir(parents=True)
            shutil.copy(solution, checkout / "submitted" / "alice" / chapter / solution.name)
        out = _run(checkout, command)
        ran.append(command)
        if command.startswith(".venv/bin/nbgrader validate"):
            assert "VALIDATION FAILED" in out and "NotImplementedError" in out, out[-2000:]
    assert any(c.startswith("make release") for c in ran) and any("export" in c for c in ran)

    # What the commands should have produced, as the README says.
    grades = (checkout / "grades.csv").read_text()
    row = next(line for line in grades.splitlines() if ",alice," in line and "01_tensors" in line)
    nb = nbformat.read(REPO / "release" / "01_tensors" / "01_tensors.ipynb", as_version=4)
    points = sum(c.metadata["nbgrader"]["points"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    assert f",{float(points)}," in row or f",{points}," in row, row
    assert list((checkout / "feedback" / "alice" / "01_tensors").glob("*.html"))
    assert (checkout / "handout" / "pytorch-course.zip").is_file()
    where = _run(checkout, 'cd / && python -c "import course; print(course.__file__)"')
    assert where.strip() == str(REPO / "course" / "__init__.py"), "make in the copy reinstalled the package"
