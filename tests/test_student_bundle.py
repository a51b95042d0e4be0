"""Does the student bundle hold what a student needs and nothing an instructor keeps?"""

import re
import subprocess
import zipfile

import nbformat
import pytest
from coursedir import REPO, SOURCE

SECRET_REGIONS = [("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")]


def secret_lines(source=SOURCE) -> set[str]:
    """Lines of source/ that only occur inside solution or hidden-test regions."""
    inside, outside = set(), set()
    for path in source.glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            region = None
            for line in cell.source.splitlines():
                text = line.strip()
                starts = [end for begin, end in SECRET_REGIONS if text == begin]
                if starts:
                    region = starts[0]
                    continue
                if region and text == region:
                    region = None
                    continue
                if len(text) >= 12:  # short lines ("return x", ")") prove nothing either way
                    (inside if region else outside).add(text)
    # The course package ships to students on purpose (and holds no answers): its own lines,
    # e.g. an example call in a docstring, are not secrets when a hidden test repeats them.
    package = {line.strip() for path in (REPO / "course").glob("*.py")
               for line in path.read_text(encoding="utf-8").splitlines()}
    return inside - outside - package


def leaks(folder) -> list[str]:
    """(file: line) for every secret line, or nbgrader marker, found in a file under folder."""
    secrets = secret_lines()
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix == ".zip":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            text = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        lines = {line.strip() for line in text.splitlines()}
        found += [f"{path.relative_to(folder)}: {s}" for s in sorted(secrets & lines)]
        found += [f"{path.relative_to(folder)}: marker {m}" for m in re.findall(r"### (?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)", text)]
    return found


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    subprocess.run(["make", "student-bundle", f"BUNDLE_DIR={out}"], cwd=REPO, check=True, capture_output=True)
    return out


def test_bundle_holds_the_release_the_package_and_an_environment(bundle):
    folder = bundle / "pytorch-course"
    chapters = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
    for chapter in chapters:
        assert list((folder / chapter).glob("*.ipynb")), f"{chapter} missing from the bundle"
    assert (folder / "course" / "checks.py").is_file()
    assert (folder / "environment.yml").is_file() and (folder / "pyproject.toml").is_file()
    assert (folder / "README.md").is_file(), "the chapter index"
    with zipfile.ZipFile(bundle / "pytorch-course.zip") as z:
        assert f"pytorch-course/{chapters[0]}/{chapters[0]}.ipynb" in z.namelist()


def test_bundle_holds_nothing_else(bundle):
    top = {p.name for p in (bundle / "pytorch-course").iterdir()}
    for forbidden in ("source", "tests", "autograder", "nbgrader_config.py", "gradebook.db", "submitted"):
        assert forbidden not in top
    dependencies = (bundle / "pytorch-course" / "pyproject.toml").read_text()
    assert "torch==" in dependencies and "pytest" not in dependencies


def test_no_solution_or_hidden_test_line_is_in_the_bundle(bundle):
    assert secret_lines(), "found no solution or hidden-test lines in source/ to look for"
    found = leaks(bundle / "pytorch-course")
    assert not found, "the bundle leaks:\n" + "\n".join(found[:20])


def test_the_leak_search_finds_a_planted_leak(bundle, tmp_path):
    """The search above can fail: a bundle with the instructor notebook in it is caught."""
    planted = tmp_path / "leaky"
    planted.mkdir()
    notebook = next(SOURCE.glob("*/*.ipynb"))
    (planted / notebook.name).write_text(notebook.read_text())
    assert leaks(planted)
