"""Where code runs and how it starts: device choice, seeding, quiet warnings.

Every chapter's locked setup cell calls :func:`setup` (introduced in chapter 01).
"""

import os
import random
import sys
import warnings

import torch

#: Set to ``cpu`` or ``cuda`` (or any torch device string) to override :func:`device`.
DEVICE_ENV = "COURSE_DEVICE"
#: Set (to anything non-empty) to shrink training, as nbgrader does while it grades.
FAST_ENV = "COURSE_FAST"


def device() -> torch.device:
    """The device notebooks compute on: CUDA when available, else the CPU.

    ``COURSE_DEVICE=cpu`` (or ``cuda:1``, ...) in the environment overrides the choice, e.g.
    to check a notebook on the CPU on a GPU machine.
    """
    forced = os.environ.get(DEVICE_ENV)
    if forced:
        return torch.device(forced)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def seed(value: int = 0) -> None:
    """Seed Python's, NumPy's and PyTorch's (CPU and CUDA) random generators."""
    random.seed(value)
    torch.manual_seed(value)  # also seeds every CUDA device
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy ships with torch's dependencies here
        return
    np.random.seed(value)


def fast_mode() -> bool:
    """True while a notebook is graded or tested, so it should train briefly.

    nbgrader sets ``NBGRADER_EXECUTION`` (``autograde`` or ``validate``) while it runs a
    notebook; the test suite sets ``COURSE_FAST`` for nbval.
    """
    return bool(os.environ.get("NBGRADER_EXECUTION") or os.environ.get(FAST_ENV))


def graded() -> bool:
    """True while nbgrader runs the notebook (``autograde``, or a student's ``validate``)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _figures_as_text() -> None:
    """Show each figure as its one-line text instead of drawing it, in this IPython kernel.

    Nothing is graded by looking at a picture, and drawing one is the costliest thing many
    cells do (a quarter of chapter 05's grading time). Figures are still built, so a test can
    inspect one; they are closed after each cell as usual.
    """
    try:
        from IPython import get_ipython
        from matplotlib_inline.config import InlineBackend
    except ImportError:  # pragma: no cover - both ship with ipykernel
        return
    shell = get_ipython()
    if shell is not None:
        # The inline backend reads this set when pyplot first activates it, and applies a
        # change at once if it is already active.
        InlineBackend.instance(parent=shell).figure_formats = set()


def _warning_to_stdout(message, category, filename, lineno, file=None, line=None):
    sys.stdout.write(warnings.formatwarning(message, category, filename, lineno, line))


def setup(seed_value: int = 0, *, verbose: bool = True) -> torch.device:
    """Prepare a notebook: seed everything, route warnings to stdout, return the device.

    nbgrader scores a test cell 0 if it writes anything to stderr, and Python prints
    warnings to stderr. Sending them to stdout keeps them visible to the student without
    costing marks for a library's deprecation notice. While nbgrader runs the notebook,
    figures are not drawn (:func:`_figures_as_text`).
    """
    seed(seed_value)
    warnings.showwarning = _warning_to_stdout
    if graded():
        _figures_as_text()
    dev = device()
    if verbose:
        print(f"torch {torch.__version__} on {dev}")
    return dev
