"""Fixtures shared by the tests: a running JupyterLab started the way students start it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from http.cookiejar import CookieJar

import pytest
from coursedir import REPO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` on a free port, no token: yields (base URL, opener with cookies, xsrf token)."""
    port = _free_port()
    args = f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token="
    state = tmp_path_factory.mktemp("lab")
    env = dict(os.environ, JUPYTERLAB_WORKSPACES_DIR=str(state))  # leave the user's tabs alone
    log = open(state / "lab.log", "w")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        ["make", "lab", f"LAB_ARGS={args}"], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        env=env, start_new_session=True,
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
                    pytest.fail(f"make lab exited:\n{(state / 'lab.log').read_text()}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        xsrf = next(c.value for c in cookies if c.name == "_xsrf")
        yield base, opener, xsrf
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
