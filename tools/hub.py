"""The course hub: JupyterHub, its proxy, nbgrader's exchange, the gradebook and the grader.

``make hub`` runs ``python -m tools.hub``; tests/test_hub.py calls the same functions:

- :func:`plan` says who and where: a folder for the hub's state (``.hub/`` for ``make hub``),
  its loopback ports, the instructor and the students (``COURSE_HUB_INSTRUCTOR``,
  ``COURSE_HUB_STUDENTS``), their passwords, and whether they are real Linux users.
- :func:`setup` makes them: the users (``useradd``, idempotent) with homes in
  ``FOLDER/home/``, the instructor's course root ``~course-instructor/course`` (a copy of
  this repository's ``nbgrader_config.py``, ``source/`` and ``release/``, owned by the
  instructor), the exchange ``FOLDER/exchange`` (world-writable and sticky, like
  ``/srv/nbgrader/exchange`` in nbgrader's docs), per-role Jupyter configuration
  (``FOLDER/config/student`` and ``FOLDER/config/instructor``, see :func:`write_role_configs`),
  then, as the instructor, ``nbgrader generate_assignment`` (the gradebook learns the chapters'
  tests), ``nbgrader db student import`` and ``nbgrader release_assignment`` per chapter.
- :func:`running` starts the gradebook's PostgreSQL (tools/postgres.py; SQLite where it is
  missing), runs :func:`setup`, then JupyterHub (etc/hub/jupyterhub_config.py, which reads the
  plan back with :meth:`Hub.from_env`) with configurable-http-proxy from etc/hub/node_modules,
  and the grading service ``python -m autograder serve --root COURSE_ROOT`` where that
  command exists; leaving the block stops them all, with bounded waits, and kills whatever
  any of them left behind (:func:`leftovers` must then be empty).

Real users (``LocalProcessSpawner``: each single-user server runs as its user, so the
exchange's permissions are exercised as on a real server) need root, ``useradd`` and
``runuser``. Otherwise, or with ``COURSE_HUB_USERS=current``, everyone runs as the current
user (``SimpleLocalProcessSpawner``, homes under ``FOLDER/home/``): the hub and the
Assignments tab work the same, but nothing stops a student from reading another's files.
"""

import argparse
import contextlib
import dataclasses
import importlib.util
import json
import os
import pathlib
import pwd
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent  # the virtual environment's bin/
CONFIG_FILE = REPO / "etc" / "hub" / "jupyterhub_config.py"
CHP = REPO / "etc" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "pytorch-hands-on"  # as in nbgrader_config.py (checked by tests/test_hub.py)
READY_SECONDS = 90  # how long the hub and the grading service may take to answer
STOP_SECONDS = 30  # how long a process may take to stop after SIGTERM before SIGKILL

