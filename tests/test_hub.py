"""Does `make hub` give a class a working course hub?

Starts the real thing through tools/hub.py, as `make hub` does, in a temporary folder on free
loopback ports: Linux users for the instructor and two students (when we are root), the
exchange, the chapters released by the instructor, the gradebook (PostgreSQL where
tools/postgres.py can start one), JupyterHub with configurable-http-proxy from
etc/hub/node_modules. Then, over HTTP with each user's cookies (JupyterHub's login form):
a student's server lists chapter 01 in nbgrader's Assignments API and fetches it into the
student's home, owned by the student; the instructor's server has the formgrader, the
students' have neither the formgrader nor its lab extensions; nobody reaches another's
server or files. At the end no process of the course's users is left.

Not root (or with COURSE_HUB_USERS=current), the same tests run on the fallback, everyone as
the current user, without the checks of who owns what; COURSE_REQUIRE_HUB_USERS=1 makes the
real users a requirement instead.
"""

import contextlib
import importlib.util
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from coursedir import REPO

from tools import hub as course_hub

REQUIRED = bool(os.environ.get("COURSE_REQUIRE_SANDBOX") or os.environ.get("COURSE_REQUIRE_BROWSER"))
ARTIFACTS = REPO / "test-artifacts" / "hub"
CHAPTER = "01_tensors"
STUDENT_PASSWORD = "student-password"
INSTRUCTOR_PASSWORD = "instructor-password-of-32-characters"
SPAWN_SECONDS = 90


def _missing(why: str):
    if REQUIRED:  # in CI a missing piece is a failure, never a skip
        raise RuntimeError(f"{why} (required here: COURSE_REQUIRE_SANDBOX/COURSE_REQUIRE_BROWSER)")
    pytest.skip(why, allow_module_level=True)


if not os.access(course_hub.CHP, os.X_OK):
    _missing(f"{course_hub.CHP} is missing: `make hub` or `make test` installs it (npm ci)")
if not shutil.which("node"):
    _missing("node is not installed (configurable-http-proxy runs on it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Visitor:
    """One person's browser, without the browser: cookies, and the hub's login form."""

    def __init__(self, base: str, name: str):
        self.base, self.name = base, name
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict | None = None, headers=None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as answer:
                return answer.status, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def login(self, password: str, next_url: str = "") -> None:
        status, page = self.request("/hub/login")
        assert status == 200, page[:500]
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page)
        assert xsrf, "no _xsrf field in JupyterHub's login form"
        query = f"?next={urllib.parse.quote(next_url)}" if next_url else ""
        status, page = self.request(f"/hub/login{query}", {
            "username": self.name, "password": password, "_xsrf": xsrf[1]})
        assert status == 200 and "Sign in" not in page, f"{self.name} could not log in: {page[:500]}"

    def wait_for_server(self) -> None:
        """Until the user's own server (spawned at login) answers its API with their cookie."""
        deadline = time.monotonic() + SPAWN_SECONDS
        while time.monotonic() < deadline:
            status, body = self.request(f"/user/{self.name}/api/status")
            if status == 200 and body.lstrip().startswith("{"):
                return
            if status == 403:  # the server is up; a page (not the API) logs us in by OAuth
                self.request(f"/user/{self.name}/lab")
                continue
            time.sleep(1)  # 424 from the hub while the server is starting
        raise AssertionError(f"{self.name}'s server did not start within {SPAWN_SECONDS} s")

    def xsrf(self) -> str:
        """The single-user server's XSRF cookie (set by the pages it serves)."""
        self.request(f"/user/{self.name}/lab")
        return next(c.value for c in self.cookies if c.name == "_xsrf"
                    and c.path.startswith(f"/user/{self.name}"))

    def page_config(self) -> dict:
        status, page = self.request(f"/user/{self.name}/lab")
        assert status == 200, page[:500]
        found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                          page, re.S)
        return json.loads(found[1])


