"""Root pytest configuration, for the tests in tests/ and nbval over source/.

`make test` runs `pytest -n 2 --dist loadgroup --no-loadscope-reorder`: tests/plugins/groups.py
puts every test in a group that stays on one worker (a notebook's nbval cells share one kernel;
a chapter's round-trip grades its class once) and starts the longest groups first;
tests/plugins/timeline.py reports how busy the workers were.
"""

import os

pytest_plugins = ["tests.plugins.groups", "tests.plugins.timeline", "tests.plugins.executions"]

# Notebooks run by nbval train briefly (see course.fast_mode).
os.environ.setdefault("COURSE_FAST", "1")
# pytest -n 2 runs two kernels at once on a 2-core runner; torch's default of one thread per
# core then makes them fight (small training steps measured up to 60x slower). Kernels and
# nbgrader inherit this environment.
os.environ.setdefault("OMP_NUM_THREADS", "1")