# What the course root copies from the repository.
COURSE_FILES = ["nbgrader_config.py", "source", "release"]
# Students do not get the instructor's parts of nbgrader (nbgrader's docs, "Using nbgrader
# with JupyterHub": `jupyter labextension disable` / `jupyter server extension disable`).
STUDENT_LAB_DISABLED = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                        "@jupyter/nbgrader:course-list"]
STUDENT_SERVER_DISABLED = ["nbgrader.server_extensions.formgrader",
                           "nbgrader.server_extensions.course_list"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_make_users() -> bool:
    """Whether this machine allows real Linux users for the hub: root, useradd and runuser."""
    return os.geteuid() == 0 and all(shutil.which(p) for p in ("useradd", "usermod", "runuser"))


@dataclasses.dataclass
class Hub:
    """Where the hub lives and who uses it; :meth:`to_env` / :meth:`from_env` carry it to
    etc/hub/jupyterhub_config.py."""

    folder: pathlib.Path
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    instructor: str = "course-instructor"
    students: tuple[str, ...] = ("course-alice", "course-bob")
    password: str = ""  # the students' (shared) password, at least 8 characters
    instructor_password: str = ""  # the instructor's, at least 32 characters
    real_users: bool = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def users(self) -> list[str]:
        return [self.instructor, *self.students]

    def home(self, user: str) -> pathlib.Path:
        return self.folder / "home" / user

    @property
    def course_root(self) -> pathlib.Path:
        return self.home(self.instructor) / "course"

    @property
    def exchange(self) -> pathlib.Path:
        return self.folder / "exchange"

    def role(self, user: str) -> str:
        return "instructor" if user == self.instructor else "student"

    def config_dir(self, user: str) -> pathlib.Path:
        """The Jupyter configuration folder of the user's role (JUPYTER_CONFIG_PATH)."""
        return self.folder / "config" / self.role(user)

    @property
    def logs(self) -> pathlib.Path:
        return self.folder / "logs"

    _ENV = {"folder": "COURSE_HUB_DIR", "port": "COURSE_HUB_PORT",
            "hub_port": "COURSE_HUB_HUB_PORT", "proxy_api_port": "COURSE_HUB_PROXY_API_PORT",
            "instructor": "COURSE_HUB_INSTRUCTOR", "students": "COURSE_HUB_STUDENTS",
            "password": "COURSE_HUB_PASSWORD",
            "instructor_password": "COURSE_HUB_INSTRUCTOR_PASSWORD",
            "real_users": "COURSE_HUB_USERS"}

    def to_env(self) -> dict[str, str]:
        values = dataclasses.asdict(self)
        values["folder"] = str(self.folder)
        values["students"] = ",".join(self.students)
        values["real_users"] = "linux" if self.real_users else "current"
        return {name: str(values[field]) for field, name in self._ENV.items()}

    @classmethod
    def from_env(cls, environ=os.environ) -> "Hub":
        got = {field: environ[name] for field, name in cls._ENV.items() if name in environ}
        if "folder" not in got:
            raise RuntimeError("COURSE_HUB_DIR is not set: start the hub with `make hub` "
                               "(python -m tools.hub), which sets it")
        got["folder"] = pathlib.Path(got["folder"])
        for port in ("port", "hub_port", "proxy_api_port"):
            if port in got:
                got[port] = int(got[port])
        if "students" in got:
            got["students"] = tuple(s for s in got["students"].split(",") if s)
        if "real_users" in got:
            got["real_users"] = got["real_users"] == "linux"
        return cls(**got)


def plan(folder, *, port=None, hub_port=None, proxy_api_port=None, instructor=None,
         students=None, password=None, instructor_password=None, real_users=None) -> Hub:
    """The hub in ``folder``: arguments, else ``COURSE_HUB_*`` variables, else defaults.

    Passwords not given are made once and kept in ``FOLDER/passwords.json`` (mode 0600).
    ``real_users`` defaults to :func:`can_make_users` unless ``COURSE_HUB_USERS=current``."""
    env = os.environ
    folder = pathlib.Path(folder).resolve()
    saved_file = folder / "passwords.json"
    try:
        saved = json.loads(saved_file.read_text())
    except (OSError, ValueError):
        saved = {}
    if real_users is None:
        real_users = env.get("COURSE_HUB_USERS", "linux") != "current" and can_make_users()
    elif real_users and not can_make_users():
        raise RuntimeError("real users need root, useradd, usermod and runuser")
    if students is None:
        students = env.get("COURSE_HUB_STUDENTS", "course-alice,course-bob").split(",")
    hub = Hub(
        folder=folder,
        port=int(port or env.get("COURSE_HUB_PORT", 8000)),
        hub_port=int(hub_port or env.get("COURSE_HUB_HUB_PORT", 8081)),
        proxy_api_port=int(proxy_api_port or env.get("COURSE_HUB_PROXY_API_PORT", 8001)),
        instructor=instructor or env.get("COURSE_HUB_INSTRUCTOR", "course-instructor"),
        students=tuple(s.strip() for s in students if s.strip()),
        password=password or env.get("COURSE_HUB_PASSWORD") or saved.get("password")
        or secrets.token_urlsafe(9),
        instructor_password=instructor_password or env.get("COURSE_HUB_INSTRUCTOR_PASSWORD")
        or saved.get("instructor_password") or secrets.token_urlsafe(24),
        real_users=real_users,
    )
    if len(hub.password) < 8 or len(hub.instructor_password) < 32:
        raise ValueError("the students' password needs 8 characters, the instructor's 32")
    folder.mkdir(parents=True, exist_ok=True)
    saved_file.touch(mode=0o600)
    saved_file.write_text(json.dumps({"password": hub.password,
                                      "instructor_password": hub.instructor_password}))
    return hub


# --- setting up ----------------------------------------------------------------------------

def _ensure_user(name: str, home: pathlib.Path) -> None:
    """A Linux user ``name`` (own group, no login password) whose home is ``home``."""
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--home-dir", str(home), "--create-home", "--user-group",
                        "--shell", "/bin/bash", name], check=True, timeout=60)
        account = pwd.getpwnam(name)
    if account.pw_dir != str(home):
        subprocess.run(["usermod", "--home", str(home), name], check=True, timeout=60)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, account.pw_uid, account.pw_gid)
    home.chmod(0o700)


