"""Root pytest configuration, for the tests in tests/ and nbval over source/."""

import os

import pytest

# Notebooks run by nbval train briefly (see course.fast_mode).
os.environ.setdefault("COURSE_FAST", "1")
# pytest -n 2 runs two kernels at once on a 2-core runner; torch's default of one thread per
# core then makes them fight (small training steps measured up to 60x slower). Kernels and
# nbgrader inherit this environment.
os.environ.setdefault("OMP_NUM_THREADS", "1")


def pytest_collection_modifyitems(items):
    """Group tests for `pytest -n N --dist loadgroup`.

    An nbval notebook's cells share one kernel, so a notebook is one group; the grading
    round-trip grades each chapter once per worker, so a chapter is one group; any other
    test file is one group. Groups spread over the workers.
    """
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        path = item.nodeid.split("::")[0]
        chapter = getattr(item, "callspec", None) and item.callspec.params.get("chapter")
        group = f"roundtrip-{chapter}" if path.endswith("test_grading_roundtrip.py") and chapter else path
        item.add_marker(pytest.mark.xdist_group(group))
