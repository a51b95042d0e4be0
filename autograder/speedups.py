"""nbgrader's own work, done once where it repeats the same answer (the grader's main thread).

Profiling a class of 48 (``bench/grading.py --profile``, cProfile of the main thread) showed
two costs that say nothing new after their first time in a process, together about a fifth of
the main thread's time (it sanitizes and records every submission, one after the other):

* nbgrader validates every cell's metadata with ``jsonschema.validate``, which first checks
  the *schema* against its meta-schema: 96 % of that validation was re-checking nbgrader's one
  fixed schema (~0.08 s per submission). :func:`validate` checks each schema once per process
  and then validates exactly as ``jsonschema.validate`` does (same validator class, same
  ``best_match`` error raised).
* every ``nbgrader.api.Gradebook`` (about ten per submission: each preprocessor opens its
  own) creates a new SQLAlchemy engine, whose first connection initializes the dialect
  (several queries), then reflects the database's table names and runs ``create_all`` (one
  query per table). :func:`install` gives every Gradebook of one URL the same engine (its
  ``close`` still disposes of the engine's connections, as before) and, once a URL's tables
  have been created in this process, answers the other two from what the first one found:
  the tables cannot disappear while the grader runs (~0.1 s per submission).

:func:`install` is idempotent and only affects this process; plain ``nbgrader`` commands are
untouched. Scores, errors and the database are the same with or without it
(``tests/test_speedups.py``; ``bench/grading.py`` compares with plain nbgrader).
"""

import threading

import jsonschema
from jsonschema import exceptions, validators

_lock = threading.Lock()
_checked: dict[int, tuple] = {}  # id(schema) -> (schema, validator)
_tables: dict[str, list[str]] = {}  # database URL -> table names, once created here
_engines: dict[tuple, object] = {}  # (URL, options) -> the engine every Gradebook shares


def validate(instance, schema) -> None:
    """``jsonschema.validate(instance, schema)``, checking each schema only once."""
    entry = _checked.get(id(schema))
    if entry is None or entry[0] is not schema:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        entry = (schema, cls(schema))
        with _lock:
            _checked[id(schema)] = entry
    error = exceptions.best_match(entry[1].iter_errors(instance))
    if error is not None:
        raise error


class _Schema:
    """What nbgrader's metadata validation uses of the ``jsonschema`` module."""

    validate = staticmethod(validate)
    ValidationError = jsonschema.ValidationError


class _KnownTables:
    """``sqlalchemy.inspect(engine)`` for a URL whose tables this process has created."""

    def __init__(self, names):
        self._names = names

    def get_table_names(self):
        return list(self._names)


def install() -> None:
    """Make this process's nbgrader validate schemas and create gradebook tables once."""
    from nbgrader import api
    from nbgrader.nbgraderformat import common

    common.jsonschema = _Schema
    if getattr(api, "_autograder_speedups", False):
        return
    inspect, create_all, create_engine = api.inspect, api.Base.metadata.create_all, \
        api.create_engine

    def shared_engine(url, **kwargs):
        text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
        key = (text, tuple(sorted(kwargs.items())))
        with _lock:
            if key not in _engines:
                _engines[key] = create_engine(url, **kwargs)
            return _engines[key]

    def known_inspect(subject):
        names = _tables.get(str(getattr(subject, "url", "")))
        return _KnownTables(names) if names else inspect(subject)

    def create_once(bind=None, **kwargs):
        url = str(getattr(bind, "url", ""))
        if url in _tables and not kwargs:
            return None
        create_all(bind=bind, **kwargs)
        names = inspect(bind).get_table_names()
        with _lock:
            _tables[url] = names
        return None

    api.create_engine = shared_engine
    api.inspect = known_inspect
    api.Base.metadata.create_all = create_once
    api._autograder_speedups = True
