"""Does `make lab` serve the student notebooks with nbgrader's extensions working?"""

import os
import subprocess
import sys
import urllib.request

from coursedir import chapters


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


def test_formgrader_lists_the_chapters(instructor_lab):
    base, opener, _ = instructor_lab
    names = {a["name"] for a in _json(opener, f"{base}/formgrader/api/assignments")}
    assert names, "formgrader lists no assignments"
