"""Run a student's kernel in a bubblewrap sandbox: its own folder, nothing else writable.

The kernel sees a read-only view of the system (/usr, a few /etc files), of the course's
Python (the base interpreter, the virtual environment, ``course/`` and ``autograder/``) and
of the course's data cache; one writable folder (a copy of the submission) mounted at
``/submission``; a private /tmp; no network (``--unshare-net``), no view of other processes
(``--unshare-pid``), no capabilities. ``source/``, ``gradebook.db``, other students' folders
and the rest of the file system are simply not there. When the grader runs as root, the
kernel runs as ``nobody`` (setpriv, inside the sandbox) so that it owns nothing outside its
folder and the process limits of ``autograder/kernel.py`` count against an unprivileged user.

The kernel talks to the grader over Jupyter's ``ipc`` transport (Unix sockets in a folder
bound into the sandbox), because a sandbox without a network cannot reach loopback TCP.
"""

import importlib.util
import os
import pathlib
import shutil
import subprocess
import sys

MOUNT = "/submission"
NOBODY = 65534

# /etc entries the interpreter, libc and matplotlib read; the rest of /etc stays out.
ETC = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "passwd",
       "group", "nsswitch.conf", "hosts", "fonts", "mime.types"]


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


def _package_dir(name: str) -> pathlib.Path:
    spec = importlib.util.find_spec(name)
    return pathlib.Path(spec.origin).resolve().parent


def readable_paths() -> list[pathlib.Path]:
    """Folders the kernel needs to read: interpreter, environment, course packages, data."""
    from course import data

    prefix = pathlib.Path(sys.prefix)
    paths = {pathlib.Path(sys.base_prefix).resolve(), prefix.resolve(),
             _package_dir("course"), _package_dir("autograder")}
    # An environment made of links to another one (tests/test_readme.py's copy) needs their
    # targets too, or its python finds neither pyvenv.cfg nor site-packages.
    paths |= {entry.resolve() for entry in prefix.iterdir() if entry.is_symlink()}
    cache = os.environ.get(data.CACHE_ENV)
    default_cache = pathlib.Path.home() / ".cache" / "pytorch-course"
    for folder in (pathlib.Path(cache) if cache else None, default_cache):
        if folder is not None and folder.is_dir():
            paths.add(folder.resolve())
    # The editable install keeps a .pth file pointing at the repository; nothing else of it.
    return sorted(paths)


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ETC:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args


def environment(data_dir: pathlib.Path | None = None) -> dict[str, str]:
    """The whole environment of the kernel: nothing of the grader's leaks in."""
    env = {
        "PATH": f"{pathlib.Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLCONFIGDIR": f"{MOUNT}/.matplotlib",
        "IPYTHONDIR": "/tmp/ipython",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NBGRADER_EXECUTION": "autograde",
        "CUDA_VISIBLE_DEVICES": "",
        # The kernel imports course/ and autograder/ from where the grader did (a copy of
        # the course may have its own), and only those two folders of it are mounted.
        "PYTHONPATH": os.pathsep.join(sorted({str(_package_dir(name).parent)
                                              for name in ("course", "autograder")})),
    }
    cache = os.environ.get("COURSE_DATA_DIR")
    if data_dir is not None:
        env["COURSE_DATA_DIR"] = str(data_dir)
    elif cache:
        env["COURSE_DATA_DIR"] = cache
    else:
        env["COURSE_DATA_DIR"] = str(pathlib.Path.home() / ".cache" / "pytorch-course")
    return env


def command(workdir: pathlib.Path, ipc_dir: pathlib.Path, inner: list[str],
            env: dict[str, str] | None = None) -> list[str]:
    """argv that runs ``inner`` sandboxed, cwd ``/submission`` = ``workdir`` (writable)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    root = os.geteuid() == 0
    # As root, bubblewrap builds the mounts and setpriv then becomes nobody for real (no
    # user namespace: that would map nobody back to root). Otherwise bubblewrap's
    # unprivileged user namespace keeps the caller's own uid.
    namespaces = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                   "--unshare-cgroup-try"] if root else ["--unshare-all", "--cap-drop", "ALL"])
    args = [bwrap, *namespaces, "--die-with-parent", "--new-session", "--hostname", "grader",
            *_system_binds(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--chmod", "1777", "/tmp"]
    readable = readable_paths()
    made = set()
    for path in [*readable, ipc_dir]:
        # bubblewrap would create the parents of a mount point as 0700: nobody could enter.
        for parent in reversed(pathlib.Path(path).parents[:-1]):
            if parent not in made:
                made.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
    for path in readable:
        args += ["--ro-bind", str(path), str(path)]
    args += ["--bind", str(workdir), MOUNT, "--bind", str(ipc_dir), str(ipc_dir),
             "--chdir", MOUNT, "--clearenv"]
    for key, value in (env or environment()).items():
        args += ["--setenv", key, value]
    if root:
        inner = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", *inner]
    return [*args, "--", *inner]


def prepare(*folders: pathlib.Path) -> None:
    """Make folders writable by the sandboxed user (nobody when the grader is root)."""
    if os.geteuid() != 0:
        return
    for folder in folders:
        os.lchown(folder, NOBODY, NOBODY)
        for root, dirs, files in os.walk(folder):
            for name in [root, *(os.path.join(root, d) for d in dirs),
                         *(os.path.join(root, f) for f in files)]:
                os.lchown(name, NOBODY, NOBODY)


def check() -> None:
    """Raise :class:`SandboxUnavailable` unless a trivial sandboxed command runs here."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work, ipc = pathlib.Path(tmp, "w"), pathlib.Path(tmp, "i")
        work.mkdir()
        ipc.mkdir()
        prepare(work, ipc)
        os.chmod(tmp, 0o755)
        try:
            argv = command(work, ipc, ["/bin/true"])
            done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SandboxUnavailable(f"cannot start bubblewrap: {error}") from error
        if done.returncode != 0:
            raise SandboxUnavailable(
                f"bubblewrap cannot create its namespaces here: {done.stderr.strip()}")