@contextlib.contextmanager
def started_hub(users: str, artifacts: pathlib.Path = ARTIFACTS):
    """tools/hub.py's running() in a fresh folder under /tmp (which the course's users can
    enter, unlike pytest's), on free ports, for USERS-instructor, USERS-alice and USERS-bob
    (each test module its own users: `make test` runs modules side by side, and `make hub`'s
    users may be logged in); its logs copied to ``artifacts`` at the end."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="course-hub-", dir="/tmp"))
    plan = course_hub.plan(folder, port=_free_port(), hub_port=_free_port(),
                           proxy_api_port=_free_port(), instructor=f"{users}-instructor",
                           students=[f"{users}-alice", f"{users}-bob"],
                           password=STUDENT_PASSWORD, instructor_password=INSTRUCTOR_PASSWORD)
    if os.environ.get("COURSE_REQUIRE_HUB_USERS") and not plan.real_users:
        pytest.fail("COURSE_REQUIRE_HUB_USERS: real Linux users are required (root, useradd, runuser)")
    postgres = REQUIRED and importlib.util.find_spec("tools.postgres") is not None
    try:
        with course_hub.running(plan, gradebook_kind="postgres" if postgres else "auto") as run:
            yield run
        assert not course_hub.leftovers(plan), "processes of the course's users outlived the hub"
        course_hub.remove_users(plan)
    finally:
        artifacts.mkdir(parents=True, exist_ok=True)
        for log in (folder / "logs").glob("*.log"):
            shutil.copy(log, artifacts / log.name)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def hub():
    with started_hub("hubtest") as run:
        yield run


@pytest.fixture(scope="module")
def alice(hub):
    visitor = Visitor(hub.hub.url, hub.hub.students[0])
    visitor.login(STUDENT_PASSWORD)
    visitor.wait_for_server()
    return visitor


@pytest.fixture(scope="module")
def instructor(hub):
    visitor = Visitor(hub.hub.url, hub.hub.instructor)
    visitor.login(INSTRUCTOR_PASSWORD)
    visitor.wait_for_server()
    return visitor


def test_course_id_matches_the_course_config():
    assert f'course_id = "{course_hub.COURSE_ID}"' in (REPO / "nbgrader_config.py").read_text()


def test_exchange_has_the_permissions_nbgrader_needs(hub):
    exchange = hub.hub.exchange
    assert exchange.stat().st_mode & 0o7777 == 0o1777
    inbound = exchange / course_hub.COURSE_ID / "inbound"
    assert inbound.stat().st_mode & 0o7777 == 0o2733  # students drop, only the instructor lists
    released = sorted(p.name for p in (exchange / course_hub.COURSE_ID / "outbound").iterdir())
    assert released == course_hub.chapters()
    if hub.hub.real_users:
        import pwd
        assert inbound.owner() == hub.hub.instructor
        assert pwd.getpwuid(hub.hub.course_root.stat().st_uid).pw_name == hub.hub.instructor


def test_student_lists_and_fetches_chapter_01(hub, alice):
    listed = f"/user/{alice.name}/assignments?course_id={course_hub.COURSE_ID}"
    status, body = alice.request(listed)
    assert status == 200, body[:500]
    answer = json.loads(body)
    assert answer["success"], answer
    states = {a["assignment_id"]: a["status"] for a in answer["value"]}
    assert states.get(CHAPTER) == "released", states

    status, body = alice.request(
        f"/user/{alice.name}/assignments/fetch",
        {"course_id": course_hub.COURSE_ID, "assignment_id": CHAPTER},
        headers={"X-XSRFToken": alice.xsrf()})
    assert status == 200, body[:500]
    answer = json.loads(body)
    states = {a["assignment_id"]: a["status"] for a in answer["value"]}
    assert states.get(CHAPTER) == "fetched", answer

    notebook = hub.hub.home(alice.name) / CHAPTER / f"{CHAPTER}.ipynb"
    assert notebook.is_file()
    if hub.hub.real_users:
        assert notebook.owner() == alice.name
        assert (hub.hub.home(alice.name).stat().st_mode & 0o777) == 0o700
        other = hub.hub.students[1]
        peek = subprocess.run(["runuser", "-u", other, "--", "cat", str(notebook)],
                              capture_output=True, timeout=30)
        assert peek.returncode != 0, f"{other} can read {alice.name}'s notebook"


def test_student_has_no_formgrader(hub, alice):
    status, _ = alice.request(f"/user/{alice.name}/formgrader")
    assert status == 404
    status, _ = alice.request(f"/user/{alice.name}/formgrader/api/assignments")
    assert status == 404
    disabled = alice.page_config().get("disabledExtensions", [])
    for extension in course_hub.STUDENT_LAB_DISABLED:
        assert extension in disabled, disabled


def test_instructor_has_the_formgrader(hub, instructor):
    status, page = instructor.request(f"/user/{instructor.name}/formgrader")
    assert status == 200 and "Manage Assignments" in page, page[:500]
    status, body = instructor.request(f"/user/{instructor.name}/formgrader/api/assignments")
    assert status == 200, body[:500]
    assignments = {a["name"]: a for a in json.loads(body)}
    assert set(course_hub.chapters()) <= set(assignments)
    assert assignments[CHAPTER]["status"] == "released", assignments[CHAPTER]
    disabled = instructor.page_config().get("disabledExtensions", [])
    assert "@jupyter/nbgrader:formgrader" not in disabled


def test_nobody_reaches_another_users_server(hub, alice):
    bob = Visitor(hub.hub.url, hub.hub.students[1])
    bob.login(STUDENT_PASSWORD, next_url="/hub/home")  # logged in, no server of his own
    status, _ = bob.request(f"/user/{alice.name}/api/status")
    assert status == 403
    intruder = Visitor(hub.hub.url, hub.hub.instructor)
    status, page = intruder.request("/hub/login")
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page)[1]
    status, page = intruder.request("/hub/login", {
        "username": hub.hub.instructor, "password": STUDENT_PASSWORD, "_xsrf": xsrf})
    assert "Invalid username or password" in page, "the students' password opens the instructor's account"


def test_make_hub_runs_this_path():
    """`make hub` (README) is tools/hub.py's main(), which calls what the fixture calls."""
    dry = subprocess.run(["make", "-n", "hub", "HUB_DIR=/nonexistent", "HUB_PORT=8123"], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert "-m tools.hub --folder /nonexistent --port 8123" in dry.stdout, dry.stdout + dry.stderr
    assert "running(hub)" in (REPO / "tools" / "hub.py").read_text()