def _grant_search(path: pathlib.Path) -> list[str]:
    """Let every user reach ``path`` (o+x on each parent that lacks it: search, not listing),
    as the users' servers must run the venv's Python (whose interpreter may live under
    /root, e.g. pyenv's) and read this repository. Returns the folders it changed."""
    changed = []
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)
            changed.append(str(parent))
    return changed


def remove_users(hub: Hub) -> None:
    """Delete the hub's Linux users and their groups (not their homes: they are in the hub
    folder); for tests, after the hub stopped. `make hub` keeps its users."""
    if not hub.real_users:
        return
    for user in hub.users:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            subprocess.run(["userdel", user], check=True, timeout=60, capture_output=True)


def _chown_tree(path: pathlib.Path, user: str) -> None:
    account = pwd.getpwnam(user)
    os.lchown(path, account.pw_uid, account.pw_gid)
    for p in path.rglob("*"):
        os.lchown(p, account.pw_uid, account.pw_gid)


def user_env(hub: Hub, user: str) -> dict[str, str]:
    """The environment of a command run as ``user`` (the venv's bin/ on PATH: alembic)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "COURSE_HUB_", "PYTEST", "NBGRADER"))}
    env.update(HOME=str(hub.home(user)), USER=user, LOGNAME=user,
               PATH=f"{BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
               JUPYTER_CONFIG_PATH=str(hub.config_dir(user)))
    return env


def as_user(hub: Hub, user: str, argv: list[str]) -> list[str]:
    """``argv`` run as ``user`` (``runuser`` for real users, as is otherwise)."""
    return ["runuser", "-u", user, "--", *argv] if hub.real_users else list(argv)


def run_as(hub: Hub, user: str, argv: list[str], *, cwd, timeout=300) -> str:
    """Run ``argv`` as ``user`` in ``cwd``; its output, or an error that shows it."""
    done = subprocess.run(as_user(hub, user, argv), cwd=cwd, env=user_env(hub, user),
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} as {user} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def _write(path: pathlib.Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o644)


def write_role_configs(hub: Hub) -> None:
    """Per-role Jupyter configuration, given to each single-user server as JUPYTER_CONFIG_PATH
    (highest priority, above the venv's etc/jupyter where nbgrader enables its extensions):

    - student: nbgrader's course id and exchange; no formgrader, Create Assignment or course
      list (lab extensions disabled in labconfig/page_config.json, server extensions in
      jupyter_server_config.json, as `jupyter labextension disable` and `jupyter server
      extension disable` would write them);
    - instructor: CourseDirectory.root = the course root, whose nbgrader_config.py is loaded
      too (exchange, gradebook, the course's preprocessors), and every extension.
    JupyterLab's settings (the venv's share/jupyter/lab/settings/overrides.json, from
    etc/jupyterlab-overrides.json) apply to both: everyone runs the venv's JupyterLab."""
    student, instructor = hub.folder / "config" / "student", hub.folder / "config" / "instructor"
    header = "# Written by tools/hub.py for the course hub; rewritten at every start.\n"
    _write(student / "nbgrader_config.py", header + "c = get_config()  # noqa: F821\n"
           f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
           f"c.Exchange.root = {str(hub.exchange)!r}\n")
    _write(student / "jupyter_server_config.json", json.dumps(
        {"ServerApp": {"jpserver_extensions": {e: False for e in STUDENT_SERVER_DISABLED}}},
        indent=1))
    _write(student / "labconfig" / "page_config.json", json.dumps(
        {"disabledExtensions": {e: True for e in STUDENT_LAB_DISABLED}}, indent=1))
    course_config = hub.course_root / "nbgrader_config.py"
    _write(instructor / "nbgrader_config.py", header + "c = get_config()  # noqa: F821\n"
           f"c.CourseDirectory.root = {str(hub.course_root)!r}\n"
           f"load_subconfig({str(course_config)!r})  # noqa: F821\n")
    for folder in (student, student / "labconfig", instructor, hub.folder / "config"):
        folder.chmod(0o755)


def make_course_root(hub: Hub, db_url: str) -> None:
    """The instructor's course root: this repository's nbgrader configuration and chapters,
    plus the hub's exchange and gradebook, owned by the instructor (their state is kept)."""
    root = hub.course_root
    root.mkdir(parents=True, exist_ok=True)
    for name in COURSE_FILES[1:]:
        if (root / name).exists():
            shutil.rmtree(root / name)
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns(
            ".ipynb_checkpoints", "__pycache__"))
    (root / "nbgrader_config.py").write_text(
        (REPO / "nbgrader_config.py").read_text()
        + "\n# The course hub's exchange and gradebook (added by tools/hub.py).\n"
        f"c.Exchange.root = {str(hub.exchange)!r}\n"
        f"c.CourseDirectory.db_url = {db_url!r}\n"
        # Real users: a submission counts only as the student who owns it (the fallback's
        # students are all one Linux user).
        f"c.ExchangeCollect.check_owner = {hub.real_users!r}\n")
    (root / "roster.csv").write_text("id\n" + "".join(f"{s}\n" for s in hub.students))
    if hub.real_users:
        _chown_tree(hub.home(hub.instructor), hub.instructor)


