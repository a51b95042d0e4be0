"""A throw-away local PostgreSQL server: for the tests and `make hub`, never for real grades.

``start(data_dir)`` makes a cluster in ``data_dir`` (``initdb``, once: an existing cluster
there is reused), starts it on 127.0.0.1 only, with its Unix socket inside ``data_dir``, and
creates the database; ``Server.stop()`` stops it. ``running(data_dir)`` does both around a
``with`` block. Authentication is ``trust``: anyone on this machine who can reach the port may
connect, which is fine for a cluster that lives as long as a test session and refuses
anything but loopback.

PostgreSQL refuses to run as root: when we are root its programs run as the ``postgres``
user (``runuser``), who then owns ``data_dir`` and needs search permission on its parents
(granted with ``o+x``, which lets nobody list them). The binaries are found on ``PATH``, else
in Debian's ``/usr/lib/postgresql/VERSION/bin`` (newest first), or ``POSTGRES_BIN`` names
their folder.
"""

import contextlib
import dataclasses
import getpass
import glob
import os
import pathlib
import pwd
import shutil
import socket
import stat
import subprocess
import time

READY_SECONDS = 60  # how long start() waits for the server to accept connections
SERVICE_USER = "postgres"  # who runs the server when we are root


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL programs here (install Debian's `postgresql`)."""


@dataclasses.dataclass
class Server:
    """A running throw-away server: its URL (database ``database``), folder and port."""

    url: str
    data_dir: pathlib.Path
    port: int
    user: str = ""
    database: str = "gradebook"

    def url_for(self, database: str) -> str:
        """The SQLAlchemy URL of a database on this server (see :meth:`create_database`)."""
        return f"postgresql+{driver()}://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, database: str, template: str | None = None) -> str:
        """Create ``database`` on this server (a test's own gradebook), a copy of
        ``template`` if given (which no one may be connected to); its URL."""
        _run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user,
              *(["-T", template] if template else []), database], self.data_dir)
        return self.url_for(database)

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are closed); idempotent."""
        if (self.data_dir / "postmaster.pid").exists():
            _run([_bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60",
                  "stop"], self.data_dir, check=False)


def driver() -> str:
    """The installed DB-API driver, named in the URLs: psycopg 3 (the course's
    ``psycopg[binary]``, which SQLAlchemy 2.1 also takes for a bare ``postgresql://``), else
    psycopg2."""
    import importlib.util

    return "psycopg" if importlib.util.find_spec("psycopg") else "psycopg2"


def bin_dir() -> pathlib.Path:
    """The folder of ``initdb``, ``pg_ctl``, ...; raises :class:`PostgresUnavailable`."""
    if os.environ.get("POSTGRES_BIN"):
        given = pathlib.Path(os.environ["POSTGRES_BIN"])
        if not (given / "initdb").is_file():
            raise PostgresUnavailable(f"POSTGRES_BIN={given} holds no initdb")
        return given
    found = shutil.which("initdb")
    if found:
        return pathlib.Path(found).resolve().parent  # a link in /usr/local/bin, say
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if debian:
        return pathlib.Path(debian[-1]).parent
    raise PostgresUnavailable("no PostgreSQL here: initdb is not on PATH nor in "
                              "/usr/lib/postgresql/*/bin (apt-get install postgresql)")


def _version(initdb: str) -> int:
    """15 for /usr/lib/postgresql/15/bin/initdb (0 if the folder is not a number)."""
    name = pathlib.Path(initdb).parent.parent.name
    return int(name) if name.isdigit() else 0


def _bin(name: str) -> str:
    return str(bin_dir() / name)


def _as_root() -> bool:
    return os.geteuid() == 0


def _run(argv: list[str], cwd: pathlib.Path, *, check=True) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program, as ``postgres`` when we are root; its output in the error."""
    if _as_root():
        argv = ["runuser", "-u", SERVICE_USER, "--", *argv]
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LC_ALL": "C"})
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hand_over(data_dir: pathlib.Path) -> None:
    """As root: ``data_dir`` owned by ``postgres`` (mode 0700) and its parents searchable."""
    account = pwd.getpwnam(SERVICE_USER)
    os.chown(data_dir, account.pw_uid, account.pw_gid)
    for path in data_dir.rglob("*"):
        os.lchown(path, account.pw_uid, account.pw_gid)
    data_dir.chmod(0o700)
    for parent in data_dir.parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


def _log_tail(log: pathlib.Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _ready(port: int, user: str, data_dir: pathlib.Path) -> bool:
    done = _run([_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d",
                 "postgres", "-t", "2"], data_dir, check=False)
    return done.returncode == 0


def start(data_dir, *, port: int | None = None, database: str = "gradebook") -> Server:
    """Start a server on 127.0.0.1:``port`` (a free one if None) with its cluster in
    ``data_dir`` (made by ``initdb`` if the folder is missing or empty) and ``database`` in
    it; returns once it accepts connections, or raises with the end of its log."""
    data_dir = pathlib.Path(data_dir).resolve()
    bin_dir()  # PostgresUnavailable before anything is made
    user = SERVICE_USER if _as_root() else getpass.getuser()
    data_dir.mkdir(parents=True, exist_ok=True)
    fresh = not any(data_dir.iterdir())
    if not fresh and not (data_dir / "PG_VERSION").is_file():
        raise RuntimeError(f"{data_dir} is neither empty nor a PostgreSQL cluster")
    if _as_root():
        _hand_over(data_dir)
    if fresh:
        _run([_bin("initdb"), "-D", str(data_dir), "-U", user, "--auth=trust", "-E", "UTF8",
              "--no-instructions"], data_dir)
    port = port or _free_port()
    log = data_dir / "server.log"
    options = (f"-p {port} -c listen_addresses=127.0.0.1 -k {data_dir} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    _run([_bin("pg_ctl"), "-D", str(data_dir), "-l", str(log), "-o", options, "-W", "start"],
         data_dir)
    server = Server("", data_dir, port, user, database)
    server.url = server.url_for(database)
    deadline = time.monotonic() + READY_SECONDS
    while not _ready(port, user, data_dir):
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"PostgreSQL in {data_dir} did not accept connections on "
                               f"127.0.0.1:{port} within {READY_SECONDS} s; its log ends:\n"
                               f"{_log_tail(log)}")
        time.sleep(0.2)
    exists = _run([_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d",
                   "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
                  data_dir)
    if exists.stdout.strip() != "1":
        server.create_database(database)
    return server


@contextlib.contextmanager
def running(data_dir, **kw):
    """:func:`start` around a ``with`` block: yields the :class:`Server`, always stops it."""
    server = start(data_dir, **kw)
    try:
        yield server
    finally:
        server.stop()
