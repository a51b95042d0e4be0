"""Does `make lab` serve the student notebooks with nbgrader's extensions working?"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

import pytest
from coursedir import REPO, chapters


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    port = _free_port()
    args = f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token="
    proc = subprocess.Popen(
        ["make", "lab", f"LAB_ARGS={args}"], cwd=REPO, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
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
                    pytest.fail(f"make lab exited:\n{proc.stdout.read()}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        xsrf = next(c.value for c in cookies if c.name == "_xsrf")
        yield base, opener, xsrf
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _json(opener, url, data=None, headers=None):
    import json

    req = urllib.request.Request(url, data=data, headers=headers or {})
    return json.loads(opener.open(req, timeout=120).read())


def test_serves_the_release_folder(lab):
    base, opener, _ = lab
    names = {c["name"] for c in _json(opener, f"{base}/api/contents")["content"]}
    assert set(chapters()) <= names and "source" not in names


def test_nbgrader_lab_extension_is_installed():
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    proc = subprocess.run([jupyter, "labextension", "list"], capture_output=True, text=True)
    line = next((x for x in (proc.stdout + proc.stderr).splitlines() if "@jupyter/nbgrader" in x), "")
    assert "enabled" in line and "OK" in line, proc.stdout + proc.stderr


def test_validate_button_reports_failing_tests(lab):
    """The server side of nbgrader's Validate button, on an untouched student notebook."""
    base, opener, xsrf = lab
    chapter = chapters()[0]
    path = f"{chapter}/{chapter}.ipynb"
    result = _json(opener, f"{base}/assignments/validate?path={path}", data=b"",
                   headers={"X-XSRFToken": xsrf})
    assert result["success"] and result["value"]["failed"], result


def test_formgrader_lists_the_chapters(lab):
    base, opener, _ = lab
    names = {a["name"] for a in _json(opener, f"{base}/formgrader/api/assignments")}
    assert names, "formgrader lists no assignments"
