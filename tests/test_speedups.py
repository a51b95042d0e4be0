"""autograder/speedups.py: nbgrader with its repeated checks done once answers the same."""

import os
import sys

import jsonschema
import pytest
import sqlalchemy
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.nbgraderformat.common import ValidationError

from autograder import speedups

SCHEMA = MetadataValidator().schema
GOOD = {"grade": True, "solution": False, "locked": True, "points": 2, "grade_id": "t1",
        "schema_version": 3, "task": False}
BAD = [
    {**GOOD, "points": "two"},
    {**GOOD, "grade_id": 7},
    {**GOOD, "grade": "yes"},
    {k: v for k, v in GOOD.items() if k != "grade_id"},
    {**GOOD, "extra": 1},
    [],
    {**GOOD, "points": -1},
]


def _message(call, *args):
    try:
        call(*args)
    except jsonschema.ValidationError as error:
        return type(error), error.message, list(error.path)
    return None


@pytest.mark.parametrize("metadata", [GOOD, *BAD])
def test_validate_answers_as_jsonschema_does(metadata):
    assert _message(speedups.validate, metadata, SCHEMA) == \
        _message(jsonschema.validate, metadata, SCHEMA)


def test_bad_metadata_still_fails_nbgrader_validation():
    from nbformat.v4 import new_code_cell, new_notebook

    speedups.install()
    nb = new_notebook(cells=[new_code_cell("x", metadata={"nbgrader": {**GOOD, "points": "x"}})])
    with pytest.raises(ValidationError):
        MetadataValidator().validate_nb(nb)
    nb.cells[0].metadata.nbgrader["points"] = 1
    MetadataValidator().validate_nb(nb)


def test_gradebooks_of_one_url_share_the_tables_and_a_new_url_gets_its_own(tmp_path,
                                                                           monkeypatch):
    # A new gradebook runs `alembic` by name.
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    speedups.install()
    first = f"sqlite:///{tmp_path / 'a.db'}"
    with Gradebook(first, "course") as gb:
        gb.add_student("alice")
    queries = []

    def count(*args):
        queries.append(args[2])

    # Every engine's queries (plain nbgrader's second Gradebook runs 13 PRAGMAs).
    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", count)
    try:
        with Gradebook(first, "course") as gb:
            assert [s.id for s in gb.students] == ["alice"]
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine, "before_cursor_execute", count)
    assert queries and not any("PRAGMA" in q or "CREATE TABLE" in q for q in queries), queries
    second = f"sqlite:///{tmp_path / 'b.db'}"
    with Gradebook(second, "course") as gb:  # a new database: its tables are created
        gb.add_student("bob")
        assert [s.id for s in gb.students] == ["bob"]
    engine = sqlalchemy.create_engine(second)
    assert "alembic_version" in sqlalchemy.inspect(engine).get_table_names()
    engine.dispose()
