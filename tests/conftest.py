"""Fixtures shared by the tests: JupyterLab started the way students and instructors start it."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from http.cookiejar import CookieJar

import coursedir
import pytest
from coursedir import REPO


@pytest.fixture(scope="session", autouse=True)
def generated_courses(tmp_path_factory):
    """Courses made by `nbgrader generate_assignment` once per session, shared by the xdist
    workers (their base folders sit side by side in the session's)."""
    base = tmp_path_factory.getbasetemp()
    coursedir.GENERATED = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) \
        / "generated"
    yield
    coursedir.GENERATED = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(state, *make_args):
    """Run `make ARGS` (a JupyterLab target) on a free port, no token, until the test is done.

    Yields (base URL, opener with cookies, xsrf token).
    """
    port = _free_port()
    args = f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token="
    env = dict(os.environ, JUPYTERLAB_WORKSPACES_DIR=str(state))  # leave the user's tabs alone
    log_path = state / "lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            ["make", *make_args, f"LAB_ARGS={args}"], cwd=REPO, stdout=log,
            stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        cookies = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    opener.open(f"{base}/lab", timeout=5).read()
                    break
                except OSError:
                    if proc.poll() is not None:
                        pytest.fail(f"make {make_args} exited:\n{log_path.read_text()}")
                    time.sleep(0.5)
            else:
                pytest.fail("JupyterLab did not answer within 60 s")
            xsrf = next(c.value for c in cookies if c.name == "_xsrf")
            yield base, opener, xsrf
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A throw-away PostgreSQL server (tools/postgres.py) for this session (or xdist worker):
    yields its :class:`tools.postgres.Server`. Skipped where PostgreSQL is not installed,
    unless COURSE_REQUIRE_SANDBOX is set (CI): there a missing server is an error."""
    from tools import postgres as pg

    try:
        pg.bin_dir()
    except pg.PostgresUnavailable as missing:
        if os.environ.get("COURSE_REQUIRE_SANDBOX"):
            pytest.fail(f"COURSE_REQUIRE_SANDBOX is set but: {missing}")
        pytest.skip(str(missing))
    with pg.running(tmp_path_factory.mktemp("postgres") / "data") as server:
        yield server


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` (the student's command) on a copy of release/: tests may edit and save."""
    state = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO / "release", state / "release")
    yield from _serve(state, "lab", f"LAB_DIR={state / 'release'}")


@pytest.fixture(scope="module")
def instructor_lab(tmp_path_factory):
    """`make instructor-lab`: JupyterLab at the course root with nbgrader's formgrader."""
    yield from _serve(tmp_path_factory.mktemp("instructor"), "instructor-lab")