def chapters() -> list[str]:
    """The chapters (nbgrader assignments) of the course, in order."""
    return sorted(p.parent.name for p in (REPO / "release").glob("*/*.ipynb"))


def setup(hub: Hub, db_url: str | None = None) -> None:
    """Users, homes, course root, exchange, role configs; the chapters released (see module)."""
    db_url = db_url or f"sqlite:///{hub.course_root / 'gradebook.db'}"
    hub.folder.mkdir(parents=True, exist_ok=True)
    hub.folder.chmod(0o755)  # users' servers reach their homes and the exchange through it
    (hub.folder / "home").mkdir(exist_ok=True)
    (hub.folder / "home").chmod(0o755)
    hub.logs.mkdir(exist_ok=True)
    if hub.real_users:
        reach = [pathlib.Path(os.path.realpath(sys.executable)).parent, REPO, hub.folder]
        changed = sorted({p for path in reach for p in _grant_search(path)})
        if changed:
            print(f"tools/hub.py: o+x (search only) on {', '.join(changed)} so that the "
                  "course's users can run the venv's Python", file=sys.stderr)
    for user in hub.users:
        if hub.real_users:
            _ensure_user(user, hub.home(user))
        else:
            hub.home(user).mkdir(parents=True, exist_ok=True)
    hub.exchange.mkdir(exist_ok=True)
    hub.exchange.chmod(0o777 | stat.S_ISVTX)  # 1777: everyone may add, nobody may delete others'
    make_course_root(hub, db_url)
    write_role_configs(hub)
    nbgrader = str(BIN / "nbgrader")
    root = hub.course_root
    run_as(hub, hub.instructor, [nbgrader, "generate_assignment", "*", "--force",
                                 "--log-level=WARN"], cwd=root)
    run_as(hub, hub.instructor, [nbgrader, "db", "student", "import", "roster.csv",
                                 "--log-level=WARN"], cwd=root)
    for chapter in chapters():
        run_as(hub, hub.instructor, [nbgrader, "release_assignment", chapter, "--force",
                                     "--log-level=WARN"], cwd=root)


# --- running -------------------------------------------------------------------------------

def _descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _uid_of(pid: int) -> int | None:
    try:
        return pathlib.Path(f"/proc/{pid}").stat().st_uid
    except OSError:
        return None


def leftovers(hub: Hub) -> list[int]:
    """Processes of the hub's users still alive (always empty when they are not real users:
    those are tracked as the hub's descendants)."""
    if not hub.real_users:
        return []
    uids = set()
    for user in hub.users:
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(user).pw_uid)
    return sorted(int(p.name) for p in pathlib.Path("/proc").iterdir()
                  if p.name.isdigit() and _uid_of(int(p.name)) in uids)


def _kill(pids) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _stop(proc: subprocess.Popen, name: str) -> None:
    """SIGTERM to the process's group, SIGKILL after STOP_SECONDS; then whatever it left."""
    below = _descendants(proc.pid)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop within {STOP_SECONDS} s: killed", file=sys.stderr)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_SECONDS)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_uid_of(p) is not None for p in below):
        time.sleep(0.2)  # servers the hub stopped may still be exiting
    _kill(p for p in below | _descendants(proc.pid) if _uid_of(p) is not None)


