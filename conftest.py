"""Root pytest configuration: notebooks run by nbval train briefly (see course.fast_mode)."""

import os

os.environ.setdefault("COURSE_FAST", "1")
