"""Helpers the course notebooks import.

Importing :mod:`course` has no side effects: nothing is seeded, downloaded or configured
until a notebook calls :func:`setup`.

- :mod:`course.runtime` -- device choice, seeding, the locked setup cell's :func:`setup`.
- :mod:`course.checks` -- assertions for visible tests that tell a student what was expected
  and what came back.
- :mod:`course.data` -- the registry of real data sets, loaded offline.
- :mod:`course.plots` -- plot helpers (contours with optimizer paths, ...).
- :mod:`course.scratch` -- hidden tests forbid library routines in from-scratch exercises.
"""

from course.runtime import device, fast_mode, seed, setup

__all__ = ["device", "fast_mode", "seed", "setup"]
