"""Helpers the course notebooks import.

Importing :mod:`course` has no side effects: nothing is seeded, downloaded or configured
until a notebook calls :func:`setup`.

- :mod:`course.runtime` -- device choice, seeding, the locked setup cell's :func:`setup`.
- :mod:`course.checks` -- assertions for visible tests that tell a student what was expected
  and what came back.
"""

from course.runtime import device, fast_mode, seed, setup

__all__ = ["device", "fast_mode", "seed", "setup"]
