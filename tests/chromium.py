"""Debian's Chromium driven by Playwright, for the browser tests (no browser download).

Importing this module skips the importing test module where Chromium or Playwright is
missing, and fails it where ``COURSE_REQUIRE_BROWSER`` is set (CI: a missing browser is a
failure, never a skip).
"""

import contextlib
import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this closed network
# refuses; as root it needs --no-sandbox.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("COURSE_REQUIRE_BROWSER"):
        raise RuntimeError("Chromium is required here (COURSE_REQUIRE_BROWSER): apt-get install chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it",
                allow_module_level=True)
try:
    from playwright import sync_api
except ImportError as problem:
    if os.environ.get("COURSE_REQUIRE_BROWSER"):
        raise RuntimeError(f"Playwright is required here (COURSE_REQUIRE_BROWSER): {problem}") from None
    pytest.skip(f"Playwright does not import ({problem}); `make venv` installs it",
                allow_module_level=True)


@contextlib.contextmanager
def launched(artifacts):
    """A headless Chromium, closed on leaving; ``artifacts`` (for screenshots) made first."""
    artifacts.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
