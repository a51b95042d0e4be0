"""Root pytest configuration, for the tests in tests/ and nbval over source/.

`make test` runs `pytest -n 2 --dist loadfile`: a notebook's nbval cells share one kernel and
the grading round-trip caches each chapter's graded course per worker, so each file stays on
one worker. (pytest-xdist 3.8's `loadgroup` did not keep marked tests together here.)
"""

import os

# Notebooks run by nbval train briefly (see course.fast_mode).
os.environ.setdefault("COURSE_FAST", "1")
# pytest -n 2 runs two kernels at once on a 2-core runner; torch's default of one thread per
# core then makes them fight (small training steps measured up to 60x slower). Kernels and
# nbgrader inherit this environment.
os.environ.setdefault("OMP_NUM_THREADS", "1")
