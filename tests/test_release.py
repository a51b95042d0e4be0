"""Is release/ exactly what nbgrader generates from source/, and does it fail as it should?"""

import nbformat
import pytest
from coursedir import RELEASE, REPO, chapters, make_course, notebooks
from nbgrader.validator import Validator


def _cells(path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


@pytest.mark.parametrize("chapter", chapters())
def test_release_matches_source(tmp_path, chapter):
    """Generating the release afresh gives the committed release/ (run `make release`)."""
    root = make_course(tmp_path, chapter)
    fresh = sorted(p.relative_to(root / "release") for p in (root / "release" / chapter).rglob("*") if p.is_file())
    committed = sorted(p.relative_to(RELEASE) for p in (RELEASE / chapter).rglob("*") if p.is_file())
    assert fresh == committed, "release/ has different files than a fresh release: run `make release`"
    for path in notebooks(chapter, root / "release"):
        assert _cells(path) == _cells(RELEASE / chapter / path.name), (
            f"release/{chapter}/{path.name} differs from a fresh release: run `make release`"
        )


def test_every_chapter_is_released():
    released = sorted(p.name for p in RELEASE.iterdir() if p.is_dir())
    assert released == chapters(), "release/ and source/ hold different chapters: run `make release`"


@pytest.mark.parametrize("chapter", chapters())
def test_release_fails_every_test(chapter, monkeypatch):
    """`nbgrader validate --invert`: no test cell passes on the untouched student notebook."""
    monkeypatch.chdir(REPO)
    for path in notebooks(chapter, RELEASE):
        result = Validator(invert=True).validate(str(path))
        assert not result, f"{path.name}: tests that pass without any answer: {result}"


@pytest.mark.parametrize("chapter", chapters())
def test_source_validates(chapter, monkeypatch):
    """`nbgrader validate`: the instructor notebook passes every test."""
    monkeypatch.chdir(REPO)
    for path in notebooks(chapter):
        result = Validator().validate(str(path))
        assert not result, f"{path.name}: {result}"
