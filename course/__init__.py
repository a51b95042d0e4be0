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

__all__ = ["device", "fast_mode", "seed", "setup"]


def __getattr__(name: str):
    """``course.setup`` and the rest of :mod:`course.runtime`, imported on first use.

    So importing a submodule such as :mod:`course.data` does not import torch: the grader
    reads the data registry's settings in a process that never runs a notebook (3.7 s saved).
    """
    if name in __all__:
        from course import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