def _start(argv, *, log: pathlib.Path, env, cwd) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def _tail(path: pathlib.Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_for_hub(hub: Hub, proc: subprocess.Popen, log: pathlib.Path) -> None:
    """Until the hub's REST API answers through the proxy (READY_SECONDS at most)."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited ({proc.returncode}):\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"JupyterHub did not answer within {READY_SECONDS} s:\n{_tail(log)}")


def grading_service_available() -> bool:
    """Whether this checkout has the grading service (``python -m autograder serve``)."""
    done = subprocess.run([sys.executable, "-m", "autograder", "serve", "--help"], cwd=REPO,
                          capture_output=True, timeout=120)
    return done.returncode == 0


def start_hub(hub: Hub) -> subprocess.Popen:
    """JupyterHub with etc/hub/jupyterhub_config.py, answering on hub.url."""
    if not os.access(CHP, os.X_OK):
        raise RuntimeError(f"{CHP} is missing: `make hub` installs it (npm ci in etc/hub)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(hub.to_env(), PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}")
    log = hub.logs / "jupyterhub.log"
    proc = _start([str(BIN / "jupyterhub"), "-f", str(CONFIG_FILE)], log=log, env=env,
                  cwd=hub.folder)
    try:
        _wait_for_hub(hub, proc, log)
    except BaseException:
        _stop(proc, "JupyterHub")
        raise
    return proc


@contextlib.contextmanager
def gradebook(hub: Hub, kind: str = "auto"):
    """The gradebook's URL: ``COURSE_HUB_DB_URL`` when set (a real server's database);
    else a throw-away PostgreSQL (tools/postgres.py, in FOLDER/postgres) for "postgres",
    SQLite in the course root for "sqlite"; "auto" takes PostgreSQL where it can run."""
    if os.environ.get("COURSE_HUB_DB_URL"):
        yield os.environ["COURSE_HUB_DB_URL"]
        return
    postgres = None
    if kind in ("auto", "postgres") and importlib.util.find_spec("tools.postgres"):
        from tools import postgres
    if postgres is None and kind == "postgres":
        raise RuntimeError("tools/postgres.py is missing")
    server = None
    if postgres is not None:
        try:
            server = postgres.start(hub.folder / "postgres")
        except postgres.PostgresUnavailable:
            if kind == "postgres":
                raise
    try:
        yield server.url if server else f"sqlite:///{hub.course_root / 'gradebook.db'}"
    finally:
        if server:
            server.stop()


GRADER = "grading service"


def start_grading(hub: Hub) -> subprocess.Popen:
    """``python -m autograder serve`` on the course root, as the instructor; log in logs/."""
    argv = [str(BIN / "python"), "-m", "autograder", "serve", "--root", str(hub.course_root)]
    return _start(as_user(hub, hub.instructor, argv), log=hub.logs / "grading.log",
                  env={**user_env(hub, hub.instructor), "PYTHONPATH": str(REPO)},
                  cwd=hub.course_root)


@dataclasses.dataclass
class Running:
    hub: Hub
    db_url: str
    processes: dict  # name -> Popen

    def stop_grading(self) -> None:
        """Stop the grading service (SIGTERM: it finishes its batch); submissions wait in the
        exchange until :meth:`start_grading`."""
        _stop(self.processes.pop(GRADER), GRADER)

    def start_grading(self) -> None:
        self.processes[GRADER] = start_grading(self.hub)


@contextlib.contextmanager
def running(hub: Hub, *, gradebook_kind: str = "auto", grader: bool | None = None):
    """Gradebook, :func:`setup`, JupyterHub (+ proxy) and the grading service (``grader``:
    True requires it, None starts it where it exists); all stopped on leaving."""
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(gradebook(hub, gradebook_kind))
        setup(hub, db_url)
        processes = {}

        def stop_all():
            for name, proc in reversed(list(processes.items())):
                _stop(proc, name)
            _kill(leftovers(hub))

        stack.callback(stop_all)
        processes["jupyterhub"] = start_hub(hub)
        if grader or (grader is None and grading_service_available()):
            processes[GRADER] = start_grading(hub)
        yield Running(hub, db_url, processes)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.hub", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--folder", default=str(REPO / ".hub"),
                        help="the hub's state: homes, exchange, logs (default .hub/)")
    parser.add_argument("--port", type=int, help="public port on 127.0.0.1 (default 8000)")
    args = parser.parse_args(argv)

    def terminate(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, terminate)
    hub = plan(args.folder, port=args.port)
    try:
        with running(hub) as run:
            mode = "Linux users" if hub.real_users else "all as the current user (fallback)"
            print(f"\nCourse hub on {hub.url}  ({mode}; gradebook {run.db_url})\n"
                  f"  instructor {hub.instructor}: password {hub.instructor_password}\n"
                  f"  students {', '.join(hub.students)}: password {hub.password}\n"
                  f"  logs in {hub.logs}; grading service: "
                  f"{'running' if GRADER in run.processes else 'not in this checkout'}"
                  "\nCtrl-C stops everything.", flush=True)
            while all(p.poll() is None for p in run.processes.values()):
                time.sleep(1)
            stopped = [n for n, p in run.processes.items() if p.poll() is not None]
            print(f"{', '.join(stopped)} stopped; see {hub.logs}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("\nstopping the course hub", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
